# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A role's default has one home, roles/<role>/defaults/main.yml; nothing outside the role copies it.

The preflight and verify plays read the roles' defaults through each role's ``inputs`` entry point
(playbooks/includes/role_inputs.yml, include_role with public: true), below the inventory's values.
"""

from __future__ import annotations

import ast
import glob
import os
import re

import pytest
import yaml
from role_declarations import role_defaults  # pylint: disable=import-error

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ROLES = sorted(os.path.basename(os.path.dirname(path)) for path in glob.glob(os.path.join(ROOT, "roles", "*", "defaults")))
PLAYBOOKS = sorted(glob.glob(os.path.join(ROOT, "playbooks", "*.yml")) + glob.glob(os.path.join(ROOT, "playbooks", "includes", "*.yml"))
                   + glob.glob(os.path.join(ROOT, "roles", "*", "tasks", "verify.yml")))


def _defaults():
    return role_defaults(literal_only=False)


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_the_inputs_entry_point_and_it_runs_nothing(role):
    path = os.path.join(ROOT, "roles", role, "tasks", "inputs.yml")
    assert os.path.exists(path), f"roles/{role}/tasks/inputs.yml is missing: playbooks/includes/role_inputs.yml includes it"
    assert yaml.safe_load(_read(path)) == [], f"roles/{role}/tasks/inputs.yml must run no task"


def test_the_inputs_loop_covers_the_one_list_of_tiers():
    tiers = yaml.safe_load(_read(os.path.join(ROOT, "playbooks", "vars", "platform.yml")))["platform__roles"]
    assert sorted(tiers) == ROLES
    task = yaml.safe_load(_read(os.path.join(ROOT, "playbooks", "includes", "role_inputs.yml")))[0]
    assert task["loop"] == "{{ platform__roles }}"
    assert task["ansible.builtin.include_role"]["public"] is True
    assert task["ansible.builtin.include_role"]["tasks_from"] == "inputs"


@pytest.mark.parametrize("path", PLAYBOOKS, ids=lambda path: os.path.relpath(path, ROOT))
def test_no_playbook_reads_a_defaults_file_or_repeats_a_default(path):
    text = _read(path)
    reads = [line.strip() for line in text.splitlines() if "defaults/main.yml" in line.split("#", 1)[0]]
    assert not reads, f"{os.path.relpath(path, ROOT)} reads a role's defaults file ({reads}); include the role's inputs entry point"
    assert "platform__role_defaults" not in text
    repeated = []
    for name, value in _defaults().items():
        for match in re.finditer(rf"\b{re.escape(name)} \| default\(([^()]*)\)", text):
            if not match.group(1).endswith(", true"):  # default('', true) maps an explicit null or '' to ''
                repeated.append(f"{name} | default({match.group(1)}) (roles' default: {value!r})")
    assert not repeated, f"{os.path.relpath(path, ROOT)} repeats role defaults: {repeated}"


def test_the_preflight_rules_hold_no_copy_of_a_role_default():
    source = _read(os.path.join(ROOT, "plugins", "module_utils", "preflight_rules.py"))
    inputs = set(_defaults())
    copies = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            copies += [key.value for key in node.keys if isinstance(key, ast.Constant) and key.value in inputs]
        # config.get("<input>", <fallback>) or config.get("<input>") or <literal>
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and isinstance(node.values[-1], ast.Constant):
            first = node.values[0]
            if isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "get" and first.args \
                    and isinstance(first.args[0], ast.Constant) and first.args[0].value in inputs \
                    and node.values[-1].value not in ("", None):
                copies.append(f"{first.args[0].value} or {node.values[-1].value!r}")
    assert not copies, f"plugins/module_utils/preflight_rules.py copies role defaults: {sorted(set(copies))}"


@pytest.mark.parametrize("role", ROLES)
def test_a_verify_entry_point_has_its_argument_spec(role):
    """include_role tasks_from: verify validates the tier's inputs against the spec of the entry point of that name."""
    has_tasks = os.path.exists(os.path.join(ROOT, "roles", role, "tasks", "verify.yml"))
    specs = yaml.safe_load(_read(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")))["argument_specs"]
    assert has_tasks == ("verify" in specs), f"roles/{role}: tasks/verify.yml and the argument spec entry point verify go together"
    if has_tasks:
        assert specs["verify"]["options"] == specs["main"]["options"], f"roles/{role}: verify reads the inputs main deploys from"


ROLE_CODE = sorted(path for role in ROLES for kind in ("vars", "tasks", "templates")
                   for path in glob.glob(os.path.join(ROOT, "roles", role, kind, "*")))


@pytest.mark.parametrize("path", ROLE_CODE, ids=lambda path: os.path.relpath(path, ROOT))
def test_no_role_names_a_resource_with_a_literal_prefix(path):
    """One name prefix: every tier builds its names from platform_name_prefix (roles/platform), none writes its value."""
    prefix = _defaults()["platform_name_prefix"]
    literal = re.compile(rf"(?<![\w.]){re.escape(prefix)}[-/]")
    code = [line.strip() for line in _read(path).splitlines() if literal.search(line.split("#", 1)[0])]
    assert not code, f"{os.path.relpath(path, ROOT)} writes the name prefix {prefix!r} instead of platform_name_prefix: {code}"


def test_every_tier_that_names_resources_declares_the_one_prefix_and_no_role_has_its_own():
    """platform_name_prefix has its default in roles/platform only; each tier declares it required; no <role>_name_prefix."""
    owners = [role for role in ROLES if "platform_name_prefix" in (yaml.safe_load(_read(os.path.join(ROOT, "roles", role, "defaults", "main.yml"))) or {})]
    assert owners == ["platform"]
    for role in ROLES:
        specs = yaml.safe_load(_read(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")))["argument_specs"]
        options = {name for spec in specs.values() for name in (spec.get("options") or {})}
        assert not [name for name in options if name.endswith("_name_prefix") and name != "platform_name_prefix"], role
        uses = any("platform_name_prefix" in _read(path) for path in ROLE_CODE if f"/roles/{role}/" in path)
        if uses and role != "platform":
            assert specs["main"]["options"]["platform_name_prefix"].get("required") is True, role


def test_each_port_has_one_input_and_every_tier_on_that_connection_reads_it():
    """The app port, the database port and the DMS source port: one input each, read (and required) by each tier that uses it."""
    assert sorted(name for name in _defaults() if name.endswith("_port")) == ["dms_source_port", "network_app_port", "network_db_port"]
    readers = {"network_app_port": ["network", "alb", "ecs"], "network_db_port": ["network", "aurora"], "dms_source_port": ["dms", "network"]}
    for name, roles in readers.items():
        for role in roles:
            options = yaml.safe_load(_read(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")))["argument_specs"]["main"]["options"]
            assert name in options, f"roles/{role} uses {name} and must declare it"
            code = "".join(_read(path) for path in ROLE_CODE if f"/roles/{role}/" in path)
            assert re.search(rf"\b{name}\b", code), f"roles/{role} declares {name} but does not read it"
    # No tier derives a port of its own beside the one input.
    for path in ROLE_CODE:
        for line in _read(path).splitlines():
            if re.match(r"^[a-z_]+__[a-z_]*port:", line):
                assert re.search(r"\{\{ (network_app_port|network_db_port|dms_source_port) \| int \}\}", line), f"{path}: {line}"


def test_no_plugin_builds_a_resource_name_with_a_literal_prefix():
    """The rules compare names built from platform_name_prefix (F15's own bucket, BAK01's own vault), never 'payments-'."""
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, "plugins", "*", "*.py"))):
        for number, line in enumerate(_read(path).splitlines(), 1):
            if re.search(r"""f["']payments-\{""", line):
                found.append(f"{os.path.relpath(path, ROOT)}:{number}: {line.strip()}")
    assert not found, found
