# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""F13: a generated master password is stored in Secrets Manager and never printed, even at -vvv.

Reads the password back from the stand-in's Secrets Manager after the real site.yml ran (the shared
local stack: AWX-style jobs, the first at -vvv) and looks for it in everything ansible-playbook printed.
"""

from __future__ import annotations

import json
import os

from standin_support import master_secret as _master_secret  # pylint: disable=import-error

# The deployment is the shared ``local_stack`` (conftest.py): two AWX-style jobs of site.yml in
# generated mode, the first at -vvv; their whole output is the runner's stdout artifact.


def test_f13_generated_mode_converges(local_stack):
    first = local_stack["first"]
    assert first["rc"] == 0, f"site.yml failed in generated mode:\n{first['stdout'][-4000:]}"
    assert "failed=0" in first["stdout"]
    assert "<127.0.0.1> EXEC" in first["stdout"] or "ESTABLISH LOCAL CONNECTION" in first["stdout"], "the first job did not run at -vvv"


def test_f13_generated_password_never_printed(local_stack):
    stdout = local_stack["first"]["stdout"] + local_stack["first"]["output"]
    value = json.loads(_master_secret(local_stack["endpoint"]))
    password = value["password"]
    assert value["username"] == "payments_admin"
    assert 8 <= len(password) <= 41 and not set(password) & set('/"@ ')
    assert password not in stdout, "the master password appears in ansible-playbook's output"
    assert json.dumps(password)[1:-1] not in stdout, "the master password appears JSON-escaped in the output"


def test_f13_second_run_keeps_the_password_and_changes_nothing(local_stack):
    second = local_stack["second"]
    assert second is not None and second["rc"] == 0, "the second job failed"
    assert local_stack["password_after_second"] == local_stack["password"], "the second run replaced the master password"
    assert local_stack["password"] not in second["stdout"] + second["output"]
    assert _changed_security_tasks(second["stdout"]) == [], "the security role is not idempotent"


def _changed_security_tasks(stdout):
    """Names of the security role's tasks that reported a change."""
    changed, task = [], ""
    for line in stdout.splitlines():
        if line.startswith("TASK ["):
            task = line
        elif line.startswith("changed:") and "payments.aws_platform.security :" in task:
            changed.append(task)
    return changed


def test_dms_source_and_database_users_credentials_never_printed(local_stack):
    """The source password and the app and dms users' generated passwords are stored in secrets, never printed at -vvv."""
    env, endpoint = local_stack["env"], local_stack["endpoint"]
    stdout, stderr = local_stack["first"]["stdout"], local_stack["first"]["output"]
    source = json.loads(_master_secret(endpoint, "payments/local/dms/source"))
    app = json.loads(_master_secret(endpoint, "payments/local/aurora/app"))
    dms = json.loads(_master_secret(endpoint, "payments/local/aurora/dms"))
    with open(os.path.join(env["EMULATOR_STATE_DIR"], "dms-source-password"), encoding="utf-8") as handle:
        assert source["password"] == handle.read().strip()
    for password in (source["password"], app["password"], dms["password"]):
        assert len(password) >= 8
        assert password not in stdout + stderr, "a DMS credential appears in ansible-playbook's output"
