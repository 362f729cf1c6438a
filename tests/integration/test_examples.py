# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example environments in inventories/examples pass the preflight, deploy and verify on the stand-in.

The single-environment examples are deployed together, in one ansible-playbook run per step (one
-i per example, in parallel through forks): deploy, no-op re-run, verify; each example's test
reads its own host's recap. Deploying them one after another took twice as long on 2 cores.
multi-env (three environments in one inventory) is checked by its preflight here; its full deploy,
re-run and verify are timed by benchmarks/multi_env, which kept this file within ~9 minutes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import boto3
import pytest

from standin_support import BIN, CTL, ROOT, standin_calls  # pylint: disable=import-error


@pytest.fixture(scope="module", name="standin")
def fixture_standin(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("examples-standin"))
    # DMS refuses a new dms-vpc-role for a few seconds, as on a real account (fix dms-vpc-role-propagation).
    env = dict(os.environ, EMULATOR_STATE_DIR=state, EMULATOR_DMS_ROLE_PROPAGATION_SECONDS="4", ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               ANSIBLE_HOME=os.path.join(ROOT, ".ansible"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    endpoint = subprocess.run(CTL + ["start"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    yield env, ["-e", f"platform_aws_endpoint_url={endpoint}", "-e", "platform_aws_access_key=testing", "-e", "platform_aws_secret_key=testing"]
    subprocess.run(CTL + ["stop"], env=env, check=False, capture_output=True)


# The single-environment examples and their one host each.
EXAMPLE_HOSTS = {
    "dr-single-region": "payments-dr",
    "flask-api-milan": "payments-milan",
    "migration-mysql": "payments-mysql-migration",
    "payments-migration": "payments-migration",
}
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


def _run(standin, playbook, example, *extra):
    examples = [example] if isinstance(example, str) else list(example)
    inventories = [arg for name in examples for arg in ("-i", os.path.join(ROOT, "inventories", "examples", name))]
    env, endpoint_vars = standin
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook, *inventories, *endpoint_vars, *extra]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _recap(output):
    """{host: {"ok", "changed", "unreachable", "failed"}} from the PLAY RECAP of one run."""
    return {host: dict(zip(("ok", "changed", "unreachable", "failed"), map(int, counts)))
            for host, *counts in RECAP.findall(output.split("PLAY RECAP")[-1])}


def _host_failures(output, host):
    """The fatal / failed lines of one host, for an assertion message."""
    return "\n".join(line[:1500] for line in output.splitlines() if f"[{host}]" in line and ("fatal" in line or "failed" in line))[-4000:]


def _host_changes(output, host):
    """Each task that reported changed for one host, with its changed lines."""
    task, found = "", []
    for line in output.splitlines():
        if line.startswith("TASK ["):
            task = line.rstrip("* ")
        elif line.startswith("changed:") and f"[{host}]" in line:
            found.append(f"{task}\n  {line[:1500]}")
    return "\n".join(found)[-4000:]


def test_flask_api_milan_pinned_15_8_is_refused_with_alternatives(standin):
    code, output = _run(standin, "playbooks/preflight.yml", "flask-api-milan", "-e", "aurora_engine_version=15.8")
    assert code != 0
    assert "aurora_engine_version: 15.8 is deprecated for aurora-postgresql in eu-south-1" in output
    # The stand-in's engine fixture (real data: cfn-lint, F03) offers 15.10-15.19 in eu-south-1 (15.4 not).
    assert "nearest valid: 15.19, 15.18, 15.17" in output
    mutating = [c for c in json.loads(subprocess.run(CTL + ["calls"], env=standin[0], check=True, capture_output=True, text=True).stdout)
                if c["mutating"]]
    assert mutating == []


def test_flask_api_milan_policy_resolves_to_the_newest_15_in_milan(standin):
    code, output = _run(standin, "playbooks/preflight.yml", "flask-api-milan")
    assert code == 0, output[-3000:]
    assert "Aurora 15.19 (api)" in output


def test_multi_env_passes_the_preflight_in_one_run(standin):
    code, output = _run(standin, "playbooks/preflight.yml", "multi-env")
    assert code == 0, output[-4000:]
    recap = _recap(output)
    assert sorted(recap) == ["payments-dev", "payments-prod", "payments-staging"], recap
    assert all(counts["failed"] == 0 for counts in recap.values()), recap
    assert output.count("Aurora 8.0.mysql_aurora.3.") == 3, output[-3000:]


def test_multi_env_prod_alone_is_refused_until_its_destinations_exist(standin):
    before = len(standin_calls(standin[0], mutating_only=True))
    # Without staging and dev in the run, and before they are deployed, prod's replication
    # destinations do not exist: the storage preflight refuses, naming them.
    code, output = _run(standin, "playbooks/preflight.yml", "multi-env", "--limit", "payments-prod")
    assert code != 0
    assert "storage_replicate_to of prod" in output, output[-3000:]
    assert re.search(r"bucket payments-mstg-txlog-\d+ \(us-east-2\) does not exist", output), output[-3000:]
    assert re.search(r"bucket payments-mdev-txlog-\d+ \(us-west-2\) does not exist", output), output[-3000:]
    # The same for the weekly copies to their backup vaults.
    code, output = _run(standin, "playbooks/preflight.yml", "multi-env", "--limit", "payments-prod", "-e", '{"storage_replicate_to": []}')
    assert code != 0
    assert "backup_weekly_copy_to of prod (payments-prod)" in output, output[-3000:]
    assert "payments-mstg-vault in us-east-2, payments-mdev-vault in us-west-2" in output, output[-3000:]
    assert len(standin_calls(standin[0], mutating_only=True)) == before


@pytest.fixture(scope="module", name="single_env_runs")
def fixture_single_env_runs(standin):
    """Deploy, re-run and verify every single-environment example, each step one run over all of them."""
    examples = list(EXAMPLE_HOSTS)
    return {step: _run(standin, playbook, examples)[1]
            for step, playbook in (("deploy", "site.yml"), ("rerun", "site.yml"), ("verify", "playbooks/verify.yml"))}


@pytest.mark.parametrize("example", list(EXAMPLE_HOSTS))
def test_example_deploys_idempotently_and_verifies(single_env_runs, example):
    host = EXAMPLE_HOSTS[example]
    for step in ("deploy", "rerun", "verify"):
        output = single_env_runs[step]
        counts = _recap(output).get(host)
        assert counts is not None, f"{step}: no recap for {host}\n{output[-4000:]}"
        assert counts["failed"] == 0 and counts["unreachable"] == 0, f"{step} of {example}: {counts}\n{_host_failures(output, host)}"
    rerun = _recap(single_env_runs["rerun"])[host]
    assert rerun["changed"] == 0, f"re-run of {example} changed {rerun['changed']} task(s):\n{_host_changes(single_env_runs['rerun'], host)}"


def test_the_milan_examples_prefix_names_every_tier(standin, single_env_runs):
    """flask-api-milan sets platform_name_prefix: flask-api. Every tier names its resources with it: none keeps payments-."""
    assert _recap(single_env_runs["deploy"])["payments-milan"]["failed"] == 0
    env, endpoint_vars = standin
    endpoint = endpoint_vars[1].split("=", 1)[1]

    def client(service):
        return boto3.client(service, endpoint_url=endpoint, region_name="eu-south-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    tagged = client("ec2").describe_vpcs(Filters=[{"Name": "tag:Project", "Values": ["ecommerce-api"]}])["Vpcs"]
    names = {"vpc": [tag["Value"] for vpc in tagged for tag in vpc.get("Tags", []) if tag["Key"] == "Name"]}
    names["alb"] = [lb["LoadBalancerName"] for lb in client("elbv2").describe_load_balancers()["LoadBalancers"]]
    names["target group"] = [tg["TargetGroupName"] for tg in client("elbv2").describe_target_groups()["TargetGroups"]]
    names["cluster"] = [c["DBClusterIdentifier"] for c in client("rds").describe_db_clusters()["DBClusters"]]
    names["ecs cluster"] = [arn.rsplit("/", 1)[1] for arn in client("ecs").list_clusters()["clusterArns"]]
    names["key alias"] = [a["AliasName"] for a in client("kms").list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")]
    # RDS names the master secret it manages (rds!cluster-<id>); every other secret is the platform's.
    names["secret"] = [s["Name"] for s in client("secretsmanager").list_secrets()["SecretList"] if not s["Name"].startswith("rds!")]
    names["vault"] = [v["BackupVaultName"] for v in client("backup").list_backup_vaults()["BackupVaultList"]
                      if v["BackupVaultName"] != "Default"]
    # RDS names its log-export groups after the cluster: /aws/rds/cluster/<cluster>/postgresql.
    names["log group"] = [re.sub(r"^/aws/rds/cluster/", "", g["logGroupName"])
                          for g in client("logs").describe_log_groups()["logGroups"]]
    names["bucket"] = [b["Name"] for b in client("s3").list_buckets()["Buckets"] if "milan" in b["Name"]]
    assert all(names.values()), f"a tier has no resource in eu-south-1: {names}"
    wrong = {kind: [n for n in found if not re.match(r"^(alias/|/)?flask-api[-/]milan\b", n)] for kind, found in names.items()}
    assert not any(wrong.values()), f"named without the platform_name_prefix flask-api: {wrong}"


def test_dr_single_region_without_public_ips_is_refused_with_f06(standin):
    code, output = _run(standin, "playbooks/preflight.yml", "dr-single-region", "-e", "ecs_assign_public_ip=false")
    assert code != 0
    assert "F06" in output and "ecs_assign_public_ip" in output


# --- migration-mysql as on a real account: MySQL source, routes to the data centre, connection tests ---
# (tests/emulator/fixes_dms.py) MySQL-compatible endpoints take no DatabaseName
# (dms-mysql-endpoint-no-database-name); a private on-premises source is reached through
# network_dms_source_route_target, not the NAT gateway, and both endpoints pass DMS TestConnection
# (dms-test-connection-reachability); a source the routes do not reach fails the run unless
# dms_test_connection is false. migration-mysql is the only example in us-east-2.
MYSQL_REGION = "us-east-2"


def _client(standin, service, region=MYSQL_REGION):
    endpoint = standin[1][1].split("=", 1)[1]
    return boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")


def test_mysql_compatible_endpoints_have_no_database_name_and_the_mappings_carry_the_schema(standin, single_env_runs):
    assert _recap(single_env_runs["deploy"])["payments-mysql-migration"]["failed"] == 0
    dms = _client(standin, "dms")
    endpoints = {e["EndpointIdentifier"]: e for e in dms.describe_endpoints()["Endpoints"]}
    assert {e["EngineName"] for e in endpoints.values()} == {"mysql", "aurora"}
    assert [e.get("DatabaseName") for e in endpoints.values()] == [None, None]
    task = dms.describe_replication_tasks()["ReplicationTasks"][0]
    rules = json.loads(task["TableMappings"])["rules"]
    assert rules[0]["object-locator"]["schema-name"] == "payments" and rules[0]["rule-action"] == "include"


def test_the_private_source_network_is_routed_to_the_vpn_gateway(standin, single_env_runs):
    assert _recap(single_env_runs["deploy"])["payments-mysql-migration"]["failed"] == 0
    ec2 = _client(standin, "ec2")
    tables = ec2.describe_route_tables(Filters=[{"Name": "tag:Tier", "Values": ["private"]}])["RouteTables"]
    assert tables
    for table in tables:
        routes = {r.get("DestinationCidrBlock"): r for r in table["Routes"]}
        assert routes["192.168.10.0/24"].get("GatewayId") == "vgw-0123456789abcdef0", routes
        assert routes["0.0.0.0/0"].get("NatGatewayId", "").startswith("nat-")
    vgw = ec2.describe_vpn_gateways(VpnGatewayIds=["vgw-0123456789abcdef0"])["VpnGateways"][0]
    assert [a["State"] for a in vgw["VpcAttachments"]] == ["attached"]


def test_both_endpoints_pass_the_connection_test_and_the_run_reports_it(standin, single_env_runs):
    output = single_env_runs["deploy"]
    assert re.search(r"Connection tests: payments-mysqlmig-source successful; payments-mysqlmig-target successful", output), output[-3000:]
    connections = _client(standin, "dms").describe_connections()["Connections"]
    assert sorted(c["Status"] for c in connections) == ["successful", "successful"]


def test_a_source_the_routes_do_not_reach_fails_the_run_unless_told_otherwise(standin, single_env_runs):
    assert _recap(single_env_runs["deploy"])["payments-mysql-migration"]["failed"] == 0
    # 192.168.20.5 is private and outside network_dms_source_cidrs: the private subnets send it to the NAT gateway.
    code, output = _run(standin, "site.yml", "migration-mysql", "-e", "dms_source_host=192.168.20.5")
    assert code != 0
    assert "DMS cannot connect from replication instance" in output, _host_failures(output, "payments-mysql-migration") or output[-3000:]
    assert "192.168.20.5 via nat-" in output and "dms_test_connection: false creates the task anyway" in output
    code, output = _run(standin, "site.yml", "migration-mysql", "-e", "dms_source_host=192.168.20.5", "-e", "dms_test_connection=false")
    assert code == 0, _host_failures(output, "payments-mysql-migration") or output[-3000:]
    assert re.search(r"Connection tests: payments-mysqlmig-source failed: Test connection failed", output), output[-3000:]
