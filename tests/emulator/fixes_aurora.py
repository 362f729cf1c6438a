# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the Aurora tier of the stand-in (picked up by fixes.all_fixes())."""

from __future__ import annotations

from fixes import Fix  # pylint: disable=import-error

# The engine parameters this platform sets, as AWS lists them for every group of the family
# (Source engine-default until a user sets them). AWS lists several hundred per family.
ENGINE_PARAMETERS = {
    "aurora-postgresql": [
        {"ParameterName": "rds.force_ssl", "ParameterValue": "0", "DataType": "boolean", "AllowedValues": "0,1", "ApplyType": "dynamic"},
        {"ParameterName": "log_min_duration_statement", "ParameterValue": "-1", "DataType": "integer",
         "AllowedValues": "-1-2147483647", "ApplyType": "dynamic"},
    ],
    "aurora-mysql": [
        {"ParameterName": "require_secure_transport", "ParameterValue": "OFF", "DataType": "string", "AllowedValues": "ON,OFF",
         "ApplyType": "dynamic"},
        {"ParameterName": "slow_query_log", "ParameterValue": "0", "DataType": "boolean", "AllowedValues": "0,1", "ApplyType": "dynamic"},
        {"ParameterName": "server_audit_logging", "ParameterValue": "0", "DataType": "boolean", "AllowedValues": "0,1",
         "ApplyType": "dynamic"},
    ],
}


def engine_defaults(family: str) -> list[dict]:
    engine = "aurora-postgresql" if family.startswith("aurora-postgresql") else "aurora-mysql" if family.startswith("aurora-mysql") else None
    return [dict(p, Source="engine-default", IsModifiable=True, ApplyMethod="pending-reboot") for p in ENGINE_PARAMETERS.get(engine, [])]


def _apply_cluster_parameters() -> None:
    from moto.core.responses import ActionResult
    from moto.rds.models import RDSBackend
    from moto.rds.responses import RDSResponse

    original = getattr(RDSBackend, "_moto_describe_db_cluster_parameters", None) or RDSBackend.describe_db_cluster_parameters

    def describe_db_cluster_parameters(self, db_cluster_parameter_group_name):
        user = original(self, db_cluster_parameter_group_name)
        group = self.db_cluster_parameter_groups[db_cluster_parameter_group_name]
        names = {p["ParameterName"] for p in user}
        merged = [dict({"Source": "user", "IsModifiable": True}, **p) for p in user]
        merged += [p for p in engine_defaults(group.db_parameter_group_family) if p["ParameterName"] not in names]
        return merged

    def describe_db_cluster_parameters_response(self):
        parameters = self.backend.describe_db_cluster_parameters(self._get_param("DBClusterParameterGroupName"))
        source = self._get_param("Source")
        if source:
            parameters = [p for p in parameters if p.get("Source") == source]
        return ActionResult({"Parameters": parameters})

    RDSBackend._moto_describe_db_cluster_parameters = original  # pylint: disable=protected-access
    RDSBackend.describe_db_cluster_parameters = describe_db_cluster_parameters
    RDSResponse.describe_db_cluster_parameters = describe_db_cluster_parameters_response


def _key_arn(backend, key_id):
    """Resolve a key id / alias to the key ARN, as AWS reports it."""
    if not key_id or key_id.startswith("arn:") and ":key/" in key_id:
        return key_id
    try:
        from moto.kms.models import kms_backends

        return kms_backends[backend.account_id][backend.region_name].describe_key(key_id).arn
    except Exception:  # pylint: disable=broad-except
        return key_id


def _apply_performance_insights() -> None:
    from moto.rds.models import RDSBackend

    original_create = getattr(RDSBackend, "_moto_create_db_instance", None) or RDSBackend.create_db_instance
    original_modify = getattr(RDSBackend, "_moto_modify_db_instance", None) or RDSBackend.modify_db_instance

    def remember(backend, database, kwargs):
        if "enable_performance_insights" in kwargs:
            database.performance_insights_enabled = str(kwargs["enable_performance_insights"]).lower() == "true"
        if not getattr(database, "performance_insights_enabled", False):
            database.performance_insights_enabled = False
            database.performance_insights_kms_key_id = None
            database.performance_insights_retention_period = None
            return database
        if kwargs.get("performance_insights_kms_key_id"):
            database.performance_insights_kms_key_id = _key_arn(backend, kwargs["performance_insights_kms_key_id"])
        if kwargs.get("performance_insights_retention_period"):
            database.performance_insights_retention_period = int(kwargs["performance_insights_retention_period"])
        elif getattr(database, "performance_insights_retention_period", None) is None:
            database.performance_insights_retention_period = 7
        return database

    def create_db_instance(self, db_kwargs):
        return remember(self, original_create(self, db_kwargs), db_kwargs)

    def modify_db_instance(self, db_instance_identifier, db_kwargs):
        return remember(self, original_modify(self, db_instance_identifier, db_kwargs), db_kwargs)

    RDSBackend._moto_create_db_instance = original_create  # pylint: disable=protected-access
    RDSBackend._moto_modify_db_instance = original_modify  # pylint: disable=protected-access
    RDSBackend.create_db_instance = create_db_instance
    RDSBackend.modify_db_instance = modify_db_instance


