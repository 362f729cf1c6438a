# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.backup_vault_lock against moto (which implements Vault Lock)."""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import backup_vault_lock as module

VAULT = "payments-test-vault"


@pytest.fixture(name="backup")
def fixture_backup(aws_credentials):  # pylint: disable=unused-argument
    with mock_aws():
        client = boto3.client("backup", region_name="us-east-1")
        client.create_backup_vault(BackupVaultName=VAULT)
        yield client


def test_sets_the_lock_then_changes_nothing(backup, run_module):
    first = run_module(module, {"backup_vault_name": VAULT, "min_retention_days": 35}, diff=True)
    assert first["changed"] is True
    assert (first["locked"], first["min_retention_days"], first["max_retention_days"]) == (True, 35, None)
    assert first["diff"] == {"before": {"locked": False, "min_retention_days": None, "max_retention_days": None},
                             "after": {"locked": True, "min_retention_days": 35, "max_retention_days": None}}
    vault = backup.describe_backup_vault(BackupVaultName=VAULT)
    assert vault["Locked"] is True and vault["MinRetentionDays"] == 35
    again = run_module(module, {"backup_vault_name": VAULT, "min_retention_days": 35})
    assert again["changed"] is False and again["min_retention_days"] == 35


def test_changes_retention_and_passes_optional_settings(backup, run_module):
    run_module(module, {"backup_vault_name": VAULT, "min_retention_days": 7})
    result = run_module(module, {"backup_vault_name": VAULT, "min_retention_days": 14, "max_retention_days": 365,
                                 "changeable_for_days": 3})
    assert result["changed"] is True and (result["min_retention_days"], result["max_retention_days"]) == (14, 365)
    assert result["lock_date"]
    vault = backup.describe_backup_vault(BackupVaultName=VAULT)
    assert (vault["MinRetentionDays"], vault["MaxRetentionDays"]) == (14, 365)


def test_check_mode_changes_nothing(backup, run_module):
    result = run_module(module, {"backup_vault_name": VAULT, "min_retention_days": 35}, check_mode=True)
    assert result["changed"] is True and result["locked"] is True
    assert not backup.describe_backup_vault(BackupVaultName=VAULT).get("Locked")


def test_absent_removes_the_lock_once(backup, run_module):
    run_module(module, {"backup_vault_name": VAULT, "min_retention_days": 7})
    removed = run_module(module, {"backup_vault_name": VAULT, "state": "absent"})
    assert removed["changed"] is True and removed["locked"] is False and removed["min_retention_days"] is None
    assert not backup.describe_backup_vault(BackupVaultName=VAULT).get("Locked")
    assert run_module(module, {"backup_vault_name": VAULT, "state": "absent"})["changed"] is False


def test_missing_vault_and_missing_retention_are_refused_clearly(backup, run_module):  # pylint: disable=unused-argument
    missing = run_module(module, {"backup_vault_name": "nope", "min_retention_days": 7})
    assert missing["failed"] and "backup_vault_name: backup vault 'nope' does not exist" in missing["msg"]
    no_days = run_module(module, {"backup_vault_name": VAULT})
    assert no_days["failed"] and "min_retention_days" in no_days["msg"]


def test_read_lock_reports_the_lock_date_as_iso():
    when = datetime.datetime(2026, 1, 4, tzinfo=datetime.timezone.utc)
    assert module.read_lock({"Locked": True, "MinRetentionDays": 3, "LockDate": when})["lock_date"] == when.isoformat()
    assert module.read_lock({})["locked"] is False


def test_api_errors_fail_with_a_sentence(backup, run_module, monkeypatch):  # pylint: disable=unused-argument
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made)
        stubber.add_client_error("describe_backup_vault", service_error_code="ServiceUnavailableException", http_status_code=500)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    monkeypatch.setattr(module.AWSRetry, "jittered_backoff", lambda **kw: (lambda f: f))
    result = run_module(module, {"backup_vault_name": VAULT, "min_retention_days": 7})
    assert result["failed"] and result["msg"].startswith(f"Unable to set the Vault Lock of backup vault {VAULT}")


@pytest.mark.parametrize("listed, expected", [
    pytest.param([{"BackupVaultName": VAULT}], "Unable to describe backup vault payments-test-vault: the vault exists", id="denied-on-an-existing-vault"),
    pytest.param([{"BackupVaultName": "another-vault"}], "backup_vault_name: backup vault 'payments-test-vault' does not exist", id="missing-vault"),
])
def test_access_denied_means_missing_only_when_the_vault_is_not_listed(backup, run_module, monkeypatch, listed, expected):
    # AWS answers AccessDeniedException both for a missing vault and for a caller without backup:DescribeBackupVault.
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made)
        stubber.add_client_error("describe_backup_vault", service_error_code="AccessDeniedException", http_status_code=403)
        stubber.add_response("list_backup_vaults", {"BackupVaultList": listed})
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    result = run_module(module, {"backup_vault_name": VAULT, "min_retention_days": 7})
    assert result["failed"] and result["msg"].startswith(expected), result["msg"]
    assert not backup.describe_backup_vault(BackupVaultName=VAULT).get("Locked")
