# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugins/module_utils/s3_replication.py: normalisation of what AWS returns, and the API form of rules."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.payments.aws_platform.plugins.module_utils import s3_replication as utils


@pytest.mark.parametrize("arn, partition", [
    ("arn:aws-us-gov:iam::123456789012:role/r", "aws-us-gov"),
    ("arn:aws-cn:iam::123456789012:role/r", "aws-cn"),
    ("not-an-arn", "aws"),
    (None, "aws"),
])
def test_partition_of(arn, partition):
    assert utils.partition_of(arn) == partition


def test_bucket_name_and_arn():
    assert utils.bucket_name("arn:aws:s3:::b/prefix") == "b"
    assert utils.bucket_name("b") == "b"
    assert utils.bucket_arn("b", "aws-cn") == "arn:aws-cn:s3:::b"
    assert utils.bucket_arn("arn:aws:s3:::b", "aws-cn") == "arn:aws:s3:::b"


def test_v1_rule_normalises_like_a_v2_rule_with_delete_markers():
    v1 = {"ID": "r", "Prefix": "logs/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::d"}}
    v2 = {"ID": "r", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "DeleteMarkerReplication": {"Status": "Enabled"},
          "Destination": {"Bucket": "arn:aws:s3:::d"}}
    assert dict(utils.normalize_rule(v1), priority=1) == utils.normalize_rule(v2)
    assert utils.normalize_rule(v1)["priority"] is None


@pytest.mark.parametrize("flt, prefix, tags", [
    ({}, "", {}),
    ({"Prefix": ""}, "", {}),
    ({"Tag": {"Key": "k", "Value": "v"}}, "", {"k": "v"}),
    ({"And": {"Prefix": "p/", "Tags": [{"Key": "a", "Value": "1"}]}}, "p/", {"a": "1"}),
    ({"And": {"Tags": {"Key": "a", "Value": None}}}, "", {"a": ""}),
])
def test_filters_normalise(flt, prefix, tags):
    rule = utils.normalize_rule({"ID": "r", "Priority": "2", "Status": "Disabled", "Filter": flt, "Destination": {}})
    assert (rule["prefix"], rule["filter_tags"], rule["priority"], rule["status"]) == (prefix, tags, 2, "disabled")
    assert rule["delete_marker_replication"] is False and rule["sse_kms_encrypted_objects"] is False


def test_rule_to_api_round_trips_through_normalize():
    canonical = utils.desired_rules([
        {"destination_bucket": "a", "prefix": "p/", "filter_tags": {"k": "v"}},
        {"destination_bucket": "b", "filter_tags": {"k": "v"}},
        {"destination_bucket": "c", "replica_kms_key_id": "arn:aws:kms:us-east-2:1:key/x", "sse_kms_encrypted_objects": True,
         "destination_storage_class": "GLACIER_IR", "status": "disabled"},
    ], "aws")
    api = [utils.rule_to_api(rule) for rule in canonical]
    assert api[0]["Filter"] == {"And": {"Tags": [{"Key": "k", "Value": "v"}], "Prefix": "p/"}}
    assert api[1]["Filter"] == {"Tag": {"Key": "k", "Value": "v"}}
    assert api[2]["Status"] == "Disabled" and "SourceSelectionCriteria" in api[2]
    assert [utils.normalize_rule(rule) for rule in api] == canonical


def test_normalize_configuration_of_nothing():
    assert utils.normalize_configuration(None) == {}
    assert utils.normalize_configuration({"Role": "r"}) == {"role": "r", "rules": []}


def test_replication_error_names_the_option():
    error = utils.ReplicationError("rules[0].id", "is wrong")
    assert error.option == "rules[0].id" and str(error) == error.message == "rules[0].id: is wrong"


@pytest.mark.parametrize("location, region", [(None, "us-east-1"), ("EU", "eu-west-1"), ("us-east-2", "us-east-2")])
def test_bucket_region(location, region):
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    response = {} if location is None else {"LocationConstraint": location}
    with Stubber(client) as stub:
        stub.add_response("get_bucket_location", response, {"Bucket": "b"})
        assert utils.bucket_region(_NoRetry(client), "b") == region


class _NoRetry:
    """Accepts the aws_retry argument that a RetryingBotoClientWrapper would consume."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        method = getattr(self.client, name)
        return lambda **kwargs: method(**{k: v for k, v in kwargs.items() if k != "aws_retry"})
