# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""End-to-end tests of payments.aws_platform.ec2_vpc_flow_log against moto."""

from __future__ import annotations

import runpy

import boto3
import botocore
import pytest
from moto import mock_aws

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.payments.aws_platform.plugins.modules import ec2_vpc_flow_log

ROLE_ARN = "arn:aws:iam::123456789012:role/flow-logs"
OTHER_ROLE_ARN = "arn:aws:iam::123456789012:role/other-flow-logs"
LOG_GROUP = "/vpc/test/flow-logs"
BUCKET = "flow-log-bucket"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"


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
def vpc_id(aws):
    boto3.client("logs", region_name="us-east-1").create_log_group(logGroupName=LOG_GROUP)
    return aws.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]


@pytest.fixture
def bucket(aws):
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
    return BUCKET_ARN


def run_module(args, check_mode=False, diff=False):
    module_args = dict(args)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    if diff:
        module_args["_ansible_diff"] = True
    with patch_module_args(module_args):
        with pytest.raises((AnsibleExitJson, AnsibleFailJson)) as excinfo:
            ec2_vpc_flow_log.main()
    result = excinfo.value.args[0]
    result["_failed"] = isinstance(excinfo.value, AnsibleFailJson)
    return result


def cwl_args(resource_id, **extra):
    args = dict(resource_id=resource_id, log_group_name=LOG_GROUP, deliver_logs_permission_arn=ROLE_ARN)
    args.update(extra)
    return args


def flow_logs_of(client, resource_id):
    return client.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [resource_id]}])["FlowLogs"]


