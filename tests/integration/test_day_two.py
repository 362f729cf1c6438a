# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Day two: a re-run never takes back what AWS owns after the first day.

One deployment of inventories/local on a private stand-in, then, in order, what happens to a live
environment: AWS Backup takes over the cluster's point-in-time recovery, autoscaling scales the
service out and RDS rotates the master secret, all before one next-day run (which also sees the
version policy resolve to a newer minor and rolls out a retention change); then an explicit upgrade
is asked for, a downgrade is refused, a release the circuit breaker rolls back fails the run, and
a certificate given later switches the load balancer to HTTPS (HTTP redirected), which a re-run keeps
and verify checks.

The molecule scenario extensions/molecule/day_two ages a stack the same way and asserts, of one
plan and one converge, what a separate run here used to: the plan lists only a tag edited out of
band with no mutating call, the converge then changes exactly that tag (so nothing else, the
rotated master secret and the autoscaled count included, makes a change), and the count stays.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import boto3
import pytest

from standin_support import BIN, ROOT  # pylint: disable=import-error

CLUSTER = "payments-local-aurora"


def _playbook(env, playbook, *extra):
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook, "-i", os.path.join(ROOT, "inventories", "local"), *extra]
    run_env = dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=900, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _changed(output):
    return int(re.search(r"payments-local\s+: ok=\d+\s+changed=(\d+)", output).group(1))


def _client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")


def _serverless_16_versions(rds):
    """The two newest aurora-postgresql 16 versions the stand-in offers as Serverless v2, oldest first."""
    offered = {o["EngineVersion"] for o in rds.describe_orderable_db_instance_options(
        Engine="aurora-postgresql", DBInstanceClass="db.serverless")["OrderableDBInstanceOptions"]}
    sixteen = sorted((v for v in offered if v.startswith("16.")), key=lambda v: tuple(int(p) for p in v.split(".")))
    assert len(sixteen) >= 2, sixteen
    return sixteen[-2], sixteen[-1]


@pytest.fixture(scope="module", name="lived")
def fixture_lived(standin):
    env, endpoint = standin
    rds = _client("rds", endpoint)
    older, newer = _serverless_16_versions(rds)
    code, output = _playbook(env, "site.yml", "-e", f"aurora_engine_version={older}")
    assert code == 0, output[-3000:]
    return env, endpoint, older, newer


def _cluster(endpoint):
    return _client("rds", endpoint).describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]


def test_a_rerun_after_backup_takes_over_pitr_keeps_version_retention_count_and_users(lived):
    """The next day's run after AWS took over what it owns: Backup the retention, autoscaling the count, RDS the master secret."""
    env, endpoint, older, newer = lived
    cluster = _cluster(endpoint)
    assert (cluster["EngineVersion"], cluster["BackupRetentionPeriod"]) == (older, 7)
    # AWS Backup's first daily job of the continuous-backup rule: it owns the retention from now on.
    _client("backup", endpoint).start_backup_job(
        BackupVaultName="payments-local-vault", ResourceArn=cluster["DBClusterArn"],
        IamRoleArn=f"arn:aws:iam::{cluster['DBClusterArn'].split(':')[4]}:role/payments-local-backup")
    assert _cluster(endpoint)["AwsBackupRecoveryPointArn"]
    # Autoscaling scales the service out at peak (within ecs_autoscaling_min..max, 2..4).
    ecs = _client("ecs", endpoint)
    ecs.update_service(cluster="payments-local-cluster", service="payments-local-app", desiredCount=4)
    # RDS rotates a managed master secret (every 7 days): what its rotation leaves is a new AWSCURRENT
    # version with a new password. Nothing the app or DMS uses may hold a copy of it.
    secrets = _client("secretsmanager", endpoint)
    master_arn = cluster["MasterUserSecret"]["SecretArn"]
    users = {name: secrets.get_secret_value(SecretId=name)["SecretString"] for name in ("payments/local/aurora/app", "payments/local/aurora/dms")}
    old_master = json.loads(secrets.get_secret_value(SecretId=master_arn)["SecretString"])
    secrets.put_secret_value(SecretId=master_arn, SecretString=json.dumps(dict(old_master, password="Rotated-By-RDS-0001")))
    # The next day's run: the policy (latest-in-major:16) now resolves to a newer minor, and the team
    # rolls out a longer retention (both settings agree, as the preflight demands).
    code, output = _playbook(env, "site.yml", "-e", "backup_daily_retention_days=14", "-e", "aurora_backup_retention_days=14")
    assert code == 0, output[-3000:]
    cluster = _cluster(endpoint)
    assert cluster["EngineVersion"] == older, "a re-run upgraded the database outside a decision"
    assert "EngineVersion" not in cluster.get("PendingModifiedValues", {})
    assert cluster["BackupRetentionPeriod"] == 7, "the role overwrote the retention AWS Backup owns"
    assert f"runs aurora-postgresql {older}; aurora_engine_version latest-in-major:16 now resolves to {newer}" in output
    assert f"-e aurora_upgrade_to={newer}" in output
    assert "managed by AWS Backup (continuous backup, 7 days)" in output
    service = ecs.describe_services(cluster="payments-local-cluster", services=["payments-local-app"])["services"][0]
    assert service["desiredCount"] == 4, "the re-run scaled the service back down"
    assert {name: secrets.get_secret_value(SecretId=name)["SecretString"] for name in users} == users
    for value in users.values():
        assert json.loads(value)["password"] not in ("Rotated-By-RDS-0001", old_master["password"])
    target = next(e for e in _client("dms", endpoint).describe_endpoints()["Endpoints"] if e["EndpointType"].lower() == "target")
    assert target["PostgreSQLSettings"]["SecretsManagerSecretId"].split(":")[-1].startswith("payments/local/aurora/dms")
    assert json.loads(secrets.get_secret_value(SecretId=master_arn)["SecretString"])["password"] == "Rotated-By-RDS-0001"


