# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/teardown.yml on a prod-like environment: the guards hold, and what prod keeps is kept.

A data tier (network, security, aurora, backup) of inventories/local is deployed to a private
stand-in, then torn down as prod (-e platform_env=prod). The local environment's own full teardown
is checked by molecule's default scenario (extensions/molecule/default/destroy.yml).
"""

from __future__ import annotations

import os
import subprocess

import boto3
import pytest

from standin_support import BIN, CTL, ROOT, standin_calls, start_standin, stop_standin  # pylint: disable=import-error

DATA_TIER = """---
- name: Preflight
  ansible.builtin.import_playbook: {root}/playbooks/preflight.yml

- name: Deploy the data tier only
  hosts: all
  gather_facts: false
  vars_files:
    - {root}/playbooks/vars/platform.yml
  module_defaults:
    group/payments.aws_platform.aws_platform: "{{{{ platform__aws }}}}"
  roles:
    - role: payments.aws_platform.platform
    - role: payments.aws_platform.security
    - role: payments.aws_platform.network
    - role: payments.aws_platform.aurora
    - role: payments.aws_platform.backup
"""


DATA_KEY, LOGS_KEY = "alias/payments-local-data", "alias/payments-local-logs"
# How long the stand-in keeps the network interfaces of a deleted DB instance, load balancer... (fixes_network).
# AWS takes minutes; long enough here that the teardown must wait for them (DB subnet group, security groups, VPC).
ENI_LINGER_SECONDS = "20"


@pytest.fixture(scope="module", name="standin")
def fixture_standin(tmp_path_factory):
    """This module's private stand-in, with network interfaces that linger ENI_LINGER_SECONDS after their owner."""
    before = os.environ.get("EMULATOR_ENI_LINGER_SECONDS")
    os.environ["EMULATOR_ENI_LINGER_SECONDS"] = ENI_LINGER_SECONDS
    try:
        env, endpoint = start_standin(tmp_path_factory.mktemp("standin"))
    finally:
        if before is None:
            os.environ.pop("EMULATOR_ENI_LINGER_SECONDS")
        else:
            os.environ["EMULATOR_ENI_LINGER_SECONDS"] = before
    yield env, endpoint
    stop_standin(env)


def _playbook(env, playbook, *extra):
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook, "-i", os.path.join(ROOT, "inventories", "local"), *extra]
    run_env = dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=600, check=False)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module", name="deployed")
def fixture_deployed(standin, tmp_path_factory):
    env, endpoint = standin
    out = tmp_path_factory.mktemp("teardown")
    playbook = out / "data_tier.yml"
    playbook.write_text(DATA_TIER.format(root=ROOT))
    rc, log = _playbook(env, str(playbook), "-e", f"outputs_dir={out}")
    assert rc == 0, log[-4000:]
    return env, endpoint, out


def _client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.mark.parametrize("extra, expected", [
    pytest.param([], "confirm_destroy is \"unset\"; pass -e confirm_destroy=prod and -e allow_prod_destroy=true", id="no-confirmation"),
    pytest.param(["-e", "confirm_destroy=prod"], "and -e allow_prod_destroy=true", id="confirmed-without-allow-prod-destroy"),
    pytest.param(["-e", "confirm_destroy=local"], "confirm_destroy is \"local\"", id="wrong-environment-name"),
])
def test_prod_teardown_without_full_confirmation_changes_nothing(deployed, extra, expected):
    env, endpoint, out = deployed
    subprocess.run(CTL + ["reset-calls"], env=env, check=True)
    rc, log = _playbook(env, "playbooks/teardown.yml", "-e", "platform_env=prod", "-e", f"outputs_dir={out}", *extra)
    assert rc != 0, log[-3000:]
    assert "Refusing to destroy environment prod" in log and "Nothing was changed" in log
    assert expected in log, log[-3000:]
    assert standin_calls(env, mutating_only=True) == []
    clusters = _client("rds", endpoint).describe_db_clusters()["DBClusters"]
    assert [c["DBClusterIdentifier"] for c in clusters] == ["payments-local-aurora"]


def test_confirmed_prod_teardown_keeps_a_final_snapshot_and_the_recovery_points(deployed):
    env, endpoint, out = deployed
    rds = _client("rds", endpoint)
    assert not rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]
    rc, log = _playbook(env, "playbooks/teardown.yml", "-e", "platform_env=prod", "-e", "confirm_destroy=prod",
                        "-e", "allow_prod_destroy=true", "-e", f"outputs_dir={out}")
    assert rc == 0, log[-4000:]
    assert rds.describe_db_clusters()["DBClusters"] == []
    snapshots = [s["DBClusterSnapshotIdentifier"] for s in rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]]
    # inventories/local sets aurora_final_snapshot: false; prod keeps a final snapshot regardless.
    assert len(snapshots) == 1 and snapshots[0].startswith("payments-local-aurora-final-"), snapshots
    # Prod never deletes backup vaults or recovery points, even with backup_delete_recovery_points: true (local).
    vaults = [v["BackupVaultName"] for v in _client("backup", endpoint).list_backup_vaults()["BackupVaultList"]]
    assert "payments-local-vault" in vaults
    # The data key encrypts the final snapshot and the kept vault: it must stay usable, and the run says why.
    kms = _client("kms", endpoint)
    assert kms.describe_key(KeyId=DATA_KEY)["KeyMetadata"]["KeyState"] == "Enabled", log[-4000:]
    assert f"Kept KMS key {DATA_KEY}" in log and snapshots[0] in log and "security_delete_kms_keys_in_use=true" in log, log[-4000:]
    # The logs key is kept exactly when a log group encrypted with it is kept (prod keeps the exported Aurora logs).
    logs_key_arn = kms.describe_key(KeyId=LOGS_KEY)["KeyMetadata"]["Arn"]
    kept_groups = [g["logGroupName"] for g in _client("logs", endpoint).describe_log_groups()["logGroups"] if g.get("kmsKeyId") == logs_key_arn]
    assert kms.describe_key(KeyId=LOGS_KEY)["KeyMetadata"]["KeyState"] == ("Enabled" if kept_groups else "PendingDeletion"), kept_groups


def test_local_teardown_keeping_nothing_schedules_both_keys(deployed):
    env, endpoint, out = deployed
    rds = _client("rds", endpoint)
    # What the prod teardown kept is deleted on purpose, then the disposable local environment is deployed and torn down.
    for snapshot in rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]:
        rds.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier=snapshot["DBClusterSnapshotIdentifier"])
    rc, log = _playbook(env, str(out / "data_tier.yml"), "-e", f"outputs_dir={out}")
    assert rc == 0, log[-4000:]
    kms = _client("kms", endpoint)
    assert kms.describe_key(KeyId=LOGS_KEY)["KeyMetadata"]["KeyState"] == "Enabled"  # the deploy cancelled the deletion
    rc, log = _playbook(env, "playbooks/teardown.yml", "-e", "confirm_destroy=local", "-e", f"outputs_dir={out}")
    assert rc == 0, log[-4000:]
    assert "Kept KMS key" not in log, log[-4000:]
    assert [kms.describe_key(KeyId=k)["KeyMetadata"]["KeyState"] for k in (DATA_KEY, LOGS_KEY)] == ["PendingDeletion", "PendingDeletion"]
