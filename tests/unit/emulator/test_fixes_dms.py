# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DMS fixes of the stand-in restore these AWS behaviours."""

from __future__ import annotations

import json
import os
import re
import sys
import time

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


# --- dms-mysql-endpoint-no-database-name ---------------------------------------------------------
@pytest.mark.parametrize("engine", ["mysql", "mariadb", "aurora"])
def test_a_mysql_compatible_endpoint_with_a_database_name_is_refused(dms, engine):
    with pytest.raises(botocore_exceptions.ClientError) as error:
        dms.create_endpoint(EndpointIdentifier="my", EndpointType="source", EngineName=engine, ServerName="db", Port=3306,
                            DatabaseName="payments", Username="u", Password="p")
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "DatabaseName is not used for a MySQL-compatible endpoint" in error.value.response["Error"]["Message"]


def test_a_mysql_endpoint_without_a_database_name_is_created_and_cannot_be_given_one(dms):
    arn = dms.create_endpoint(EndpointIdentifier="my", EndpointType="source", EngineName="mysql", ServerName="db", Port=3306,
                              Username="u", Password="p")["Endpoint"]["EndpointArn"]
    with pytest.raises(botocore_exceptions.ClientError) as error:
        dms.modify_endpoint(EndpointArn=arn, DatabaseName="payments")
    assert error.value.response["Error"]["Code"] == "InvalidParameterValueException"
    dms.modify_endpoint(EndpointArn=arn, Port=3307)


def test_a_postgres_endpoint_keeps_its_database_name(dms):
    assert _endpoint(dms, "pg")["DatabaseName"] == "app"


# --- dms-vpc-role-propagation ---------------------------------------------------------------------
def _dms_vpc_role():
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_role(RoleName="dms-vpc-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))


def _subnet_ids():
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    return vpc, [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.1.{n}.0/24")["Subnet"]["SubnetId"] for n in (1, 2)]


def test_a_new_dms_vpc_role_is_refused_until_it_has_propagated(dms, monkeypatch):
    monkeypatch.setenv("EMULATOR_DMS_ROLE_PROPAGATION_SECONDS", "0.5")
    _vpc, subnets = _subnet_ids()
    _dms_vpc_role()
    with pytest.raises(botocore_exceptions.ClientError) as error:
        dms.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="g", ReplicationSubnetGroupDescription="d",
                                            SubnetIds=subnets)
    assert error.value.response["Error"]["Code"] == "AccessDeniedFault"
    assert error.value.response["Error"]["Message"] == (
        "The IAM Role arn:aws:iam::123456789012:role/dms-vpc-role is not configured properly.")
    time.sleep(0.6)
    dms.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="g", ReplicationSubnetGroupDescription="d", SubnetIds=subnets)


# --- dms-test-connection-reachability ------------------------------------------------------------
def _network(route_to=None):
    """A VPC with one private subnet whose route table sends 0.0.0.0/0 to a NAT gateway (and 10.99.0.0/24 to ``route_to``)."""
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc, subnets = _subnet_ids()
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.9.0/24")["Subnet"]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    if route_to:
        ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=route_to, VpcId=vpc, SubnetIds=subnets)
        ec2.create_route(RouteTableId=table, DestinationCidrBlock="10.99.0.0/24", TransitGatewayId=route_to)
    for subnet in subnets:
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
    return subnets


def _connection(dms, subnets, host):
    dms.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="g", ReplicationSubnetGroupDescription="d", SubnetIds=subnets)
    instance = dms.create_replication_instance(ReplicationInstanceIdentifier="rep", ReplicationInstanceClass="dms.t3.medium",
                                               ReplicationSubnetGroupIdentifier="g")["ReplicationInstance"]["ReplicationInstanceArn"]
    endpoint = dms.create_endpoint(EndpointIdentifier="src", EndpointType="source", EngineName="postgres", ServerName=host, Port=5432,
                                   DatabaseName="app", Username="u", Password="p")["Endpoint"]["EndpointArn"]
    dms.describe_replication_instances()  # creating -> available
    first = dms.test_connection(ReplicationInstanceArn=instance, EndpointArn=endpoint)["Connection"]
    time.sleep(1.1)
    final = dms.describe_connections(Filters=[{"Name": "endpoint-arn", "Values": [endpoint]}])["Connections"]
    return first, final


def test_a_private_source_behind_only_a_nat_gateway_fails_the_connection_test(dms):
    first, final = _connection(dms, _network(), "10.99.0.10")
    assert first["Status"] == "testing"
    assert [c["Status"] for c in final] == ["failed"]
    assert "Test connection failed for endpoint 'src'" in final[0]["LastFailureMessage"]
    assert "via nat-" in final[0]["LastFailureMessage"]


def test_a_private_source_routed_to_the_transit_gateway_passes_the_connection_test(dms):
    first, final = _connection(dms, _network(route_to="tgw-0123456789abcdef0"), "10.99.0.10")
    assert first["Status"] == "testing"
    assert [(c["Status"], c["LastFailureMessage"]) for c in final] == [("successful", "")]


def test_a_source_inside_the_vpc_or_a_dns_name_passes(dms):
    _first, final = _connection(dms, _network(), "10.1.1.20")
    assert final[0]["Status"] == "successful"


# --- ec2-onprem-link-exists ------------------------------------------------------------------------
def test_every_region_has_the_onprem_link(dms):
    for region in ("us-east-1", "us-east-2"):
        ec2 = boto3.client("ec2", region_name=region)
        assert [g["TransitGatewayId"] for g in ec2.describe_transit_gateways()["TransitGateways"]] == ["tgw-0123456789abcdef0"]
        assert [g["VpnGatewayId"] for g in ec2.describe_vpn_gateways()["VpnGateways"]] == ["vgw-0123456789abcdef0"]


# --- ec2-tgw-attachment-creation-tags ----------------------------------------------------------------
def test_a_transit_gateway_attachment_keeps_its_creation_tags(dms):  # pylint: disable=unused-argument
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc, subnets = _subnet_ids()
    ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId="tgw-0123456789abcdef0", VpcId=vpc, SubnetIds=subnets,
        TagSpecifications=[{"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "Name", "Value": "dms-source"}]}])
    attachment = ec2.describe_transit_gateway_vpc_attachments()["TransitGatewayVpcAttachments"][0]
    assert attachment["Tags"] == [{"Key": "Name", "Value": "dms-source"}]
