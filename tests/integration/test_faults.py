# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults a real account meets: a converge killed half-way, and an API that throttles.

Each kill point is a fresh private stand-in: site.yml is SIGKILLed (with its workers) when its n-th
task starts, then re-run. The re-run must converge and the environment must hold no duplicate
(two live resources of one type with one Name). FAULT_KILL_POINTS lists the task numbers:
``make test`` runs a representative pair, ``make test-faults`` the whole matrix of ten.
The first kill point runs with the stand-in throttling 20 % of the calls at random
(EMULATOR_THROTTLE_RATE): its re-run must still converge, and a third run must change nothing.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from faults import duplicates, playbook_command, run_and_kill_at_task, run_env  # pylint: disable=import-error
from standin_support import FIGURES, ROOT, standin_calls, start_standin, stop_standin  # pylint: disable=import-error

KILL_POINTS = [int(n) for n in os.environ.get("FAULT_KILL_POINTS", "37,73").split(",") if n.strip()]
THROTTLE_RATE = "0.2"


def _run(env, playbook="site.yml"):
    proc = subprocess.run(playbook_command(playbook), cwd=ROOT, env=run_env(env), capture_output=True, text=True, timeout=1800,
                          check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _changed(output):
    return int(re.search(r"payments-local\s+: ok=\d+\s+changed=(\d+)", output).group(1))


def _changed_tasks(output):
    """The names of the tasks that reported changed."""
    tasks, current = [], ""
    for line in output.splitlines():
        if line.startswith("TASK ["):
            current = line[6:].split("]")[0]
        elif line.startswith("changed: ["):
            tasks.append(current)
    return tasks


@pytest.mark.parametrize("kill_at", KILL_POINTS, ids=[f"task-{n}" for n in KILL_POINTS])
def test_a_converge_killed_at_a_task_resumes_without_duplicates(tmp_path, kill_at):
    throttled = kill_at == KILL_POINTS[0]
    extra = {"EMULATOR_THROTTLE_RATE": THROTTLE_RATE, "EMULATOR_THROTTLE_SEED": str(kill_at)} if throttled else {}
    os.environ.update(extra)
    try:
        env, endpoint = start_standin(tmp_path / "standin")
    finally:
        for name in extra:
            os.environ.pop(name)
    try:
        killed, task, output = run_and_kill_at_task(env, kill_at)
        assert killed, f"the converge ended before task {kill_at}:\n{output[-2000:]}"
        code, output = _run(env)
        assert code == 0, f"the re-run after a kill in {task} failed:\n{output[-3000:]}"
        found = duplicates(endpoint, "local")
        assert found == {}, f"duplicates after a kill in {task}: {found}"
        line = f"kill at task {kill_at} ({task[6:].split(']')[0]}): re-run converged, duplicates found = 0"
        if throttled:
            code, output = _run(env)
            assert code == 0 and _changed(output) == 0, \
                f"the throttled third run failed or changed {_changed_tasks(output)}:\n{output[-3000:]}"
            calls = standin_calls(env)
            throttled_calls = sum(1 for call in calls if call.get("throttled"))
            line += f"; throttled {throttled_calls} of {len(calls)} calls ({throttled_calls / len(calls):.0%}), third run changed=0"
        FIGURES.append(line)
    finally:
        stop_standin(env)
