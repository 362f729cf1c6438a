# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DMS replication instance waiter, run through ``ansible`` against a private stand-in.

moto's state manager keeps a new replication instance ``creating`` for a number of
DescribeReplicationInstances calls (``/moto-api/state-manager/set-transition``), so the module's
botocore waiter has to poll; the stand-in's call log counts the polls. The waiter sleeps
``WAIT_DELAY`` (15 s) between polls, so the "available" case takes one sleep (about 20 s).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request

import pytest

from standin_support import BIN, CTL, ROOT  # pylint: disable=import-error

MODEL = "dms::replicationinstance"
MODULE = "payments.aws_platform.dms_replication_instance"


def _moto_api(endpoint, action, payload):
    request = urllib.request.Request(f"{endpoint}/moto-api/state-manager/{action}", data=json.dumps(payload).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # nosec: loopback stand-in
        return response.read()


@pytest.fixture(name="creating_for")
def fixture_creating_for(standin):
    """``creating_for(times)``: new replication instances stay creating for ``times`` describes; reset afterwards."""
    endpoint = standin[1]

    def set_transition(times):
        _moto_api(endpoint, "set-transition", {"model_name": MODEL, "transition": {"progression": "manual", "times": times}})

    yield set_transition
    _moto_api(endpoint, "unset-transition", {"model_name": MODEL})


def _calls(env):
    out = subprocess.run(CTL + ["calls"], env=env, check=True, capture_output=True, text=True).stdout
    return [call["action"] for call in json.loads(out)]


def _run_module(standin, identifier, wait_timeout):
    """Run the module ad hoc on localhost (JSON callback); return (result, seconds, DMS actions called)."""
    env, endpoint = standin
    subprocess.run(CTL + ["reset-calls"], env=env, check=True, capture_output=True)
    args = {"replication_instance_identifier": identifier, "replication_instance_class": "dms.t3.medium", "allocated_storage": 20,
            "wait": True, "wait_timeout": wait_timeout, "endpoint_url": endpoint, "access_key": "testing", "secret_key": "testing",
            "region": "us-east-1"}
    run_env = dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                   ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1")
    cmd = [os.path.join(BIN, "ansible"), "localhost", "-m", MODULE, "-a", " ".join(f"{k}={v}" for k, v in args.items())]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=120, check=False)
    elapsed = time.monotonic() - started
    try:
        result = json.loads(proc.stdout)["plays"][0]["tasks"][0]["hosts"]["localhost"]
    except (ValueError, KeyError, IndexError) as e:
        raise AssertionError(f"no JSON result from ansible ({e}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}") from e
    return result, elapsed, _calls(env)


def test_create_waits_until_available(standin, creating_for):
    creating_for(2)
    result, elapsed, actions = _run_module(standin, "payments-test-waiter", 60)
    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True
    assert result["replication_instance"]["status"] == "available"
    # lookup, create, then the waiter: creating, (15 s), available; then the read-back.
    assert actions[:2] == ["DescribeReplicationInstances", "CreateReplicationInstance"]
    waiter_polls = actions[2:].count("DescribeReplicationInstances")
    assert waiter_polls >= 3, actions
    assert elapsed >= 14, f"the waiter did not sleep between polls ({elapsed:.1f} s)"


@pytest.fixture(name="timed_out", scope="module")
def fixture_timed_out(standin):
    """One run that never sees the instance available: (result, seconds, actions)."""
    endpoint = standin[1]
    _moto_api(endpoint, "set-transition", {"model_name": MODEL, "transition": {"progression": "manual", "times": 1000}})
    try:
        yield _run_module(standin, "payments-test-waiter-timeout", 5)
    finally:
        _moto_api(endpoint, "unset-transition", {"model_name": MODEL})


def test_create_wait_times_out_with_a_clear_message(timed_out):
    result, elapsed, actions = timed_out
    assert result["failed"] is True
    assert result["msg"].startswith(
        "timed out after 5 s waiting for replication instance payments-test-waiter-timeout to become available (status creating)."
    ), result["msg"]
    assert "Raise wait_timeout, or set wait to false and check on it later." in result["msg"]
    assert "CreateReplicationInstance" in actions and actions[-1] == "DescribeReplicationInstances"
    assert elapsed < 30


def test_create_wait_polls_for_the_whole_wait_timeout(timed_out):
    _result, elapsed, actions = timed_out
    after_create = actions[actions.index("CreateReplicationInstance") + 1:]
    assert after_create.count("DescribeReplicationInstances") >= 2, actions
    assert elapsed >= 5
