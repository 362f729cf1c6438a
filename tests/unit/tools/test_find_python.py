"""tools/find-python: the interpreter `make setup` builds a toolchain's venv with."""

import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SCRIPT = os.path.join(ROOT, "tools", "find-python")
OWN = "%d.%d" % sys.version_info[:2]

# Answers the two questions find-python asks an interpreter: its version and its real path.
FAKE = """#!/bin/sh
case "$2" in
  *version_info*) echo {version} ;;
  *executable*) echo "$0" ;;
esac
"""


def _run(args, **env):
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")}
    base.update(env)
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=base, check=False)


def _fake_python(directory, version, name):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(FAKE.format(version=version))
    os.chmod(path, 0o755)
    return path


def test_an_explicit_python_of_a_wanted_version_is_taken():
    result = _run(["2.7", OWN], PYTHON=sys.executable)
    assert result.returncode == 0, result.stderr
    assert os.path.samefile(result.stdout.strip(), sys.executable)


def test_an_explicit_python_of_another_version_is_refused_with_its_version():
    result = _run(["3.99"], PYTHON=sys.executable)
    assert result.returncode == 1
    assert "PYTHON=%s is Python %s; this toolchain needs Python 3.99." % (sys.executable, OWN) in result.stderr
    assert result.stdout == ""


def test_a_pyenv_install_not_on_path_is_found_newest_patch_first(tmp_path):
    root = tmp_path / "pyenv"
    _fake_python(str(root / "versions" / "3.98.1" / "bin"), "3.98", "python3.98")
    newest = _fake_python(str(root / "versions" / "3.98.10" / "bin"), "3.98", "python3.98")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = _run(["3.97", "3.98"], PATH="%s:/usr/bin:/bin" % empty, PYENV_ROOT=str(root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == newest


def test_the_first_wanted_version_found_wins(tmp_path):
    bin_dir = tmp_path / "bin"
    _fake_python(str(bin_dir), "3.97", "python3.97")
    second = _fake_python(str(bin_dir), "3.96", "python3.96")
    result = _run(["3.96", "3.97"], PATH="%s:/usr/bin:/bin" % bin_dir, PYENV_ROOT=str(tmp_path / "none"))
    assert result.stdout.strip() == second


def test_a_shim_of_the_wrong_version_is_not_taken(tmp_path):
    # python3.97 on PATH that is really another version (a stale pyenv shim, a wrong symlink)
    bin_dir = tmp_path / "bin"
    _fake_python(str(bin_dir), "3.11", "python3.97")
    result = _run(["3.97"], PATH="%s:/usr/bin:/bin" % bin_dir, PYENV_ROOT=str(tmp_path / "none"))
    assert result.returncode == 1


def test_none_found_says_what_to_install(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = _run(["3.97", "3.98"], PATH="%s:/usr/bin:/bin" % empty, PYENV_ROOT=str(tmp_path / "none"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "No Python 3.97 3.98 found" in result.stderr
    assert "sudo apt-get install python3.97 python3.97-venv" in result.stderr
    assert "pyenv install 3.97" in result.stderr
    assert "make setup PYTHON=/path/to/python3.97" in result.stderr
    assert "make CORE=2.19 setup" in result.stderr


def test_make_refuses_a_core_that_is_not_tested():
    result = subprocess.run(["make", "-n", "-C", ROOT, "CORE=2.20", "setup"], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "CORE=2.20 is not a tested toolchain: use CORE=2.21 (the default) or CORE=2.19" in result.stderr


def test_make_builds_each_core_in_its_own_venv_from_its_own_pins():
    plans = {}
    for core in ("2.21", "2.19"):
        result = subprocess.run(["make", "-n", "-B", "-C", ROOT, "CORE=%s" % core, "setup"], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        plans[core] = result.stdout
    assert "tools/find-python 3.12 3.13" in plans["2.21"] and "-r requirements.txt" in plans["2.21"]
    assert "%s/.venv/bin/python" % ROOT in plans["2.21"]
    assert "tools/find-python 3.11" in plans["2.19"] and "-r requirements-core2.19.txt" in plans["2.19"]
    assert "%s/.venv-core2.19/bin/python" % ROOT in plans["2.19"]