def _apply_cluster_iam_auth() -> None:
    from moto.rds.models import RDSBackend

    original = getattr(RDSBackend, "_moto_modify_db_cluster", None) or RDSBackend.modify_db_cluster

    def modify_db_cluster(self, kwargs):
        wanted = kwargs.get("enable_iam_database_authentication")
        answer = original(self, kwargs)  # moto answers with a copy of the stored cluster
        if wanted is not None:
            for cluster in (answer, self.clusters[kwargs.get("new_db_cluster_identifier") or answer.db_cluster_identifier]):
                cluster.iam_auth = str(wanted).lower() == "true"
        return answer

    RDSBackend._moto_modify_db_cluster = original  # pylint: disable=protected-access
    RDSBackend.modify_db_cluster = modify_db_cluster


def _apply_automated_backups_deleted_with_cluster() -> None:
    from moto.rds.responses import RDSResponse

    if getattr(RDSResponse, "_payments_delete_automated", False):
        return
    original = RDSResponse.delete_db_cluster

    def delete_db_cluster(self):
        identifier = self.params.get("DBClusterIdentifier")
        result = original(self)
        if str(self.params.get("DeleteAutomatedBackups", "true")).lower() != "false":
            snapshots = self.backend.cluster_snapshots
            for name in [name for name, snap in snapshots.items()
                         if snap.snapshot_type == "automated" and snap.cluster.db_cluster_identifier == identifier]:
                del snapshots[name]
        return result

    RDSResponse.delete_db_cluster = delete_db_cluster
    RDSResponse._payments_delete_automated = True  # pylint: disable=protected-access


def _apply_managed_secret_key_unchangeable() -> None:
    from moto.rds.exceptions import InvalidParameterCombination
    from moto.rds.responses import RDSResponse

    if getattr(RDSResponse, "_payments_secret_key_fixed", False):
        return
    original = RDSResponse.modify_db_cluster

    def modify_db_cluster(self):
        cluster = self.backend.clusters.get(self.params.get("db_cluster_identifier"))
        if (self.params.get("master_user_secret_kms_key_id") and cluster is not None and getattr(cluster, "master_user_secret", None)
                and str(self.params.get("manage_master_user_password", "")).lower() != "false"):
            raise InvalidParameterCombination(
                "You can't change the KMS key of the master user secret of a DB cluster that already manages its master user "
                "password in AWS Secrets Manager."
            )
        return original(self)

    RDSResponse.modify_db_cluster = modify_db_cluster
    RDSResponse._payments_secret_key_fixed = True  # pylint: disable=protected-access


FIXES = [
    Fix(
        fix_id="rds-cluster-managed-secret-key-unchangeable",
        aws_behaviour=(
            "ModifyDBCluster with MasterUserSecretKmsKeyId on a cluster that already manages its master password in Secrets "
            "Manager is refused (InvalidParameterCombination): 'If the DB cluster already manages the master user password in "
            "AWS Secrets Manager, you can't change the KMS key that is used to encrypt the secret.' moto re-creates the secret."
        ),
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html",
        apply=_apply_managed_secret_key_unchangeable,
    ),
    Fix(
        fix_id="rds-cluster-automated-backups-deleted",
        aws_behaviour=(
            "DeleteDBCluster removes the cluster's automated backups (its automated cluster snapshots) immediately, unless "
            "DeleteAutomatedBackups is false; manual and final snapshots stay. moto keeps the automated snapshot."
        ),
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html",
        apply=_apply_automated_backups_deleted_with_cluster,
    ),
    Fix(
        fix_id="rds-cluster-modify-iam-auth",
        aws_behaviour="ModifyDBCluster with EnableIAMDatabaseAuthentication turns IAMDatabaseAuthenticationEnabled on or off; moto ignores it.",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html",
        apply=_apply_cluster_iam_auth,
    ),
    Fix(
        fix_id="rds-instance-performance-insights",
        aws_behaviour=(
            "DescribeDBInstances reports PerformanceInsightsEnabled, PerformanceInsightsKMSKeyId (the key ARN) and "
            "PerformanceInsightsRetentionPeriod as set by CreateDBInstance/ModifyDBInstance; moto drops them and "
            "amazon.aws.rds_instance fails comparing the key."
        ),
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html",
        apply=_apply_performance_insights,
    ),
    Fix(
        fix_id="rds-cluster-parameters-engine-defaults",
        aws_behaviour=(
            "DescribeDBClusterParameters lists every parameter of the group's family (Source engine-default until set, "
            "with IsModifiable), not only the ones a user has set, and honours the Source filter (user, engine-default); "
            "amazon.aws.rds_cluster_param_group refuses to set a parameter it cannot find there."
        ),
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBClusterParameters.html",
        apply=_apply_cluster_parameters,
    ),
]