def fail_operation(monkeypatch, operation, error=None):
    """Make one EC2 API operation fail while the others reach moto."""
    original = botocore.client.BaseClient._make_api_call

    def _make_api_call(self, operation_name, api_params):
        if operation_name == operation:
            if error is not None:
                raise error
            raise botocore.exceptions.ClientError(
                {"Error": {"Code": "UnauthorizedOperation", "Message": "You are not authorized"}}, operation_name
            )
        return original(self, operation_name, api_params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", _make_api_call)


# --- creation and idempotency ------------------------------------------------


def test_create_cloudwatch_flow_log(aws, vpc_id):
    result = run_module(cwl_args(vpc_id, tags={"Team": "payments", "Env": "test"}))

    assert not result["_failed"], result
    assert result["changed"] is True
    assert result["replaced"] is False
    assert result["replaced_attributes"] == []
    assert "diff" not in result
    flow_log = result["flow_log"]
    assert flow_log["flow_log_id"].startswith("fl-")
    assert flow_log["flow_log_status"] == "ACTIVE"
    assert flow_log["resource_id"] == vpc_id
    assert flow_log["traffic_type"] == "ALL"
    assert flow_log["log_destination_type"] == "cloud-watch-logs"
    assert flow_log["log_group_name"] == LOG_GROUP
    assert flow_log["deliver_logs_permission_arn"] == ROLE_ARN
    assert flow_log["max_aggregation_interval"] == 600
    assert flow_log["log_format"]
    assert flow_log["tags"] == {"Team": "payments", "Env": "test"}
    assert isinstance(flow_log["creation_time"], str)

    existing = flow_logs_of(aws, vpc_id)
    assert [fl["FlowLogId"] for fl in existing] == [flow_log["flow_log_id"]]


def test_second_run_changes_nothing(aws, vpc_id):
    args = cwl_args(vpc_id, tags={"Team": "payments"}, log_format="${version} ${srcaddr} ${dstaddr}")
    first = run_module(args)
    second = run_module(args, diff=True)

    assert second["changed"] is False
    assert second["replaced"] is False
    assert second["flow_log"]["flow_log_id"] == first["flow_log"]["flow_log_id"]
    assert second["diff"]["before"] == second["diff"]["after"]
    assert len(flow_logs_of(aws, vpc_id)) == 1


def test_create_in_check_mode_creates_nothing(aws, vpc_id):
    result = run_module(cwl_args(vpc_id, tags={"Team": "payments"}), check_mode=True)

    assert not result["_failed"], result
    assert result["changed"] is True
    assert result["flow_log"]["flow_log_id"] is None
    assert result["flow_log"]["traffic_type"] == "ALL"
    assert result["flow_log"]["tags"] == {"Team": "payments"}
    assert flow_logs_of(aws, vpc_id) == []


def test_create_reports_diff(aws, vpc_id):
    result = run_module(cwl_args(vpc_id), diff=True)

    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["flow_log_id"] == result["flow_log"]["flow_log_id"]
    assert result["diff"]["after"]["tags"] == {}


def test_create_falls_back_to_prediction_when_not_listed_yet(aws, vpc_id, monkeypatch):
    monkeypatch.setattr(ec2_vpc_flow_log, "get_flow_log", lambda client, flow_log_id: None)
    result = run_module(cwl_args(vpc_id, tags={"Team": "payments"}))

    assert result["changed"] is True
    created = flow_logs_of(aws, vpc_id)
    assert result["flow_log"]["flow_log_id"] == created[0]["FlowLogId"]
    assert result["flow_log"]["tags"] == {"Team": "payments"}
    assert result["flow_log"]["flow_log_status"] is None


def test_create_s3_flow_log(aws, vpc_id, bucket):
    args = dict(
        resource_id=vpc_id,
        log_destination_type="s3",
        log_destination=bucket,
        traffic_type="REJECT",
        max_aggregation_interval=60,
    )
    first = run_module(args)
    second = run_module(args)

    assert not first["_failed"], first
    assert first["changed"] is True
    flow_log = first["flow_log"]
    assert flow_log["log_destination_type"] == "s3"
    assert flow_log["log_destination"] == bucket
    assert flow_log["log_group_name"] is None
    assert flow_log["traffic_type"] == "REJECT"
    assert flow_log["max_aggregation_interval"] == 60
    assert second["changed"] is False


def test_subnet_flow_log(aws, vpc_id):
    subnet_id = aws.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    result = run_module(cwl_args(subnet_id, resource_type="Subnet"))

    assert result["changed"] is True
    assert result["flow_log"]["resource_id"] == subnet_id


def test_flow_logs_to_other_destinations_are_left_alone(aws, vpc_id, bucket):
    run_module(dict(resource_id=vpc_id, log_destination_type="s3", log_destination=bucket))
    result = run_module(cwl_args(vpc_id))

    assert result["changed"] is True
    assert result["replaced"] is False
    assert len(flow_logs_of(aws, vpc_id)) == 2


# --- tags ----------------------------------------------------------------------


def test_tag_update_purges_by_default(aws, vpc_id):
    created = run_module(cwl_args(vpc_id, tags={"Team": "payments", "Old": "yes"}))
    result = run_module(cwl_args(vpc_id, tags={"Team": "platform", "New": "1"}), diff=True)

    assert result["changed"] is True
    assert result["replaced"] is False
    assert result["flow_log"]["flow_log_id"] == created["flow_log"]["flow_log_id"]
    assert result["flow_log"]["tags"] == {"Team": "platform", "New": "1"}
    assert result["diff"]["before"]["tags"] == {"Team": "payments", "Old": "yes"}
    assert result["diff"]["after"]["tags"] == {"Team": "platform", "New": "1"}
    tags = flow_logs_of(aws, vpc_id)[0]["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"Team": "platform", "New": "1"}


def test_purge_tags_false_keeps_existing_tags(aws, vpc_id):
    run_module(cwl_args(vpc_id, tags={"Team": "payments"}))
    result = run_module(cwl_args(vpc_id, tags={"CostCenter": "4711"}, purge_tags=False))

    assert result["changed"] is True
    assert result["flow_log"]["tags"] == {"Team": "payments", "CostCenter": "4711"}


def test_empty_tags_remove_all_tags(aws, vpc_id):
    run_module(cwl_args(vpc_id, tags={"Team": "payments"}))
    result = run_module(cwl_args(vpc_id, tags={}))

    assert result["changed"] is True
    assert result["flow_log"]["tags"] == {}
    assert not flow_logs_of(aws, vpc_id)[0].get("Tags")


def test_tags_left_alone_when_not_set(aws, vpc_id):
    run_module(cwl_args(vpc_id, tags={"Team": "payments"}))
    result = run_module(cwl_args(vpc_id))

    assert result["changed"] is False
    assert result["flow_log"]["tags"] == {"Team": "payments"}


def test_tag_update_in_check_mode_changes_nothing(aws, vpc_id):
    run_module(cwl_args(vpc_id, tags={"Team": "payments"}))
    result = run_module(cwl_args(vpc_id, tags={"Team": "platform"}), check_mode=True)

    assert result["changed"] is True
    assert result["flow_log"]["tags"] == {"Team": "platform"}
    tags = flow_logs_of(aws, vpc_id)[0]["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"Team": "payments"}


def test_resource_tags_alias(aws, vpc_id):
    result = run_module(cwl_args(vpc_id, resource_tags={"Team": "payments"}))

    assert result["flow_log"]["tags"] == {"Team": "payments"}


# --- replacement -----------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"traffic_type": "REJECT"},
        {"max_aggregation_interval": 60},
        {"log_format": "${version} ${srcaddr}"},
        {"deliver_logs_permission_arn": OTHER_ROLE_ARN},
    ],
    ids=lambda change: next(iter(change)),
)
def test_immutable_change_replaces_flow_log(aws, vpc_id, change):
    created = run_module(cwl_args(vpc_id, tags={"Team": "payments"}))
    old_id = created["flow_log"]["flow_log_id"]

    args = cwl_args(vpc_id)
    args.update(change)
    result = run_module(args, diff=True)

    assert not result["_failed"], result
    assert result["changed"] is True
    assert result["replaced"] is True
    assert result["replaced_attributes"] == list(change)
    assert result["previous_flow_log_id"] == old_id
    new_id = result["flow_log"]["flow_log_id"]
    assert new_id != old_id
    key, value = next(iter(change.items()))
    assert result["flow_log"][key] == value
    # tags were not set in the task: the new flow log keeps the old tags
    assert result["flow_log"]["tags"] == {"Team": "payments"}
    assert result["diff"]["before"]["flow_log_id"] == old_id
    assert result["diff"]["after"]["flow_log_id"] == new_id
    assert [fl["FlowLogId"] for fl in flow_logs_of(aws, vpc_id)] == [new_id]

    again = run_module(args)
    assert again["changed"] is False


def test_replacement_applies_requested_tags(aws, vpc_id):
    run_module(cwl_args(vpc_id, tags={"Team": "payments"}))
    result = run_module(cwl_args(vpc_id, traffic_type="ACCEPT", tags={"Env": "prod"}, purge_tags=False))

    assert result["replaced"] is True
    assert result["flow_log"]["tags"] == {"Team": "payments", "Env": "prod"}


def test_replacement_in_check_mode_changes_nothing(aws, vpc_id):
    created = run_module(cwl_args(vpc_id))
    old_id = created["flow_log"]["flow_log_id"]
    result = run_module(cwl_args(vpc_id, traffic_type="ACCEPT"), check_mode=True)

    assert result["changed"] is True
    assert result["replaced"] is True
    assert result["previous_flow_log_id"] == old_id
    assert result["flow_log"]["flow_log_id"] is None
    assert result["flow_log"]["traffic_type"] == "ACCEPT"
    remaining = flow_logs_of(aws, vpc_id)
    assert [(fl["FlowLogId"], fl["TrafficType"]) for fl in remaining] == [(old_id, "ALL")]


def test_failed_replacement_says_old_flow_log_is_gone(aws, vpc_id, bucket):
    args = dict(resource_id=vpc_id, log_destination_type="s3", log_destination=bucket)
    created = run_module(args)
    boto3.client("s3", region_name="us-east-1").delete_bucket(Bucket=BUCKET)

    result = run_module(dict(args, traffic_type="REJECT"))

    assert result["_failed"] is True
    assert "AWS refused to create the flow log" in result["msg"]
    assert created["flow_log"]["flow_log_id"] in result["msg"]
    assert "already been deleted" in result["msg"]
    assert result["unsuccessful"][0]["resource_id"] == vpc_id


# --- state=absent ------------------------------------------------------------------


def test_absent_deletes_flow_log(aws, vpc_id):
    created = run_module(cwl_args(vpc_id))
    result = run_module(dict(state="absent", resource_id=vpc_id, log_group_name=LOG_GROUP), diff=True)

    assert result["changed"] is True
    assert result["flow_log"] == {}
    assert result["previous_flow_log_id"] == created["flow_log"]["flow_log_id"]
    assert result["diff"]["before"]["flow_log_id"] == created["flow_log"]["flow_log_id"]
    assert result["diff"]["after"] == {}
    assert flow_logs_of(aws, vpc_id) == []


def test_absent_when_missing_changes_nothing(aws, vpc_id):
    result = run_module(dict(state="absent", resource_id=vpc_id, log_group_name=LOG_GROUP), diff=True)

    assert result["changed"] is False
    assert "previous_flow_log_id" not in result
    assert result["diff"] == {"before": {}, "after": {}}


def test_absent_in_check_mode_deletes_nothing(aws, vpc_id):
    run_module(cwl_args(vpc_id))
    result = run_module(dict(state="absent", resource_id=vpc_id, log_group_name=LOG_GROUP), check_mode=True)

    assert result["changed"] is True
    assert "diff" not in result
    assert len(flow_logs_of(aws, vpc_id)) == 1


def test_absent_s3_flow_log(aws, vpc_id, bucket):
    run_module(dict(resource_id=vpc_id, log_destination_type="s3", log_destination=bucket))
    run_module(cwl_args(vpc_id))
    result = run_module(dict(state="absent", resource_id=vpc_id, log_destination_type="s3", log_destination=bucket + "/"))

    assert result["changed"] is True
    remaining = flow_logs_of(aws, vpc_id)
    assert [fl["LogDestinationType"] for fl in remaining] == ["cloud-watch-logs"]


# --- failures ----------------------------------------------------------------------


def test_missing_role_for_cloudwatch_fails_clearly(aws, vpc_id):
    result = run_module(dict(resource_id=vpc_id, log_group_name=LOG_GROUP))

    assert result["_failed"] is True
    assert "deliver_logs_permission_arn is required" in result["msg"]
    assert flow_logs_of(aws, vpc_id) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(log_destination_type="s3"), "log_destination"),
        (dict(), "log_group_name, log_destination"),
        (dict(log_group_name=LOG_GROUP, log_destination="arn:aws:logs:us-east-1:123456789012:log-group:x"), "mutually exclusive"),
        (dict(log_group_name=LOG_GROUP, traffic_type="SOME"), "traffic_type"),
        (dict(log_group_name=LOG_GROUP, max_aggregation_interval=30), "max_aggregation_interval"),
    ],
    ids=["s3-without-destination", "cloudwatch-without-group", "group-and-destination", "bad-traffic", "bad-interval"],
)
def test_invalid_arguments(aws, args, message):
    result = run_module(dict(args, resource_id="vpc-12345678", deliver_logs_permission_arn=ROLE_ARN))

    assert result["_failed"] is True
    assert message in result["msg"]


