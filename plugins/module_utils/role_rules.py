# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight rules a role declares as data, and the one engine that runs them.

A role owns the limits AWS puts on its own inputs. It declares them in ``roles/<role>/vars/main.yml``
as ``<role>__preflight_rules``, a list of rules; ``playbooks/preflight.yml`` collects every role's list
and passes it to the ``preflight`` module (option ``role_rules``), which runs them beside the central
rules of ``preflight_rules.RULES`` (the cross-tier ones, and those whose logic is more than a bound).
Adding such a rule touches the role's directory only. A rule::

    - id: ALB01                        # unique among every rule, central or declared
      name: alb-accepted-values        # unique, kebab-case; rules/skip_rules take either
      title: Load balancer values AWS accepts
      severity: error                  # or warning
      reference: https://docs.aws.amazon.com/...   # where AWS states the limits
      checks:
        - {kind: range, variable: alb_idle_timeout, min: 1, max: 4000, unit: seconds}
        - {kind: less_than, variable: alb_health_check_timeout, than: alb_health_check_interval}

Check kinds: ``range`` (a whole number from ``min`` to ``max``; with ``step``, a multiple of it, or one
of ``also``), ``one_of`` (one of ``values``), ``less_than`` (below the variable ``than``) and
``product_at_most`` (``variable`` times ``by`` at most ``max``). A check may carry ``when``
(``{variable: <name>, below: <number>}`` or ``{variable: <name>, equals: <value>}``): it applies only then,
and ``because``: why AWS refuses, appended to the message. A check whose variable the run does not set
(its role is not in the play) is not applicable. Pure Python, no AWS call.
"""

from __future__ import annotations

import re

from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import Rule
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import _whole

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
ID_RE = re.compile(r"^[A-Z]{2,8}[0-9]{2}$")
SEVERITIES = ("error", "warning")
RULE_KEYS = frozenset(("role", "id", "name", "title", "severity", "reference", "checks"))

# Each kind: the keys it requires and the keys it may carry beside them.
KINDS = {
    "range": (("variable",), ("min", "max", "step", "also", "unit", "when", "because")),
    "one_of": (("variable", "values"), ("when", "because")),
    "less_than": (("variable", "than"), ("unit", "when", "because")),
    "product_at_most": (("variable", "by", "max"), ("unit", "when", "because")),
}


class RuleError(ValueError):
    """A declaration the engine cannot run; the message names the role, the rule and what is wrong."""


def _where(rule):
    return f"{rule.get('role') or 'a role'}__preflight_rules rule {rule.get('id') or rule.get('name') or '?'}"


def _validate_check(rule, index, check):
    where = f"{_where(rule)} check {index + 1}"
    if not isinstance(check, dict):
        raise RuleError(f"{where}: must be a mapping with a kind, got {check!r}")
    kind = check.get("kind")
    if kind not in KINDS:
        raise RuleError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    required, optional = KINDS[kind]
    missing = [key for key in required if check.get(key) in (None, "", [])]
    unknown = sorted(set(check) - {"kind"} - set(required) - set(optional))
    if missing or unknown:
        raise RuleError(f"{where} ({kind}): " + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown key(s) {', '.join(unknown)}"] if unknown else [])))
    numbers = [key for key in ("min", "max", "step") if key in check]
    if kind == "range" and not {"min", "max", "step"} & set(check):
        raise RuleError(f"{where} (range): give min, max or step")
    bad = [key for key in numbers if _whole(check[key]) is None]
    if bad:
        raise RuleError(f"{where} ({kind}): {', '.join(bad)} must be whole numbers")
    when = check.get("when")
    if when is not None and (not isinstance(when, dict) or "variable" not in when or not {"below", "equals"} & set(when)):
        raise RuleError(f"{where}: when must be {{variable: <name>, below: <number>}} or {{variable: <name>, equals: <value>}}")


def load(declared, taken=()):
    """Rule objects for the declarations in ``declared``; ``taken``: the ids and names already in use."""
    rules, seen = [], set(taken)
    for rule in declared or ():
        if not isinstance(rule, dict):
            raise RuleError(f"a role's __preflight_rules holds {rule!r}; each rule is a mapping (id, name, title, ...)")
        where = _where(rule)
        unknown = sorted(set(rule) - RULE_KEYS)
        missing = [key for key in ("id", "name", "title", "severity", "reference", "checks") if not rule.get(key)]
        if unknown or missing:
            raise RuleError(f"{where}: " + "; ".join(
                ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown key(s) {', '.join(unknown)}"] if unknown else [])))
        if not ID_RE.match(str(rule["id"])):
            raise RuleError(f"{where}: id {rule['id']!r} must be 2-8 capital letters and two digits (ALB01)")
        if not NAME_RE.match(str(rule["name"])):
            raise RuleError(f"{where}: name {rule['name']!r} must be kebab-case words (alb-accepted-values)")
        if rule["severity"] not in SEVERITIES:
            raise RuleError(f"{where}: severity {rule['severity']!r} is not one of {', '.join(SEVERITIES)}")
        clash = [key for key in (rule["id"], rule["name"]) if key in seen]
        if clash:
            raise RuleError(f"{where}: {', '.join(clash)} is already the id or name of another rule; each must be unique")
        seen.update((rule["id"], rule["name"]))
        if not isinstance(rule["checks"], list):
            raise RuleError(f"{where}: checks must be a list")
        for index, check in enumerate(rule["checks"]):
            _validate_check(rule, index, check)
        reads = []
        for check in rule["checks"]:
            for key in (check["variable"], check.get("than"), check.get("by"), (check.get("when") or {}).get("variable")):
                if key and key not in reads:
                    reads.append(key)
        made = Rule(rule["id"], rule["severity"], rule["title"], rule["reference"], run, reads, name=rule["name"])
        made.checks = tuple(rule["checks"])
        made.role = rule.get("role") or ""
        rules.append(made)
    return tuple(rules)


def _applies(when, config):
    if not when:
        return True
    if when["variable"] not in config:
        return False
    value = config[when["variable"]]
    if "equals" in when:
        return str(value).strip().lower() == str(when["equals"]).strip().lower()
    number = _whole(value)
    return number is not None and number < _whole(when["below"])


def _problem(check, config):
    """What is wrong with the check's variable, or None; a check that does not apply is not a problem."""
    name = check["variable"]
    if name not in config or not _applies(check.get("when"), config):
        return None
    value = config[name]
    unit = f" {check['unit']}" if check.get("unit") else ""
    kind = check["kind"]
    if kind == "one_of":
        allowed = [str(item) for item in check["values"]]
        return None if str(value) in allowed else f"{name}: {value!r} is not one AWS accepts; use one of {', '.join(allowed)}"
    number = _whole(value)
    if number is None:
        return f"{name}: {value!r} is not a whole number"
    if kind == "range":
        low, high, step = (_whole(check[key]) if key in check else None for key in ("min", "max", "step"))
        also = [_whole(item) for item in check.get("also", [])]
        if number in also:
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"from {low} to {high}" if low is not None and high is not None else (
                f"at least {low}" if low is not None else f"at most {high}")
            extra = f", or one of {', '.join(str(item) for item in also)}" if also else ""
            return f"{name}: {number}{unit} is outside what AWS accepts, {bounds}{unit}{extra}"
        if step and number % step:
            extra = f", or one of {', '.join(str(item) for item in also)}" if also else ""
            return f"{name}: {number}{unit} is not a multiple of {step}{extra}, which AWS requires"
        return None
    other = check["than"] if kind == "less_than" else check["by"]
    if other not in config:
        return None
    second = _whole(config[other])
    if second is None:
        return f"{other}: {config[other]!r} is not a whole number"
    if kind == "less_than":
        return None if number < second else f"{name}: {number}{unit} must be less than {other} ({second}{unit})"
    limit = _whole(check["max"])
    if number * second <= limit:
        return None
    return f"{name} x {other}: {number} x {second} = {number * second}{unit}, more than the {limit}{unit} AWS allows"


def run(rule, config, params):  # pylint: disable=unused-argument
    """The findings of one declared rule: one per check that fails, or one pass (or skip when none applies)."""
    applicable = [check for check in rule.checks if check["variable"] in config and _applies(check.get("when"), config)]
    failed = []
    for check in rule.checks:
        problem = _problem(check, config)
        if problem:
            because = f" ({check['because']})" if check.get("because") else ""
            status = "fail" if rule.severity == "error" else "warn"
            failed.append(rule.finding(status, check["variable"], config.get(check["variable"]), problem + because))
    if failed:
        return failed
    if not applicable:
        return [rule.finding("skip", rule.reads[0], None, f"none of {', '.join(rule.reads)} is set in this run")]
    shown = sorted({check["variable"] for check in applicable})
    return [rule.finding("pass", shown[0], config.get(shown[0]), f"{', '.join(shown)}: within what AWS accepts")]
