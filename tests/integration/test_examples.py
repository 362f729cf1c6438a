# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The seed architectures in inventories/examples pass the preflight, deploy and verify on the stand-in."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)
CTL = [sys.executable, os.path.join(ROOT, "tests", "emulator", "ctl.py")]


@pytest.fixture(scope="module", name="standin")
def fixture_standin(tmp_path_factory):
    state = str(tmp_path_factory.mktemp("examples-standin"))
    env = dict(os.environ, EMULATOR_STATE_DIR=state, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"),
               ANSIBLE_HOME=os.path.join(ROOT, ".ansible"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    endpoint = subprocess.run(CTL + ["start"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    yield env, ["-e", f"platform_aws_endpoint_url={endpoint}", "-e", "platform_aws_access_key=testing", "-e", "platform_aws_secret_key=testing"]
    subprocess.run(CTL + ["stop"], env=env, check=False, capture_output=True)


def _run(standin, playbook, example, *extra):
    env, endpoint_vars = standin
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook, "-i", os.path.join(ROOT, "inventories", "examples", example), *endpoint_vars, *extra]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_flask_api_milan_pinned_15_8_is_refused_with_alternatives(standin):
    code, output = _run(standin, "playbooks/preflight.yml", "flask-api-milan", "-e", "aurora_engine_version=15.8")
    assert code != 0
    assert "aurora_engine_version: 15.8 is deprecated for aurora-postgresql in eu-south-1" in output
    assert "nearest valid: 15.13, 15.12, 15.11" in output
    mutating = [c for c in json.loads(subprocess.run(CTL + ["calls"], env=standin[0], check=True, capture_output=True, text=True).stdout)
                if c["mutating"]]
    assert mutating == []


def test_flask_api_milan_policy_resolves_to_the_newest_15_in_milan(standin):
    code, output = _run(standin, "playbooks/preflight.yml", "flask-api-milan")
    assert code == 0, output[-3000:]
    assert "Aurora 15.13 (api)" in output


@pytest.mark.parametrize("example", ["dr-single-region", "flask-api-milan"])
def test_example_deploys_idempotently_and_verifies(standin, example):
    code, output = _run(standin, "site.yml", example)
    assert code == 0, output[-4000:]
    code, output = _run(standin, "site.yml", example)
    assert code == 0, output[-4000:]
    assert "changed=0" in output.split("PLAY RECAP")[-1], output.split("PLAY RECAP")[-1]
    code, output = _run(standin, "playbooks/verify.yml", example)
    assert code == 0, output[-4000:]


def test_dr_single_region_without_public_ips_is_refused_with_f06(standin):
    code, output = _run(standin, "playbooks/preflight.yml", "dr-single-region", "-e", "ecs_assign_public_ip=false")
    assert code != 0
    assert "F06" in output and "ecs_assign_public_ip" in output
