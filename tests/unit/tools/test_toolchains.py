"""The two tested toolchains: the pins agree with each other and with what the collection declares."""

import os
import re

import yaml
from packaging.specifiers import SpecifierSet

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def _pins(name):
    pins = {}
    with open(os.path.join(ROOT, name), encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                package, version = line.split("==")
                pins[re.sub(r"\[.*\]", "", package)] = version
    return pins


def _yaml(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


DEFAULT = _pins("requirements.txt")
CORE219 = _pins("requirements-core2.19.txt")


def test_the_default_is_ansible_core_2_21_and_the_second_set_2_19():
    assert (DEFAULT["ansible"], DEFAULT["ansible-core"]) == ("14.5.0", "2.21.5")
    assert (CORE219["ansible"], CORE219["ansible-core"]) == ("12.3.0", "2.19.14")


def _tools(pins):
    return {k: v for k, v in pins.items() if k not in ("ansible", "ansible-core")}


def test_both_sets_pin_the_same_tools():
    assert _tools(DEFAULT) == _tools(CORE219)


def test_requires_ansible_admits_exactly_the_tested_cores():
    spec = SpecifierSet(_yaml("meta/runtime.yml")["requires_ansible"])
    for pins in (DEFAULT, CORE219):
        assert pins["ansible-core"] in spec
    for untested in ("2.18.9", "2.20.4", "2.22.0"):
        assert untested not in spec


def test_galaxy_dependencies_cover_the_bundled_collections_of_both():
    deps = _yaml("galaxy.yml")["dependencies"]
    bundled = {"12.3.0": {"amazon.aws": "10.1.2", "community.aws": "10.0.0"},
               "14.5.0": {"amazon.aws": "11.4.0", "community.aws": "11.2.0"}}
    for ansible in (DEFAULT["ansible"], CORE219["ansible"]):
        for collection, version in bundled[ansible].items():
            assert version in SpecifierSet(deps[collection].replace(" ", "")), (collection, version)


def test_the_execution_environment_runs_the_default_toolchain():
    ee = _yaml("execution-environment.yml")
    assert ee["dependencies"]["ansible_core"]["package_pip"] == "ansible-core==%s" % DEFAULT["ansible-core"]
    assert ee["dependencies"]["python_interpreter"]["python_path"] == "/usr/bin/python3.12"
    galaxy = {c["name"]: c.get("version") for c in ee["dependencies"]["galaxy"]["collections"]}
    assert galaxy["amazon.aws"] == "==11.4.0" and galaxy["community.aws"] == "==11.2.0"
