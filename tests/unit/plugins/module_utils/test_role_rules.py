# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine of the preflight rules a role declares as data (plugins/module_utils/role_rules.py)."""

from __future__ import annotations

import pytest

from ansible_collections.payments.aws_platform.plugins.module_utils import preflight_rules as pr
from ansible_collections.payments.aws_platform.plugins.module_utils import role_rules as rr

TAKEN = tuple(pr.RULE_ALIASES) + ("VER01", "engine-versions")


def declared(*checks, **fields):
    rule = {"role": "alb", "id": "TST01", "name": "test-limits", "title": "Test limits", "severity": "error",
            "reference": "https://docs.aws.amazon.com/", "checks": list(checks)}
    rule.update(fields)
    return rule


def findings(rule, **config):
    (loaded,) = rr.load([rule], TAKEN)
    return pr.evaluate(config, [loaded.id], extra_rules=(loaded,))


def failed(rule, **config):
    return [(f["variable"], f["message"]) for f in findings(rule, **config) if f["status"] == "fail"]


RANGE = {"kind": "range", "variable": "alb_idle_timeout", "min": 1, "max": 4000, "unit": "seconds"}


@pytest.mark.parametrize("value, bad", [(0, True), (1, False), (4000, False), (4001, True), ("60", False), (60.0, False)])
def test_a_range_accepts_its_bounds_and_refuses_beyond_them_naming_variable_value_and_range(value, bad):
    problems = failed(declared(RANGE), alb_idle_timeout=value)
    if bad:
        assert problems == [("alb_idle_timeout", f"alb_idle_timeout: {value} seconds is outside what AWS accepts, from 1 to 4000 seconds")]
    else:
        assert problems == []


@pytest.mark.parametrize("value", ["abc", True, 1.5, None])
def test_a_range_refuses_what_is_not_a_whole_number(value):
    assert failed(declared(RANGE), alb_idle_timeout=value) == [("alb_idle_timeout", f"alb_idle_timeout: {value!r} is not a whole number")]


@pytest.mark.parametrize("value, bad", [(10, False), (20, False), (30, False), (60, False), (300, False), (45, True), (90, True)])
def test_a_stepped_range_takes_multiples_of_its_step_or_the_values_it_also_allows(value, bad):
    check = {"kind": "range", "variable": "monitoring_period", "min": 60, "step": 60, "also": [10, 20, 30], "unit": "seconds"}
    problems = failed(declared(check), monitoring_period=value)
    assert bool(problems) is bad
    if bad:
        assert "10, 20, 30" in problems[0][1] or "outside" in problems[0][1]


def test_one_of_less_than_and_product_at_most():
    one_of = {"kind": "one_of", "variable": "network_flow_logs_max_aggregation_interval", "values": [60, 600]}
    assert failed(declared(one_of), network_flow_logs_max_aggregation_interval=600) == []
    assert "use one of 60, 600" in failed(declared(one_of), network_flow_logs_max_aggregation_interval=300)[0][1]
    less = {"kind": "less_than", "variable": "alb_health_check_timeout", "than": "alb_health_check_interval", "because": "why"}
    assert failed(declared(less), alb_health_check_timeout=5, alb_health_check_interval=15) == []
    assert failed(declared(less), alb_health_check_timeout=15, alb_health_check_interval=15) == [
        ("alb_health_check_timeout", "alb_health_check_timeout: 15 must be less than alb_health_check_interval (15) (why)")]
    product = {"kind": "product_at_most", "variable": "monitoring_period", "by": "monitoring_evaluation_periods", "max": 86400,
               "when": {"variable": "monitoring_period", "below": 3600}, "unit": "seconds"}
    assert failed(declared(product), monitoring_period=300, monitoring_evaluation_periods=288) == []
    assert failed(declared(product), monitoring_period=300, monitoring_evaluation_periods=289) == [
        ("monitoring_period", "monitoring_period x monitoring_evaluation_periods: 300 x 289 = 86700 seconds, more than the "
                              "86400 seconds AWS allows")]
    # ``when`` does not hold (a period of an hour or more): the one-day limit does not apply.
    assert failed(declared(product), monitoring_period=3600, monitoring_evaluation_periods=100) == []


def test_a_rule_whose_variables_the_run_does_not_set_is_skipped_and_a_warning_rule_warns():
    (finding,) = findings(declared(RANGE))
    assert (finding["status"], finding["rule"], finding["check"]) == ("skip", "TST01", "test-limits")
    (finding,) = findings(declared(RANGE), alb_idle_timeout=60)
    assert (finding["status"], finding["variable"]) == ("pass", "alb_idle_timeout")
    (finding,) = findings(declared(RANGE, severity="warning"), alb_idle_timeout=0)
    assert (finding["status"], finding["severity"]) == ("warn", "warning")


def test_a_loaded_rule_reads_exactly_the_variables_its_checks_name():
    less = {"kind": "less_than", "variable": "alb_health_check_timeout", "than": "alb_health_check_interval",
            "when": {"variable": "alb_state", "equals": "present"}}
    (loaded,) = rr.load([declared(RANGE, less)], TAKEN)
    assert loaded.reads == ("alb_idle_timeout", "alb_health_check_timeout", "alb_health_check_interval", "alb_state")
    assert (loaded.role, loaded.name, loaded.severity) == ("alb", "test-limits", "error")


@pytest.mark.parametrize("rule, message", [
    (declared(RANGE, id="DMS01"), "DMS01 is already the id or name of another rule"),
    (declared(RANGE, name="aurora-window-overlap"), "aurora-window-overlap is already the id or name of another rule"),
    (declared(RANGE, id="alb1"), "id 'alb1' must be 2-8 capital letters and two digits"),
    (declared(RANGE, name="Test_Limits"), "name 'Test_Limits' must be kebab-case"),
    (declared(RANGE, severity="fatal"), "severity 'fatal' is not one of error, warning"),
    (declared(RANGE, colour="red"), "unknown key(s) colour"),
    (declared(), "missing checks"),
    (declared({"kind": "between", "variable": "x"}), "check 1: kind 'between' is not one of"),
    (declared({"kind": "range", "variable": "x"}), "check 1 (range): give min, max or step"),
    (declared({"kind": "range", "variable": "x", "min": "one"}), "check 1 (range): min must be whole numbers"),
    (declared({"kind": "less_than", "variable": "x"}), "check 1 (less_than): missing than"),
    (declared({"kind": "one_of", "variable": "x", "values": [1], "colour": 2}), "unknown key(s) colour"),
    (declared({"kind": "range", "variable": "x", "min": 1, "when": {"variable": "y"}}), "when must be"),
])
def test_a_declaration_the_engine_cannot_run_is_refused_naming_the_role_the_rule_and_the_key(rule, message):
    with pytest.raises(rr.RuleError) as raised:
        rr.load([rule], TAKEN)
    assert message in str(raised.value)
    assert str(raised.value).startswith("alb__preflight_rules rule ")


def test_two_roles_cannot_declare_the_same_id():
    with pytest.raises(rr.RuleError, match="TST01 is already the id or name of another rule"):
        rr.load([declared(RANGE), declared(RANGE, role="ecs", name="other-limits")], TAKEN)
