"""docs/failure-catalogue.md stays true: every entry cited in the code exists, and every file and test it names is real."""

import ast
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOC = os.path.join(ROOT, "docs", "failure-catalogue.md")

with open(DOC, encoding="utf-8") as _handle:
    TEXT = _handle.read()
ENTRIES = set(re.findall(r"^## (F\d\d):", TEXT, re.M))


def test_every_entry_from_f01_to_f19_is_there_once():
    assert sorted(ENTRIES) == ["F%02d" % n for n in range(1, 20)]
    assert len(re.findall(r"^## F\d\d:", TEXT, re.M)) == 19


def test_every_catalogue_id_the_collection_cites_has_an_entry():
    tracked = subprocess.check_output(["git", "-C", ROOT, "ls-files", "plugins", "roles", "playbooks", "README.md"], text=True)
    cited = set()
    for path in tracked.split():
        with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        cited |= set(re.findall(r"(?:failure[- ]catalogue\W{0,3}|\()(F\d\d)\b", text))
    assert cited, "no citation found: the pattern no longer matches how the code cites the catalogue"
    assert cited <= ENTRIES, sorted(cited - ENTRIES)


def test_every_file_the_catalogue_names_exists():
    paths = set(re.findall(r"`((?:plugins|roles|playbooks|tests|extensions|docs)/[\w./-]+\.(?:py|yml|md|json))", TEXT))
    assert len(paths) > 20
    missing = sorted(p for p in paths if not os.path.isfile(os.path.join(ROOT, p)))
    assert not missing, missing


def test_every_test_function_the_catalogue_names_exists():
    named = set(re.findall(r"`(tests/[\w./-]+\.py)::(\w+)", TEXT))
    assert named
    missing = []
    for path, function in sorted(named):
        with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        defined = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        if function not in defined:
            missing.append(f"{path}::{function}")
    assert not missing, missing
