# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""End-to-end tests of payments.aws_platform.ec2_vpc_flow_log_info against moto."""

from __future__ import annotations

import runpy

import boto3
import botocore
import pytest
from moto import mock_aws

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.payments.aws_platform.plugins.modules import ec2_vpc_flow_log_info

ROLE_ARN = "arn:aws:iam::123456789012:role/flow-logs"
LOG_GROUP = "/vpc/test/flow-logs"
BUCKET = "flow-log-info-bucket"


from module_harness import AnsibleExitJson  # noqa: E402  pylint: disable=import-error
from module_harness import AnsibleFailJson  # noqa: E402  pylint: disable=import-error
from module_harness import exit_json as _exit_json  # noqa: E402  pylint: disable=import-error
from module_harness import fail_json as _fail_json  # noqa: E402  pylint: disable=import-error


@pytest.fixture(autouse=True)
def module_exits(monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)


@pytest.fixture
def aws(monkeypatch):
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_URL", "EC2_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with mock_aws():
        yield boto3.client("ec2", region_name="us-east-1")


@pytest.fixture
def flow_logs(aws):
    """Two VPCs: one logs everything to CloudWatch Logs, the other rejected traffic to S3."""
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
    vpc_a = aws.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    vpc_b = aws.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    cwl = aws.create_flow_logs(
        ResourceIds=[vpc_a],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogGroupName=LOG_GROUP,
        DeliverLogsPermissionArn=ROLE_ARN,
        TagSpecifications=[{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "Team", "Value": "payments"}]}],
    )["FlowLogIds"][0]
    s3 = aws.create_flow_logs(
        ResourceIds=[vpc_b],
        ResourceType="VPC",
        TrafficType="REJECT",
        LogDestinationType="s3",
        LogDestination=f"arn:aws:s3:::{BUCKET}",
        MaxAggregationInterval=60,
    )["FlowLogIds"][0]
    return {"vpc_a": vpc_a, "vpc_b": vpc_b, "cwl": cwl, "s3": s3}


def run_module(args, check_mode=False):
    module_args = dict(args)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    with patch_module_args(module_args):
        with pytest.raises((AnsibleExitJson, AnsibleFailJson)) as excinfo:
            ec2_vpc_flow_log_info.main()
    result = excinfo.value.args[0]
    result["_failed"] = isinstance(excinfo.value, AnsibleFailJson)
    return result


def ids(result):
    return sorted(fl["flow_log_id"] for fl in result["flow_logs"])


def test_lists_every_flow_log(flow_logs):
    result = run_module({})

    assert result["changed"] is False
    assert ids(result) == sorted([flow_logs["cwl"], flow_logs["s3"]])
    by_id = {fl["flow_log_id"]: fl for fl in result["flow_logs"]}
    cwl = by_id[flow_logs["cwl"]]
    assert cwl["resource_id"] == flow_logs["vpc_a"]
    assert cwl["log_group_name"] == LOG_GROUP
    assert cwl["deliver_logs_permission_arn"] == ROLE_ARN
    assert cwl["tags"] == {"Team": "payments"}
    assert cwl["flow_log_status"] == "ACTIVE"
    s3 = by_id[flow_logs["s3"]]
    assert s3["log_destination"] == f"arn:aws:s3:::{BUCKET}"
    assert s3["log_group_name"] is None
    assert s3["max_aggregation_interval"] == 60
    assert s3["tags"] == {}


@pytest.mark.parametrize(
    "args_for, expected",
    [
        (lambda fl: {"resource_ids": [fl["vpc_a"]]}, ["cwl"]),
        (lambda fl: {"flow_log_ids": [fl["s3"]]}, ["s3"]),
        (lambda fl: {"filters": {"traffic-type": "REJECT"}}, ["s3"]),
        (lambda fl: {"filters": {"log-destination-type": ["cloud-watch-logs"]}}, ["cwl"]),
        (lambda fl: {"filters": {"tag:Team": "payments"}}, ["cwl"]),
        (lambda fl: {"filters": {"resource-id": fl["vpc_a"]}, "resource_ids": [fl["vpc_b"]]}, ["cwl", "s3"]),
        (lambda fl: {"filters": {"resource-id": [fl["vpc_a"]]}, "resource_ids": [fl["vpc_a"]]}, ["cwl"]),
        (lambda fl: {"filters": {"traffic-type": "ACCEPT"}}, []),
    ],
    ids=["resource-ids", "flow-log-ids", "traffic-filter", "destination-filter", "tag-filter", "merge-filter", "dedupe", "no-match"],
)
def test_filters(flow_logs, args_for, expected):
    result = run_module(args_for(flow_logs))

    assert not result["_failed"], result
    assert ids(result) == sorted(flow_logs[key] for key in expected)


def test_check_mode(flow_logs):
    result = run_module({"resource_ids": [flow_logs["vpc_b"]]}, check_mode=True)

    assert result["changed"] is False
    assert ids(result) == [flow_logs["s3"]]


def test_api_error_fails_clearly(aws, monkeypatch):
    def _make_api_call(self, operation_name, api_params):
        raise botocore.exceptions.ClientError(
            {"Error": {"Code": "UnauthorizedOperation", "Message": "You are not authorized"}}, operation_name
        )

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", _make_api_call)
    result = run_module({})

    assert result["_failed"] is True
    assert result["msg"].startswith("Unable to list the VPC flow logs")
    assert result["error"]["code"] == "UnauthorizedOperation"


def test_build_filters_does_not_modify_input():
    filters = {"resource-id": "vpc-1"}
    merged = ec2_vpc_flow_log_info.build_filters(filters, ["vpc-2"])

    assert merged == {"resource-id": ["vpc-1", "vpc-2"]}
    assert filters == {"resource-id": "vpc-1"}
    assert ec2_vpc_flow_log_info.build_filters(None, None) == {}


def test_runs_as_a_script(flow_logs):
    with patch_module_args({"flow_log_ids": [flow_logs["cwl"]]}):
        with pytest.raises(AnsibleExitJson) as excinfo:
            runpy.run_path(ec2_vpc_flow_log_info.__file__, run_name="__main__")

    assert [fl["flow_log_id"] for fl in excinfo.value.args[0]["flow_logs"]] == [flow_logs["cwl"]]
