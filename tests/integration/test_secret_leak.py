# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""F13: a generated master password is stored in Secrets Manager and never printed, even at -vvv.

Runs the real site.yml against a private AWS stand-in, then reads the password back from the
stand-in's Secrets Manager and looks for it in everything ansible-playbook printed.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from standin_support import BIN, ROOT  # pylint: disable=import-error
from standin_support import master_secret as _master_secret  # pylint: disable=import-error

# The private stand-in is the `standin` fixture of conftest.py (shared with test_awx.py).


def _playbook(env, *extra):
    cmd = [os.path.join(BIN, "ansible-playbook"), "site.yml", "-i", os.path.join(ROOT, "inventories", "local"), *extra]
    run_env = dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=900, check=False)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module", name="generated_run")
def fixture_generated_run(standin):
    env, endpoint = standin
    code, stdout, stderr = _playbook(env, "-vvv", "-e", "security_db_password_mode=generated")
    return code, stdout, stderr, endpoint


def test_f13_generated_mode_converges(generated_run):
    code, stdout, stderr = generated_run[:3]
    assert code == 0, f"site.yml failed in generated mode:\n{(stdout + stderr)[-4000:]}"
    assert "failed=0" in stdout


def test_f13_generated_password_never_printed(generated_run):
    stdout, stderr, endpoint = generated_run[1:]
    value = json.loads(_master_secret(endpoint))
    password = value["password"]
    assert value["username"] == "payments_admin"
    assert 8 <= len(password) <= 41 and not set(password) & set('/"@ ')
    assert password not in stdout, "the master password appears in ansible-playbook's stdout"
    assert password not in stderr, "the master password appears in ansible-playbook's stderr"
    assert json.dumps(password)[1:-1] not in stdout + stderr, "the master password appears JSON-escaped in the output"


def test_f13_second_run_keeps_the_password_and_changes_nothing(generated_run, standin):
    env, endpoint = standin
    before = _master_secret(endpoint)
    code, stdout, stderr = _playbook(env, "-e", "security_db_password_mode=generated")
    assert code == 0, (stdout + stderr)[-4000:]
    assert _master_secret(endpoint) == before, "the second run replaced the master password"
    assert json.loads(before)["password"] not in stdout + stderr
    assert _changed_security_tasks(stdout) == [], "the security role is not idempotent"


def _changed_security_tasks(stdout):
    """Names of the security role's tasks that reported a change."""
    changed, task = [], ""
    for line in stdout.splitlines():
        if line.startswith("TASK ["):
            task = line
        elif line.startswith("changed:") and "payments.aws_platform.security :" in task:
            changed.append(task)
    return changed


def test_dms_source_and_target_credentials_never_printed(generated_run, standin):
    """The DMS tier reads the master password and the source password into secrets; neither is printed at -vvv."""
    env, endpoint = standin
    _code, stdout, stderr, _endpoint = generated_run
    source = json.loads(_master_secret(endpoint, "payments/local/dms/source"))
    target = json.loads(_master_secret(endpoint, "payments/local/dms/target"))
    with open(os.path.join(env["EMULATOR_STATE_DIR"], "dms-source-password"), encoding="utf-8") as handle:
        assert source["password"] == handle.read().strip()
    assert target["password"] == json.loads(_master_secret(endpoint))["password"]
    assert target["host"].startswith("payments-local-aurora.cluster-")
    for password in (source["password"], target["password"]):
        assert len(password) >= 8
        assert password not in stdout + stderr, "a DMS credential appears in ansible-playbook's output"
