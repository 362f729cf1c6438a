# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults a real account meets: a converge killed half-way, and an API that throttles.

One private stand-in, throttling 20 % of the calls at random (EMULATOR_THROTTLE_RATE), takes a
chain of killed converges: site.yml is SIGKILLed (with its workers) when its n-th task starts,
for each n of FAULT_KILL_POINTS in turn, each run resuming what the one before left half-done.
Each resumed run must get past the previous kill to its own kill point, and leave no duplicate
(two live resources of one type with one Name); then a full run must converge, still without
duplicates, and one more must change nothing. ``make test`` runs a representative pair of kill
points, ``make test-faults`` the whole matrix of ten.
"""

from __future__ import annotations

import os
import re
import subprocess

from faults import duplicates, playbook_command, run_and_kill_at_task, run_env  # pylint: disable=import-error
from standin_support import ROOT, standin_calls, start_standin, stop_standin  # pylint: disable=import-error

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


def test_converges_killed_at_each_point_resume_without_duplicates_under_throttling(tmp_path, figure):
    extra = {"EMULATOR_THROTTLE_RATE": THROTTLE_RATE, "EMULATOR_THROTTLE_SEED": str(KILL_POINTS[0])}
    os.environ.update(extra)
    try:
        env, endpoint = start_standin(tmp_path / "standin")
    finally:
        for name in extra:
            os.environ.pop(name)
    try:
        survived = []
        for kill_at in KILL_POINTS:
            killed, task, output = run_and_kill_at_task(env, kill_at)
            after = f" after a kill in {survived[-1]}" if survived else ""
            assert killed, f"the converge{after} ended before task {kill_at}:\n{output[-3000:]}"
            found = duplicates(endpoint, "local")
            assert found == {}, f"duplicates after a kill in {task}: {found}"
            survived.append(f"{kill_at} ({task[6:].split(']')[0]})")
        code, output = _run(env)
        assert code == 0, f"the run after the kill in {survived[-1]} failed:\n{output[-3000:]}"
        found = duplicates(endpoint, "local")
        assert found == {}, f"duplicates after the resumed converge: {found}"
        code, output = _run(env)
        assert code == 0 and _changed(output) == 0, f"the run after the converge failed or changed {_changed_tasks(output)}:\n{output[-3000:]}"
        calls = standin_calls(env)
        throttled_calls = sum(1 for call in calls if call.get("throttled"))
        figure(f"kill points survived: {len(survived)} of {len(KILL_POINTS)} ({', '.join(survived)}); duplicates found = 0; "
               f"throttled {throttled_calls} of {len(calls)} calls ({throttled_calls / len(calls):.0%}); "
               "the run after the converge changed=0")
    finally:
        stop_standin(env)
