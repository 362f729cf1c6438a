# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DMS01: the migration source has credentials that are never a literal in inventory, and verifiable SSL."""

from __future__ import annotations

import pytest

from ansible_collections.payments.aws_platform.plugins.module_utils import preflight_rules as pr
from role_declarations import effective


def evaluate(config, *args):
    """The rules on ``config`` over the roles' defaults, as playbooks/preflight.yml calls them."""
    return pr.evaluate(effective(config), *args)


VAULTED = {"dms_enabled": True, "dms_source_username": "migration", "dms_source_password": "from-vault-xyz",
           "dms_source_host": "10.99.0.10", "dms_source_port": 5432}


def run(config, **params):
    return evaluate(config, ["DMS01"], params)


def failures(findings):
    return [(f["variable"], f["message"]) for f in findings if f["status"] == "fail"]


def test_disabled_migration_is_skipped():
    assert [f["status"] for f in run({})] == ["skip"]


@pytest.mark.parametrize("config", [VAULTED, {"dms_enabled": True, "dms_source_secret_id": "payments/onprem/prod-source"}])
def test_a_secret_or_vaulted_credentials_pass(config):
    findings = run(config)
    assert [f["status"] for f in findings] == ["pass"]


def test_no_credentials_name_what_is_missing():
    assert failures(run({"dms_enabled": True, "dms_source_username": "migration"})) == [(
        "dms_source_secret_id",
        "dms_enabled is true but the source has no credentials: set dms_source_secret_id (a Secrets Manager secret with "
        "username, password, host and port) or dms_source_password and dms_source_host (the password from ansible-vault "
        "or an AWX credential)",
    )]


def test_secret_and_password_are_exclusive():
    [(variable, message)] = failures(run(dict(VAULTED, dms_source_secret_id="s")))
    assert variable == "dms_source_secret_id" and "exclusive" in message


def test_a_literal_password_in_inventory_is_refused():
    [(variable, message)] = failures(run(VAULTED, secret_literals=["prod/group_vars/payments_prod/dms.yml: dms_source_password"]))
    assert variable == "dms_source_password"
    assert "plain literal in prod/group_vars/payments_prod/dms.yml: dms_source_password" in message
    assert "ansible-vault" in message


@pytest.mark.parametrize("port", [0, 70000, "abc"])
def test_bad_ports_are_refused(port):
    [(variable, message)] = failures(run(dict(VAULTED, dms_source_port=port)))
    assert variable == "dms_source_port" and "1-65535" in message


def test_verify_ssl_needs_a_certificate_and_none_warns():
    [(variable, message)] = failures(run(dict(VAULTED, dms_ssl_mode="verify-full")))
    assert variable == "dms_ssl_mode" and "dms_source_certificate_arn" in message
    assert [f["status"] for f in run(dict(VAULTED, dms_ssl_mode="verify-full", dms_source_certificate_arn="arn:c"))] == ["pass"]
    assert [f["status"] for f in run(dict(VAULTED, dms_ssl_mode="none"))] == ["warn"]
