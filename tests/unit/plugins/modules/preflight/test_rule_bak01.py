# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""BAK01: the AWS Backup inputs are refused before any AWS call when AWS would reject them (F16)."""

from __future__ import annotations

import pytest

from ansible_collections.payments.aws_platform.plugins.module_utils import preflight_rules as pr
from role_declarations import effective
from role_declarations import other_region_variables


def evaluate(config, *args):
    """The rules on ``config`` over the roles' defaults, as playbooks/preflight.yml calls them."""
    return pr.evaluate(effective(config), *args)


PROD = {
    "platform_env": "prod",
    "platform_region": "us-east-1",
    "platform_name_suffix": "prod",
    "backup_daily_retention_days": 35,
    # With continuous backup the cluster's retention is the daily rule's (as inventories/prod sets both).
    "aurora_backup_retention_days": 35,
    "backup_weekly_retention_days": 365,
    "backup_continuous_backup": True,
    "backup_vault_lock_min_retention_days": 35,
    "backup_copy_to_region": "us-west-2",
    "backup_weekly_copy_to": [{"region": "us-east-2", "vault": "payments-stg-vault", "retention_days": 35},
                              {"region": "us-west-2", "vault": "payments-dev-vault"}],
}


def run(**overrides):
    config = dict(PROD)
    config.update(overrides)
    return evaluate(config, ["BAK01"])


def failures(findings):
    return [(f["variable"], f["message"]) for f in findings if f["status"] == "fail"]


def test_bak01_prod_configuration_passes():
    findings = run()
    assert [f["status"] for f in findings] == ["pass"]
    assert "2 cross-environment copies, DR region us-west-2" in findings[0]["message"]


def test_bak01_defaults_pass_without_any_backup_variable():
    findings = evaluate({"platform_region": "us-east-1"}, ["BAK01"])
    assert [f["status"] for f in findings] == ["pass"]
    assert "0 cross-environment copies, DR region none" in findings[0]["message"]


def test_bak01_prod_cross_env_copies_are_not_foreign_region_literals():
    assert {f["status"] for f in evaluate(PROD, ["F07"], {"region_allowlist": other_region_variables()})} == {"pass"}


@pytest.mark.parametrize("overrides, variable, text", [
    ({"backup_daily_retention_days": 36}, "backup_daily_retention_days",
     "backup_daily_retention_days: 36 is outside 1-35 (continuous backup keeps 1-35 days)"),
    ({"backup_daily_retention_days": "a week", "backup_vault_lock_min_retention_days": 0}, "backup_daily_retention_days",
     "backup_daily_retention_days: 'a week' is not a whole number of days"),
    ({"backup_weekly_retention_days": 0}, "backup_weekly_retention_days", "backup_weekly_retention_days: 0 is outside 1-36500"),
    ({"backup_vault_lock_min_retention_days": 60}, "backup_vault_lock_min_retention_days",
     "backup_vault_lock_min_retention_days: 60 exceeds the shortest rule retention (35 days)"),
    ({"backup_vault_lock_min_retention_days": -1}, "backup_vault_lock_min_retention_days",
     "backup_vault_lock_min_retention_days: -1 is outside 0-36500"),
    ({"backup_vault_lock_changeable_for_days": 2}, "backup_vault_lock_changeable_for_days",
     "backup_vault_lock_changeable_for_days: 2 is not valid; give 0 (governance mode) or 3 or more days"),
    ({"backup_copy_to_region": "us-east-1"}, "backup_copy_to_region", "backup_copy_to_region: 'us-east-1' is platform_region"),
    ({"backup_copy_to_region": "west"}, "backup_copy_to_region", "backup_copy_to_region: 'west' is not an AWS region name"),
    ({"backup_weekly_copy_to": [{"region": "us-east-2"}]}, "backup_weekly_copy_to",
     "backup_weekly_copy_to[0]: {'region': 'us-east-2'} needs region (an AWS region name) and vault"),
    ({"backup_weekly_copy_to": ["payments-stg-vault"]}, "backup_weekly_copy_to", "backup_weekly_copy_to[0]: 'payments-stg-vault' needs region"),
    ({"backup_weekly_copy_to": [{"region": "us-east-1", "vault": "payments-prod-vault"}]}, "backup_weekly_copy_to",
     "is this environment's own vault"),
    ({"backup_weekly_copy_to": "payments-stg-vault"}, "backup_weekly_copy_to", "backup_weekly_copy_to: 'payments-stg-vault' is not a list"),
    ({"backup_copy_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/abcd-1234"}, "backup_copy_kms_key_arn",
     "is a key in us-east-1, but the DR vault is in backup_copy_to_region 'us-west-2'; a vault's key must be in the vault's region"),
    ({"backup_copy_kms_key_arn": "arn:aws:kms:us-west-2:123456789012:alias/dr"}, "backup_copy_kms_key_arn",
     "is not a KMS key ARN; AWS Backup needs arn:aws:kms:us-west-2:<account>:key/<key id> (not an alias)"),
    ({"backup_copy_to_region": "", "backup_copy_kms_key_arn": "arn:aws:kms:us-west-2:123456789012:key/abcd-1234"},
     "backup_copy_kms_key_arn", "is set but backup_copy_to_region is empty"),
])
def test_bak01_refuses_with_the_variable_the_value_and_what_is_valid(overrides, variable, text):
    found = failures(run(**overrides))
    assert any(v == variable and text in m for v, m in found), found


def test_bak01_a_dr_key_in_the_dr_region_passes():
    assert [f["status"] for f in run(backup_copy_kms_key_arn="arn:aws:kms:us-west-2:123456789012:key/abcd-1234")] == ["pass"]


def test_bak01_without_continuous_backup_allows_long_daily_retention():
    assert [f["status"] for f in run(backup_continuous_backup="false", backup_daily_retention_days=90)] == ["pass"]


def test_bak01_reports_every_problem_at_once():
    found = failures(run(backup_daily_retention_days=0, backup_copy_to_region="us-east-1", backup_weekly_copy_to=[{}]))
    assert [v for v, _m in found] == ["backup_daily_retention_days", "backup_copy_to_region", "backup_weekly_copy_to"]


def test_bak01_own_vault_is_named_with_the_platform_prefix_not_a_literal():
    own = [{"region": "us-east-1", "vault": "acme-prod-vault"}]
    assert any("is this environment's own vault" in m for _v, m in failures(run(platform_name_prefix="acme", backup_weekly_copy_to=own)))
    other = [{"region": "us-east-1", "vault": "payments-prod-vault"}]
    assert not [m for _v, m in failures(run(platform_name_prefix="acme", backup_weekly_copy_to=other)) if "own vault" in m]
