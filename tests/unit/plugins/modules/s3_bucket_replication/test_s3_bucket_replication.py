# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.s3_bucket_replication against moto (with the stand-in's storage fix, so that
GetBucketReplication returns what was put, as AWS does)."""

from __future__ import annotations

import os
import sys

import boto3
import botocore
import pytest
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import s3_bucket_replication as module

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position,import-error
from module_harness import fail_with  # noqa: E402  pylint: disable=wrong-import-position,import-error

ROLE = "arn:aws:iam::123456789012:role/payments-test-s3-replication"
SOURCE = "payments-prod-txlog-123456789012"
STAGING = "payments-staging-txlog-123456789012"
DEV = "payments-dev-txlog-123456789012"


@pytest.fixture(name="aws")
def fixture_aws(aws_credentials):  # pylint: disable=unused-argument
    fixes.apply_all()
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=SOURCE)
        for bucket, region in ((STAGING, "us-east-2"), (DEV, "us-west-2"), ("unversioned", "us-east-2")):
            boto3.client("s3", region_name=region).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        for bucket in (SOURCE, STAGING, DEV):
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        keys = {}
        for region in ("us-east-2", "us-west-2"):
            kms = boto3.client("kms", region_name=region)
            keys[region] = kms.create_key()["KeyMetadata"]["Arn"]
            kms.create_alias(AliasName="alias/payments-data", TargetKeyId=keys[region])
        yield s3, keys


def _args(rules, **extra):
    return dict({"bucket": SOURCE, "role": ROLE, "rules": rules}, **extra)


def _config(s3):
    return s3.get_bucket_replication(Bucket=SOURCE)["ReplicationConfiguration"]


def test_f15_replicates_to_two_regions_then_changes_nothing(aws, run_module):
    s3, keys = aws
    rules = [
        {"destination_bucket": STAGING, "replica_kms_key_id": "alias/payments-data", "sse_kms_encrypted_objects": True,
         "destination_storage_class": "STANDARD_IA"},
        {"destination_bucket": f"arn:aws:s3:::{DEV}", "replica_kms_key_id": keys["us-west-2"], "sse_kms_encrypted_objects": True},
    ]
    first = run_module(module, _args(rules), diff=True)
    assert first["changed"] is True, first
    assert first["diff"]["before"] == {}
    replication = first["replication"]
    assert replication["role"] == ROLE
    by_id = {rule["id"]: rule for rule in replication["rules"]}
    assert by_id[f"to-{STAGING}"]["replica_kms_key_id"] == keys["us-east-2"]
    assert by_id[f"to-{STAGING}"]["priority"] == 1 and by_id[f"to-{DEV}"]["priority"] == 2
    assert by_id[f"to-{DEV}"]["destination_bucket"] == f"arn:aws:s3:::{DEV}"

    stored = {rule["ID"]: rule for rule in _config(s3)["Rules"]}
    assert stored[f"to-{STAGING}"]["Destination"] == {
        "Bucket": f"arn:aws:s3:::{STAGING}", "StorageClass": "STANDARD_IA", "EncryptionConfiguration": {"ReplicaKmsKeyID": keys["us-east-2"]}}
    assert stored[f"to-{STAGING}"]["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert stored[f"to-{STAGING}"]["DeleteMarkerReplication"] == {"Status": "Disabled"}

    again = run_module(module, _args(rules), diff=True)
    assert again["changed"] is False
    assert again["diff"]["before"] == again["diff"]["after"]


def test_check_mode_puts_nothing(aws, run_module):
    s3, _keys = aws
    result = run_module(module, _args([{"destination_bucket": STAGING}]), check_mode=True)
    assert result["changed"] is True
    with pytest.raises(botocore.exceptions.ClientError):
        _config(s3)


def test_a_changed_rule_is_put_again(aws, run_module):
    s3, _keys = aws
    run_module(module, _args([{"destination_bucket": STAGING}]))
    result = run_module(module, _args([{"destination_bucket": STAGING, "prefix": "settled/", "delete_marker_replication": True,
                                        "replica_modifications": True, "priority": 7, "status": "disabled"}]), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["rules"][0]["prefix"] == ""
    rule = _config(s3)["Rules"][0]
    assert rule["Filter"] == {"Prefix": "settled/"} and rule["Priority"] == 7 and rule["Status"] == "Disabled"
    assert rule["DeleteMarkerReplication"] == {"Status": "Enabled"}
    assert rule["SourceSelectionCriteria"] == {"ReplicaModifications": {"Status": "Enabled"}}


def test_defaults_aws_fills_in_cause_no_change(aws, run_module):
    s3, _keys = aws
    s3.put_bucket_replication(Bucket=SOURCE, ReplicationConfiguration={"Role": ROLE, "Rules": [
        {"ID": f"to-{STAGING}", "Priority": 1, "Status": "Enabled", "Filter": {},
         "DeleteMarkerReplication": {"Status": "Disabled"}, "Destination": {"Bucket": f"arn:aws:s3:::{STAGING}"}}]})
    assert run_module(module, _args([{"destination_bucket": STAGING}]))["changed"] is False


def test_tag_filters_round_trip(aws, run_module):
    _s3, _keys = aws
    rules = [{"id": "tagged", "destination_bucket": STAGING, "filter_tags": {"class": "settled"}},
             {"id": "both", "destination_bucket": DEV, "prefix": "p/", "filter_tags": {"a": "1", "b": "2"}}]
    assert run_module(module, _args(rules))["changed"] is True
    again = run_module(module, _args(rules))
    assert again["changed"] is False
    assert {r["id"]: r["filter_tags"] for r in again["replication"]["rules"]} == {"tagged": {"class": "settled"}, "both": {"a": "1", "b": "2"}}


def test_source_without_versioning_is_refused(aws, run_module):
    s3, _keys = aws
    s3.put_bucket_versioning(Bucket=SOURCE, VersioningConfiguration={"Status": "Suspended"})
    result = run_module(module, _args([{"destination_bucket": STAGING}]))
    assert result["failed"] and result["option"] == "bucket"
    assert "versioning is suspended on bucket" in result["msg"]


def test_missing_source_is_refused(aws, run_module):
    result = run_module(module, dict(_args([{"destination_bucket": STAGING}]), bucket="nowhere"))
    assert result["failed"] and result["msg"] == "bucket: bucket 'nowhere' does not exist"


@pytest.mark.parametrize("destination, problem", [
    ("nowhere", "bucket 'nowhere' does not exist"),
    ("unversioned", "versioning is not enabled on bucket 'unversioned'"),
])
def test_f15_destination_missing_or_unversioned_is_refused(aws, run_module, destination, problem):
    result = run_module(module, _args([{"destination_bucket": STAGING}, {"destination_bucket": destination}]))
    assert result["failed"] and result["option"] == "rules[1].destination_bucket"
    assert problem in result["msg"]


def test_unknown_replica_key_is_refused(aws, run_module):
    result = run_module(module, _args([{"destination_bucket": STAGING, "replica_kms_key_id": "alias/nope", "sse_kms_encrypted_objects": True}]))
    assert result["failed"] and result["option"] == "rules[0].replica_kms_key_id"
    assert "does not exist in us-east-2" in result["msg"]


def test_unvalidated_destination_reaches_s3_and_its_refusal_is_reported(aws, run_module):
    result = run_module(module, _args([{"destination_bucket": "nowhere"}], validate_destinations=False))
    assert result["failed"]
    assert result["msg"].startswith(f"Unable to put the replication configuration of {SOURCE}")


@pytest.mark.parametrize("rules, option", [
    ([], "rules"),
    ([{"destination_bucket": STAGING, "sse_kms_encrypted_objects": True}], "rules[0].replica_kms_key_id"),
    ([{"destination_bucket": STAGING, "filter_tags": {"a": "b"}, "delete_marker_replication": True}], "rules[0].delete_marker_replication"),
    ([{"destination_bucket": STAGING, "id": "x" * 256}], "rules[0].id"),
    ([{"destination_bucket": STAGING, "id": "same"}, {"destination_bucket": DEV, "id": "same"}], "rules[].id"),
    ([{"destination_bucket": STAGING, "priority": 1}, {"destination_bucket": DEV, "priority": 1}], "rules[].priority"),
    ([{"destination_bucket": ""}], "rules[0].destination_bucket"),
])
def test_invalid_rules_are_refused_before_any_call(monkeypatch, run_module, aws_credentials, rules, option):  # pylint: disable=unused-argument
    fail_with(monkeypatch, AssertionError("no AWS call expected"))
    result = run_module(module, _args(rules))
    assert result["failed"] and result["option"] == option, result


def test_absent_removes_the_configuration_then_changes_nothing(aws, run_module):
    s3, _keys = aws
    run_module(module, _args([{"destination_bucket": STAGING}]))
    checked = run_module(module, {"bucket": SOURCE, "state": "absent"}, check_mode=True)
    assert checked["changed"] is True and _config(s3)
    removed = run_module(module, {"bucket": SOURCE, "state": "absent"}, diff=True)
    assert removed["changed"] is True and removed["diff"]["after"] == {}
    with pytest.raises(botocore.exceptions.ClientError):
        _config(s3)
    assert run_module(module, {"bucket": SOURCE, "state": "absent"}) == {"changed": False, "replication": {}}


def test_absent_on_a_missing_bucket_changes_nothing(aws, run_module):
    assert run_module(module, {"bucket": "nowhere", "state": "absent"})["changed"] is False


def test_present_requires_role_and_rules(aws, run_module):
    result = run_module(module, {"bucket": SOURCE})
    assert result["failed"] and "role" in result["msg"] and "rules" in result["msg"]


def test_aws_errors_name_what_failed(monkeypatch, run_module, aws_credentials):  # pylint: disable=unused-argument
    error = botocore.exceptions.ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "GetBucketReplication")
    fail_with(monkeypatch, error)
    result = run_module(module, {"bucket": SOURCE, "state": "absent"})
    assert result["failed"] and result["msg"].startswith(f"Unable to read the replication configuration of {SOURCE}")
    other = botocore.exceptions.ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "SomethingElse")
    fail_with(monkeypatch, other)
    result = run_module(module, {"bucket": SOURCE, "state": "absent"})
    assert result["msg"].startswith(f"Unable to manage the replication of {SOURCE}")
