# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every survey spec in playbooks/awx/vars/*.yml passes AWX's own survey rules.

AWX rejects a bad survey only when configure.yml posts it (HTTP 400 from
``/api/v2/job_templates/<id>/survey_spec/``), i.e. against a live controller. ``awx_survey_errors``
below re-implements those rules so that CI finds the error first. Its sources, in ansible/awx:

- ``awx/api/views/__init__.py``, ``JobTemplateSurveySpec._validate_spec_data`` (also used by
  ``WorkflowJobTemplateSurveySpec``): the spec is a dict with ``name`` (str), ``description`` (str)
  and a non-empty ``spec`` list; each item is a dict with ``type``, ``question_name``, ``variable``
  (str) and ``required`` (bool); ``variable`` is unique; ``type`` is a key of
  ``SURVEY_TYPE_MAPPING`` (``awx/main/constants.py``: text, textarea, password, multiplechoice,
  multiselect -> str, integer -> int, float -> float or int) and a non-empty ``default`` has that
  Python type; ``min``/``max`` are integers or None; multiplechoice/multiselect need ``choices`` (a
  list, or a newline-separated string), a multiplechoice has at most one default and every default
  is one of the choices; ``$encrypted$`` defaults are reserved for password questions.
- ``awx/main/models/mixins.py``, ``SurveyJobTemplateMixin._survey_element_validation``: at launch,
  ``min``/``max`` bound the length of text/textarea/password answers and the value of
  integer/float answers, and a default is only applied if it passes the same checks. So, beyond
  what the API refuses: ``min <= max`` (otherwise no answer is accepted), and a default must satisfy
  them (otherwise AWX silently drops it).
