# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests of the flow log helpers in payments.aws_platform's module_utils."""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.payments.aws_platform.plugins.module_utils import flow_logs

ROLE_ARN = "arn:aws:iam::123456789012:role/flow-logs"


def raw_flow_log(**overrides):
    flow_log = {
        "FlowLogId": "fl-1",
        "FlowLogStatus": "ACTIVE",
        "ResourceId": "vpc-1",
        "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": "group",
        "LogDestination": "arn:aws:logs:us-east-1:123456789012:log-group:group",
        "DeliverLogsPermissionArn": ROLE_ARN,
        "MaxAggregationInterval": 600,
        "LogFormat": "${version}",
        "CreationTime": datetime.datetime(2025, 1, 31, 12, 0, tzinfo=datetime.timezone.utc),
        "Tags": [{"Key": "Team", "Value": "payments"}],
    }
    flow_log.update(overrides)
    return flow_log


@pytest.fixture
def stubbed():
    """An EC2 client wrapped like module.client() does, with a botocore Stubber."""
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield RetryingBotoClientWrapper(client, AWSRetry.jittered_backoff(retries=1)), stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def moto_client(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        yield RetryingBotoClientWrapper(boto3.client("ec2", region_name="us-east-1"), AWSRetry.jittered_backoff())


# --- lookup ------------------------------------------------------------------------


def test_describe_follows_pages_and_converts_filters(stubbed):
    client, stubber = stubbed
    expected_filters = [{"Name": "resource-id", "Values": ["vpc-1"]}]
    stubber.add_response(
        "describe_flow_logs", {"FlowLogs": [raw_flow_log()], "NextToken": "page2"}, {"Filters": expected_filters}
    )
    stubber.add_response(
        "describe_flow_logs",
        {"FlowLogs": [raw_flow_log(FlowLogId="fl-2")]},
        {"Filters": expected_filters, "NextToken": "page2"},
    )

    result = flow_logs.describe_flow_logs(client, filters={"resource-id": "vpc-1"})

    assert [fl["FlowLogId"] for fl in result] == ["fl-1", "fl-2"]


def test_describe_by_id(stubbed):
    client, stubber = stubbed
    stubber.add_response("describe_flow_logs", {"FlowLogs": []}, {"FlowLogIds": ["fl-9"]})

    assert flow_logs.get_flow_log(client, "fl-9") is None


@pytest.mark.parametrize(
    "criteria, matches",
    [
        ({}, True),
        ({"log_destination_type": "cloud-watch-logs", "log_group_name": "group", "traffic_type": "ALL"}, True),
        ({"log_destination_type": "s3"}, False),
        ({"log_group_name": "other"}, False),
        ({"log_destination": "arn:aws:logs:us-east-1:123456789012:log-group:group:*"}, True),
        ({"log_destination": "arn:aws:logs:us-east-1:123456789012:log-group:other"}, False),
        ({"traffic_type": "REJECT"}, False),
    ],
)
def test_flow_log_matches(criteria, matches):
    assert flow_logs.flow_log_matches(raw_flow_log(), **criteria) is matches


def test_flow_log_without_reported_destination_does_not_match_an_arn():
    flow_log = raw_flow_log()
    del flow_log["LogDestination"]

    assert flow_logs.flow_log_matches(flow_log, log_destination="arn:aws:s3:::bucket") is False


def test_find_flow_logs_filters_by_destination(stubbed):
    client, stubber = stubbed
    s3_flow_log = raw_flow_log(
        FlowLogId="fl-s3", LogDestinationType="s3", LogGroupName=None, LogDestination="arn:aws:s3:::bucket/prefix/"
    )
    del s3_flow_log["LogGroupName"]
    stubber.add_response(
        "describe_flow_logs",
        {"FlowLogs": [raw_flow_log(), s3_flow_log]},
        {"Filters": [{"Name": "resource-id", "Values": ["vpc-1"]}]},
    )

    found = flow_logs.find_flow_logs(client, "vpc-1", log_destination_type="s3", log_destination="arn:aws:s3:::bucket/prefix")

    assert [fl["FlowLogId"] for fl in found] == ["fl-s3"]


def test_select_flow_log():
    all_traffic = raw_flow_log(FlowLogId="fl-all")
    accept = raw_flow_log(FlowLogId="fl-accept", TrafficType="ACCEPT")

    assert flow_logs.select_flow_log([], "ALL") is None
    assert flow_logs.select_flow_log([accept, all_traffic], "ALL") is all_traffic
    assert flow_logs.select_flow_log([accept], "REJECT") is accept
    with pytest.raises(flow_logs.FlowLogError) as excinfo:
        flow_logs.select_flow_log([accept, all_traffic], "REJECT")
    assert "fl-accept, fl-all" in excinfo.value.message
    assert "vpc-1" in excinfo.value.message


# --- normalisation and comparison -------------------------------------------------------


def test_normalize_flow_log():
    result = flow_logs.normalize_flow_log(raw_flow_log())

    assert result["flow_log_id"] == "fl-1"
    assert result["tags"] == {"Team": "payments"}
    assert result["max_aggregation_interval"] == 600
    assert result["creation_time"] == "2025-01-31T12:00:00+00:00"


def test_normalize_fills_missing_keys():
    result = flow_logs.normalize_flow_log({"FlowLogId": "fl-1", "LogDestinationType": "s3"})

    assert set(flow_logs.FLOW_LOG_KEYS) <= set(result)
    assert result["tags"] == {}
    assert result["log_group_name"] is None
    assert flow_logs.flow_log_summary(result) == {key: result[key] for key in flow_logs.FLOW_LOG_KEYS}
    assert flow_logs.flow_log_summary(None) == {}


def test_desired_flow_log_drops_unset_options():
    params = dict(
        resource_id="vpc-1",
        resource_type="VPC",
        traffic_type="ALL",
        log_destination_type="s3",
        log_group_name=None,
        log_destination="arn:aws:s3:::bucket",
        deliver_logs_permission_arn=None,
        max_aggregation_interval=600,
        log_format=None,
        tags={"a": "b"},
    )

    assert flow_logs.desired_flow_log(params) == {
        "resource_id": "vpc-1",
        "traffic_type": "ALL",
        "log_destination_type": "s3",
        "log_destination": "arn:aws:s3:::bucket",
        "max_aggregation_interval": 600,
    }


@pytest.mark.parametrize(
    "desired, differences",
    [
        ({"resource_id": "vpc-1", "traffic_type": "ALL", "max_aggregation_interval": 600}, []),
        ({"traffic_type": "REJECT"}, ["traffic_type"]),
        ({"max_aggregation_interval": 60, "log_format": "${srcaddr}"}, ["max_aggregation_interval", "log_format"]),
        ({"deliver_logs_permission_arn": "arn:aws:iam::123456789012:role/other"}, ["deliver_logs_permission_arn"]),
        ({"log_destination": "arn:aws:logs:us-east-1:123456789012:log-group:group:*"}, []),
        ({"log_group_name": "other"}, ["log_group_name"]),
    ],
)
def test_flow_log_differences(desired, differences):
    current = flow_logs.normalize_flow_log(raw_flow_log())

    assert flow_logs.flow_log_differences(current, desired) == differences


def test_flow_log_differences_with_string_interval_and_missing_interval():
    current = flow_logs.normalize_flow_log(raw_flow_log(MaxAggregationInterval=60))
    current["max_aggregation_interval"] = "60"
    assert flow_logs.flow_log_differences(current, {"max_aggregation_interval": 60}) == []

    current["max_aggregation_interval"] = None
    assert flow_logs.flow_log_differences(current, {"max_aggregation_interval": 600}) == ["max_aggregation_interval"]


# --- tags ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "current, desired, purge, to_set, to_unset",
    [
        ({"a": "1"}, None, True, {}, []),
        ({"a": "1"}, {"a": "1"}, True, {}, []),
        ({"a": "1", "b": "2"}, {"a": "3"}, True, {"a": "3"}, ["b"]),
        ({"a": "1", "b": "2"}, {"c": "3"}, False, {"c": "3"}, []),
        ({"a": "1", "aws:cloudformation:stack-name": "x"}, {}, True, {}, ["a"]),
        (None, {"a": 1}, True, {"a": 1}, []),
    ],
)
def test_tag_changes(current, desired, purge, to_set, to_unset):
    assert flow_logs.tag_changes(current, desired, purge) == (to_set, to_unset)


