"""What the roles declare for the preflight, read the way playbooks/preflight.yml reads it."""

import glob
import os

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def other_region_variables():
    """F07's allow-list: platform_env_regions and every role's ``<role>__other_region_variables``."""
    names = ["platform_env_regions"]
    for path in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "vars", "main.yml"))):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        for key, value in data.items():
            if key.endswith("__other_region_variables"):
                names.extend(value)
    return names


def role_defaults(literal_only=True):
    """Every role's defaults (roles/<role>/defaults/main.yml): what playbooks/preflight.yml shows the preflight
    module under the inventory's values. With ``literal_only`` a templated default is left out (the play templates it)."""
    defaults = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "defaults", "main.yml"))):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        defaults.update({key: value for key, value in data.items() if not literal_only or "{{" not in str(value)})
    return defaults


def effective(config):
    """``config`` (an inventory's values) over the roles' defaults, the configuration the preflight module is given."""
    return dict(role_defaults(), **(config or {}))


def known_variables():
    """VAR01's known names: every option of every entry point of every role's argument spec, as the preflight passes them."""
    names = set()
    for path in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml"))):
        with open(path, encoding="utf-8") as handle:
            specs = (yaml.safe_load(handle) or {}).get("argument_specs") or {}
        for spec in specs.values():
            names.update((spec.get("options") or {}).keys())
    return sorted(names)


def role_rules():
    """Every role's ``<role>__preflight_rules`` with ``role`` added, as playbooks/preflight.yml passes them (role_rules)."""
    rules = []
    for path in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "vars", "main.yml"))):
        role = os.path.basename(os.path.dirname(os.path.dirname(path)))
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        rules.extend(dict(rule, role=role) for rule in data.get(f"{role}__preflight_rules") or [])
    return rules
