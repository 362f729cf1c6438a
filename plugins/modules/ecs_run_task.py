#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_run_task
short_description: Run a one-off ECS task to completion and report how its containers exited
description:
  - >-
    Fills a gap of community.aws: C(community.aws.ecs_task) starts a task (C(operation=run)) and can wait until it runs,
    but cannot wait until a one-off task has finished, nor tell whether its command succeeded. A bootstrap job (creating
    database users, a schema migration) needs both.
  - >-
    Starts the task definition O(task_definition) in O(cluster) with C(RunTask) (Fargate, awsvpc), tagged with
    O(started_by), then polls C(DescribeTasks) until the task is C(STOPPED) or O(wait_timeout) passes. Fails when an
    essential container exited with a non-zero code or never started (C(stoppedReason), for example
    C(CannotPullContainerError) or C(ResourceInitializationError)), with the reason in the message.
  - >-
    Resumes rather than duplicates: when a task started with the same O(started_by) is still running (a run killed
    while waiting), it waits for that task instead of starting another.
  - In check mode it starts nothing and reports that it would run the task.
version_added: 0.1.0
author: Payments Platform Team (@payments-platform)
options:
  cluster:
    description: Name or ARN of the ECS cluster.
    type: str
    required: true
  task_definition:
    description: Family, C(family:revision) or ARN of the task definition to run.
    type: str
    required: true
  subnets:
    description: Subnets of the task's network interface.
    type: list
    elements: str
    required: true
  security_groups:
    description: Security groups of the task's network interface.
    type: list
    elements: str
    required: true
  assign_public_ip:
    description: Whether the task's interface gets a public IP (needed to pull from a public registry without NAT).
    type: bool
    default: false
  started_by:
    description:
      - The C(startedBy) of the task (at most 36 characters), used to find a task of a previous, interrupted run.
    type: str
    required: true
  wait_timeout:
    description: Seconds to wait for the task to stop.
    type: int
    default: 900
  poll_interval:
    description: Seconds between two C(DescribeTasks) calls.
    type: int
    default: 6
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Needs C(ecs:RunTask), C(ecs:ListTasks), C(ecs:DescribeTasks) and C(iam:PassRole) on the task's roles.
  - The module does not read the task's logs; the failure message names the log stream prefix to look at.
"""

EXAMPLES = r"""
- name: Create the application's database users (one-off task, waits for it to finish)
  payments.aws_platform.ecs_run_task:
    cluster: payments-dev-cluster
    task_definition: payments-dev-db-bootstrap
    subnets: [subnet-0123456789abcdef0, subnet-0fedcba9876543210]
    security_groups: [sg-0123456789abcdef0]
    started_by: payments-db-bootstrap
    wait_timeout: 600
"""

RETURN = r"""
task_arn:
  description: ARN of the task that ran (empty in check mode).
  returned: always
  type: str
  sample: arn:aws:ecs:us-east-1:123456789012:task/payments-dev-cluster/0123456789abcdef0123456789abcdef
resumed:
  description: Whether the module waited for a task an earlier run had started, instead of starting one.
  returned: always
  type: bool
last_status:
  description: The task's last status (C(STOPPED) when it finished).
  returned: always
  type: str
  sample: STOPPED
stop_code:
  description: Why the task stopped, as ECS reports it (for example C(EssentialContainerExited)).
  returned: always
  type: str
stopped_reason:
  description: ECS's explanation of the stop.
  returned: always
  type: str
  sample: Essential container in task exited
containers:
  description: Each container's name, exit code (null when it never ran) and reason.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "bootstrap", "exit_code": 0, "reason": ""}]
