# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running from AWX: the execution environment, AWX's configuration as code, and an AWX-style job.

- ``execution-environment.yml`` goes through ``ansible-builder create`` (no container runtime),
  and the generated build context pins what ``requirements.txt`` and the venv pin.
- ``playbooks/awx/configure.yml`` passes ``--syntax-check`` and refuses to run without a token.
- ``ansible-runner run`` (what AWX runs, process isolation off) runs ``site.yml`` over
  ``inventories/local`` twice against a private stand-in, with the collection resolved only from
  what project sync installs (``collections/requirements.yml``): both runs succeed, the second
  changes nothing, and no job event carries the generated master password. These two jobs are the
  ``local_stack`` every read-only test shares (conftest.py).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess

import pytest
import yaml

from standin_support import BIN, ROOT  # pylint: disable=import-error
from standin_support import clean_env as _clean_env  # pylint: disable=import-error
from standin_support import run_ok as _run  # pylint: disable=import-error


def _pins():
    """name -> version pinned in requirements.txt."""
    pins = {}
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as handle:
        for line in handle:
            name, sep, version = line.split("#")[0].strip().partition("==")
            if sep:
                pins[name.split("[")[0]] = version
    return pins


def _yaml(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _bundled_version(namespace, name):
    """The version of a collection the venv's ansible package bundles (what the tests run)."""
    import ansible_collections  # pylint: disable=import-outside-toplevel

    for base in ansible_collections.__path__:
        manifest = os.path.join(base, namespace, name, "MANIFEST.json")
        if os.path.isfile(manifest) and ".collections" not in manifest:
            with open(manifest, encoding="utf-8") as handle:
                return json.load(handle)["collection_info"]["version"]
    raise AssertionError(f"{namespace}.{name} is not bundled in the venv")


# --- execution environment ---------------------------------------------------------------------


def test_execution_environment_builds_a_context_with_the_pinned_dependencies(tmp_path):
    """ansible-builder create validates the v3 schema and writes the context a real build would use."""
    env = _clean_env(tmp_path)
    work = tmp_path / "ee"
    work.mkdir()
    shutil.copy(os.path.join(ROOT, "execution-environment.yml"), work)
    version = _yaml("galaxy.yml")["version"]
    # The tarball the EE installs this collection from (no Galaxy), built by `make build` as `make ee` does.
    _run(["make", "-C", ROOT, "build", f"BUILD={work / 'build'}"], env)
    assert (work / "build" / f"payments-aws_platform-{version}.tar.gz").is_file()
    context = tmp_path / "context"
    _run([os.path.join(BIN, "ansible-builder"), "create", "-f", str(work / "execution-environment.yml"),
          "-c", str(context), "--output-filename", "Containerfile"], env)

    pins = _pins()
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    assert f"ansible-core=={pins['ansible-core']}" in containerfile
    assert f"ansible-runner=={pins['ansible-runner']}" in containerfile
    python_reqs = (context / "_build" / "requirements.txt").read_text(encoding="utf-8").split()
    assert f"boto3=={pins['boto3']}" in python_reqs and f"botocore=={pins['botocore']}" in python_reqs

    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text(encoding="utf-8"))["collections"]
    wanted = {item["name"]: item for item in galaxy}
    assert wanted["amazon.aws"]["version"] == "==" + _bundled_version("amazon", "aws")
    assert wanted["community.aws"]["version"] == "==" + _bundled_version("community", "aws")
    tarball = "payments-aws_platform.tar.gz"
    ours = wanted.get(f"collections/{tarball}")
    assert ours is not None and ours["type"] == "file", f"this collection ({tarball}) is not in {galaxy}"
    assert (context / "_build" / "collections" / tarball).is_file(), "the tarball was not copied into the build context"

    # The galaxy stage runs `ansible-galaxy collection install -r requirements.yml` in _build/: the
    # tarball entry resolves there, offline (amazon.aws/community.aws come from Galaxy in a real build).
    (context / "_build" / "ours.yml").write_text(yaml.safe_dump({"collections": [ours]}), encoding="utf-8")
    out = _run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--no-deps", "-r", "ours.yml",
                "-p", str(tmp_path / "installed")], env, cwd=str(context / "_build"))
    assert f"payments.aws_platform:{version} was installed successfully" in out


