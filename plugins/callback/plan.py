# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: plan
type: stdout
short_description: Print what a check-mode run would change, as one table (make plan)
version_added: 0.3.0
author: Payments Platform Team (@payments-platform)
description:
  - The stdout callback of C(make plan) (C(playbooks/plan.yml) run with C(--check --diff)).
  - Prints nothing while the run goes on. At the end it prints one table per host of the tasks that
    would change something, with the resource, what would change and before -> after, taken from
    the modules' check-mode results and diffs; a change that would be destructive on apply (a
    resource removed, protection turned off, a retention shortened, a replacement) is marked C(!).
  - Failures and unreachable hosts are printed as they happen (a plan that failed is not a plan).
  - Tasks whose module has no check mode are listed after the table as not checked.
  - Results of tasks with C(no_log) are reported by resource and task name only.
requirements:
  - Run with C(--check --diff).
"""

from ansible.plugins.callback import CallbackBase

from ansible_collections.payments.aws_platform.plugins.module_utils import plan as plan_rows


class CallbackModule(CallbackBase):
    """One table of what would change, per host."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "payments.aws_platform.plan"

    def __init__(self):
        super().__init__()
        self.rows = {}
        self.unchecked = {}
        self.failed = False

    def _task_meta(self, result):
        task = result._task  # pylint: disable=protected-access
        module = task.action
        # ansible-core 2.19 hands callbacks the module's invocation; 2.21 does not (it keeps only what the module
        # returned), so the task's own arguments, templated for this host and loop item, stand in for it.
        args = result._result.get("invocation", {}).get("module_args") or dict(task.args or {})  # pylint: disable=protected-access
        return task.get_name(), module, args

    def v2_runner_on_ok(self, result):
        outcome = result._result  # pylint: disable=protected-access
        host = result._host.get_name()  # pylint: disable=protected-access
        self.rows.setdefault(host, [])
        if not outcome.get("changed") or "results" in outcome:  # a loop's summary: its items were counted
            return
        name, module, args = self._task_meta(result)
        if module in ("ansible.builtin.set_fact", "set_fact", "ansible.builtin.include_role", "ansible.builtin.debug"):
            return
        if outcome.get("_ansible_no_log") or result._task.no_log:  # pylint: disable=protected-access
            args, outcome = {}, {"changed": True}
        self.rows[host].extend(plan_rows.rows(name, module, args, outcome))

    def v2_runner_item_on_ok(self, result):
        self.v2_runner_on_ok(result)

    def v2_runner_on_skipped(self, result):
        message = str(result._result.get("msg", ""))  # pylint: disable=protected-access
        if "does not support check mode" in message:
            name, module = self._task_meta(result)[:2]
            self.unchecked.setdefault(result._host.get_name(), []).append(f"{name} ({module})")  # pylint: disable=protected-access

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if ignore_errors:
            return
        self.failed = True
        name = self._task_meta(result)[0]
        outcome = result._result  # pylint: disable=protected-access
        hidden = outcome.get("_ansible_no_log") or result._task.no_log  # pylint: disable=protected-access
        message = outcome.get("msg", "") if not hidden else "(output hidden by no_log)"
        self._display.display(f"FAILED [{result._host.get_name()}] {name}: {message}", color="red", stderr=True)  # pylint: disable=protected-access

    def v2_runner_on_unreachable(self, result):
        self.failed = True
        self._display.display(f"UNREACHABLE [{result._host.get_name()}]: {result._result.get('msg', '')}",  # pylint: disable=protected-access
                              color="red", stderr=True)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(set(self.rows) | set(stats.processed))
        for host in hosts:
            self._display.display(f"Plan for {host}:")
            for line in plan_rows.table(self.rows.get(host, [])):
                self._display.display(line)
            if self.unchecked.get(host):
                self._display.display("Not checked (the module has no check mode): " + "; ".join(self.unchecked[host]))
            self._display.display("")
        if self.failed:
            self._display.display("The plan is incomplete: a task failed (above).", color="red", stderr=True)
