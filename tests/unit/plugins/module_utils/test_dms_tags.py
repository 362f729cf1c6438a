# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugins/module_utils/dms_tags.py: the tag reads and writes every DMS module shares."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.payments.aws_platform.plugins.module_utils import dms_tags

ARN = "arn:aws:dms:us-east-1:123456789012:rep:RANDOMID0123456789"


def _client():
    raw = boto3.client("dms", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    return raw, RetryingBotoClientWrapper(raw, AWSRetry.jittered_backoff())


def test_tags_are_read_as_a_dictionary():
    raw, client = _client()
    with Stubber(raw) as stubber:
        stubber.add_response("list_tags_for_resource", {"TagList": [{"Key": "Env", "Value": "test"}]}, {"ResourceArn": ARN})
        stubber.add_response("list_tags_for_resource", {}, {"ResourceArn": ARN})
        assert dms_tags.get_tags(client, ARN) == {"Env": "test"}
        assert dms_tags.get_tags(client, ARN) == {}
        stubber.assert_no_pending_responses()


def test_update_removes_then_adds_and_says_whether_it_sent_anything():
    raw, client = _client()
    with Stubber(raw) as stubber:
        stubber.add_response("remove_tags_from_resource", {}, {"ResourceArn": ARN, "TagKeys": ["b"]})
        stubber.add_response("add_tags_to_resource", {}, {"ResourceArn": ARN, "Tags": [{"Key": "c", "Value": "3"}]})
        assert dms_tags.update_tags(client, ARN, {"c": "3"}, ["b"]) is True
        # Nothing to change: no call at all (the stubber would refuse an unexpected one).
        assert dms_tags.update_tags(client, ARN, {}, []) is False
        stubber.assert_no_pending_responses()


def test_update_with_only_additions_or_only_removals_sends_one_call():
    raw, client = _client()
    with Stubber(raw) as stubber:
        stubber.add_response("add_tags_to_resource", {}, {"ResourceArn": ARN, "Tags": [{"Key": "a", "Value": "1"}]})
        stubber.add_response("remove_tags_from_resource", {}, {"ResourceArn": ARN, "TagKeys": ["z"]})
        assert dms_tags.update_tags(client, ARN, {"a": "1"}, []) is True
        assert dms_tags.update_tags(client, ARN, {}, ["z"]) is True
        stubber.assert_no_pending_responses()