"""

from __future__ import annotations

import copy
import glob
import os

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
VARS_DIR = os.path.join(ROOT, "playbooks", "awx", "vars")

# awx/main/constants.py SURVEY_TYPE_MAPPING
SURVEY_TYPE_MAPPING = {
    "text": str,
    "textarea": str,
    "password": str,
    "multiplechoice": str,
    "multiselect": str,
    "integer": int,
    "float": (float, int),
}


def _choices(item):
    choices = item["choices"]
    if isinstance(choices, str):
        return [choice for choice in choices.splitlines() if choice.strip()]
    return list(choices)


def _defaults(item):
    # Only strings get here: AWX's type check above refuses any other default for these types.
    return [value for value in item["default"].splitlines() if value.strip()]


def _bounds_errors(idx, item):
    """The launch-time checks of mixins.py applied to the spec itself: min <= max, default within."""
    errors = []
    low, high = item.get("min"), item.get("max")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        errors.append(f"question {idx}: min {low} > max {high}: no answer can be accepted")
    default = item.get("default")
    if default in (None, "") or item["type"] not in SURVEY_TYPE_MAPPING or item["type"].startswith("multi"):
        return errors
    measure = len(default) if isinstance(default, str) else default
    if isinstance(low, int) and measure < low:
        errors.append(f"question {idx}: default {default!r} is below min {low}")
    if isinstance(high, int) and measure > high:
        errors.append(f"question {idx}: default {default!r} is above max {high}")
    return errors


def _item_errors(idx, item):  # pylint: disable=too-many-return-statements
    if not isinstance(item, dict):
        return [f"question {idx} is not a json object"]
    for field in ("type", "question_name", "variable", "required"):
        if field not in item:
            return [f"'{field}' missing from survey question {idx}"]
        expected = bool if field == "required" else str
        if not isinstance(item[field], expected):
            return [f"'{field}' in survey question {idx} expected to be {expected.__name__}"]
    qtype = item["type"]
    if qtype not in SURVEY_TYPE_MAPPING:
        return [f"'{qtype}' in survey question {idx} is not one of {', '.join(SURVEY_TYPE_MAPPING)}"]
    default = item.get("default", "")
    # bool is an int in Python, AWX accepts it for integer; a YAML true for a number is a mistake.
    if default != "" and (not isinstance(default, SURVEY_TYPE_MAPPING[qtype]) or isinstance(default, bool)):
        return [f"default {default!r} in survey question {idx} expected to be {qtype}"]
    for key in ("min", "max"):
        value = item.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            return [f"the {key} limit in survey question {idx} expected to be integer"]
    if qtype in ("multiplechoice", "multiselect"):
        if "choices" not in item:
            return [f"survey question {idx} of type {qtype} must specify choices"]
        if not isinstance(item["choices"], (str, list)) or not _choices(item):
            return [f"survey question {idx}: choices must be a non-empty list or newline-separated string"]
        if "default" in item:
            defaults = _defaults(item)
            if qtype == "multiplechoice" and len(defaults) > 1:
                return [f"survey question {idx}: multiple choice (single select) can only have one default value"]
            if any(value not in _choices(item) for value in defaults):
                return [f"survey question {idx}: default choice must be answered from the choices listed"]
    if isinstance(default, str) and default.startswith("$encrypted$") and qtype != "password":
        return [f"$encrypted$ is a reserved keyword for password question defaults, survey question {idx}"]
    return _bounds_errors(idx, item)


def awx_survey_errors(spec):
    """Return the reasons AWX would refuse (or silently misapply) ``spec``; [] when it is valid."""
    if not isinstance(spec, dict):
        return ["the survey spec is not a json object"]
    errors = []
    for field, expected in (("name", str), ("description", str), ("spec", list)):
        if field not in spec:
            errors.append(f"field '{field}' is missing from survey spec")
        elif not isinstance(spec[field], expected):
            errors.append(f"expected {expected.__name__} for field '{field}', received {type(spec[field]).__name__}")
    if isinstance(spec.get("spec"), list) and not spec["spec"]:
        errors.append("'spec' doesn't contain any items")
    if errors:
        return errors
    seen = set()
    for idx, item in enumerate(spec["spec"]):
        item_errors = _item_errors(idx, item)
        if not item_errors and item["variable"] in seen:
            item_errors = [f"'variable' '{item['variable']}' duplicated in survey question {idx}"]
        if not item_errors:
            seen.add(item["variable"])
        errors.extend(item_errors)
    return errors


def _looks_like_survey(value):
    return isinstance(value, dict) and "spec" in value and "name" in value


def _load_survey_specs():
    """(id, spec) for every survey spec in the vars files: top-level ones and those in a dict of them."""
    found = []
    for path in sorted(glob.glob(os.path.join(VARS_DIR, "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        for var, value in data.items():
            if _looks_like_survey(value):
                found.append((f"{os.path.basename(path)}:{var}", value))
            elif isinstance(value, dict):
                found.extend((f"{os.path.basename(path)}:{var}.{key}", spec) for key, spec in value.items() if _looks_like_survey(spec))
    return found


SURVEYS = _load_survey_specs()


def _vars(name):
    with open(os.path.join(VARS_DIR, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_survey_specs_are_found():
    assert len(SURVEYS) >= 3, f"expected the teardown surveys in {VARS_DIR}, found {[survey[0] for survey in SURVEYS]}"


@pytest.mark.parametrize("spec", [survey[1] for survey in SURVEYS], ids=[survey[0] for survey in SURVEYS])
def test_survey_spec_passes_awx_rules(spec):
    assert awx_survey_errors(spec) == []


def test_every_environment_has_a_teardown_survey():
    environments = [env["name"] for env in _vars("environments.yml")["awx_environments"]]
    surveys = _vars("surveys.yml")["awx_teardown_surveys"]
    assert sorted(surveys) == sorted(environments), "one teardown survey per environment, and no other"


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_teardown_survey_accepts_only_the_environment_name(env):
    """The answer teardown.yml wants (confirm_destroy == platform_env) passes AWX's bounds, and is not pre-filled."""
    spec = _vars("surveys.yml")["awx_teardown_surveys"][env]
    question = {item["variable"]: item for item in spec["spec"]}["confirm_destroy"]
    assert question["required"] is True and question["type"] == "text"
    assert question.get("min", 0) <= len(env) <= question.get("max", len(env))
    assert question.get("default", "") != env, "the confirmation must be typed, never a default"
    assert env in question["question_name"]


