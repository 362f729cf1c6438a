# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each role's defaults live in one place: defaults/main.yml.

meta/argument_specs.yml types every input and may repeat a literal default for ansible-doc; when it does, the value
must be the one defaults/main.yml sets. A templated default (computed at run time) is described, not repeated.
"""

from __future__ import annotations

import glob
import os

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ROLES = sorted(os.path.basename(os.path.dirname(path)) for path in glob.glob(os.path.join(ROOT, "roles", "*", "defaults")))


def _load(role, *parts):
    with open(os.path.join(ROOT, "roles", role, *parts), encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@pytest.mark.parametrize("role", ROLES)
def test_every_default_is_a_typed_input_of_main(role):
    defaults = _load(role, "defaults", "main.yml")
    options = _load(role, "meta", "argument_specs.yml")["argument_specs"]["main"].get("options") or {}
    undeclared = sorted(set(defaults) - set(options))
    assert not undeclared, f"roles/{role}/defaults/main.yml sets inputs its argument spec does not declare: {undeclared}"
    untyped = sorted(name for name in defaults if "type" not in options[name])
    assert not untyped, f"roles/{role}/meta/argument_specs.yml gives no type for {untyped}"


@pytest.mark.parametrize("role", ROLES)
def test_argument_spec_defaults_equal_the_role_defaults(role):
    defaults = _load(role, "defaults", "main.yml")
    differ = []
    for entry, spec in _load(role, "meta", "argument_specs.yml")["argument_specs"].items():
        for name, option in (spec.get("options") or {}).items():
            if "default" not in option:
                continue
            if name not in defaults:
                differ.append(f"{entry}.{name}: the spec gives a default ({option['default']!r}) that defaults/main.yml does not set")
            elif "{{" in str(defaults[name]):
                differ.append(f"{entry}.{name}: defaults/main.yml computes it ({defaults[name]!r}); describe it instead of a spec default")
            elif option["default"] != defaults[name]:
                differ.append(f"{entry}.{name}: spec default {option['default']!r}, defaults/main.yml {defaults[name]!r}")
    assert not differ, f"roles/{role}: " + "; ".join(differ)


@pytest.mark.parametrize("role", ROLES)
def test_the_readme_shows_every_default_with_its_value(role):
    """Each role's README lists its variables (a YAML block of defaults, or a table of `name`s) with the role's defaults."""
    defaults = _load(role, "defaults", "main.yml")
    with open(os.path.join(ROOT, "roles", role, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    shown = {}
    for block in readme.split("```yaml")[1:]:
        try:
            data = yaml.safe_load(block.split("```", 1)[0])
        except yaml.YAMLError:
            continue
        if isinstance(data, dict):  # a list is an example playbook, not the variables block
            shown.update(data)
    missing = sorted(name for name in defaults if name not in shown and f"`{name}`" not in readme)
    assert not missing, f"roles/{role}/README.md does not list {missing}"
    differ = sorted(name for name in defaults if name in shown and shown[name] != defaults[name])
    assert not differ, f"roles/{role}/README.md shows other defaults than defaults/main.yml for {differ}"
