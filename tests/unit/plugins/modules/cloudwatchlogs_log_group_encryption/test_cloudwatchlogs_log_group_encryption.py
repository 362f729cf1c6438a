# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.cloudwatchlogs_log_group_encryption against moto with the stand-in's logs fix."""

from __future__ import annotations

import os
import sys

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import cloudwatchlogs_log_group_encryption as module

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position,import-error

GROUP = "/payments/test/vpc-flow-logs"


@pytest.fixture(name="aws")
def fixture_aws(aws_credentials):  # pylint: disable=unused-argument
    fixes.apply_all()  # moto alone has no AssociateKmsKey
    with mock_aws():
        logs = boto3.client("logs", region_name="us-east-1")
        kms = boto3.client("kms", region_name="us-east-1")
        key = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/payments-test-logs", TargetKeyId=key["KeyId"])
        logs.create_log_group(logGroupName=GROUP)
        logs.create_log_group(logGroupName=GROUP + "-other")
        yield logs, key


def _key_of(logs, name=GROUP):
    return next(g for g in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] if g["logGroupName"] == name).get("kmsKeyId")


def test_encrypts_an_existing_group_then_changes_nothing(aws, run_module):
    logs, key = aws
    first = run_module(module, {"log_group_name": GROUP, "kms_key_id": "alias/payments-test-logs"}, diff=True)
    assert first["changed"] is True and first["kms_key_id"] == key["Arn"]
    assert first["diff"] == {"before": {"kms_key_id": "", "retention_days": None}, "after": {"kms_key_id": key["Arn"], "retention_days": None}}
    assert _key_of(logs) == key["Arn"] and _key_of(logs, GROUP + "-other") is None
    again = run_module(module, {"log_group_name": GROUP, "kms_key_id": key["KeyId"]})
    assert again == {"changed": False, "kms_key_id": key["Arn"], "retention_days": None}


def test_check_mode_changes_nothing(aws, run_module):
    logs, key = aws
    result = run_module(module, {"log_group_name": GROUP, "kms_key_id": key["Arn"]}, check_mode=True)
    assert result["changed"] is True and _key_of(logs) is None


def test_an_empty_key_removes_the_association(aws, run_module):
    logs, key = aws
    logs.associate_kms_key(logGroupName=GROUP, kmsKeyId=key["Arn"])
    result = run_module(module, {"log_group_name": GROUP, "kms_key_id": ""})
    assert result == {"changed": True, "kms_key_id": "", "retention_days": None} and _key_of(logs) is None


def _retention_of(logs, name=GROUP):
    return next(g for g in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] if g["logGroupName"] == name).get("retentionInDays")


def test_sets_the_retention_then_changes_nothing_and_check_mode_never_puts_it(aws, run_module):
    logs, key = aws
    args = {"log_group_name": GROUP, "kms_key_id": key["Arn"], "retention_days": 90}
    planned = run_module(module, dict(args, retention_days=30), check_mode=True, diff=True)
    assert planned["changed"] is True and _retention_of(logs) is None and _key_of(logs) is None
    assert planned["diff"]["after"] == {"kms_key_id": key["Arn"], "retention_days": 30}
    first = run_module(module, args, diff=True)
    assert first["changed"] is True and first["retention_days"] == 90 and _retention_of(logs) == 90
    assert run_module(module, args) == {"changed": False, "kms_key_id": key["Arn"], "retention_days": 90}
    # Shortened out of band: the plan reports it, before -> after, and leaves it.
    logs.put_retention_policy(logGroupName=GROUP, retentionInDays=1)
    drift = run_module(module, args, check_mode=True, diff=True)
    assert drift["changed"] is True and drift["diff"]["before"]["retention_days"] == 1 and drift["diff"]["after"]["retention_days"] == 90
    assert _retention_of(logs) == 1
    # Unset leaves whatever retention there is.
    assert run_module(module, {"log_group_name": GROUP, "kms_key_id": key["Arn"]})["changed"] is False


def test_check_mode_reports_a_group_the_task_before_creates_on_apply(aws, run_module):
    result = run_module(module, {"log_group_name": "/payments/test/new", "kms_key_id": aws[1]["Arn"], "retention_days": 7},
                        check_mode=True, diff=True)
    assert result["changed"] is True and result["diff"]["before"] == {"kms_key_id": "", "retention_days": None}


def test_a_missing_group_or_key_is_named(aws, run_module):
    missing = run_module(module, {"log_group_name": "/nope", "kms_key_id": aws[1]["Arn"]})
    assert missing["failed"] and missing["msg"].startswith("log_group_name: log group '/nope' does not exist")
    bad_key = run_module(module, {"log_group_name": GROUP, "kms_key_id": "alias/nope"})
    assert bad_key["failed"] and bad_key["msg"] == "kms_key_id: KMS key 'alias/nope' does not exist in this region"


def test_api_errors_fail_with_a_sentence(aws, run_module, monkeypatch):  # pylint: disable=unused-argument
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        if service == "logs":
            stubber = Stubber(made)
            stubber.add_client_error("describe_log_groups", service_error_code="AccessDeniedException", http_status_code=400)
            stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    result = run_module(module, {"log_group_name": GROUP, "kms_key_id": ""})
    assert result["failed"] and result["msg"].startswith(f"Unable to set the encryption of log group {GROUP}")
