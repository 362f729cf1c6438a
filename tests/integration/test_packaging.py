# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform resolves with no Galaxy access: as an AWX project and as a built tarball."""

from __future__ import annotations

import glob
import os
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)


def _run(args, tmp_path, collections_path=None, cwd=ROOT):
    cfg = tmp_path / "empty.cfg"
    cfg.write_text("[defaults]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(ANSIBLE_CONFIG=str(cfg), ANSIBLE_HOME=str(tmp_path / "home"), ANSIBLE_ROLES_PATH=str(tmp_path / "no-roles"))
    if collections_path:
        env["ANSIBLE_COLLECTIONS_PATH"] = str(collections_path)
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def _syntax_check(tmp_path, collections_path):
    out = _run([os.path.join(BIN, "ansible-playbook"), "--syntax-check", "site.yml", "-i", "inventories/local"], tmp_path, collections_path)
    assert "playbook: site.yml" in out


def test_awx_project_sync_resolves_the_collection(tmp_path):
    target = tmp_path / "collections"
    out = _run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-r", "collections/requirements.yml", "-p", str(target)], tmp_path)
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        version = yaml.safe_load(handle)["version"]
    assert f"payments.aws_platform:{version} was installed successfully" in out
    installed = target / "ansible_collections" / "payments" / "aws_platform"
    assert (installed / "plugins" / "modules" / "ec2_vpc_flow_log.py").is_file()
    assert (installed / "roles" / "network" / "meta" / "argument_specs.yml").is_file()
    assert not (installed / "inventories").exists(), "build_ignore must keep inventories out of the artifact"
    _syntax_check(tmp_path, target)


def test_built_tarball_installs_and_resolves(tmp_path):
    _run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path)], tmp_path)
    tarballs = glob.glob(str(tmp_path / "payments-aws_platform-*.tar.gz"))
    assert len(tarballs) == 1
    target = tmp_path / "installed"
    _run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--no-deps", "-p", str(target), tarballs[0]], tmp_path)
    _syntax_check(tmp_path, target)
