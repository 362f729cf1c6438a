# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in's security-tier fixes restore these AWS behaviours."""

from __future__ import annotations

import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position
import fixes_security  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="kms")
def fixture_kms(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        yield boto3.client("kms", region_name="us-east-1")


def test_security_fixes_are_collected_by_all_fixes():
    ids = [fix.fix_id for fix in fixes.all_fixes()]
    assert "kms-key-state-by-arn" in ids
    for fix in fixes_security.FIXES:
        assert fix.reference.startswith("https://docs.aws.amazon.com/")


@pytest.mark.parametrize("by", ["Arn", "KeyId"])
def test_schedule_key_deletion_accepts_key_arn_or_id(kms, by):
    """amazon.aws.kms_key state=absent schedules deletion by key ARN."""
    key = kms.create_key(Description="k")["KeyMetadata"]
    answer = kms.schedule_key_deletion(KeyId=key[by], PendingWindowInDays=7)
    assert answer["KeyId"] == key["Arn"]
    assert answer["KeyState"] == "PendingDeletion"
    assert answer["PendingWindowInDays"] == 7
    assert "DeletionDate" in answer
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"


def test_schedule_key_deletion_defaults_to_30_days(kms):
    key = kms.create_key(Description="k")["KeyMetadata"]
    assert kms.schedule_key_deletion(KeyId=key["Arn"])["PendingWindowInDays"] == 30


def test_cancel_key_deletion_by_arn_leaves_the_key_disabled(kms):
    key = kms.create_key(Description="k")["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert kms.cancel_key_deletion(KeyId=key["Arn"])["KeyId"] == key["Arn"]
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


def test_unknown_key_is_not_found(kms):
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.schedule_key_deletion(KeyId="arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000")


def test_enable_and_disable_key_by_arn(kms):
    """amazon.aws.kms_key re-enables a key whose deletion it cancelled, by key ARN."""
    key = kms.create_key(Description="k")["KeyMetadata"]
    kms.disable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
