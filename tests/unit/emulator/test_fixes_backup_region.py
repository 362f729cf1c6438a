# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in answers the AWS Backup region settings (service opt-in) as AWS does."""

from __future__ import annotations

import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="backup")
def fixture_backup(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        yield boto3.client("backup", region_name="us-east-1")


def test_a_region_answers_its_opt_in_with_aurora_in_and_s3_out(backup):
    settings = backup.describe_region_settings()
    assert settings["ResourceTypeOptInPreference"]["Aurora"] is True
    assert settings["ResourceTypeOptInPreference"]["S3"] is False
    assert settings["ResourceTypeManagementPreference"]["EFS"] is True


def test_update_region_settings_changes_only_that_region(backup):
    backup.update_region_settings(ResourceTypeOptInPreference={"Aurora": False})
    assert backup.describe_region_settings()["ResourceTypeOptInPreference"]["Aurora"] is False
    assert backup.describe_region_settings()["ResourceTypeOptInPreference"]["DynamoDB"] is True
    other = boto3.client("backup", region_name="us-west-2")
    assert other.describe_region_settings()["ResourceTypeOptInPreference"]["Aurora"] is True
