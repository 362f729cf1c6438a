# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input is refused before any AWS call, with the variable named; no credentials stop at once.

These run the real playbooks against a private AWS stand-in and read its call log, so "before
any AWS call" is measured, not assumed.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import boto3
import pytest

from standin_support import BIN, CTL, ROOT, standin_calls  # pylint: disable=import-error


@pytest.fixture(scope="module", name="standin")
def fixture_standin(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("standin"))
    env = dict(os.environ, EMULATOR_STATE_DIR=state)
    endpoint = subprocess.run(CTL + ["start"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    yield env, endpoint
    subprocess.run(CTL + ["stop"], env=env, check=False, capture_output=True)


def _playbook(env, playbook, inventory, *extra):
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook, "-i", os.path.join(ROOT, "inventories", inventory), *extra]
    run_env = dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr


BAD_INPUTS = [
    pytest.param(["-e", "network_vpc_cidr=10.0.0.0/33"], ["network_vpc_cidr", "10.0.0.0/33", "/16 to /24"], id="invalid-cidr"),
    pytest.param(["-e", "network_vpc_cidr=10.0.0.1/16"], ["network_vpc_cidr", "host bits"], id="cidr-host-bits"),
    pytest.param(["-e", "network_az_count=5"], ["network_az_count", "5", "2, 3"], id="az-count-5"),
    pytest.param(
        ["-e", '{"network_subnet_cidrs": {"private": ["10.40.0.0/24", "10.40.9.0/24"]}}'],
        ["network_subnet_cidrs.private[0]", "overlaps", "network_subnet_cidrs.public[0]"],
        id="overlapping-subnets",
    ),
    pytest.param(["-e", "network_nat_mode=gateway"], ["network_nat_mode", "gateway", "none, single, per_az"], id="nat-mode"),
    pytest.param(
        ["-e", '{"platform_tags": {"Environment": "local", "Project": "p", "Owner": "o"}}'],
        ["platform_tags", "CostCenter"],
        id="missing-required-tag",
    ),
    pytest.param(["-e", "platform_region=eu-west-1", "-e", "platform_env=prod"], ["platform_region", "eu-west-1", "us-east-1"], id="f10-region"),
    # VAR01: a typo of a role input would be ignored silently; a region that does not exist is refused by name.
    pytest.param(["-e", "aurora_serverles_v2_max_capacity=4"],
                 ["aurora_serverles_v2_max_capacity is not an input of any role", "did you mean aurora_serverless_v2_max_capacity"],
                 id="var01-typo"),
    pytest.param(["-e", "db_users_app_user=app"], ["db_users_app_user is not an input of any role", "db_users_app_username"],
                 id="var01-typo-db-users"),
    # The prefixes come from platform__roles (the one list of tiers), so the outputs role's inputs are covered too.
    pytest.param(["-e", "outputs_dri=/tmp"], ["outputs_dri is not an input of any role", "did you mean outputs_dir"],
                 id="var01-typo-outputs"),
    pytest.param(["-e", "platform_region=us-east1"],
                 ["platform_region: us-east1 is not an AWS region; did you mean us-east-1", "Valid regions: af-south-1"],
                 id="var01-region"),
    # AWS01: values outside the sets AWS publishes.
    pytest.param(["-e", "ecs_cpu=256", "-e", "ecs_memory=4096"],
                 ["AWS01", "ecs_memory: 4096 with ecs_cpu 256 is not a Fargate task size", "512-2048 MiB"], id="aws01-fargate-size"),
    pytest.param(["-e", "ecs_log_retention_days=10"],
                 ["AWS01", "ecs_log_retention_days: 10 is not a retention CloudWatch Logs accepts (nearest: 7 or 14)"],
                 id="aws01-log-retention"),
    pytest.param(["-e", "aurora_serverless_v2=true", "-e", "aurora_serverless_v2_max_capacity=4.3"],
                 ["AWS01", "aurora_serverless_v2_max_capacity: 4.3 is not a Serverless v2 capacity", "steps of 0.5"],
                 id="aws01-acu-step"),
    # F13: a master password in an inventory would be ignored; it is refused, never printed.
    pytest.param(["-e", "aurora_master_password=Sup3r-Secret-Value"],
                 ["F13", "aurora_master_password: no role takes a master password"], id="f13-supplied-password"),
    # F08 keyed by inventory: two inventories of one environment are compared, this one's own file is not a collision.
    pytest.param(["-e", "platform_env=prod", "-e", "aurora_deletion_protection=false"],
                 ["DEL01", "aurora_deletion_protection: 'false' in environment prod turns deletion protection off",
                  "platform_accept_unprotected_prod: true"], id="del01-prod-unprotected"),
    # BAK01/F07: the DR vault's key must be in the DR region.
    pytest.param(["-e", "backup_copy_to_region=us-west-2", "-e", "backup_copy_kms_key_arn=arn:aws:kms:eu-west-1:123456789012:key/abcd-1234"],
                 ["BAK01", "is a key in eu-west-1, but the DR vault is in backup_copy_to_region 'us-west-2'"], id="bak01-dr-key-region"),
]


@pytest.mark.parametrize("extra, expected", BAD_INPUTS)
def test_bad_input_refused_before_any_aws_call(standin, extra, expected):
    env = standin[0]
    subprocess.run(CTL + ["reset-calls"], env=env, check=True)
    code, output = _playbook(env, "site.yml", "local", *extra)
    assert code != 0, output
    for fragment in expected:
        assert fragment in output, f"{fragment!r} not in the refusal:\n{output[-3000:]}"
    assert "Traceback" not in output
    assert "Sup3r-Secret-Value" not in output
    if "platform_env=prod" in extra:
        assert "is also the suffix of" not in output, "F08 compared the inventory with its own platform.yml"
    assert standin_calls(env) == [], "the refused run reached the AWS API"


CORRECTED_TWINS = [
    pytest.param(["-e", "backup_copy_to_region=us-west-2", "-e", "backup_copy_kms_key_arn=arn:aws:kms:us-west-2:123456789012:key/abcd-1234"],
                 id="f07-dr-key-in-the-dr-region"),
    pytest.param(["-e", "ecs_cpu=512", "-e", "ecs_memory=4096", "-e", "ecs_log_retention_days=14"], id="aws01-valid-values"),
    pytest.param(["-e", "network_az_count=3"], id="net02-three-of-the-six-zones-of-us-east-1"),
    pytest.param(["-e", "aurora_serverless_v2=false", "-e", "aurora_instance_class=db.r6g.large"], id="f01-an-orderable-instance-class"),
]


@pytest.mark.parametrize("extra", CORRECTED_TWINS)
def test_corrected_twin_passes_the_preflight_without_changing_anything(standin, extra):
    env = standin[0]
    subprocess.run(CTL + ["reset-calls"], env=env, check=True)
    code, output = _playbook(env, "playbooks/preflight.yml", "local", *extra)
    assert code == 0, output[-3000:]
    assert "changed=0" in output
    assert [call for call in standin_calls(env) if call["mutating"]] == []


def test_no_credentials_stop_at_once_with_guidance(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        HOME=str(tmp_path),
    )
    code, output = _playbook(env, "site.yml", "dev")
    assert code != 0
    assert "No usable AWS credentials for environment dev (region us-west-2)" in output
    assert "AWS_PROFILE" in output and "AWS_ACCESS_KEY_ID" in output
    assert "Traceback" not in output
    assert "changed=0" in output


GUARDRAIL_REFUSALS = [
    pytest.param(
        ["-e", "aurora_engine_version=15.5", "-e", "aurora_serverless_v2=true"],
        ["aurora_engine_version: 15.5", "(F01)", "(F02)", "aurora_serverless_v2", "15.19"],
        id="f01-f02-aurora-15.5-serverless",
    ),
    pytest.param(["-e", "dms_engine_version=3.4.7"], ["dms_engine_version: 3.4.7", "(F04)", "3.6.1"], id="f04-dms-3.4.7"),
    # An instance class not orderable for the engine version: the refusal lists those that are (the stand-in's
    # DescribeOrderableDBInstanceOptions, tests/emulator/fixes.py, answers with the Graviton and burstable classes).
    pytest.param(["-e", "aurora_serverless_v2=false", "-e", "aurora_instance_class=db.x9.huge"],
                 ["aurora_instance_class: db.x9.huge is not orderable for aurora-postgresql 16.", "; orderable for 16.",
                  "db.r6g.large, db.r6g.xlarge, db.r7g.large", "(F01)"],
                 id="f01-instance-class-not-orderable"),
    pytest.param(
        ["-e", "aurora_backup_window=03:00-04:00", "-e", "aurora_maintenance_window=sun:03:30-sun:04:30"],
        ["F12", "aurora_backup_window", "overlaps"],
        id="f12-window-overlap",
    ),
    pytest.param(
        ["-e", "network_nat_mode=none", "-e", "network_vpc_endpoints=[]", "-e", "ecs_assign_public_ip=false"],
        ["F06", "network_vpc_endpoints", "ecr.api", "secretsmanager"],
        id="f06-no-route-to-ecr",
    ),
    pytest.param(
        ["-e", "network_nat_mode=none"],
        ["F06", "ecs_image", "public.ecr.aws/nginx/nginx-unprivileged:stable-alpine", "never ECR Public", "pull-through cache"],
        id="f06-ecr-public-through-endpoints",
    ),
    pytest.param(["-e", '{"ecs_log_options": {"awslogs-region": "eu-west-1"}}'], ["F07", "eu-west-1"], id="f07-region-literal"),
    pytest.param(["-e", "platform_name_suffix=dev"], ["F08", "platform_name_suffix", "dev"], id="f08-suffix-collision"),
    # NET02: the zones are looked up (a read call), and a count beyond them is refused before any change.
    pytest.param(["-e", "platform_region=us-west-1", "-e", "network_az_count=3"],
                 ["NET02", "network_az_count: 3 is more than the 2 available zones of us-west-1 (us-west-1a, us-west-1b); valid: 1-2"],
                 id="net02-az-count-beyond-the-region"),
    # A rule a role declares as data (alb__preflight_rules, aurora__preflight_rules): collected from the roles' vars
    # by playbooks/preflight.yml and run by the same module, in the same table, before any change.
    pytest.param(["-e", "alb_health_check_timeout=30", "-e", "aurora_reader_count=16"],
                 ["ALB01", "alb_health_check_timeout", "must be less than", "AUR01", "aurora_reader_count: 16 is outside what AWS"],
                 id="role-rules-alb01-aur01"),
]


@pytest.mark.parametrize("extra, expected", GUARDRAIL_REFUSALS)
def test_guardrail_refusal_makes_no_mutating_call(standin, extra, expected):
    env = standin[0]
    subprocess.run(CTL + ["reset-calls"], env=env, check=True)
    code, output = _playbook(env, "site.yml", "local", *extra)
    assert code != 0, output
    for fragment in expected:
        assert fragment in output, f"{fragment!r} not in the refusal:\n{output[-3000:]}"
    mutating = [call for call in standin_calls(env) if call["mutating"]]
    assert mutating == [], f"the refused run mutated: {mutating}"


def test_a_password_written_as_a_literal_in_the_inventory_is_refused_and_the_same_value_injected_is_not(standin, tmp_path):
    """DMS01 reads the run's own inventory, not the files beside it: the literal's origin is its file; an extra variable's is not."""
    env, endpoint = standin
    inventory = tmp_path / "inventories" / "local"
    shutil.copytree(os.path.join(ROOT, "inventories", "local"), inventory)
    dms = inventory / "group_vars" / "payments_local" / "dms.yml"
    text = dms.read_text(encoding="utf-8")
    start = text.index("dms_source_password: >-")
    end = text.index("dms_start_task:")
    dms.write_text(text[:start] + "dms_source_password: Plain-Literal-42x\n" + text[end:], encoding="utf-8")
    run_env = dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    base = [os.path.join(BIN, "ansible-playbook"), "playbooks/preflight.yml", "-i", str(inventory),
            "-e", f"platform_aws_endpoint_url={endpoint}"]
    refused = subprocess.run(base, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=300, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output[-3000:]
    assert "dms_source_password is a plain literal in" in output and "group_vars/payments_local/dms.yml: dms_source_password" in output
    assert "Plain-Literal-42x" not in output
    # The same password given as an extra variable (as an AWX credential injects it) is not a literal in a file.
    injected = subprocess.run(base + ["-e", "dms_source_password=Plain-Literal-42x"], cwd=ROOT, env=run_env,
                              capture_output=True, text=True, timeout=300, check=False)
    output = injected.stdout + injected.stderr
    assert injected.returncode == 0, output[-3000:]
    assert "plain literal" not in output and "Plain-Literal-42x" not in output


def test_backup_selection_in_a_region_not_opted_in_for_aurora_refused_before_any_change(standin):
    """A tag-only selection is subject to the region's Backup opt-in: refused while Aurora is not opted in."""
    env, endpoint = standin
    backup = boto3.client("backup", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    backup.update_region_settings(ResourceTypeOptInPreference={"Aurora": False})
    try:
        subprocess.run(CTL + ["reset-calls"], env=env, check=True)
        code, output = _playbook(env, "site.yml", "local")
        assert code != 0, output[-3000:]
        for fragment in ("AWS Backup in us-east-1 is not opted in for Aurora", "Backup=true",
                         "aws backup update-region-settings --region us-east-1 --resource-type-opt-in-preference Aurora=true"):
            assert fragment in output, f"{fragment!r} not in the refusal:\n{output[-3000:]}"
        mutating = [call for call in standin_calls(env) if call["mutating"]]
        assert mutating == [], f"the refused run mutated: {mutating}"
    finally:
        backup.update_region_settings(ResourceTypeOptInPreference={"Aurora": True})
