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
