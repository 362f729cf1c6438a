# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in keeps slow resources in AWS's intermediate states (fixes_lifecycle)."""

from __future__ import annotations

import os
import sys
import time

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="rds")
def fixture_rds(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("EMULATOR_RDS_CLUSTER_CREATE_SECONDS", "0.5")
    fixes.apply_all()
    with moto.mock_aws():
        yield boto3.client("rds", region_name="us-east-1")


def _cluster(client):
    client.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password1234")


def test_a_new_cluster_stays_creating_then_becomes_available(rds):
    _cluster(rds)
    assert rds.describe_db_clusters(DBClusterIdentifier="c")["DBClusters"][0]["Status"] == "creating"
    assert rds.describe_db_clusters(DBClusterIdentifier="c")["DBClusters"][0]["Status"] == "creating"
    time.sleep(0.6)
    assert rds.describe_db_clusters(DBClusterIdentifier="c")["DBClusters"][0]["Status"] == "available"


def test_an_instance_is_refused_while_its_cluster_is_creating(rds):
    _cluster(rds)
    with pytest.raises(rds.exceptions.InvalidDBClusterStateFault, match="can't be performed while the cluster c is in this state: creating"):
        rds.create_db_instance(DBInstanceIdentifier="i", DBClusterIdentifier="c", Engine="aurora-postgresql", DBInstanceClass="db.serverless")
    assert rds.describe_db_instances()["DBInstances"] == []
    time.sleep(0.6)
    rds.create_db_instance(DBInstanceIdentifier="i", DBClusterIdentifier="c", Engine="aurora-postgresql", DBInstanceClass="db.serverless")
    assert [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]] == ["i"]


def test_a_standalone_instance_is_not_affected(rds):
    rds.create_db_instance(DBInstanceIdentifier="s", Engine="postgres", DBInstanceClass="db.t4g.micro", MasterUsername="u",
                           MasterUserPassword="password1234", AllocatedStorage=20)
    assert rds.describe_db_instances(DBInstanceIdentifier="s")["DBInstances"][0]["DBInstanceIdentifier"] == "s"