"""

import time

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


def running_task(client, cluster, started_by):
    """The ARN of a task of ``cluster`` started by ``started_by`` that has not stopped, or None."""
    arns = client.get_paginator("list_tasks").paginate(cluster=cluster, startedBy=started_by, desiredStatus="RUNNING").build_full_result()
    return (arns.get("taskArns") or [None])[0]


def start(client, params):
    answer = client.run_task(
        aws_retry=True,
        cluster=params["cluster"],
        taskDefinition=params["task_definition"],
        launchType="FARGATE",
        count=1,
        startedBy=params["started_by"],
        networkConfiguration={"awsvpcConfiguration": {
            "subnets": params["subnets"],
            "securityGroups": params["security_groups"],
            "assignPublicIp": "ENABLED" if params["assign_public_ip"] else "DISABLED",
        }},
    )
    if answer.get("failures") or not answer.get("tasks"):
        raise RunTaskRefused(answer.get("failures") or [{"reason": "RunTask started no task"}])
    return answer["tasks"][0]["taskArn"]


class RunTaskRefused(Exception):
    """RunTask answered with failures instead of a task."""


def summary(task):
    containers = [{"name": c.get("name", ""), "exit_code": c.get("exitCode"), "reason": c.get("reason", "")}
                  for c in task.get("containers", [])]
    return {"last_status": task.get("lastStatus", ""), "stop_code": task.get("stopCode", ""),
            "stopped_reason": task.get("stoppedReason", ""), "containers": containers}


def failure(state):
    """A sentence on why a STOPPED task did not succeed, or "" when every container exited 0."""
    bad = [c for c in state["containers"] if c["exit_code"] != 0]
    if not bad:
        return ""
    parts = [(f"{c['name']} exited {c['exit_code']}" if c["exit_code"] is not None else f"{c['name']} never ran")
             + (f" ({c['reason']})" if c["reason"] else "") for c in bad]
    return "; ".join(parts) + (f"; ECS: {state['stopped_reason']}" if state["stopped_reason"] else "")


def wait_stopped(client, cluster, task_arn, timeout, interval, sleep=time.sleep, clock=time.monotonic):
    deadline = clock() + timeout
    while True:
        tasks = client.describe_tasks(aws_retry=True, cluster=cluster, tasks=[task_arn]).get("tasks", [])
        task = tasks[0] if tasks else {}
        if task.get("lastStatus") == "STOPPED":
            return summary(task), True
        if clock() >= deadline:
            return summary(task), False
        sleep(interval)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            cluster=dict(type="str", required=True),
            task_definition=dict(type="str", required=True),
            subnets=dict(type="list", elements="str", required=True),
            security_groups=dict(type="list", elements="str", required=True),
            assign_public_ip=dict(type="bool", default=False),
            started_by=dict(type="str", required=True),
            wait_timeout=dict(type="int", default=900),
            poll_interval=dict(type="int", default=6),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if len(params["started_by"]) > 36:
        module.fail_json(msg=f"started_by: {params['started_by']} is {len(params['started_by'])} characters long; ECS allows at most 36.")
    diff = {"before": {}, "after": {"task_definition": params["task_definition"], "cluster": params["cluster"]}}
    if module.check_mode:
        module.exit_json(changed=True, task_arn="", resumed=False, last_status="", stop_code="", stopped_reason="",
                         containers=[], diff=diff)
    client = module.client("ecs", retry_decorator=AWSRetry.jittered_backoff())
    try:
        task_arn = running_task(client, params["cluster"], params["started_by"])
        resumed = task_arn is not None
        if not resumed:
            task_arn = start(client, params)
        state, stopped = wait_stopped(client, params["cluster"], task_arn, params["wait_timeout"], params["poll_interval"])
    except RunTaskRefused as e:
        module.fail_json(msg=f"RunTask of {params['task_definition']} in {params['cluster']} started no task: {e.args[0]}")
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
        module.fail_json_aws(e, msg=f"Could not run {params['task_definition']} in {params['cluster']}")
    result = dict(changed=True, task_arn=task_arn, resumed=resumed, diff=diff, **state)
    if not stopped:
        module.fail_json(msg=f"The task {task_arn} of {params['task_definition']} did not stop within {params['wait_timeout']} s "
                             f"(last status {state['last_status']}); it keeps running, and the next run waits for it.", **result)
    why = failure(state)
    if why:
        module.fail_json(msg=f"The task {task_arn} of {params['task_definition']} failed: {why}. Its output is in the task's "
                             "log stream (awslogs); nothing after this task was changed.", **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
