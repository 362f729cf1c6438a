# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the integration tests: paths, a private AWS stand-in, and reading back the stand-in's secrets.

The ``standin`` fixture in conftest.py uses these; tests import the plain helpers directly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import boto3
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)
CTL = [sys.executable, os.path.join(ROOT, "tests", "emulator", "ctl.py")]
# Figures tests report (kill points survived, throttled calls...): printed in pytest's summary (conftest.py).
FIGURES: list[str] = []
# What the security role stores for inventories/local with security_db_password_mode=generated.
SECRET_NAME = "payments/local/aurora/master"


def start_standin(state_dir):
    """Start a private stand-in with its state in ``state_dir``; return (environment, endpoint)."""
    env = dict(os.environ, EMULATOR_STATE_DIR=str(state_dir))
    endpoint = subprocess.run(CTL + ["start"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    return env, endpoint


def stop_standin(env):
    subprocess.run(CTL + ["stop"], env=env, check=False, capture_output=True)


def standin_calls(env, mutating_only=False):
    """The AWS calls the stand-in of ``env`` (its EMULATOR_STATE_DIR) has recorded, or only the mutating ones."""
    out = subprocess.run(CTL + ["calls"], env=env, check=True, capture_output=True, text=True).stdout
    return [call for call in json.loads(out) if call["mutating"] or not mutating_only]


def master_secret(endpoint, secret_id=SECRET_NAME):
    """The SecretString of ``secret_id`` in the stand-in's Secrets Manager (us-east-1, as inventories/local)."""
    client = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    return client.get_secret_value(SecretId=secret_id)["SecretString"]


def _user_passwords(endpoint):
    """{secret name: password} of the app and dms users' secrets (roles/db_users)."""
    return {name: json.loads(master_secret(endpoint, name))["password"] for name in ("payments/local/aurora/app", "payments/local/aurora/dms")}


def clean_env(tmp_path, **extra):
    """The caller's environment without ANSIBLE_* (the shell's ANSIBLE_CONFIG must not leak in)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update(PATH=BIN + os.pathsep + env.get("PATH", ""), ANSIBLE_HOME=str(tmp_path / "ansible-home"), **extra)
    return env


def run_ok(args, env, cwd=ROOT, timeout=600):
    """Run a command that must succeed; return its output."""
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{(proc.stdout + proc.stderr)[-4000:]}"
    return proc.stdout + proc.stderr


def runner_job(private_data_dir, ident, env, *extra):
    """ansible-runner run of site.yml, as AWX's task manager runs a job (process isolation off: no container)."""
    proc = subprocess.run([os.path.join(BIN, "ansible-runner"), "run", str(private_data_dir), "-p", "site.yml",
                           "--project-dir", ROOT, "--inventory", os.path.join(ROOT, "inventories", "local"),
                           "--ident", ident, *extra],
                          env=env, capture_output=True, text=True, timeout=900, check=False)
    artifacts = private_data_dir / "artifacts" / ident
    events = [json.loads((artifacts / "job_events" / name).read_text(encoding="utf-8"))
              for name in sorted(os.listdir(artifacts / "job_events"))]
    status = (artifacts / "status").read_text(encoding="utf-8").strip()
    stdout = (artifacts / "stdout").read_text(encoding="utf-8", errors="replace") if (artifacts / "stdout").is_file() else ""
    return {"rc": proc.returncode, "output": proc.stdout + proc.stderr, "stdout": stdout, "status": status,
            "events": events, "artifacts": artifacts}


# A lower environment's destinations in us-west-2, made before the local stack is deployed: its
# transaction logs replicate to the bucket (storage_replicate_to, F15) and its weekly backups are
# copied to the vault (backup_weekly_copy_to, F16), so that make test deploys and verifies both.
LOWER_REGION = "us-west-2"
LOWER_VAULT = "payments-lower-vault"
LOWER_KEY_ALIAS = "alias/payments-lower-data"


def lower_environment(endpoint):
    """Create the versioned bucket, its key and the backup vault of a lower environment; return the extra vars naming them."""
    def client(service):
        return boto3.client(service, endpoint_url=endpoint, region_name=LOWER_REGION, aws_access_key_id="testing",
                            aws_secret_access_key="testing")

    account = client("sts").get_caller_identity()["Account"]
    bucket = f"payments-lower-txlog-{account}"
    s3 = client("s3")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": LOWER_REGION})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    kms = client("kms")
    kms.create_alias(AliasName=LOWER_KEY_ALIAS, TargetKeyId=kms.create_key(Description="payments lower data")["KeyMetadata"]["KeyId"])
    client("backup").create_backup_vault(BackupVaultName=LOWER_VAULT)
    return {"storage_replicate_to": [{"bucket": bucket, "region": LOWER_REGION, "kms_key": LOWER_KEY_ALIAS}],
            "backup_weekly_copy_to": [{"region": LOWER_REGION, "vault": LOWER_VAULT, "retention_days": 14}]}


def deploy_local_stack(state_dir, data_dir):
    """inventories/local deployed once and re-run, by two AWX-style jobs (generated master password, the first at -vvv).

    One deployed stack for every test that only reads it (AWX jobs, secrets never printed, the
    first deploy on a new account, verify). Project sync: AWX installs collections/requirements.yml
    into the job's private data dir, with only that dir on the collections path (so nothing
    installed elsewhere counts as "already installed"), and runs the job with it; amazon.aws and
    community.aws come with ansible (in AWX: the execution environment).
    """
    standin_env, endpoint = start_standin(state_dir)
    env = clean_env(data_dir)
    synced = data_dir / "requirements_collections"
    out = run_ok([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-r", "collections/requirements.yml", "-p", str(synced)],
                 dict(env, ANSIBLE_COLLECTIONS_PATH=str(synced)))
    assert "payments.aws_platform:" in out and "was installed successfully" in out, out
    (data_dir / "env").mkdir()
    (data_dir / "env" / "envvars").write_text(yaml.safe_dump({
        "EMULATOR_STATE_DIR": standin_env["EMULATOR_STATE_DIR"],
        "ANSIBLE_COLLECTIONS_PATH": str(synced),
        "ANSIBLE_HOME": str(data_dir / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(data_dir / "ansible-tmp"),
    }), encoding="utf-8")
    # outputs_dir: AWX runs each job in its own copy of the project; here the checkout is shared, so
    # the outputs file goes to the private data dir (another run's outputs/local would look like a change).
    extra_vars = {"security_db_password_mode": "generated", "outputs_dir": str(data_dir / "outputs"), **lower_environment(endpoint)}
    (data_dir / "env" / "extravars").write_text(yaml.safe_dump(extra_vars), encoding="utf-8")
    first = runner_job(data_dir, "first", env, "-vvv")
    password = json.loads(master_secret(endpoint))["password"] if first["rc"] == 0 else None
    users = _user_passwords(endpoint) if first["rc"] == 0 else None
    second = runner_job(data_dir, "second", env) if first["rc"] == 0 else None
    password_after = json.loads(master_secret(endpoint))["password"] if second and second["rc"] == 0 else None
    users_after = _user_passwords(endpoint) if second and second["rc"] == 0 else None
    return {"env": standin_env, "endpoint": endpoint, "extra_vars": extra_vars, "first": first,
            "user_passwords": users, "user_passwords_after_second": users_after, "second": second, "password": password,
            "password_after_second": password_after, "synced": str(synced)}