def test_merge_tags():
    assert flow_logs.merge_tags({"a": "1", "b": "2"}, {"c": 3}, ["a", "missing"]) == {"b": "2", "c": "3"}
    assert flow_logs.merge_tags(None, {}, []) == {}


def test_update_flow_log_tags(stubbed):
    client, stubber = stubbed
    stubber.add_response("delete_tags", {}, {"Resources": ["fl-1"], "Tags": [{"Key": "old"}]})
    stubber.add_response("create_tags", {}, {"Resources": ["fl-1"], "Tags": [{"Key": "new", "Value": "1"}]})

    assert flow_logs.update_flow_log_tags(client, "fl-1", {"new": "1"}, ["old"]) is True
    assert flow_logs.update_flow_log_tags(client, "fl-1", {}, []) is False


# --- create parameters and calls ---------------------------------------------------------


def test_build_create_params_cloudwatch():
    desired = {
        "resource_id": "vpc-1",
        "traffic_type": "ALL",
        "log_destination_type": "cloud-watch-logs",
        "log_group_name": "group",
        "deliver_logs_permission_arn": ROLE_ARN,
        "max_aggregation_interval": "60",
        "log_format": "${version}",
    }

    assert flow_logs.build_create_params(desired, "VPC", {"Team": "payments"}) == {
        "ResourceIds": ["vpc-1"],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": "group",
        "DeliverLogsPermissionArn": ROLE_ARN,
        "MaxAggregationInterval": 60,
        "LogFormat": "${version}",
        "TagSpecifications": [{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "Team", "Value": "payments"}]}],
    }