def test_the_collection_version_is_written_once_in_galaxy_yml():
    # The EE file and AWX's vars name no version; `make ee` tags the image and AWX derives it.
    for path in (("execution-environment.yml",), ("playbooks", "awx", "vars", "main.yml")):
        with open(os.path.join(ROOT, *path), encoding="utf-8") as handle:
            text = handle.read()
        assert _yaml("galaxy.yml")["version"] not in text, f"{os.path.join(*path)} repeats galaxy.yml's version"
    out = subprocess.run(["make", "-n", "-C", ROOT, "ee"], capture_output=True, text=True, check=True).stdout
    assert "-t registry.example.com/payments/aws-platform-ee:%s" % _yaml("galaxy.yml")["version"] in out


# --- AWX configuration as code -----------------------------------------------------------------


def test_configure_playbook_passes_syntax_check(tmp_path):
    env = _clean_env(tmp_path, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))
    out = _run([os.path.join(BIN, "ansible-playbook"), "playbooks/awx/configure.yml", "--syntax-check"], env)
    assert "playbook: playbooks/awx/configure.yml" in out


def test_configure_playbook_refers_to_existing_playbooks_and_inventories():
    config = _yaml("playbooks", "awx", "vars", "main.yml")
    for template in config["awx_job_templates"]:
        assert os.path.isfile(os.path.join(ROOT, template["playbook"])), template
    assert {t["name"] for t in config["awx_job_templates"]} == {"preflight", "deploy", "verify", "teardown"}
    for environment in _yaml("playbooks", "awx", "vars", "environments.yml")["awx_environments"]:
        assert os.path.isfile(os.path.join(ROOT, environment["inventory_path"], "hosts.yml")), environment


def test_configure_playbook_refuses_without_a_token_before_contacting_awx(tmp_path):
    env = _clean_env(tmp_path, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))
    env.pop("CONTROLLER_OAUTH_TOKEN", None)
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "playbooks/awx/configure.yml", "-e", "awx_host=https://127.0.0.1:9"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode != 0
    assert "CONTROLLER_OAUTH_TOKEN" in proc.stdout and "Nothing was changed" in proc.stdout
    # The image AWX will run is tagged with galaxy.yml's version, derived, never written twice.
    image = "registry.example.com/payments/aws-platform-ee:%s" % _yaml("galaxy.yml")["version"]
    assert f"Execution environment payments-aws-platform-ee: {image}" in proc.stdout
    assert "Create the organization" not in proc.stdout


# --- an AWX job: ansible-runner over site.yml ----------------------------------------------------


def _stats(run):
    stats = [event["event_data"] for event in run["events"] if event["event"] == "playbook_on_stats"]
    assert len(stats) == 1, "no playbook_on_stats event"
    return stats[0]


@pytest.fixture(scope="module", name="runner_runs")
def fixture_runner_runs(local_stack):
    """Two AWX-style jobs of site.yml (generated master password) over one private data dir: the shared local stack."""
    return local_stack


def test_runner_job_succeeds(runner_runs):
    first = runner_runs["first"]
    assert first["rc"] == 0 and first["status"] == "successful", first["output"][-4000:]
    stats = _stats(first)
    assert not stats["failures"] and not stats["dark"], stats


def test_runner_job_uses_the_collection_from_project_sync(runner_runs):
    """Every role task ran from the requirements_collections path AWX's project sync filled."""
    paths = {event["event_data"]["task_path"] for event in runner_runs["first"]["events"]
             if "/roles/" in event.get("event_data", {}).get("task_path", "")}
    assert paths, "no role task events"
    elsewhere = sorted(path for path in paths if not path.startswith(runner_runs["synced"]))
    assert not elsewhere, f"role tasks resolved outside the synced collection: {elsewhere[:5]}"


def test_runner_second_job_changes_nothing(runner_runs):
    second = runner_runs["second"]
    assert second is not None, "the first job failed"
    assert second["rc"] == 0 and second["status"] == "successful", second["output"][-4000:]
    stats = _stats(second)
    assert not stats["failures"] and not stats["dark"], stats
    changed = [event["event_data"].get("task") for event in second["events"]
               if event["event"] == "runner_on_ok" and event["event_data"].get("res", {}).get("changed")]
    assert sum(stats["changed"].values()) == 0, f"changed on the second run: {changed}"


def test_runner_job_events_carry_no_secret(runner_runs):
    password = runner_runs["password"]
    assert password, "the first job failed, no generated password to look for"
    escaped = json.dumps(password)[1:-1]
    for name in ("first", "second"):
        artifacts = runner_runs[name]["artifacts"]
        for path in glob.glob(str(artifacts / "**" / "*"), recursive=True) + [str(artifacts / "stdout")]:
            if os.path.isfile(path):
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
                assert password not in text and escaped not in text, f"the master password appears in {path}"