def test_prod_teardown_also_asks_to_allow_prod_destroy():
    spec = _vars("surveys.yml")["awx_teardown_surveys"]["prod"]
    question = {item["variable"]: item for item in spec["spec"]}["allow_prod_destroy"]
    assert question["type"] == "multiplechoice" and question["required"] is True
    assert question["default"] == "false", "prod destruction must be opted into, not the default"
    assert sorted(_choices(question)) == ["false", "true"]
    for env in ("dev", "staging"):
        variables = [item["variable"] for item in _vars("surveys.yml")["awx_teardown_surveys"][env]["spec"]]
        assert "allow_prod_destroy" not in variables


GOOD_SPEC = {
    "name": "Teardown dev",
    "description": "Confirm.",
    "spec": [
        {"question_name": "Type dev", "type": "text", "variable": "confirm_destroy", "required": True, "min": 3, "max": 3},
        {"question_name": "Size", "type": "integer", "variable": "size", "required": False, "min": 1, "max": 9, "default": 2},
        {"question_name": "Ratio", "type": "float", "variable": "ratio", "required": False, "default": 1},
        {"question_name": "Pick", "type": "multiplechoice", "variable": "pick", "required": True, "choices": "a\nb", "default": "b"},
        {"question_name": "Many", "type": "multiselect", "variable": "many", "required": False, "choices": ["a", "b"], "default": "a\nb"},
        {"question_name": "Secret", "type": "password", "variable": "secret", "required": False, "default": "$encrypted$"},
    ],
}


def _broken(path, value):
    spec = copy.deepcopy(GOOD_SPEC)
    target = spec
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return spec


def test_checker_accepts_the_reference_spec():
    assert awx_survey_errors(GOOD_SPEC) == []


@pytest.mark.parametrize(
    "spec, reason",
    [
        ([], "not a json object"),
        (_broken(["name"], KeyError), "field 'name' is missing"),
        (_broken(["description"], 3), "expected str for field 'description'"),
        (_broken(["spec"], {}), "expected list for field 'spec'"),
        (_broken(["spec"], []), "doesn't contain any items"),
        (_broken(["spec", 0], "confirm_destroy"), "is not a json object"),
        (_broken(["spec", 0, "variable"], KeyError), "'variable' missing"),
        (_broken(["spec", 0, "question_name"], KeyError), "'question_name' missing"),
        (_broken(["spec", 0, "required"], "yes"), "'required' in survey question 0 expected to be bool"),
        (_broken(["spec", 0, "type"], "boolean"), "is not one of"),
        (_broken(["spec", 0, "type"], 1), "'type' in survey question 0 expected to be str"),
        (_broken(["spec", 1, "variable"], "confirm_destroy"), "duplicated"),
        (_broken(["spec", 1, "default"], "2"), "expected to be integer"),
        (_broken(["spec", 1, "default"], True), "expected to be integer"),
        (_broken(["spec", 2, "default"], "1.5"), "expected to be float"),
        (_broken(["spec", 0, "default"], 3), "expected to be text"),
        (_broken(["spec", 1, "min"], "1"), "min limit"),
        (_broken(["spec", 1, "max"], 1.5), "max limit"),
        (_broken(["spec", 1, "min"], 10), "min 10 > max 9"),
        (_broken(["spec", 1, "default"], 12), "above max 9"),
        (_broken(["spec", 0, "default"], "no"), "below min 3"),
        (_broken(["spec", 3, "choices"], KeyError), "must specify choices"),
        (_broken(["spec", 3, "choices"], []), "non-empty list"),
        (_broken(["spec", 3, "choices"], {"a": 1}), "non-empty list"),
        (_broken(["spec", 3, "default"], "c"), "from the choices listed"),
        (_broken(["spec", 3, "default"], "a\nb"), "only have one default"),
        (_broken(["spec", 4, "default"], "a\nz"), "from the choices listed"),
        (_broken(["spec", 4, "default"], ["a", "b"]), "expected to be multiselect"),  # AWX wants a newline string
        (_broken(["spec", 0, "default"], "$encrypted$"), "reserved keyword"),
    ],
)
def test_checker_rejects_what_awx_rejects(spec, reason):
    errors = awx_survey_errors(spec)
    assert any(reason in error for error in errors), errors
