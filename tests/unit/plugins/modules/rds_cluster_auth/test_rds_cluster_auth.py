# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.rds_cluster_auth against moto (F13: RDS-managed master passwords; IAM database auth)."""

from __future__ import annotations

import os
import sys

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import rds_cluster_auth as module

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "emulator"))
import fixes  # noqa: E402  pylint: disable=wrong-import-position,import-error

CLUSTER = "payments-test-aurora"


@pytest.fixture(name="aws")
def fixture_aws(aws_credentials):  # pylint: disable=unused-argument
    fixes.apply_all()  # the stand-in's fidelity fixes: moto alone ignores EnableIAMDatabaseAuthentication
    with mock_aws():
        rds = boto3.client("rds", region_name="us-east-1")
        kms = boto3.client("kms", region_name="us-east-1")
        key = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/payments-test-data", TargetKeyId=key["KeyId"])
        rds.create_db_cluster(DBClusterIdentifier=CLUSTER, Engine="aurora-postgresql", EngineVersion="16.15",
                              MasterUsername="payments_admin", MasterUserPassword="Throw-away-1234")
        yield rds, kms, key


def test_turns_on_managed_password_with_the_data_key(aws, run_module):
    rds, key = aws[0], aws[2]
    result = run_module(module, {"db_cluster_identifier": CLUSTER, "master_user_secret_kms_key_id": key["Arn"]}, diff=True)
    assert result["changed"] is True
    assert result["master_user_secret"]["kms_key_id"] == key["Arn"]
    assert result["master_user_secret"]["secret_arn"].split(":")[6].startswith("rds!cluster-")
    assert result["diff"]["before"] == {"master_user_secret": {}, "iam_database_authentication": False}
    assert rds.describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]["MasterUserSecret"]["KmsKeyId"] == key["Arn"]


def test_second_run_changes_nothing_even_with_the_key_given_by_alias(aws, run_module):
    key = aws[2]
    run_module(module, {"db_cluster_identifier": CLUSTER, "master_user_secret_kms_key_id": key["Arn"]})
    again = run_module(module, {"db_cluster_identifier": CLUSTER, "master_user_secret_kms_key_id": "alias/payments-test-data"})
    assert again["changed"] is False


def test_check_mode_reports_the_change_and_makes_none(aws, run_module):
    rds, key = aws[0], aws[2]
    result = run_module(module, {"db_cluster_identifier": CLUSTER, "master_user_secret_kms_key_id": key["KeyId"]}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["master_user_secret"]["kms_key_id"] == key["Arn"]
    assert "MasterUserSecret" not in rds.describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]


def test_a_different_key_on_a_managed_cluster_is_reported_not_attempted(aws, run_module, monkeypatch):
    rds, kms, key = aws
    run_module(module, {"db_cluster_identifier": CLUSTER, "master_user_secret_kms_key_id": key["Arn"]})
    other = kms.create_key()["KeyMetadata"]
    warnings = []
    monkeypatch.setattr(module.AnsibleAWSModule, "warn", lambda self, msg: warnings.append(msg))
    result = run_module(module, {"db_cluster_identifier": CLUSTER, "master_user_secret_kms_key_id": other["Arn"]}, diff=True)
    # AWS refuses MasterUserSecretKmsKeyId on a cluster whose secret RDS already manages (the stand-in too).
    assert result.get("failed") is not True, result
    assert result["changed"] is False and result["master_user_secret"]["kms_key_id"] == key["Arn"]
    assert result["kms_key_mismatch"] == {"current": key["Arn"], "wanted": other["Arn"]}
    assert len(warnings) == 1 and f"encrypted with KMS key {key['Arn']}, not the requested {other['Arn']}" in warnings[0]
    assert "--no-manage-master-user-password" in warnings[0]
    assert rds.describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]["MasterUserSecret"]["KmsKeyId"] == key["Arn"]


def test_without_a_key_the_default_key_is_kept(aws, run_module):
    run_module(module, {"db_cluster_identifier": CLUSTER})
    assert run_module(module, {"db_cluster_identifier": CLUSTER})["changed"] is False


def test_manage_false_never_touches_the_cluster(aws, run_module):
    rds = aws[0]
    result = run_module(module, {"db_cluster_identifier": CLUSTER, "manage_master_user_password": False})
    assert result == {"changed": False, "master_user_secret": {}, "iam_database_authentication": False, "kms_key_mismatch": {}}
    assert "MasterUserSecret" not in rds.describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]


def test_missing_cluster_is_refused_clearly(aws, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {"db_cluster_identifier": "nope"})
    assert result["failed"] and "db_cluster_identifier: cluster 'nope' does not exist" in result["msg"]


def test_missing_key_is_refused_clearly(aws, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {"db_cluster_identifier": CLUSTER, "master_user_secret_kms_key_id": "alias/none"})
    assert result["failed"] and "master_user_secret_kms_key_id: KMS key 'alias/none' does not exist" in result["msg"]


def test_api_errors_fail_with_a_sentence(aws, run_module, monkeypatch):  # pylint: disable=unused-argument
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        if service == "rds":
            stubber = Stubber(made)
            stubber.add_client_error("describe_db_clusters", service_error_code="AccessDenied", http_status_code=403)
            stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    result = run_module(module, {"db_cluster_identifier": CLUSTER})
    assert result["failed"] and result["msg"].startswith(f"Unable to set the authentication of cluster {CLUSTER}")


def test_iam_database_authentication_is_turned_on_then_left_alone(aws, run_module):
    rds = aws[0]
    args = {"db_cluster_identifier": CLUSTER, "manage_master_user_password": False, "iam_database_authentication": True}
    first = run_module(module, args, diff=True)
    assert first["changed"] is True and first["diff"]["after"]["iam_database_authentication"] is True
    assert rds.describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]["IAMDatabaseAuthenticationEnabled"] is True
    assert run_module(module, args)["changed"] is False
    assert run_module(module, {"db_cluster_identifier": CLUSTER, "manage_master_user_password": False})["changed"] is False
    off = run_module(module, dict(args, iam_database_authentication=False))
    assert off["changed"] is True and off["iam_database_authentication"] is False