def test_build_create_params_s3_without_tags():
    desired = {"resource_id": "subnet-1", "traffic_type": "REJECT", "log_destination_type": "s3", "log_destination": "arn:aws:s3:::b"}

    assert flow_logs.build_create_params(desired, "Subnet", {}) == {
        "ResourceIds": ["subnet-1"],
        "ResourceType": "Subnet",
        "TrafficType": "REJECT",
        "LogDestinationType": "s3",
        "LogDestination": "arn:aws:s3:::b",
    }


def test_expected_flow_log():
    predicted = flow_logs.expected_flow_log({"resource_id": "vpc-1", "traffic_type": "ALL"}, {"n": 1})

    assert predicted["flow_log_id"] is None
    assert predicted["resource_id"] == "vpc-1"
    assert predicted["tags"] == {"n": "1"}
    assert predicted["log_format"] is None


def test_create_flow_log_returns_id(stubbed):
    client, stubber = stubbed
    params = {"ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::b"}
    stubber.add_response("create_flow_logs", {"FlowLogIds": ["fl-new"], "Unsuccessful": []}, params)

    assert flow_logs.create_flow_log(client, params) == "fl-new"


def test_create_flow_log_unsuccessful_list_raises(stubbed):
    client, stubber = stubbed
    params = {"ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": "ALL"}
    unsuccessful = [{"ResourceId": "vpc-1", "Error": {"Code": "AccessDenied", "Message": "Access Denied for LogDestination"}}]
    stubber.add_response("create_flow_logs", {"FlowLogIds": [], "Unsuccessful": unsuccessful}, params)

    with pytest.raises(flow_logs.FlowLogError) as excinfo:
        flow_logs.create_flow_log(client, params)

    assert excinfo.value.message == "AWS refused to create the flow log: vpc-1: AccessDenied - Access Denied for LogDestination"
    assert excinfo.value.unsuccessful == unsuccessful


