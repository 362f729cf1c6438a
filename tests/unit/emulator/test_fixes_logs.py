# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in associates KMS keys with log groups as CloudWatch Logs does."""

from __future__ import annotations

import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="logs")
def fixture_logs(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        yield boto3.client("logs", region_name="us-east-1")


KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_associate_then_disassociate_a_key(logs):
    logs.create_log_group(logGroupName="g")
    logs.associate_kms_key(logGroupName="g", kmsKeyId=KEY)
    assert logs.describe_log_groups(logGroupNamePrefix="g")["logGroups"][0]["kmsKeyId"] == KEY
    logs.disassociate_kms_key(logGroupName="g")
    assert "kmsKeyId" not in logs.describe_log_groups(logGroupNamePrefix="g")["logGroups"][0]


def test_a_key_alias_or_a_missing_group_is_refused(logs):
    logs.create_log_group(logGroupName="g")
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.associate_kms_key(logGroupName="g", kmsKeyId="alias/logs")
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.associate_kms_key(logGroupName="missing", kmsKeyId=KEY)
