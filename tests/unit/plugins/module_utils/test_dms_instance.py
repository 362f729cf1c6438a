# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugins/module_utils/dms_instance.py: lookup, comparison and bounded waits."""

from __future__ import annotations

import boto3
import botocore.waiter
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.payments.aws_platform.plugins.module_utils import dms_instance as dms

ARN = "arn:aws:dms:us-east-1:123456789012:rep:RANDOMID0123456789"


def raw_instance(**overrides):
    raw = {
        "ReplicationInstanceIdentifier": "payments-test-dms",
        "ReplicationInstanceArn": ARN,
        "ReplicationInstanceStatus": "available",
        "ReplicationInstanceClass": "dms.t3.medium",
        "AllocatedStorage": 50,
        "EngineVersion": "3.5.3",
        "MultiAZ": False,
        "PubliclyAccessible": False,
        "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/abc",
        "ReplicationSubnetGroup": {"ReplicationSubnetGroupIdentifier": "payments-test"},
        "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-2", "Status": "active"}, {"VpcSecurityGroupId": "sg-1", "Status": "active"}],
        "PreferredMaintenanceWindow": "sun:06:00-sun:06:30",
        "AutoMinorVersionUpgrade": True,
        "PendingModifiedValues": {},
    }
    raw.update(overrides)
    return raw


