# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.sns_topic_encryption against moto."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import sns_topic_encryption as module


@pytest.fixture(name="aws")
def fixture_aws(aws_credentials):  # pylint: disable=unused-argument
    with mock_aws():
        sns = boto3.client("sns", region_name="us-east-1")
        kms = boto3.client("kms", region_name="us-east-1")
        key = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/payments-test-logs", TargetKeyId=key["KeyId"])
        topic = sns.create_topic(Name="payments-test-alerts")["TopicArn"]
        yield sns, kms, key, topic


def test_encrypts_the_topic_then_changes_nothing(aws, run_module):
    sns, _kms, key, topic = aws
    first = run_module(module, {"topic_arn": topic, "kms_key_id": "alias/payments-test-logs"}, diff=True)
    assert first["changed"] is True and first["kms_key_id"] == key["Arn"]
    assert first["diff"] == {"before": {"kms_key_id": ""}, "after": {"kms_key_id": key["Arn"]}}
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["KmsMasterKeyId"] == key["Arn"]
    again = run_module(module, {"topic_arn": topic, "kms_key_id": key["KeyId"]})
    assert again == {"changed": False, "kms_key_id": key["Arn"]}


def test_check_mode_changes_nothing(aws, run_module):
    sns, _kms, key, topic = aws
    result = run_module(module, {"topic_arn": topic, "kms_key_id": key["Arn"]}, check_mode=True)
    assert result["changed"] is True
    assert "KmsMasterKeyId" not in sns.get_topic_attributes(TopicArn=topic)["Attributes"]


def test_empty_key_removes_encryption(aws, run_module):
    sns, _kms, key, topic = aws
    run_module(module, {"topic_arn": topic, "kms_key_id": key["Arn"]})
    result = run_module(module, {"topic_arn": topic, "kms_key_id": ""})
    assert result == {"changed": True, "kms_key_id": ""}
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"].get("KmsMasterKeyId", "") == ""


def test_missing_topic_and_key_are_refused_clearly(aws, run_module):
    topic = aws[3]
    missing = run_module(module, {"topic_arn": topic + "-nope", "kms_key_id": ""})
    assert missing["failed"] and "topic_arn: topic" in missing["msg"] and "does not exist" in missing["msg"]
    no_key = run_module(module, {"topic_arn": topic, "kms_key_id": "alias/none"})
    assert no_key["failed"] and "kms_key_id: KMS key 'alias/none' does not exist" in no_key["msg"]


def test_api_errors_fail_with_a_sentence(aws, run_module, monkeypatch):
    topic = aws[3]
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        if service == "sns":
            stubber = Stubber(made)
            stubber.add_client_error("get_topic_attributes", service_error_code="AuthorizationError", http_status_code=403)
            stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    result = run_module(module, {"topic_arn": topic, "kms_key_id": ""})
    assert result["failed"] and result["msg"].startswith(f"Unable to set the encryption of SNS topic {topic}")
