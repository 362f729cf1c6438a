# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared harness for module tests: run a module's main() and capture exit_json / fail_json."""

from __future__ import annotations

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from module_harness import AnsibleExitJson  # pylint: disable=import-error
from module_harness import AnsibleFailJson  # pylint: disable=import-error
from module_harness import exit_json as _exit_json  # pylint: disable=import-error
from module_harness import fail_json as _fail_json  # pylint: disable=import-error


@pytest.fixture(name="run_module")
def fixture_run_module(monkeypatch):
    """``run_module(module, args, check_mode=False, diff=False)`` returns the module's result dict."""
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)

    def run(module, args, check_mode=False, diff=False):
        module_args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(module_args):
            with pytest.raises((AnsibleExitJson, AnsibleFailJson)) as exc:
                module.main()
        return exc.value.args[0]

    return run


@pytest.fixture(name="aws_credentials")
def fixture_aws_credentials(monkeypatch):
    """Fake credentials and region for moto; nothing reaches AWS."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_URL", "EC2_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
