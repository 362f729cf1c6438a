# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.ecs_run_task: runs to STOPPED, fails on a bad exit or a task that never ran, resumes, check mode."""

from __future__ import annotations

import boto3
import botocore
import pytest
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import ecs_run_task as module
from module_harness import fail_with  # pylint: disable=import-error

CLUSTER = "payments-dev-cluster"


@pytest.fixture(name="world")
def fixture_world(aws_credentials):  # pylint: disable=unused-argument
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # as the network role sets it
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
        ecs = boto3.client("ecs", region_name="us-east-1")
        ecs.create_cluster(clusterName=CLUSTER)
        ecs.register_task_definition(
            family="payments-dev-db-bootstrap", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
            containerDefinitions=[{"name": "bootstrap", "image": "postgres:16-alpine", "essential": True, "command": ["true"],
                                  "cpu": 256, "memory": 512}])
        yield ecs, {"cluster": CLUSTER, "task_definition": "payments-dev-db-bootstrap", "subnets": [subnet],
                    "security_groups": [group], "started_by": "payments-db-bootstrap", "poll_interval": 0, "wait_timeout": 30}


def test_runs_the_task_until_it_stops_and_reports_the_exit_codes(world, run_module):
    ecs, args = world
    result = run_module(module, args, diff=True)
    assert result.get("failed") is not True, result
    assert result["changed"] is True and result["resumed"] is False
    assert result["last_status"] == "STOPPED"
    assert result["containers"][0]["name"] == "bootstrap" and result["containers"][0]["exit_code"] == 0
    assert result["diff"]["after"] == {"task_definition": "payments-dev-db-bootstrap", "cluster": CLUSTER}
    tasks = ecs.list_tasks(cluster=CLUSTER, desiredStatus="STOPPED")["taskArns"] + ecs.list_tasks(cluster=CLUSTER)["taskArns"]
    assert result["task_arn"] in tasks


def test_check_mode_starts_nothing(world, run_module):
    ecs, args = world
    result = run_module(module, args, check_mode=True, diff=True)
    assert result["changed"] is True and result["task_arn"] == ""
    assert ecs.list_tasks(cluster=CLUSTER)["taskArns"] == []


def test_a_started_by_longer_than_ecs_allows_is_refused(world, run_module):
    args = dict(world[1], started_by="x" * 37)
    result = run_module(module, args)
    assert result["failed"] and "at most 36" in result["msg"]


class _Client:
    """An ECS client answering ListTasks/RunTask/DescribeTasks from scripted answers."""

    def __init__(self, running=None, described=(), run_answer=None):
        self.running, self.described, self.run_answer = running, list(described), run_answer
        self.started = []

    def get_paginator(self, operation):
        assert operation == "list_tasks"
        return self

    def paginate(self, **params):
        assert params["startedBy"] == "payments-db-bootstrap" and params["desiredStatus"] == "RUNNING"
        return self

    def build_full_result(self):
        return {"taskArns": [self.running] if self.running else []}

    def run_task(self, aws_retry=False, **params):  # pylint: disable=unused-argument
        self.started.append(params)
        return self.run_answer or {"tasks": [{"taskArn": "arn:task/new"}], "failures": []}

    def describe_tasks(self, aws_retry=False, **params):  # pylint: disable=unused-argument
        return {"tasks": [self.described.pop(0) if len(self.described) > 1 else self.described[0]]}


STOPPED_BAD = {"lastStatus": "STOPPED", "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
               "containers": [{"name": "bootstrap", "exitCode": 3}]}
NEVER_RAN = {"lastStatus": "STOPPED", "stopCode": "TaskFailedToStart",
             "stoppedReason": "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
             "containers": [{"name": "bootstrap", "reason": "CannotPullContainerError"}]}


@pytest.mark.parametrize("stopped, expected", [
    (STOPPED_BAD, "bootstrap exited 3; ECS: Essential container in task exited"),
    (NEVER_RAN, "bootstrap never ran (CannotPullContainerError); ECS: CannotPullContainerError"),
])
def test_a_failed_command_or_a_task_that_never_ran_fails_with_the_reason(world, run_module, monkeypatch, stopped, expected):
    client = _Client(described=[{"lastStatus": "RUNNING", "containers": []}, stopped])
    monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, service, retry_decorator=None: client)
    result = run_module(module, world[1])
    assert result["failed"] and expected in result["msg"], result["msg"]
    assert "nothing after this task was changed" in result["msg"]


def test_a_task_of_an_interrupted_run_is_awaited_not_duplicated(world, run_module, monkeypatch):
    client = _Client(running="arn:task/old", described=[{"lastStatus": "STOPPED", "containers": [{"name": "bootstrap", "exitCode": 0}]}])
    monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, service, retry_decorator=None: client)
    result = run_module(module, world[1])
    assert result["resumed"] is True and result["task_arn"] == "arn:task/old" and not client.started


def test_a_task_that_does_not_stop_in_time_fails_and_says_it_keeps_running(world, run_module, monkeypatch):
    client = _Client(described=[{"lastStatus": "RUNNING", "containers": [{"name": "bootstrap"}]}])
    monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, service, retry_decorator=None: client)
    result = run_module(module, dict(world[1], wait_timeout=0))
    assert result["failed"] and "did not stop within 0 s" in result["msg"] and "the next run waits for it" in result["msg"]
    assert client.started[0]["startedBy"] == "payments-db-bootstrap"
    assert client.started[0]["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"


def test_run_task_failures_are_reported(world, run_module, monkeypatch):
    client = _Client(run_answer={"tasks": [], "failures": [{"reason": "RESOURCE:ENI"}]})
    monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, service, retry_decorator=None: client)
    result = run_module(module, world[1])
    assert result["failed"] and "started no task" in result["msg"] and "RESOURCE:ENI" in result["msg"]


def test_an_api_error_is_reported_with_the_task_definition(world, run_module, monkeypatch):
    error = botocore.exceptions.ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListTasks")
    fail_with(monkeypatch, error)
    result = run_module(module, world[1])
    assert result["failed"] and "Could not run payments-dev-db-bootstrap in payments-dev-cluster" in result["msg"]


def test_on_the_stand_in_an_image_missing_from_private_ecr_never_runs_and_fails_the_task(world, run_module):
    """The stand-in's ecs-run-task-unpullable-image fix, as AWS reports CannotPullContainerError."""
    import os  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "emulator"))
    import fixes  # pylint: disable=import-outside-toplevel,import-error

    fixes.apply_all()
    ecs, args = world
    ecs.register_task_definition(
        family="payments-dev-db-bootstrap", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "bootstrap", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/psql:16", "essential": True,
                               "cpu": 256, "memory": 512}])
    result = run_module(module, dict(args, task_definition="payments-dev-db-bootstrap:2"))
    assert result["failed"] and "bootstrap never ran (CannotPullContainerError)" in result["msg"], result["msg"]
    assert result["stop_code"] == "TaskFailedToStart"
