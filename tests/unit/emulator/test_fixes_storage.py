# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage fixes of the stand-in restore these AWS behaviours."""

from __future__ import annotations

import os
import sys

import boto3
import botocore
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position
import fixes_storage  # noqa: E402  pylint: disable=wrong-import-position,import-error

moto = pytest.importorskip("moto")

ROLE = "arn:aws:iam::123456789012:role/replication"
KEY = "arn:aws:kms:us-east-2:123456789012:key/abc"


@pytest.fixture(name="s3")
def fixture_s3(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        east2 = boto3.client("s3", region_name="us-east-2")
        client.create_bucket(Bucket="src")
        east2.create_bucket(Bucket="dst", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
        east2.create_bucket(Bucket="unversioned", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
        for bucket in ("src", "dst"):
            client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        yield client


def _round_trip(client, rules):
    client.put_bucket_replication(Bucket="src", ReplicationConfiguration={"Role": ROLE, "Rules": rules})
    return client.get_bucket_replication(Bucket="src")["ReplicationConfiguration"]


def test_fix_is_registered():
    assert "s3-bucket-replication-round-trip" in [fix.fix_id for fix in fixes.all_fixes()]


def test_replication_rule_is_returned_as_put(s3):
    rule = {
        "ID": "to-dst", "Priority": 3, "Status": "Enabled", "Filter": {"Prefix": "settled/"},
        "DeleteMarkerReplication": {"Status": "Enabled"},
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": {"Bucket": "arn:aws:s3:::dst", "StorageClass": "STANDARD_IA", "EncryptionConfiguration": {"ReplicaKmsKeyID": KEY}},
    }
    config = _round_trip(s3, [rule])
    assert config["Role"] == ROLE
    assert config["Rules"] == [rule]


def test_empty_prefix_filter_reports_an_empty_prefix(s3):
    rule = {"ID": "a", "Priority": 1, "Status": "Disabled", "Filter": {}, "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": "arn:aws:s3:::dst"}}
    assert _round_trip(s3, [rule])["Rules"] == [dict(rule, Filter={"Prefix": ""})]


@pytest.mark.parametrize("flt", [
    {"Tag": {"Key": "k", "Value": "v"}},
    {"And": {"Prefix": "p/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}},
    {"And": {"Tags": [{"Key": "a", "Value": "1"}]}},
])
def test_tag_filters_are_returned_as_put(s3, flt):
    rule = {"ID": "t", "Priority": 1, "Status": "Enabled", "Filter": flt, "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": "arn:aws:s3:::dst"}}
    assert _round_trip(s3, [rule])["Rules"][0]["Filter"] == flt


def test_v1_rule_keeps_its_top_level_prefix(s3):
    rule = {"ID": "v1", "Prefix": "logs/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::dst"}}
    returned = _round_trip(s3, [rule])["Rules"][0]
    assert returned["Prefix"] == "logs/"
    assert "Filter" not in returned and "DeleteMarkerReplication" not in returned


def test_missing_replication_configuration_is_still_an_error(s3):
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.get_bucket_replication(Bucket="src")
    assert exc.value.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError"


@pytest.mark.parametrize("destination, message", [
    ("arn:aws:s3:::nowhere", "Destination bucket must exist."),
    ("arn:aws:s3:::unversioned", "Destination bucket must have versioning enabled."),
])
def test_invalid_destination_is_refused(s3, destination, message):
    rule = {"ID": "x", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""}, "DeleteMarkerReplication": {"Status": "Disabled"},
            "Destination": {"Bucket": destination}}
    with pytest.raises(botocore.exceptions.ClientError) as exc:
        s3.put_bucket_replication(Bucket="src", ReplicationConfiguration={"Role": ROLE, "Rules": [rule]})
    assert exc.value.response["Error"]["Code"] == "InvalidRequest"
    assert exc.value.response["Error"]["Message"] == message


def test_api_rule_defaults_for_sparse_stored_rules():
    stored = {"ID": "s", "Priority": "2", "Status": "Enabled", "Filter": None, "Destination": {"Bucket": "arn:aws:s3:::dst"}}
    assert fixes_storage.api_rule(stored) == {
        "ID": "s", "Priority": 2, "Status": "Enabled", "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Disabled"}, "Destination": {"Bucket": "arn:aws:s3:::dst"},
    }
    single = {"ID": "s", "Priority": "1", "Status": "Enabled", "Filter": {"And": {"Tag": {"Key": "k", "Value": None}}},
              "Destination": {}}
    assert fixes_storage.api_rule(single)["Filter"] == {"And": {"Tags": [{"Key": "k", "Value": ""}]}}
