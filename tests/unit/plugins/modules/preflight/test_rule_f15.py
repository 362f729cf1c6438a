# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""F15: the transaction-log bucket's lifecycle and replication inputs are refused before any AWS call."""

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
    "storage_glacier_after_days": 90,
    "storage_expiry_days": 2555,
    "storage_noncurrent_expiry_days": 90,
    "storage_replicate_to": [{"suffix": "stg", "region": "us-east-2"},
                             {"suffix": "dev", "region": "us-west-2", "storage_class": "STANDARD_IA"}],
}


def run(**overrides):
    config = dict(PROD)
    config.update(overrides)
    return evaluate(config, ["F15"])


def failures(findings):
    return [(f["variable"], f["message"]) for f in findings if f["status"] == "fail"]


def test_f15_prod_replication_to_staging_and_dev_passes():
    findings = run()
    assert [f["status"] for f in findings] == ["pass"]
    assert "Glacier after 90 days, expiring after 2555; 2 replication destinations" in findings[0]["message"]


def test_f15_defaults_pass_without_any_storage_variable():
    findings = evaluate({"platform_region": "us-east-1", "platform_name_suffix": "local"}, ["F15"])
    assert [f["status"] for f in findings] == ["pass"]
    assert "expiring after 365; 0 replication destinations" in findings[0]["message"]


def test_f15_explicit_bucket_with_its_key_passes():
    findings = run(storage_replicate_to=[{"bucket": "payments-stg-txlog-123456789012", "region": "us-east-2",
                                          "kms_key": "alias/payments-stg-data"}])
    assert [f["status"] for f in findings] == ["pass"]
    assert "1 replication destination" in findings[0]["message"]


def test_f15_cross_region_destinations_are_not_foreign_region_literals():
    assert {f["status"] for f in evaluate(PROD, ["F07"], {"region_allowlist": other_region_variables()})} == {"pass"}


def test_f15_expiry_before_glacier_transition_refused():
    [(variable, message)] = failures(run(storage_expiry_days=60))
    assert variable == "storage_expiry_days"
    assert "60 is not after storage_glacier_after_days (90)" in message and "Valid: more than 90" in message


@pytest.mark.parametrize("variable, value, low", [
    ("storage_glacier_after_days", -1, 0),
    ("storage_glacier_after_days", "soon", 0),
    ("storage_expiry_days", 0, 1),
    ("storage_noncurrent_expiry_days", 0, 1),
    ("storage_noncurrent_expiry_days", True, 1),
])
def test_f15_invalid_days_refused(variable, value, low):
    [(found, message)] = failures(run(**{variable: value}))
    assert found == variable
    assert message == f"{variable}: {value!r} is not valid; give a whole number of days, {low} or more"


@pytest.mark.parametrize("item, expected", [
    ({"suffix": "stg"}, "region None is not an AWS region name"),
    ({"suffix": "stg", "region": "mars-1"}, "region 'mars-1' is not an AWS region name"),
    ({"region": "us-east-2"}, "give exactly one of bucket or suffix"),
    ({"region": "us-east-2", "suffix": "stg", "bucket": "b"}, "give exactly one of bucket or suffix"),
    ({"region": "us-east-2", "suffix": "Bad_Suffix"}, "suffix 'Bad_Suffix' is not a valid name suffix"),
    ({"region": "us-east-2", "bucket": "payments-stg-txlog-1"}, "needs kms_key, the destination's key in us-east-2"),
    ({"region": "us-east-2", "suffix": "stg", "storage_class": "COLD"}, "storage_class 'COLD' is not valid"),
    ({"region": "us-east-1", "suffix": "prod"}, "is this environment's own transaction-log bucket"),
    ({"region": "us-west-2", "bucket": "payments-prod-txlog-123456789012", "kms_key": "k"}, "own transaction-log bucket"),
    ("payments-stg", "is not a mapping"),
])
def test_f15_incomplete_or_own_destination_refused(item, expected):
    [(variable, message)] = failures(run(storage_replicate_to=[item]))
    assert variable == "storage_replicate_to"
    assert message.startswith("storage_replicate_to[0]: ") and expected in message


def test_f15_repeated_destination_refused():
    [(_variable, message)] = failures(run(storage_replicate_to=[{"suffix": "stg", "region": "us-east-2"}] * 2))
    assert message.startswith("storage_replicate_to[1]: ") and "repeats destination payments-stg-txlog- in us-east-2" in message


def test_f15_replicate_to_must_be_a_list():
    [(variable, message)] = failures(run(storage_replicate_to="stg"))
    assert variable == "storage_replicate_to" and "is not a list" in message


def test_f15_none_replicate_to_means_no_replication():
    assert [f["status"] for f in run(storage_replicate_to=None)] == ["pass"]


def test_f15_is_in_the_rule_table():
    assert "F15" in pr.RULE_IDS


def test_f15_own_bucket_is_named_with_the_platform_prefix_not_a_literal():
    """With platform_name_prefix acme the own bucket is acme-prod-txlog-...; a payments-prod-... bucket is another platform's."""
    own = {"region": "us-west-2", "bucket": "acme-prod-txlog-123456789012", "kms_key": "k"}
    [(_variable, message)] = failures(run(platform_name_prefix="acme", storage_replicate_to=[own]))
    assert "own transaction-log bucket (acme-prod-txlog-<account id> in us-east-1)" in message
    other = {"region": "us-west-2", "bucket": "payments-prod-txlog-123456789012", "kms_key": "k"}
    assert failures(run(platform_name_prefix="acme", storage_replicate_to=[other])) == []
    [(_variable, message)] = failures(run(platform_name_prefix="acme", storage_replicate_to=[{"suffix": "stg", "region": "us-east-2"}] * 2))
    assert "repeats destination acme-stg-txlog- in us-east-2" in message