def test_create_flow_log_unsuccessful_without_details(stubbed):
    client, stubber = stubbed
    params = {"ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": "ALL"}
    stubber.add_response("create_flow_logs", {"Unsuccessful": [{}]}, params)

    with pytest.raises(flow_logs.FlowLogError) as excinfo:
        flow_logs.create_flow_log(client, params)

    assert "unknown resource: unknown error - no message" in excinfo.value.message


def test_create_flow_log_without_ids_raises(stubbed):
    client, stubber = stubbed
    params = {"ResourceIds": ["vpc-1"], "ResourceType": "VPC", "TrafficType": "ALL"}
    stubber.add_response("create_flow_logs", {}, params)

    with pytest.raises(flow_logs.FlowLogError, match="returned no flow log ID"):
        flow_logs.create_flow_log(client, params)


# --- delete -------------------------------------------------------------------------


def test_delete_flow_log(stubbed):
    client, stubber = stubbed
    stubber.add_response("delete_flow_logs", {"Unsuccessful": []}, {"FlowLogIds": ["fl-1"]})

    assert flow_logs.delete_flow_log(client, "fl-1") is True


def test_delete_flow_log_reported_missing(stubbed):
    client, stubber = stubbed
    unsuccessful = [{"ResourceId": "fl-1", "Error": {"Code": "InvalidFlowLogId.NotFound", "Message": "gone"}}]
    stubber.add_response("delete_flow_logs", {"Unsuccessful": unsuccessful}, {"FlowLogIds": ["fl-1"]})

    assert flow_logs.delete_flow_log(client, "fl-1") is False


def test_delete_flow_log_unsuccessful_raises(stubbed):
    client, stubber = stubbed
    unsuccessful = [{"ResourceId": "fl-1", "Error": {"Code": "AccessDenied", "Message": "no"}}]
    stubber.add_response("delete_flow_logs", {"Unsuccessful": unsuccessful}, {"FlowLogIds": ["fl-1"]})

    with pytest.raises(flow_logs.FlowLogError, match="AWS refused to delete flow log fl-1: fl-1: AccessDenied - no"):
        flow_logs.delete_flow_log(client, "fl-1")


def test_delete_missing_flow_log_against_moto(moto_client):
    # moto raises InvalidFlowLogId.NotFound instead of listing the ID as unsuccessful
    assert flow_logs.delete_flow_log(moto_client, "fl-0123456789abcdef0") is False


def test_round_trip_against_moto(moto_client):
    vpc_id = moto_client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    desired = flow_logs.desired_flow_log(
        dict(
            resource_id=vpc_id,
            traffic_type="ACCEPT",
            log_destination_type="cloud-watch-logs",
            log_group_name="group",
            deliver_logs_permission_arn=ROLE_ARN,
            max_aggregation_interval=60,
        )
    )
    flow_log_id = flow_logs.create_flow_log(moto_client, flow_logs.build_create_params(desired, "VPC", {"Team": "payments"}))

    found = flow_logs.find_flow_logs(moto_client, vpc_id, log_destination_type="cloud-watch-logs", log_group_name="group")
    assert [fl["FlowLogId"] for fl in found] == [flow_log_id]
    current = flow_logs.normalize_flow_log(found[0])
    assert flow_logs.flow_log_differences(current, desired) == []
    assert current["tags"] == {"Team": "payments"}
    assert flow_logs.find_flow_logs(moto_client, vpc_id, traffic_type="REJECT") == []

    assert flow_logs.delete_flow_log(moto_client, flow_log_id) is True
    assert flow_logs.describe_flow_logs(moto_client) == []