def test_an_explicit_upgrade_waits_for_the_maintenance_window_and_is_not_repeated(lived):
    env, endpoint, older, newer = lived
    code, output = _playbook(env, "site.yml", "-e", f"aurora_upgrade_to={newer}")
    assert code == 0, output[-3000:]
    cluster = _cluster(endpoint)
    assert (cluster["EngineVersion"], cluster["PendingModifiedValues"].get("EngineVersion")) == (older, newer)
    code, output = _playbook(env, "site.yml", "-e", f"aurora_upgrade_to={newer}")
    assert code == 0 and _changed(output) == 0, output[-3000:]
    code, output = _playbook(env, "playbooks/verify.yml", "-e", f"aurora_upgrade_to={newer}")
    assert code == 0, output[-3000:]


def test_a_downgrade_or_a_refused_version_is_refused_before_any_change(lived):
    env, endpoint, older, _newer = lived
    code, output = _playbook(env, "site.yml", "-e", "aurora_upgrade_to=15.4")
    assert code != 0
    assert "aurora_upgrade_to: 15.4 is older than the version cluster payments-local-aurora runs" in output \
        or "aurora_engine_version: 15.4" in output, output[-3000:]
    assert _cluster(endpoint)["EngineVersion"] == older


# The settings the earlier runs rolled out: a run with them changes nothing by itself.
ROLLED_OUT = ["-e", "backup_daily_retention_days=14", "-e", "aurora_backup_retention_days=14"]


def test_a_release_the_circuit_breaker_rolls_back_fails_the_run(lived):
    env, endpoint, _older, newer = lived
    account = _cluster(endpoint)["DBClusterArn"].split(":")[4]
    image = f"{account}.dkr.ecr.us-east-1.amazonaws.com/payments/api:9.9.9-missing"
    code, output = _playbook(env, "site.yml", *ROLLED_OUT, "-e", f"aurora_upgrade_to={newer}", "-e", f"ecs_image={image}")
    assert code != 0, "a rolled-back release was reported as a success:\n" + output[-3000:]
    for fragment in ("did not complete the deployment of", "The deployment circuit breaker rolled the release back",
                     "deployment failed: tasks failed to start", "CannotPullContainerError"):
        assert fragment in output, f"{fragment!r} not in:\n{output[-3000:]}"


def _imported_certificate(endpoint):
    """A self-signed certificate imported into the stand-in's ACM (us-east-1): its ARN (ISSUED, as an imported one is)."""
    import datetime  # pylint: disable=import-outside-toplevel

    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import rsa  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "payments-local.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("payments-local.example.com")]), critical=False)
            .sign(key, hashes.SHA256()))
    return _client("acm", endpoint).import_certificate(
        Certificate=cert.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()),
    )["CertificateArn"]


def test_a_certificate_given_on_day_two_serves_https_redirects_http_and_verify_checks_it(lived):
    env, endpoint, _older, newer = lived
    certificate = _imported_certificate(endpoint)
    extra = [*ROLLED_OUT, "-e", f"aurora_upgrade_to={newer}", "-e", f"alb_certificate_arn={certificate}"]
    code, output = _playbook(env, "site.yml", *extra)
    assert code == 0, output[-3000:]
    elbv2 = _client("elbv2", endpoint)
    balancer = elbv2.describe_load_balancers(Names=["payments-local-alb"])["LoadBalancers"][0]
    listeners = {l["Port"]: l for l in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]}
    assert sorted(listeners) == [80, 443]
    assert listeners[443]["Protocol"] == "HTTPS" and [c["CertificateArn"] for c in listeners[443]["Certificates"]] == [certificate]
    assert listeners[443]["DefaultActions"][0]["Type"] == "forward"
    redirect = listeners[80]["DefaultActions"][0]
    assert redirect["Type"] == "redirect" and redirect["RedirectConfig"]["Protocol"] == "HTTPS"
    assert redirect["RedirectConfig"]["StatusCode"] == "HTTP_301"
    code, output = _playbook(env, "site.yml", *extra)
    assert code == 0 and _changed(output) == 0, f"the re-run with the certificate changed something:\n{output[-3000:]}"
    code, output = _playbook(env, "playbooks/verify.yml", *extra)
    assert code == 0, output[-3000:]