def test_unsuccessful_create_fails_clearly(aws, vpc_id):
    result = run_module(dict(resource_id=vpc_id, log_destination_type="s3", log_destination="arn:aws:s3:::missing-bucket"))

    assert result["_failed"] is True
    assert result["msg"].startswith("AWS refused to create the flow log")
    assert "missing-bucket" in result["msg"]
    assert result["unsuccessful"][0]["resource_id"] == vpc_id
    assert "already been deleted" not in result["msg"]


def test_api_error_on_create_names_the_step(aws, vpc_id):
    result = run_module(cwl_args("vpc-0000000000000000a"))

    assert result["_failed"] is True
    assert result["msg"].startswith("Unable to create a flow log for vpc-0000000000000000a")
    assert result["error"]["code"] == "InvalidVpcID.NotFound"


@pytest.mark.parametrize(
    "operation, state, message",
    [
        ("DescribeFlowLogs", "present", "Unable to look up the flow logs of"),
        ("DeleteFlowLogs", "absent", "Unable to delete the flow log of"),
        ("CreateTags", "present", "Unable to add tags to the flow log of"),
    ],
)
def test_api_errors_name_the_step(aws, vpc_id, monkeypatch, operation, state, message):
    run_module(cwl_args(vpc_id, tags={"Team": "payments"}))
    fail_operation(monkeypatch, operation)

    args = cwl_args(vpc_id, tags={"Team": "payments", "Env": "prod"}, purge_tags=False)
    if state == "absent":
        args = dict(state="absent", resource_id=vpc_id, log_group_name=LOG_GROUP)
    result = run_module(args)

    assert result["_failed"] is True
    assert result["msg"].startswith(f"{message} {vpc_id}")
    assert "You are not authorized" in result["msg"]


def test_botocore_error_without_operation_gets_generic_message(aws, vpc_id, monkeypatch):
    fail_operation(monkeypatch, "DescribeFlowLogs", error=botocore.exceptions.EndpointConnectionError(endpoint_url="https://ec2"))
    result = run_module(cwl_args(vpc_id))

    assert result["_failed"] is True
    assert result["msg"].startswith(f"Unable to manage the flow log of {vpc_id}")


def test_runs_as_a_script(aws, vpc_id):
    with patch_module_args(cwl_args(vpc_id)):
        with pytest.raises(AnsibleExitJson) as excinfo:
            runpy.run_path(ec2_vpc_flow_log.__file__, run_name="__main__")

    assert excinfo.value.args[0]["changed"] is True
