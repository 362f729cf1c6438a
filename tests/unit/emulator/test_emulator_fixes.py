# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each fidelity fix of the stand-in restores an AWS behaviour: these tests show that behaviour."""

from __future__ import annotations

import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position
import server  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="ec2")
def fixture_ec2(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        yield boto3.client("ec2", region_name="us-east-1")


def _nat_gateway(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(
        SubnetId=subnet,
        AllocationId=allocation,
        TagSpecifications=[{"ResourceType": "natgateway", "Tags": [{"Key": "Name", "Value": "n"}]}],
    )["NatGateway"]["NatGatewayId"]
    return nat, allocation


def test_describe_tags_reports_natgateway_resource_type(ec2):
    nat = _nat_gateway(ec2)[0]
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [nat]}])["Tags"]
    assert [tag["ResourceType"] for tag in tags] == ["natgateway"]


def test_describe_tags_filters_on_natgateway_resource_type(ec2):
    """amazon.aws.ec2_vpc_nat_gateway looks its tags up with resource-type=natgateway."""
    nat = _nat_gateway(ec2)[0]
    tags = ec2.describe_tags(
        Filters=[{"Name": "resource-id", "Values": [nat]}, {"Name": "resource-type", "Values": ["natgateway"]}]
    )["Tags"]
    assert tags == [{"Key": "Name", "ResourceId": nat, "ResourceType": "natgateway", "Value": "n"}]


def test_describe_tags_reports_elastic_ip_resource_type(ec2):
    allocation = _nat_gateway(ec2)[1]
    ec2.create_tags(Resources=[allocation], Tags=[{"Key": "k", "Value": "v"}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [allocation]}])["Tags"]
    assert tags[0]["ResourceType"] == "elastic-ip"


def test_every_fix_cites_the_aws_behaviour_it_restores():
    for fix in fixes.all_fixes():
        assert fix.aws_behaviour and fix.reference.startswith("https://docs.aws.amazon.com/")


@pytest.mark.parametrize(
    "action, method, expected",
    [
        ("CreateVpc", "POST", True),
        ("DescribeVpcs", "POST", False),
        ("ModifyVpcAttribute", "POST", True),
        ("GetCallerIdentity", "POST", False),
        (None, "GET", False),
        (None, "PUT", True),
        (None, "DELETE", True),
    ],
)
def test_call_recorder_classifies_mutating_calls(action, method, expected):
    assert server.is_mutating(action, method) is expected


def test_call_recorder_reads_query_json_and_rest_actions():
    auth = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host"
    query = server.describe_call(
        {"HTTP_AUTHORIZATION": auth, "REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/x-www-form-urlencoded"},
        b"Action=CreateVpc&Version=2016-11-15",
    )
    assert (query["service"], query["action"], query["mutating"]) == ("ec2", "CreateVpc", True)
    target = server.describe_call({"HTTP_X_AMZ_TARGET": "AmazonDMSv20160101.DescribeEndpoints", "REQUEST_METHOD": "POST"}, b"{}")
    assert (target["action"], target["mutating"]) == ("DescribeEndpoints", False)
    rest = server.describe_call({"REQUEST_METHOD": "PUT", "PATH_INFO": "/bucket"}, b"")
    assert (rest["action"], rest["mutating"]) == (None, True)


@pytest.fixture(name="clients")
def fixture_clients(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        yield {
            region: (boto3.client("rds", region_name=region), boto3.client("dms", region_name=region))
            for region in ("us-east-1", "eu-south-1")
        }


def test_describe_db_engine_versions_lists_deprecated_versions_only_with_include_all(clients):
    rds = clients["us-east-1"][0]
    current = {v["EngineVersion"] for v in rds.describe_db_engine_versions(Engine="aurora-postgresql")["DBEngineVersions"]}
    every = rds.describe_db_engine_versions(Engine="aurora-postgresql", IncludeAll=True)["DBEngineVersions"]
    assert "15.5" not in current and "15.19" in current
    assert {"15.5": "deprecated"}.items() <= {v["EngineVersion"]: v["Status"] for v in every}.items()


def test_describe_db_engine_versions_is_per_region(clients):
    """F03: 15.4 was never offered in eu-south-1."""
    versions = clients["eu-south-1"][0].describe_db_engine_versions(Engine="aurora-postgresql", IncludeAll=True)["DBEngineVersions"]
    offered = {v["EngineVersion"] for v in versions}
    assert "15.4" not in offered and "15.8" in offered


def test_orderable_options_filter_on_db_serverless(clients):
    rds = clients["us-east-1"][0]
    serverless = rds.describe_orderable_db_instance_options(Engine="aurora-postgresql", DBInstanceClass="db.serverless")
    options = serverless["OrderableDBInstanceOptions"]
    assert options and {o["DBInstanceClass"] for o in options} == {"db.serverless"}
    refused = rds.describe_orderable_db_instance_options(Engine="aurora-postgresql", EngineVersion="15.5", DBInstanceClass="db.serverless")
    assert refused["OrderableDBInstanceOptions"] == []


def test_dms_engine_versions_carry_lifecycle_dates(clients):
    dms = clients["us-east-1"][1]
    versions = {v["Version"]: v for v in dms.describe_engine_versions()["EngineVersions"]}
    assert versions["3.4.7"]["DeprecationDate"].date().isoformat() == "2024-09-30"
    assert "3.6.1" in versions and "DeprecationDate" not in versions["3.6.1"]
    orderable = dms.describe_orderable_replication_instances()["OrderableReplicationInstances"]
    assert {"EngineVersion", "ReplicationInstanceClass"} <= set(orderable[0])


def test_engine_versions_come_from_the_fixture_not_the_collection_catalog(clients):
    """The stand-in serves tests/emulator/engine_fixture.json: capacities and log types the catalog does not have."""
    assert "engine_catalog" not in open(fixes.__file__, encoding="utf-8").read()
    rds = clients["us-east-1"][0]
    version = rds.describe_db_engine_versions(Engine="aurora-postgresql", EngineVersion="16.15")["DBEngineVersions"][0]
    assert version["ServerlessV2FeaturesSupport"] == {"MinCapacity": 0.0, "MaxCapacity": 256.0}
    assert version["ExportableLogTypes"] == ["iam-db-auth-error", "instance", "postgresql"]
    assert set(fixes.engine_fixture()["regions"]) >= {"us-east-1", "us-east-2", "us-west-2", "eu-south-1"}


def test_a_region_the_fixture_does_not_list_offers_no_engine_version():
    assert fixes.rds_engine_versions("ap-southeast-7", "aurora-postgresql", include_all=True) == []
    assert fixes.dms_engine_versions("ap-southeast-7") == [] and fixes.dms_orderable_instances("ap-southeast-7") == []
    assert fixes.rds_engine_versions("us-east-1", "mysql") == []
