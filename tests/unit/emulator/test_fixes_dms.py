# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DMS fixes of the stand-in restore these AWS behaviours."""

from __future__ import annotations

import json
import os
import re
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")
botocore_exceptions = pytest.importorskip("botocore.exceptions")

MAPPINGS = {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "1",
                       "object-locator": {"schema-name": "public", "table-name": "%"}, "rule-action": "include"}]}


@pytest.fixture(name="dms")
def fixture_dms(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        yield boto3.client("dms", region_name="us-east-1")


def _endpoint(client, identifier, endpoint_type="source", **extra):
    return client.create_endpoint(EndpointIdentifier=identifier, EndpointType=endpoint_type, EngineName="postgres",
                                  ServerName="db.example", Port=5432, DatabaseName="app", Username="u", Password="p",
                                  **extra)["Endpoint"]


def _task(client, identifier="task"):
    source = _endpoint(client, identifier + "-src")["EndpointArn"]
    target = _endpoint(client, identifier + "-tgt", "target")["EndpointArn"]
    instance = client.create_replication_instance(ReplicationInstanceIdentifier=identifier + "-rep",
                                                  ReplicationInstanceClass="dms.t3.medium")["ReplicationInstance"]
    return client.create_replication_task(
        ReplicationTaskIdentifier=identifier, SourceEndpointArn=source, TargetEndpointArn=target,
        ReplicationInstanceArn=instance["ReplicationInstanceArn"], MigrationType="full-load",
        TableMappings=json.dumps(MAPPINGS))["ReplicationTask"]


def test_tags_are_added_and_removed(dms):
    arn = _endpoint(dms, "src", Tags=[{"Key": "Environment", "Value": "local"}])["EndpointArn"]
    dms.add_tags_to_resource(ResourceArn=arn, Tags=[{"Key": "Owner", "Value": "team"}])
    dms.remove_tags_from_resource(ResourceArn=arn, TagKeys=["Environment"])
    tags = {t["Key"]: t["Value"] for t in dms.list_tags_for_resource(ResourceArn=arn)["TagList"]}
    assert tags == {"Owner": "team"}


def test_tagging_an_unknown_arn_is_refused(dms):
    with pytest.raises(botocore_exceptions.ClientError) as error:
        dms.add_tags_to_resource(ResourceArn="arn:aws:dms:us-east-1:123456789012:rep:NOPE", Tags=[{"Key": "a", "Value": "b"}])
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundFault"


def test_arns_carry_a_random_id_not_the_identifier(dms):
    task = _task(dms, "payments-local-migration")
    instance = dms.describe_replication_instances()["ReplicationInstances"][0]
    for arn in (task["ReplicationTaskArn"], instance["ReplicationInstanceArn"]):
        resource_id = arn.rsplit(":", 1)[1]
        assert re.fullmatch(r"[A-Z0-9]{26}", resource_id)
        assert "payments" not in arn


def test_a_second_instance_with_the_same_identifier_is_refused(dms):
    dms.create_replication_instance(ReplicationInstanceIdentifier="rep", ReplicationInstanceClass="dms.t3.medium")
    with pytest.raises(botocore_exceptions.ClientError) as error:
        dms.create_replication_instance(ReplicationInstanceIdentifier="rep", ReplicationInstanceClass="dms.t3.medium")
    assert error.value.response["Error"]["Code"] == "ResourceAlreadyExistsFault"


def test_a_new_task_becomes_ready_and_is_modifiable_only_when_not_running(dms):
    task = _task(dms)
    assert task["Status"] == "creating"
    described = dms.describe_replication_tasks(Filters=[{"Name": "replication-task-id", "Values": ["task"]}])["ReplicationTasks"][0]
    assert described["Status"] == "ready"
    dms.modify_replication_task(ReplicationTaskArn=task["ReplicationTaskArn"], MigrationType="full-load-and-cdc")
    dms.start_replication_task(ReplicationTaskArn=task["ReplicationTaskArn"], StartReplicationTaskType="start-replication")
    with pytest.raises(botocore_exceptions.ClientError) as error:
        dms.modify_replication_task(ReplicationTaskArn=task["ReplicationTaskArn"], MigrationType="full-load")
    assert error.value.response["Error"]["Code"] == "InvalidResourceStateFault"
    with pytest.raises(botocore_exceptions.ClientError) as error:
        dms.delete_replication_task(ReplicationTaskArn=task["ReplicationTaskArn"])
    assert error.value.response["Error"]["Code"] == "InvalidResourceStateFault"
    described = dms.describe_replication_tasks()["ReplicationTasks"][0]
    assert (described["MigrationType"], described["Status"]) == ("full-load-and-cdc", "running")


def test_endpoints_are_active_modifiable_and_protected_while_used(dms):
    task = _task(dms)
    source = dms.describe_endpoints(Filters=[{"Name": "endpoint-id", "Values": ["task-src"]}])["Endpoints"][0]
    assert (source["Status"], source["SslMode"]) == ("active", "none")
    dms.modify_endpoint(EndpointArn=source["EndpointArn"], SslMode="require",
                        PostgreSQLSettings={"SecretsManagerSecretId": "s", "SecretsManagerAccessRoleArn": "r"})
    dms.modify_endpoint(EndpointArn=source["EndpointArn"], PostgreSQLSettings={"HeartbeatEnable": True})
    source = dms.describe_endpoints(Filters=[{"Name": "endpoint-id", "Values": ["task-src"]}])["Endpoints"][0]
    assert source["SslMode"] == "require"
    assert source["PostgreSQLSettings"] == {"SecretsManagerSecretId": "s", "SecretsManagerAccessRoleArn": "r", "HeartbeatEnable": True}
    with pytest.raises(botocore_exceptions.ClientError) as error:
        dms.delete_endpoint(EndpointArn=source["EndpointArn"])
    assert error.value.response["Error"]["Code"] == "InvalidResourceStateFault"
    dms.delete_replication_task(ReplicationTaskArn=task["ReplicationTaskArn"])
    dms.delete_endpoint(EndpointArn=source["EndpointArn"])


def test_subnet_groups_report_their_real_subnets(dms):
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
               for i, z in enumerate("ab")]
    dms.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="grp", ReplicationSubnetGroupDescription="d", SubnetIds=subnets)
    group = dms.describe_replication_subnet_groups()["ReplicationSubnetGroups"][0]
    assert group["VpcId"] == vpc
    assert sorted(s["SubnetIdentifier"] for s in group["Subnets"]) == sorted(subnets)
    assert sorted(s["SubnetAvailabilityZone"]["Name"] for s in group["Subnets"]) == ["us-east-1a", "us-east-1b"]
