# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Aurora fixes of the stand-in restore these AWS behaviours."""

from __future__ import annotations

import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="rds")
def fixture_rds(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("EMULATOR_RDS_CLUSTER_CREATE_SECONDS", "0")  # these tests add instances at once (fixes_lifecycle)
    fixes.apply_all()
    with moto.mock_aws():
        yield boto3.client("rds", region_name="us-east-1"), boto3.client("kms", region_name="us-east-1")


@pytest.mark.parametrize("family, name", [("aurora-postgresql16", "rds.force_ssl"), ("aurora-mysql8.0", "require_secure_transport")])
def test_cluster_parameters_list_the_family_engine_defaults(rds, family, name):
    client = rds[0]
    client.create_db_cluster_parameter_group(DBClusterParameterGroupName="g", DBParameterGroupFamily=family, Description="d")
    listed = {p["ParameterName"]: p for p in client.describe_db_cluster_parameters(DBClusterParameterGroupName="g")["Parameters"]}
    assert listed[name]["Source"] == "engine-default" and listed[name]["IsModifiable"] is True


def test_cluster_parameters_honour_the_source_filter(rds):
    client = rds[0]
    client.create_db_cluster_parameter_group(DBClusterParameterGroupName="g", DBParameterGroupFamily="aurora-postgresql16", Description="d")
    client.modify_db_cluster_parameter_group(
        DBClusterParameterGroupName="g",
        Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "pending-reboot"}],
    )
    user = client.describe_db_cluster_parameters(DBClusterParameterGroupName="g", Source="user")["Parameters"]
    assert [(p["ParameterName"], p["ParameterValue"], p["Source"]) for p in user] == [("rds.force_ssl", "1", "user")]


def test_instances_report_performance_insights_with_the_key_arn(rds):
    client, kms = rds
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/data", TargetKeyId=key["KeyId"])
    client.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password1234")
    client.create_db_instance(DBInstanceIdentifier="i", DBClusterIdentifier="c", Engine="aurora-postgresql", DBInstanceClass="db.serverless",
                              EnablePerformanceInsights=True, PerformanceInsightsKMSKeyId="alias/data")
    instance = client.describe_db_instances(DBInstanceIdentifier="i")["DBInstances"][0]
    assert instance["PerformanceInsightsEnabled"] is True
    assert instance["PerformanceInsightsKMSKeyId"] == key["Arn"]
    assert instance["PerformanceInsightsRetentionPeriod"] == 7
    client.modify_db_instance(DBInstanceIdentifier="i", EnablePerformanceInsights=False, ApplyImmediately=True)
    assert client.describe_db_instances(DBInstanceIdentifier="i")["DBInstances"][0]["PerformanceInsightsEnabled"] is False


def test_modify_db_cluster_turns_iam_database_authentication_on_and_off(rds):
    client = rds[0]
    client.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password1234")
    client.modify_db_cluster(DBClusterIdentifier="c", EnableIAMDatabaseAuthentication=True, ApplyImmediately=True)
    assert client.describe_db_clusters(DBClusterIdentifier="c")["DBClusters"][0]["IAMDatabaseAuthenticationEnabled"] is True
    client.modify_db_cluster(DBClusterIdentifier="c", EnableIAMDatabaseAuthentication=False, ApplyImmediately=True)
    assert client.describe_db_clusters(DBClusterIdentifier="c")["DBClusters"][0]["IAMDatabaseAuthenticationEnabled"] is False


@pytest.mark.parametrize("keep, automated_left", [(None, 0), (False, 1)])
def test_deleting_a_cluster_removes_its_automated_backups_only(rds, keep, automated_left):
    client = rds[0]
    client.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password1")
    client.create_db_cluster_snapshot(DBClusterIdentifier="c", DBClusterSnapshotIdentifier="final")
    assert client.describe_db_cluster_snapshots(SnapshotType="automated")["DBClusterSnapshots"]
    extra = {} if keep is None else {"DeleteAutomatedBackups": keep}
    client.delete_db_cluster(DBClusterIdentifier="c", SkipFinalSnapshot=True, **extra)
    assert len(client.describe_db_cluster_snapshots(SnapshotType="automated")["DBClusterSnapshots"]) == automated_left
    assert [s["DBClusterSnapshotIdentifier"] for s in client.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]] == ["final"]


def test_the_key_of_an_already_managed_master_secret_cannot_be_changed(rds):
    client, kms = rds
    first, other = kms.create_key()["KeyMetadata"]["Arn"], kms.create_key()["KeyMetadata"]["Arn"]
    client.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password1234")
    client.modify_db_cluster(DBClusterIdentifier="c", ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=first, ApplyImmediately=True)
    with pytest.raises(client.exceptions.ClientError) as refused:
        client.modify_db_cluster(DBClusterIdentifier="c", ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=other, ApplyImmediately=True)
    assert refused.value.response["Error"]["Code"] == "InvalidParameterCombination"
    assert client.describe_db_clusters(DBClusterIdentifier="c")["DBClusters"][0]["MasterUserSecret"]["KmsKeyId"] == first
