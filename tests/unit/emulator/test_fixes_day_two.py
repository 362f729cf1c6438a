# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in lets AWS own what it owns after the first day (fixes_day_two)."""

from __future__ import annotations

import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="aws")
def fixture_aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("EMULATOR_RDS_CLUSTER_CREATE_SECONDS", "0")
    fixes.apply_all()
    with moto.mock_aws():
        rds = boto3.client("rds", region_name="us-east-1")
        rds.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", EngineVersion="16.4", MasterUsername="u",
                              MasterUserPassword="password1234", BackupRetentionPeriod=7)
        yield rds, boto3.client("backup", region_name="us-east-1")


def _cluster(rds):
    return rds.describe_db_clusters(DBClusterIdentifier="c")["DBClusters"][0]


def test_an_upgrade_without_apply_immediately_waits_for_the_window(aws):
    rds = aws[0]
    rds.modify_db_cluster(DBClusterIdentifier="c", EngineVersion="16.6", ApplyImmediately=False)
    assert (_cluster(rds)["EngineVersion"], _cluster(rds)["PendingModifiedValues"]) == ("16.4", {"EngineVersion": "16.6"})
    rds.modify_db_cluster(DBClusterIdentifier="c", EngineVersion="16.6", ApplyImmediately=True)
    assert _cluster(rds)["EngineVersion"] == "16.6"
    assert "EngineVersion" not in _cluster(rds).get("PendingModifiedValues", {})


def _continuous_plan(backup, vault="v", days=14):
    backup.create_backup_vault(BackupVaultName=vault)
    backup.create_backup_plan(BackupPlan={"BackupPlanName": "p", "Rules": [
        {"RuleName": "daily", "TargetBackupVaultName": vault, "ScheduleExpression": "cron(0 5 ? * * *)",
         "EnableContinuousBackup": True, "Lifecycle": {"DeleteAfterDays": days}}]})


def test_a_continuous_backup_job_takes_over_the_clusters_retention(aws):
    rds, backup = aws
    _continuous_plan(backup)
    arn = _cluster(rds)["DBClusterArn"]
    job = backup.start_backup_job(BackupVaultName="v", ResourceArn=arn, IamRoleArn="arn:aws:iam::123456789012:role/b")
    cluster = _cluster(rds)
    assert (cluster["AwsBackupRecoveryPointArn"], cluster["BackupRetentionPeriod"]) == (job["RecoveryPointArn"], 14)
    with pytest.raises(rds.exceptions.ClientError, match="The BackupRetentionPeriod can be blank, or you can use the current value"):
        rds.modify_db_cluster(DBClusterIdentifier="c", BackupRetentionPeriod=7, ApplyImmediately=True)
    rds.modify_db_cluster(DBClusterIdentifier="c", BackupRetentionPeriod=14, DeletionProtection=False, ApplyImmediately=True)


def test_a_job_without_a_continuous_rule_leaves_the_cluster_alone(aws):
    rds, backup = aws
    backup.create_backup_vault(BackupVaultName="other")
    backup.start_backup_job(BackupVaultName="other", ResourceArn=_cluster(rds)["DBClusterArn"], IamRoleArn="arn:aws:iam::123456789012:role/b")
    assert "AwsBackupRecoveryPointArn" not in _cluster(rds)
    rds.modify_db_cluster(DBClusterIdentifier="c", BackupRetentionPeriod=3, ApplyImmediately=True)
    assert _cluster(rds)["BackupRetentionPeriod"] == 3
