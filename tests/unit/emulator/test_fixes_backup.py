# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in's AWS Backup fixes restore these AWS behaviours."""

from __future__ import annotations

import json
import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position
import fixes_backup  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")
pytest.importorskip("moto.server")

ROLE = "arn:aws:iam::123456789012:role/payments-test-backup"
RULE = {"RuleName": "daily", "TargetBackupVaultName": "vault", "Lifecycle": {"DeleteAfterDays": 7}}


@pytest.fixture(name="backup")
def fixture_backup(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        client = boto3.client("backup", region_name="us-east-1")
        client.create_backup_vault(BackupVaultName="vault")
        yield client


def _plan(client, name="plan", rules=None):
    return client.create_backup_plan(BackupPlan={"BackupPlanName": name, "Rules": rules or [dict(RULE)]})["BackupPlanId"]


def test_backup_fixes_are_collected_by_all_fixes():
    ids = [fix.fix_id for fix in fixes.all_fixes()]
    for fix in fixes_backup.FIXES:
        assert fix.fix_id in ids
        assert fix.reference.startswith("https://docs.aws.amazon.com/")


def test_describe_missing_vault_is_access_denied(backup):
    with pytest.raises(backup.exceptions.ClientError) as err:
        backup.describe_backup_vault(BackupVaultName="nope")
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert backup.describe_backup_vault(BackupVaultName="vault")["NumberOfRecoveryPoints"] == 0


def test_selection_lifecycle(backup):
    plan_id = _plan(backup)
    tags = [{"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "true"}]
    created = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection={
        "SelectionName": "sel", "IamRoleArn": ROLE, "ListOfTags": tags})
    assert created["BackupPlanId"] == plan_id and created["SelectionId"]
    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert [(s["SelectionName"], s["IamRoleArn"], s["SelectionId"]) for s in listed] == [("sel", ROLE, created["SelectionId"])]
    got = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert got["BackupSelection"] == {
        "SelectionName": "sel", "IamRoleArn": ROLE, "Resources": [], "ListOfTags": tags, "NotResources": [],
        "Conditions": fixes_backup.EMPTY_CONDITIONS}
    with pytest.raises(backup.exceptions.InvalidRequestException):
        backup.delete_backup_plan(BackupPlanId=plan_id)
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"] == []
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    backup.delete_backup_plan(BackupPlanId=plan_id)


def test_selections_of_a_missing_plan_are_not_found(backup):
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.list_backup_selections(BackupPlanId="00000000-0000-0000-0000-000000000000")
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.create_backup_selection(BackupPlanId="00000000-0000-0000-0000-000000000000",
                                       BackupSelection={"SelectionName": "s", "IamRoleArn": ROLE})


def test_update_backup_plan_makes_a_new_version(backup):
    plan_id = _plan(backup)
    before = backup.get_backup_plan(BackupPlanId=plan_id)
    weekly = {"RuleName": "weekly", "TargetBackupVaultName": "vault", "ScheduleExpression": "cron(0 6 ? * SUN *)",
              "Lifecycle": {"DeleteAfterDays": 90}}
    answer = backup.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": "plan", "Rules": [dict(RULE), weekly]})
    assert answer["BackupPlanId"] == plan_id and answer["VersionId"] != before["VersionId"]
    rules = backup.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]["Rules"]
    assert [(r["RuleName"], r["Lifecycle"]["DeleteAfterDays"], r["ScheduleExpressionTimezone"]) for r in rules] == [
        ("daily", 7, "Etc/UTC"), ("weekly", 90, "Etc/UTC")]
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.update_backup_plan(BackupPlanId="nope", BackupPlan={"BackupPlanName": "plan", "Rules": [dict(RULE)]})


def test_deleted_plan_name_can_be_used_again(backup):
    backup.delete_backup_plan(BackupPlanId=_plan(backup))
    assert _plan(backup)
    with pytest.raises(backup.exceptions.AlreadyExistsException):
        _plan(backup)


def test_vault_access_policy(backup):
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.get_backup_vault_access_policy(BackupVaultName="vault")
    policy = json.dumps({"Version": "2012-10-17", "Statement": []})
    backup.put_backup_vault_access_policy(BackupVaultName="vault", Policy=policy)
    got = backup.get_backup_vault_access_policy(BackupVaultName="vault")
    assert (got["BackupVaultName"], got["Policy"]) == ("vault", policy)
    backup.delete_backup_vault_access_policy(BackupVaultName="vault")
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.get_backup_vault_access_policy(BackupVaultName="vault")
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.put_backup_vault_access_policy(BackupVaultName="nope", Policy=policy)


def test_recovery_points_keep_the_vault_until_deleted(backup):
    resource = "arn:aws:rds:us-east-1:123456789012:cluster:payments-test-aurora"
    job = backup.start_backup_job(BackupVaultName="vault", ResourceArn=resource, IamRoleArn=ROLE)
    points = backup.list_recovery_points_by_backup_vault(BackupVaultName="vault")["RecoveryPoints"]
    assert [(p["RecoveryPointArn"], p["ResourceArn"], p["Status"]) for p in points] == [(job["RecoveryPointArn"], resource, "COMPLETED")]
    assert backup.describe_backup_vault(BackupVaultName="vault")["NumberOfRecoveryPoints"] == 1
    assert backup.list_backup_vaults()["BackupVaultList"][0]["NumberOfRecoveryPoints"] == 1
    with pytest.raises(backup.exceptions.InvalidRequestException):
        backup.delete_backup_vault(BackupVaultName="vault")
    backup.delete_recovery_point(BackupVaultName="vault", RecoveryPointArn=job["RecoveryPointArn"])
    with pytest.raises(backup.exceptions.ResourceNotFoundException):
        backup.delete_recovery_point(BackupVaultName="vault", RecoveryPointArn=job["RecoveryPointArn"])
    assert backup.describe_backup_vault(BackupVaultName="vault")["NumberOfRecoveryPoints"] == 0
    backup.delete_backup_vault(BackupVaultName="vault")
    assert backup.list_backup_vaults()["BackupVaultList"] == []


def test_recovery_points_of_a_missing_vault_are_access_denied(backup):
    for call in (lambda: backup.list_recovery_points_by_backup_vault(BackupVaultName="nope"),
                 lambda: backup.delete_recovery_point(BackupVaultName="nope", RecoveryPointArn="arn:aws:backup:x"),
                 lambda: backup.start_backup_job(BackupVaultName="nope", ResourceArn="arn:aws:rds:x", IamRoleArn=ROLE)):
        with pytest.raises(backup.exceptions.ClientError) as err:
            call()
        assert err.value.response["Error"]["Code"] == "AccessDeniedException"


def test_new_paths_are_routed_by_the_server(monkeypatch):
    """The stand-in runs moto as a server (Flask routes, not the in-process regexes): every new API answers there."""
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    server = moto.server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        client = boto3.client("backup", region_name="us-west-2", endpoint_url=f"http://{host}:{port}")
        client.create_backup_vault(BackupVaultName="routed")
        plan_id = client.create_backup_plan(BackupPlan={"BackupPlanName": "routed", "Rules": [dict(RULE, TargetBackupVaultName="routed")]})[
            "BackupPlanId"]
        selection = client.create_backup_selection(BackupPlanId=plan_id, BackupSelection={"SelectionName": "s", "IamRoleArn": ROLE})
        assert client.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection["SelectionId"])["BackupSelection"]["SelectionName"] == "s"
        client.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": "routed", "Rules": [dict(RULE, TargetBackupVaultName="routed")]})
        client.put_backup_vault_access_policy(BackupVaultName="routed", Policy="{}")
        assert client.get_backup_vault_access_policy(BackupVaultName="routed")["Policy"] == "{}"
        job = client.start_backup_job(BackupVaultName="routed", ResourceArn="arn:aws:rds:us-west-2:123456789012:cluster:c", IamRoleArn=ROLE)
        assert len(client.list_recovery_points_by_backup_vault(BackupVaultName="routed")["RecoveryPoints"]) == 1
        client.delete_recovery_point(BackupVaultName="routed", RecoveryPointArn=job["RecoveryPointArn"])
        assert client.list_recovery_points_by_backup_vault(BackupVaultName="routed")["RecoveryPoints"] == []
    finally:
        server.stop()
