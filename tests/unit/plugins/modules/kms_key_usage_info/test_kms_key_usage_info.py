# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.kms_key_usage_info against moto: what a key still encrypts, before it is deleted."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import kms_key_usage_info as module


@pytest.fixture(name="aws")
def fixture_aws(aws_credentials):  # pylint: disable=unused-argument
    with mock_aws():
        kms = boto3.client("kms", region_name="us-east-1")
        key = kms.create_key()["KeyMetadata"]
        kms.create_alias(AliasName="alias/payments-test-data", TargetKeyId=key["KeyId"])
        other = kms.create_key()["KeyMetadata"]
        yield kms, key, other


def _kinds(result):
    return sorted((d["type"], d["id"]) for d in result["dependents"])


def test_a_key_that_protects_nothing_is_not_in_use(aws, run_module):
    key = aws[1]
    result = run_module(module, {"key_id": "alias/payments-test-data"})
    assert result == {"changed": False, "exists": True, "key_arn": key["Arn"], "key_state": "Enabled", "in_use": False, "dependents": []}


def test_a_missing_key_is_reported_missing(aws, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {"key_id": "alias/none"})
    assert result["exists"] is False and result["in_use"] is False and result["key_arn"] == ""


def test_finds_snapshots_buckets_vaults_and_secrets_encrypted_with_the_key(aws, run_module):
    _kms, key, other = aws
    rds = boto3.client("rds", region_name="us-east-1")
    rds.create_db_cluster(DBClusterIdentifier="payments-test-aurora", Engine="aurora-postgresql", MasterUsername="u",
                          MasterUserPassword="password1234", StorageEncrypted=True, KmsKeyId=key["Arn"])
    rds.create_db_cluster_snapshot(DBClusterIdentifier="payments-test-aurora", DBClusterSnapshotIdentifier="payments-test-aurora-final-1")
    rds.create_db_cluster(DBClusterIdentifier="foreign", Engine="aurora-postgresql", MasterUsername="u",
                          MasterUserPassword="password1234", StorageEncrypted=True, KmsKeyId=other["Arn"])
    s3 = boto3.client("s3", region_name="us-east-1")
    for name, key_id in (("payments-test-txlog", "alias/payments-test-data"), ("payments-test-other", other["Arn"]), ("elsewhere-txlog", key["KeyId"])):
        s3.create_bucket(Bucket=name)
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id}}]})
    s3.create_bucket(Bucket="payments-test-plain")
    backup = boto3.client("backup", region_name="us-east-1")
    backup.create_backup_vault(BackupVaultName="payments-test-vault", EncryptionKeyArn=key["Arn"])
    backup.create_backup_vault(BackupVaultName="other-vault", EncryptionKeyArn=other["Arn"])
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    secrets.create_secret(Name="payments/test/kept", SecretString="x", KmsKeyId=key["KeyId"])
    secrets.create_secret(Name="payments/test/going", SecretString="x", KmsKeyId=key["Arn"])
    secrets.delete_secret(SecretId="payments/test/going", RecoveryWindowInDays=7)
    secrets.create_secret(Name="payments/test/default-key", SecretString="x")
    logs = boto3.client("logs", region_name="us-east-1")
    logs.create_log_group(logGroupName="/aws/rds/cluster/payments-test-aurora/postgresql", kmsKeyId=key["Arn"])
    logs.create_log_group(logGroupName="/plain")

    result = run_module(module, {"key_id": key["Arn"], "bucket_name_prefix": "payments-test-"})
    assert result["in_use"] is True
    automated = [d["id"] for d in result["dependents"] if d["detail"] == "automated snapshot of payments-test-aurora"]
    assert len(automated) == 1  # the live cluster's automated backup
    assert [k for k in _kinds(result) if k[1] not in automated] == [
        ("backup_vault", "payments-test-vault"), ("db_cluster", "payments-test-aurora"),
        ("db_cluster_snapshot", "payments-test-aurora-final-1"), ("log_group", "/aws/rds/cluster/payments-test-aurora/postgresql"),
        ("s3_bucket", "payments-test-txlog"), ("secret", "payments/test/kept")]
    snapshot = [d for d in result["dependents"] if d["id"] == "payments-test-aurora-final-1"][0]
    assert "delete-db-cluster-snapshot --db-cluster-snapshot-identifier payments-test-aurora-final-1" in snapshot["delete_with"]
    everywhere = run_module(module, {"key_id": key["KeyId"]})
    assert ("s3_bucket", "elsewhere-txlog") in _kinds(everywhere)


def test_a_refused_read_fails_the_module(aws, run_module, monkeypatch):  # pylint: disable=unused-argument
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        if service == "backup":
            stubber = Stubber(made)
            stubber.add_client_error("list_backup_vaults", service_error_code="AccessDeniedException", http_status_code=403)
            stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    result = run_module(module, {"key_id": "alias/payments-test-data"})
    assert result["failed"] and result["msg"].startswith("Unable to find what KMS key alias/payments-test-data still encrypts")