@pytest.fixture(name="client")
def fixture_client():
    raw = boto3.client("dms", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    return RetryingBotoClientWrapper(raw, AWSRetry.jittered_backoff())


def stubber_for(client):
    return Stubber(client.client)


@pytest.fixture(name="no_sleep")
def fixture_no_sleep(monkeypatch):
    monkeypatch.setattr(botocore.waiter.time, "sleep", lambda _s: None)


def test_normalize_keeps_tags_as_a_dict_and_flattens_groups():
    result = dms.normalize_instance(raw_instance(), {"Env": "dev"})
    assert result["tags"] == {"Env": "dev"}
    assert result["vpc_security_group_ids"] == ["sg-1", "sg-2"]
    assert result["replication_subnet_group_identifier"] == "payments-test"
    assert result["status"] == "available" and result["replication_instance_arn"] == ARN
    bare = dms.normalize_instance({"ReplicationInstanceIdentifier": "x"})
    assert bare["tags"] == {} and bare["vpc_security_group_ids"] == [] and bare["kms_key_id"] is None
    assert dms.summary(None) == {} and set(dms.summary(result)) == set(dms.SUMMARY_KEYS)


def test_f18_lookup_is_by_identifier_filter_never_by_arn(client):
    stubber = stubber_for(client)
    stubber.add_response(
        "describe_replication_instances",
        {"ReplicationInstances": [raw_instance(ReplicationInstanceIdentifier="other"), raw_instance()]},
        {"Filters": [{"Name": "replication-instance-id", "Values": ["Payments-Test-DMS", "payments-test-dms"]}]},
    )
    stubber.add_client_error("describe_replication_instances", service_error_code="ResourceNotFoundFault")
    with stubber:
        assert dms.find_instance(client, "Payments-Test-DMS")["ReplicationInstanceArn"] == ARN
        assert dms.find_instance(client, "missing") is None


def test_describe_all_and_several_identifiers(client):
    stubber = stubber_for(client)
    stubber.add_response("describe_replication_instances", {"ReplicationInstances": [raw_instance()]}, {})
    stubber.add_response(
        "describe_replication_instances", {"ReplicationInstances": []},
        {"Filters": [{"Name": "replication-instance-id", "Values": ["a", "B", "b"]}]},
    )
    with stubber:
        assert len(dms.describe_instances(client)) == 1
        assert dms.describe_instances(client, ["a", "B", "b"]) == []


def test_modifications_only_compare_options_that_are_set():
    current = dms.normalize_instance(raw_instance())
    params = {
        "replication_instance_class": "dms.t3.medium", "allocated_storage": 50, "engine_version": "3.5.3", "multi_az": False,
        "preferred_maintenance_window": "Sun:06:00-Sun:06:30", "auto_minor_version_upgrade": True,
        "vpc_security_group_ids": ["sg-1", "sg-2", "sg-1"],
    }
    assert dms.modifications(current, params) == {}
    assert dms.modifications(current, {"engine_version": None}) == {}
    changed = dms.modifications(current, dict(params, replication_instance_class="dms.r5.large", allocated_storage=100,
                                              multi_az=True, vpc_security_group_ids=["sg-3"], engine_version="3.5.4"))
    assert changed == {"ReplicationInstanceClass": "dms.r5.large", "AllocatedStorage": 100, "MultiAZ": True,
                       "VpcSecurityGroupIds": ["sg-3"], "EngineVersion": "3.5.4"}
    after = dms.apply_modifications(current, changed)
    assert after["vpc_security_group_ids"] == ["sg-3"] and after["replication_instance_class"] == "dms.r5.large"


def test_pending_modifications_count_as_done():
    current = dms.normalize_instance(raw_instance(PendingModifiedValues={"ReplicationInstanceClass": "dms.r5.large"}))
    assert dms.modifications(current, {"replication_instance_class": "dms.r5.large"}) == {}


def test_major_engine_upgrade_refused_without_allow_major_version_upgrade():
    current = dms.normalize_instance(raw_instance())
    with pytest.raises(dms.DmsInstanceError, match="allow_major_version_upgrade"):
        dms.modifications(current, {"engine_version": "3.6.1"})
    assert dms.modifications(current, {"engine_version": "3.6.1", "allow_major_version_upgrade": True}) == {"EngineVersion": "3.6.1"}


def test_engine_downgrade_refused():
    current = dms.normalize_instance(raw_instance())
    with pytest.raises(dms.DmsInstanceError, match="cannot downgrade"):
        dms.modifications(current, {"engine_version": "3.4.7", "allow_major_version_upgrade": True})


def test_unparsable_engine_versions_compare_as_text():
    current = dms.normalize_instance(raw_instance(EngineVersion="3.5.beta"))
    assert dms.modifications(current, {"engine_version": "3.5.beta"}) == {}
    assert dms.modifications(current, {"engine_version": "3.5.4"}) == {"EngineVersion": "3.5.4"}
    assert dms.major_of("x") is None and dms.major_of("3.5.3") == (3, 5)


@pytest.mark.parametrize(
    "params, arn, expected",
    [
        ({"publicly_accessible": False}, None, []),
        ({"publicly_accessible": True}, None, ["publicly_accessible"]),
        ({"kms_key_id": "alias/other"}, "arn:aws:kms:us-east-1:123456789012:key/other", ["kms_key_id"]),
        ({"kms_key_id": "alias/same"}, "arn:aws:kms:us-east-1:123456789012:key/abc", []),
        ({"kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/abc"}, None, []),
        ({"replication_subnet_group_identifier": "PAYMENTS-TEST"}, None, []),
        ({"replication_subnet_group_identifier": "elsewhere"}, None, ["replication_subnet_group_identifier"]),
    ],
)
def test_immutable_differences(params, arn, expected):
    assert dms.immutable_differences(dms.normalize_instance(raw_instance()), params, arn) == expected


def test_create_params_and_prediction():
    params = {"replication_instance_identifier": "Payments-X", "replication_instance_class": "dms.t3.medium",
              "multi_az": False, "vpc_security_group_ids": ["sg-2", "sg-1"], "engine_version": None}
    create = dms.build_create_params(params, {"Env": "dev"})
    assert create == {"ReplicationInstanceIdentifier": "Payments-X", "ReplicationInstanceClass": "dms.t3.medium",
                      "MultiAZ": False, "VpcSecurityGroupIds": ["sg-2", "sg-1"], "Tags": [{"Key": "Env", "Value": "dev"}]}
    assert "Tags" not in dms.build_create_params(params)
    predicted = dms.predicted_instance(params, {"n": 1})
    assert predicted["replication_instance_identifier"] == "payments-x" and predicted["vpc_security_group_ids"] == ["sg-1", "sg-2"]
    assert predicted["tags"] == {"n": "1"} and predicted["status"] == "creating" and predicted["replication_instance_arn"] is None
    assert dms.predicted_instance({"replication_instance_identifier": "y"})["vpc_security_group_ids"] is None


@pytest.mark.parametrize("timeout, expected", [(1800, {"Delay": 15, "MaxAttempts": 121}), (20, {"Delay": 15, "MaxAttempts": 2}),
                                               (5, {"Delay": 5, "MaxAttempts": 2}), (0, {"Delay": 1, "MaxAttempts": 2})])
def test_f19_waits_are_bounded_by_wait_timeout(timeout, expected):
    assert dms.waiter_config(timeout) == expected


def test_f19_timeout_message_names_instance_and_status(client, no_sleep):  # pylint: disable=unused-argument
    stubber = stubber_for(client)
    for _attempt in range(3):
        stubber.add_response("describe_replication_instances", {"ReplicationInstances": [raw_instance(ReplicationInstanceStatus="creating")]})
    with stubber, pytest.raises(dms.DmsInstanceError) as exc:
        dms.wait_available(client, "payments-test-dms", 30)
    assert exc.value.message.startswith(
        "timed out after 30 s waiting for replication instance payments-test-dms to become available (status creating)")


def test_failure_state_while_waiting_is_reported(client, no_sleep):  # pylint: disable=unused-argument
    stubber = stubber_for(client)
    stubber.add_response("describe_replication_instances",
                         {"ReplicationInstances": [raw_instance(ReplicationInstanceStatus="incompatible-network")]})
    with stubber, pytest.raises(dms.DmsInstanceError, match="reached status incompatible-network"):
        dms.wait_available(client, "payments-test-dms", 30)
    stubber = stubber_for(client)
    stubber.add_client_error("describe_replication_instances", service_error_code="AccessDeniedException")
    with stubber, pytest.raises(dms.DmsInstanceError, match="status AccessDeniedException"):
        dms.wait_available(client, "payments-test-dms", 30)


def test_deleted_waiter_accepts_not_found_and_an_empty_answer(client, no_sleep):  # pylint: disable=unused-argument
    stubber = stubber_for(client)
    stubber.add_response("describe_replication_instances", {"ReplicationInstances": [raw_instance(ReplicationInstanceStatus="deleting")]})
    stubber.add_client_error("describe_replication_instances", service_error_code="ResourceNotFoundFault")
    stubber.add_response("describe_replication_instances", {"ReplicationInstances": []})
    with stubber:
        dms.wait_deleted(client, "payments-test-dms", 60)
        dms.wait_deleted(client, "payments-test-dms", 60)
        stubber.assert_no_pending_responses()


def test_deleted_wait_times_out_with_status(client, no_sleep):  # pylint: disable=unused-argument
    stubber = stubber_for(client)
    for _attempt in range(2):
        stubber.add_response("describe_replication_instances", {"ReplicationInstances": [raw_instance(ReplicationInstanceStatus="deleting")]})
    with stubber, pytest.raises(dms.DmsInstanceError, match=r"timed out after 5 s .* to be deleted \(status deleting\)"):
        dms.wait_deleted(client, "payments-test-dms", 5)
    stubber = stubber_for(client)
    for _attempt in range(2):
        stubber.add_response("describe_replication_instances", {})
    with stubber, pytest.raises(dms.DmsInstanceError, match=r"\(status unknown\)"):
        dms.wait_available(client, "payments-test-dms", 5)
