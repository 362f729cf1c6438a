# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A first deploy against a stand-in that keeps AWS's clock (tests/emulator/fixes_lifecycle.py).

The stand-in runs in its latency mode at scale 1 with fast-forward: every slow resource stays in
its intermediate state (NAT gateway pending, Aurora cluster and instances creating, DMS replication
instance creating, load balancer provisioning, ECS deployment IN_PROGRESS) for its real creation
time, and a wait of the product moves the clock ahead. The deploy must pass on those states alone,
and the stand-in's timeline shows what it overlapped: the DMS instance and the load balancer were
created before the Aurora cluster was ready, every NAT gateway before the first was ready, and the
whole run took less than the slow resources one after another.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request

import pytest

from standin_support import BIN, CTL, ROOT, stop_standin  # pylint: disable=import-error

FAST_POLLS = json.dumps({"aurora_wait_delay": 1, "network__wait_delay": 1, "ecs__wait_delay": 1})


def _clock(endpoint):
    with urllib.request.urlopen(f"{endpoint}/_emulator/clock", timeout=30) as answer:
        return json.load(answer)


@pytest.fixture(scope="module", name="timed")
def fixture_timed(tmp_path_factory):
    env = dict(os.environ, EMULATOR_STATE_DIR=str(tmp_path_factory.mktemp("latency")), EMULATOR_LATENCY="1", EMULATOR_FAST_FORWARD="1")
    endpoint = subprocess.run(CTL + ["start"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    run_env = dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    run_env.pop("PAYMENTS_AWS_ENDPOINT_URL", None)
    before = _clock(endpoint)
    # One NAT gateway per AZ, so that their overlap shows; inventories/local runs DMS.
    cmd = [os.path.join(BIN, "ansible-playbook"), "site.yml", "-i", os.path.join(ROOT, "inventories", "local"),
           "-e", "network_nat_mode=per_az", "-e", FAST_POLLS]
    proc = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=1500, check=False)
    after = _clock(endpoint)
    yield proc.returncode, proc.stdout + proc.stderr, before, after
    stop_standin(env)


def _first(after, kind):
    found = [r for r in after["resources"] if r["kind"] == kind]
    assert found, f"no {kind} in the stand-in's timeline: {[r['kind'] for r in after['resources']]}"
    return found


def test_the_deploy_passes_on_aws_intermediate_states(timed):
    code, output, _before, after = timed
    assert code == 0, output[-4000:]
    assert after["scale"] == 1 and after["fast_forward"]
    # The product waited, on real states, for the cluster, the instances and the ECS deployment.
    waited = {skip["action"] for skip in after["skips"]}
    assert {"DescribeDBClusters", "DescribeDBInstances", "DescribeServices"} <= waited, after["skips"]


def test_the_slow_resources_overlap(timed):
    code, output, before, after = timed
    assert code == 0, output[-4000:]
    cluster = _first(after, "rds_cluster")[0]
    for kind in ("dms_replication_instance", "load_balancer"):
        assert _first(after, kind)[0]["created"] < cluster["ready"], f"the {kind} was created after Aurora's cluster was ready"
    nats = _first(after, "nat_gateway")
    assert len(nats) >= 2, nats
    assert max(n["created"] for n in nats) < min(n["ready"] for n in nats), "a NAT gateway was created after another was awaited"
    ecs = _first(after, "ecs_deployment")[0]
    assert ecs["created"] >= max(n["ready"] for n in nats) - 1, "the ECS service was created before its way out was ready"
    wall = after["now"] - before["now"]
    serial = sum(r["ready"] - r["created"] for r in after["resources"] if r["created"] >= before["now"])
    assert wall < 0.6 * serial, f"wall {wall / 60:.1f} min against a serial sum of {serial / 60:.1f} min"
