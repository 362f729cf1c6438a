# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The preflight rules the roles ship as data (<role>__preflight_rules in roles/<role>/vars/main.yml).

Every declaration is checked from the data itself, so a rule a role adds is tested without a new test:
it loads, it reads only its own role's inputs, its role's README lists it, the role's defaults pass it,
and each bound of each range is enforced at the bound and one past it.
"""

from __future__ import annotations

import os

import pytest
import yaml
from role_declarations import ROOT  # pylint: disable=import-error
from role_declarations import effective  # pylint: disable=import-error
from role_declarations import role_rules  # pylint: disable=import-error

from ansible_collections.payments.aws_platform.plugins.module_utils import preflight_rules as pr
from ansible_collections.payments.aws_platform.plugins.module_utils import role_rules as rr

TAKEN = tuple(pr.RULE_ALIASES) + ("VER01", "engine-versions")
DECLARED = role_rules()
LOADED = rr.load(DECLARED, TAKEN)
CHECKS = [(rule, check) for rule in LOADED for check in rule.checks]


def _label(item):
    return item.id if hasattr(item, "id") else f"{item[0].id}-{item[1]['kind']}-{item[1]['variable']}"


def _options(role):
    with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        return set(yaml.safe_load(handle)["argument_specs"]["main"]["options"])


def _run(rule, **overrides):
    return pr.evaluate(dict(effective({}), **overrides), [rule.id], extra_rules=(rule,))


def test_the_roles_declare_rules_and_every_declaration_loads():
    assert {rule.role for rule in LOADED} >= {"alb", "aurora"}
    assert len({rule.id for rule in LOADED}) == len(LOADED) == len(DECLARED)


@pytest.mark.parametrize("rule", LOADED, ids=_label)
def test_a_declared_rule_reads_only_inputs_of_its_own_role(rule):
    foreign = sorted(set(rule.reads) - _options(rule.role))
    assert not foreign, f"{rule.role}__preflight_rules {rule.id} reads {foreign}, which roles/{rule.role} does not declare"


@pytest.mark.parametrize("rule", LOADED, ids=_label)
def test_a_declared_rule_is_listed_in_its_roles_readme(rule):
    with open(os.path.join(ROOT, "roles", rule.role, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    assert "## Preflight rules" in readme and f"`{rule.id}`" in readme and f"`{rule.name}`" in readme


@pytest.mark.parametrize("rule", LOADED, ids=_label)
def test_the_roles_defaults_pass_every_declared_rule(rule):
    assert [f["status"] for f in _run(rule)] == ["pass"], _run(rule)


@pytest.mark.parametrize("pair", [pair for pair in CHECKS if pair[1]["kind"] == "range"], ids=_label)
def test_each_bound_of_a_declared_range_is_accepted_and_one_past_it_refused_naming_the_variable(pair):
    rule, check = pair
    # The check alone: another check of the rule (timeout below interval) must not decide the bound's verdict.
    (rule,) = rr.load([dict(next(d for d in DECLARED if d["id"] == rule.id), checks=[check])])
    name = check["variable"]
    for bound, past in (("min", -1), ("max", 1)):
        if bound not in check:
            continue
        limit = int(check[bound])
        at = [f for f in _run(rule, **{name: limit}) if f["status"] == "fail" and f["variable"] == name]
        beyond = [f for f in _run(rule, **{name: limit + past}) if f["status"] in ("fail", "warn") and f["variable"] == name]
        assert at == [], f"{name}: {limit} is AWS's {bound} and must pass: {at}"
        assert len(beyond) == 1 and str(limit + past) in beyond[0]["message"] and name in beyond[0]["message"]


def _central_rules_reading(role):
    return [rule for rule in pr.RULES if any(name.startswith(f"{role}_") for name in rule.reads)]


# The roles whose inputs a central rule reads (monitoring and outputs have none: their rules, if any, are data).
READ_ROLES = [role for role in sorted(os.listdir(os.path.join(ROOT, "roles"))) if _central_rules_reading(role)]


def test_the_central_rules_read_the_inputs_of_most_roles():
    assert len(READ_ROLES) >= 10 and {"aurora", "network", "platform", "storage"} <= set(READ_ROLES)


@pytest.mark.parametrize("role", READ_ROLES)
def test_a_roles_readme_lists_every_central_rule_that_reads_its_inputs(role):
    """The role's README is where a user finds every guardrail on its inputs, the central rules among them."""
    with open(os.path.join(ROOT, "roles", role, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    reading = _central_rules_reading(role)
    assert "## Preflight rules" in readme, f"roles/{role}/README.md has no Preflight rules section"
    section = readme.split("## Preflight rules", 1)[1].split("\n## ", 1)[0]
    missing = [f"{rule.id} {rule.name}" for rule in reading if f"`{rule.id}`" not in section or f"`{rule.name}`" not in section]
    assert not missing, f"roles/{role}/README.md's Preflight rules section does not list {missing}"
