# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What AWS owns after the first day (picked up by fixes.all_fixes(), after fixes_backup).

On moto nothing happens between two runs, and ModifyDBCluster applies every value at once. On AWS:

* an engine version change without ApplyImmediately waits for the maintenance window
  (PendingModifiedValues.EngineVersion), it does not upgrade the cluster there and then;
* once AWS Backup's continuous backup protects an Aurora cluster, the cluster reports the recovery
  point (AwsBackupRecoveryPointArn), its retention follows the backup rule, and ModifyDBCluster
  with any other BackupRetentionPeriod is refused.
"""

from __future__ import annotations

import json

from fixes import Fix  # pylint: disable=import-error

RETENTION_REFUSAL = "The BackupRetentionPeriod can be blank, or you can use the current value."


def _truthy(value) -> bool:
    return str(value).lower() == "true"


def _apply_modify_cluster_ownership() -> None:
    from moto.rds.exceptions import RDSClientError
    from moto.rds.models import RDSBackend

    original = RDSBackend.modify_db_cluster
    if getattr(original, "payments_day_two", False):
        return

    def modify_db_cluster(self, kwargs):
        cluster = self.clusters.get(kwargs.get("db_cluster_identifier"))
        if cluster is not None:
            retention = kwargs.get("backup_retention_period")
            if getattr(cluster, "aws_backup_recovery_point_arn", None) and retention is not None \
                    and int(retention) != int(cluster.backup_retention_period):
                raise RDSClientError("InvalidParameterCombination", RETENTION_REFUSAL)
            version = kwargs.get("engine_version")
            if version and version != cluster.engine_version and not _truthy(kwargs.get("apply_immediately")):
                kwargs = dict(kwargs)
                del kwargs["engine_version"]
                cluster.pending_modified_values = dict(getattr(cluster, "pending_modified_values", None) or {}, EngineVersion=version)
            elif version and _truthy(kwargs.get("apply_immediately")):
                (getattr(cluster, "pending_modified_values", None) or {}).pop("EngineVersion", None)
        return original(self, kwargs)

    modify_db_cluster.payments_day_two = True
    RDSBackend.modify_db_cluster = modify_db_cluster


def continuous_rule_days(backup_backend, vault_name):
    """The retention of a live plan's continuous-backup rule that targets ``vault_name``, or None."""
    for plan in backup_backend.plans.values():
        if plan.deletion_date is not None:
            continue
        for rule in plan.backup_plan.get("Rules", []):
            if rule.get("EnableContinuousBackup") and rule.get("TargetBackupVaultName") == vault_name:
                return int((rule.get("Lifecycle") or {}).get("DeleteAfterDays") or 35)
    return None


def _apply_backup_takes_over_pitr() -> None:
    from moto.backup.responses import BackupResponse
    from moto.rds.models import rds_backends

    original = BackupResponse.start_backup_job
    if getattr(original, "payments_day_two", False):
        return

    def start_backup_job(self):
        answer = original(self)
        params = json.loads(self.body or "{}")
        arn = params.get("ResourceArn", "")
        parts = arn.split(":")
        days = continuous_rule_days(self.backup_backend, params.get("BackupVaultName"))
        if days is not None and len(parts) == 7 and parts[2] == "rds" and parts[5] == "cluster":
            cluster = rds_backends[parts[4]][parts[3]].clusters.get(parts[6])
            if cluster is not None:
                cluster.aws_backup_recovery_point_arn = json.loads(answer)["RecoveryPointArn"]
                cluster.backup_retention_period = days
        return answer

    start_backup_job.payments_day_two = True
    BackupResponse.start_backup_job = start_backup_job


FIXES = [
    Fix(
        fix_id="rds-cluster-upgrade-waits-for-the-window",
        aws_behaviour=(
            "ModifyDBCluster with a new EngineVersion and ApplyImmediately false does not upgrade at once: the change waits "
            "for the next maintenance window and DescribeDBClusters reports it in PendingModifiedValues.EngineVersion "
            "(the stand-in has no maintenance window: it stays pending); moto upgrades at once."
        ),
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html (ApplyImmediately)",
        apply=_apply_modify_cluster_ownership,
    ),
    Fix(
        fix_id="backup-continuous-backup-owns-cluster-retention",
        aws_behaviour=(
            "A backup job of an Aurora cluster from a plan rule with EnableContinuousBackup makes AWS Backup manage the "
            "cluster's point-in-time recovery: DescribeDBClusters reports AwsBackupRecoveryPointArn, BackupRetentionPeriod "
            "follows the rule's retention, and ModifyDBCluster with another BackupRetentionPeriod answers "
            "InvalidParameterCombination '" + RETENTION_REFUSAL + "'"
        ),
        reference=(
            "https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html, "
            "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html (AwsBackupRecoveryPointArn)"
        ),
        apply=_apply_backup_takes_over_pitr,
    ),
]
