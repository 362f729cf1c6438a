# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.backup_recovery_points with a stubbed Backup client (moto has no recovery points)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.payments.aws_platform.plugins.modules import backup_recovery_points as module

VAULT = "payments-test-vault"
ARNS = ["arn:aws:backup:us-east-1:123456789012:recovery-point:a", "arn:aws:backup:us-east-1:123456789012:recovery-point:b"]


def _point(arn, status="COMPLETED"):
    return {"RecoveryPointArn": arn, "BackupVaultName": VAULT, "Status": status,
            "ResourceArn": "arn:aws:rds:us-east-1:123456789012:cluster:payments-test-aurora"}


@pytest.fixture(name="stub")
def fixture_stub(aws_credentials, monkeypatch):  # pylint: disable=unused-argument
    client = boto3.client("backup", region_name="us-east-1")
    stubber = Stubber(client)
    monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, service, retry_decorator=None: client)
    # The raw client takes no aws_retry argument.
    real_delete = client.delete_recovery_point
    monkeypatch.setattr(client, "delete_recovery_point", lambda aws_retry=None, **kw: real_delete(**kw))
    monkeypatch.setattr(module, "POLL_SECONDS", 0)
    stubber.activate()
    yield stubber
    stubber.deactivate()


def _list(stub, points):
    stub.add_response("list_recovery_points_by_backup_vault", {"RecoveryPoints": points}, {"BackupVaultName": VAULT})


def test_lists_without_deleting(stub, run_module):
    _list(stub, [_point(ARNS[0])])
    result = run_module(module, {"backup_vault_name": VAULT})
    assert result["changed"] is False and result["exists"] is True and result["deleted"] == []
    assert [p["recovery_point_arn"] for p in result["recovery_points"]] == [ARNS[0]]


@pytest.mark.parametrize("code", ["AccessDeniedException", "ResourceNotFoundException"])
def test_missing_vault_has_no_recovery_points(stub, run_module, code):
    stub.add_client_error("list_recovery_points_by_backup_vault", service_error_code=code, http_status_code=403)
    stub.add_response("list_backup_vaults", {"BackupVaultList": [{"BackupVaultName": "another-vault"}]})
    result = run_module(module, {"backup_vault_name": VAULT, "delete": True})
    assert result == {"changed": False, "exists": False, "recovery_points": [], "deleted": []}
    stub.assert_no_pending_responses()


def test_access_denied_on_an_existing_vault_fails_loudly(stub, run_module):
    # AWS answers AccessDeniedException for a missing vault AND for a caller without the permission.
    stub.add_client_error("list_recovery_points_by_backup_vault", service_error_code="AccessDeniedException", http_status_code=403)
    stub.add_response("list_backup_vaults", {"BackupVaultList": [{"BackupVaultName": VAULT}]})
    result = run_module(module, {"backup_vault_name": VAULT, "delete": True})
    assert result["failed"] and result["msg"].startswith(f"Unable to list the recovery points of backup vault {VAULT}: the vault exists")
    assert "exists" not in result or result["exists"] is not False


def test_access_denied_everywhere_fails_loudly(stub, run_module):
    stub.add_client_error("list_recovery_points_by_backup_vault", service_error_code="AccessDeniedException", http_status_code=403)
    stub.add_client_error("list_backup_vaults", service_error_code="AccessDeniedException", http_status_code=403)
    result = run_module(module, {"backup_vault_name": VAULT})
    assert result["failed"] and result["msg"].startswith(f"Unable to list or delete the recovery points of backup vault {VAULT}")


def test_deletes_every_point_and_waits_until_empty(stub, run_module):
    _list(stub, [_point(ARNS[0]), _point(ARNS[1]), _point("arn:gone", "DELETING")])
    for arn in ARNS:
        stub.add_response("delete_recovery_point", {}, {"BackupVaultName": VAULT, "RecoveryPointArn": arn})
    _list(stub, [_point(ARNS[1], "DELETING")])
    _list(stub, [])
    result = run_module(module, {"backup_vault_name": VAULT, "delete": True})
    assert result["changed"] is True and result["deleted"] == ARNS
    stub.assert_no_pending_responses()


def test_check_mode_deletes_nothing(stub, run_module):
    _list(stub, [_point(ARNS[0])])
    result = run_module(module, {"backup_vault_name": VAULT, "delete": True}, check_mode=True)
    assert result["changed"] is True and result["deleted"] == [ARNS[0]]
    stub.assert_no_pending_responses()


def test_no_wait_returns_after_the_deletes(stub, run_module):
    _list(stub, [_point(ARNS[0])])
    stub.add_response("delete_recovery_point", {}, {"BackupVaultName": VAULT, "RecoveryPointArn": ARNS[0]})
    result = run_module(module, {"backup_vault_name": VAULT, "delete": True, "wait": False})
    assert result["changed"] is True
    stub.assert_no_pending_responses()


def test_wait_is_bounded(stub, run_module):
    _list(stub, [_point(ARNS[0])])
    stub.add_response("delete_recovery_point", {}, {"BackupVaultName": VAULT, "RecoveryPointArn": ARNS[0]})
    _list(stub, [_point(ARNS[0], "DELETING")])
    result = run_module(module, {"backup_vault_name": VAULT, "delete": True, "wait_timeout": 0})
    assert result["failed"] and "still present after wait_timeout=0 s" in result["msg"] and ARNS[0] in result["msg"]


def test_api_errors_fail_with_a_sentence(stub, run_module):
    stub.add_client_error("list_recovery_points_by_backup_vault", service_error_code="ServiceUnavailableException", http_status_code=500)
    result = run_module(module, {"backup_vault_name": VAULT})
    assert result["failed"] and result["msg"].startswith(f"Unable to list or delete the recovery points of backup vault {VAULT}")
