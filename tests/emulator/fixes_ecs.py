# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the ECS tier of the stand-in (picked up by fixes.all_fixes())."""

from __future__ import annotations

import json
import re

from fixes import Fix  # pylint: disable=import-error

# CreateService parameters that AWS echoes back in DescribeServices and moto drops.
SERVICE_ECHOED_PARAMETERS = {
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "deploymentConfiguration": "deployment_configuration",
    "enableExecuteCommand": "enable_execute_command",
}
# What AWS reports when CreateService is given no deploymentConfiguration.
DEFAULT_DEPLOYMENT_CONFIGURATION = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}


def _apply_cluster_capacity_providers() -> None:
    from moto.ecs.models import Cluster

    original = getattr(Cluster, "_moto_init", None) or Cluster.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.capacity_providers is None:
            self.capacity_providers = []
        if self.default_capacity_provider_strategy is None:
            self.default_capacity_provider_strategy = []
        if self.tags is None:
            self.tags = []

    Cluster._moto_init = original  # pylint: disable=protected-access
    Cluster.__init__ = __init__


def tasks_started(service) -> None:
    """The service's tasks are running: the stand-in has no containers to wait for."""
    service.running_count = service.desired_count
    service.pending_count = 0
    for deployment in service.deployments:
        if deployment.get("status") == "PRIMARY":
            deployment.update(
                desiredCount=service.desired_count, runningCount=service.desired_count, pendingCount=0,
                rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {deployment['id']} completed.",
                taskDefinition=service.task_definition,
            )


def _apply_service_parameters_and_tasks() -> None:
    from moto.ecs.models import EC2ContainerServiceBackend
    from moto.ecs.responses import EC2ContainerServiceResponse

    original_response = getattr(EC2ContainerServiceResponse, "_moto_create_service", None) or EC2ContainerServiceResponse.create_service
    original_create = getattr(EC2ContainerServiceBackend, "_moto_create_service", None) or EC2ContainerServiceBackend.create_service
    original_update = getattr(EC2ContainerServiceBackend, "_moto_update_service", None) or EC2ContainerServiceBackend.update_service

    def create_service_response(self):
        answer = original_response(self)
        name = self._get_param("serviceName")  # pylint: disable=protected-access
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), name)  # pylint: disable=protected-access
        for key, attribute in SERVICE_ECHOED_PARAMETERS.items():
            value = self._get_param(key)  # pylint: disable=protected-access
            setattr(service, attribute, value)
        if service.deployment_configuration is None:
            service.deployment_configuration = dict(DEFAULT_DEPLOYMENT_CONFIGURATION)
        service.enable_execute_command = bool(service.enable_execute_command)
        return answer

    def create_service(self, *args, **kwargs):
        service = original_create(self, *args, **kwargs)
        tasks_started(service)
        return service

    def update_service(self, service_properties):
        service = original_update(self, service_properties)
        tasks_started(service)
        return service

    EC2ContainerServiceResponse._moto_create_service = original_response  # pylint: disable=protected-access
    EC2ContainerServiceBackend._moto_create_service = original_create  # pylint: disable=protected-access
    EC2ContainerServiceBackend._moto_update_service = original_update  # pylint: disable=protected-access
    EC2ContainerServiceResponse.create_service = create_service_response
    EC2ContainerServiceBackend.create_service = create_service
    EC2ContainerServiceBackend.update_service = update_service


# --- Service-linked roles (IAM CreateServiceLinkedRole, ECS CreateService) -----------------------
#
# AWS names a service-linked role after the service: AWSServiceRoleForECS for ecs.amazonaws.com and
# AWSServiceRoleForApplicationAutoScaling_ECSService for ecs.application-autoscaling.amazonaws.com;
# moto derives AWSServiceRoleForecs / AWSServiceRoleForApplicationAutoScaling_Ecs. For a role that
# exists AWS answers InvalidInput "Service role name <name> has been taken in this account, please
# try a different suffix."; moto answers EntityAlreadyExists. And on an account where the ECS role
# does not exist (yet, or not yet visible to ECS: its creation by CreateCluster is eventually
# consistent), CreateService answers InvalidParameterException "Unable to assume the service
# linked role. Please verify that the ECS service linked role exists."; moto creates the service.

ECS_SERVICE_LINKED_ROLE = "AWSServiceRoleForECS"
AWS_SERVICE_LINKED_ROLE_NAMES = {
    "ecs.amazonaws.com": ECS_SERVICE_LINKED_ROLE,
    "ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
}
SLR_TAKEN = "Service role name {name} has been taken in this account, please try a different suffix."
SLR_MISSING = "Unable to assume the service linked role. Please verify that the ECS service linked role exists."


def _iam_backend(account_id, partition="aws"):
    from moto.iam.models import iam_backends

    return iam_backends[account_id][partition]


def role_exists(iam, name) -> bool:
    return any(role.name == name for role in iam.get_roles())


def _apply_service_linked_roles() -> None:
    from moto.ecs.exceptions import InvalidParameterException
    from moto.ecs.models import EC2ContainerServiceBackend
    from moto.iam.exceptions import EntityAlreadyExists, InvalidInput
    from moto.iam.models import IAMBackend

    original_slr = getattr(IAMBackend, "_moto_create_service_linked_role", None) or IAMBackend.create_service_linked_role

    def create_service_linked_role(self, service_name, description, suffix):
        name = AWS_SERVICE_LINKED_ROLE_NAMES.get(service_name)
        if name is None:
            try:
                return original_slr(self, service_name, description, suffix)
            except EntityAlreadyExists as error:
                taken = re.search(r"Role with name (\S+) already exists", str(error.message))
                raise InvalidInput(SLR_TAKEN.format(name=taken.group(1) if taken else service_name)) from error
        name = f"{name}_{suffix}" if suffix else name
        if role_exists(self, name):
            raise InvalidInput(SLR_TAKEN.format(name=name))
        trust = {"Version": "2012-10-17", "Statement": [
            {"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": [service_name]}}]}
        return self.create_role(name, json.dumps(trust), f"/aws-service-role/{service_name}/", permissions_boundary=None,
                                description=description, tags=[], max_session_duration="3600", linked_service=service_name)

    IAMBackend._moto_create_service_linked_role = original_slr  # pylint: disable=protected-access
    IAMBackend.create_service_linked_role = create_service_linked_role

    current = EC2ContainerServiceBackend.create_service
    if getattr(current, "_payments_needs_slr", False):
        return

    def create_service(self, *args, **kwargs):
        if not role_exists(_iam_backend(self.account_id, self.partition), ECS_SERVICE_LINKED_ROLE):
            raise InvalidParameterException(SLR_MISSING)
        return current(self, *args, **kwargs)

    create_service._payments_needs_slr = True  # pylint: disable=protected-access
    EC2ContainerServiceBackend.create_service = create_service


# --- A deployment whose image cannot be pulled fails, and the circuit breaker rolls it back -------
#
# A task of a private-ECR image that does not exist stops with CannotPullContainerError; with the
# deployment circuit breaker (rollback) on, ECS marks the new deployment FAILED and rolls back to
# the last completed one, reporting both in the service's events. moto starts any image. Images
# outside ECR cannot be checked here and are taken as pullable.
PRIVATE_ECR = re.compile(r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<repo>[^:@]+)(?::(?P<tag>[^@]+))?")


def unpullable_images(task_definition) -> list[str]:
    """The container images of ``task_definition`` that its private ECR repository does not hold."""
    from moto.ecr.models import ecr_backends

    missing = []
    for container in task_definition.container_definitions:
        image = container.get("image") or ""
        match = PRIVATE_ECR.match(image)
        if not match:
            continue
        repo = ecr_backends[match["account"]][match["region"]].repositories.get(match["repo"])
        tags = [tag for img in (repo.images if repo else []) for tag in img.image_tags]
        if repo is None or (match["tag"] or "latest") not in tags:
            missing.append(image)
    return missing


def _apply_failed_deployment_rolls_back() -> None:
    from moto.core.utils import utcnow
    from moto.ecs.models import EC2ContainerServiceBackend
    from moto.moto_api._internal import mock_random

    original = EC2ContainerServiceBackend.update_service
    if getattr(original, "payments_rollback", False):
        return

    def update_service(self, service_properties):
        wanted = service_properties.get("task_definition")
        service = self._get_service(service_properties.get("cluster", "default"), service_properties["service"].split("/")[-1])
        previous = service.task_definition
        answer = original(self, service_properties)
        breaker = (service.deployment_configuration or {}).get("deploymentCircuitBreaker") or {}
        missing = unpullable_images(self.describe_task_definition(service.task_definition)) if wanted else []
        if missing and breaker.get("enable") and breaker.get("rollback") and previous != service.task_definition:
            failed_id, now = f"ecs-svc/{mock_random.randint(0, 32**12)}", utcnow()
            service.task_definition = previous
            tasks_started(service)
            service.events[:0] = [
                {"id": str(mock_random.uuid4()), "createdAt": now,
                 "message": f"(service {service.name}) rolling back to deployment {service.deployments[0]['id']}."},
                {"id": str(mock_random.uuid4()), "createdAt": now,
                 "message": f"(service {service.name}) (deployment {failed_id}) deployment failed: tasks failed to start."},
                {"id": str(mock_random.uuid4()), "createdAt": now,
                 "message": f"(service {service.name}) (task {mock_random.uuid4().hex}) failed to start: CannotPullContainerError: "
                            f"pull image manifest has been retried 5 time(s): {missing[0]}: not found"},
            ]
        return answer

    update_service.payments_rollback = True
    EC2ContainerServiceBackend.update_service = update_service


def _apply_run_task_unpullable_image() -> None:
    from moto.ecs.models import EC2ContainerServiceBackend

    original_run, original_describe = EC2ContainerServiceBackend.run_task, EC2ContainerServiceBackend.describe_tasks
    if getattr(original_run, "payments_unpullable", False):
        return

    def run_task(self, cluster_str, task_definition_str, *args, **kwargs):
        tasks = original_run(self, cluster_str, task_definition_str, *args, **kwargs)
        for task in tasks:
            missing = unpullable_images(self.describe_task_definition(task.task_definition_arn))
            task.payments_unpullable = missing[0] if missing else None
        return tasks

    def describe_tasks(self, cluster_str, tasks):
        found = original_describe(self, cluster_str, tasks)
        for task in found:
            image = getattr(task, "payments_unpullable", None)
            if image:
                task.status = "STOPPED"
                task.desired_status = "STOPPED"
                task.stop_code = "TaskFailedToStart"
                task.stopped_reason = (f"CannotPullContainerError: pull image manifest has been retried 5 time(s): "
                                       f"failed to resolve ref {image}: not found")
                for container in task.containers:
                    container.exitCode = None
                    container.reason = "CannotPullContainerError"
        return found

    run_task.payments_unpullable = True
    EC2ContainerServiceBackend.run_task = run_task
    EC2ContainerServiceBackend.describe_tasks = describe_tasks


FIXES = [
    Fix(
        fix_id="ecs-cluster-capacity-providers",
        aws_behaviour=(
            "DescribeClusters always reports capacityProviders and defaultCapacityProviderStrategy (empty lists when "
            "none are set) and ListTagsForResource answers tags: [] for an untagged cluster; moto omits them and "
            "community.aws.ecs_cluster / ecs_tag fail with KeyError."
        ),
        reference="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Cluster.html",
        apply=_apply_cluster_capacity_providers,
    ),
    Fix(
        fix_id="ecs-service-parameters-and-running-tasks",
        aws_behaviour=(
            "DescribeServices echoes healthCheckGracePeriodSeconds, deploymentConfiguration (with its defaults) and "
            "enableExecuteCommand as given to CreateService, and a service whose tasks start reaches runningCount == "
            "desiredCount with its PRIMARY deployment's rolloutState COMPLETED; moto drops the three parameters and "
            "keeps runningCount at 0, so community.aws.ecs_service changes on every run and no wait ever ends."
        ),
        reference="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html",
        apply=_apply_service_parameters_and_tasks,
    ),
    Fix(
        fix_id="ecs-service-linked-role",
        aws_behaviour=(
            "CreateService answers InvalidParameterException 'Unable to assume the service linked role. Please verify that "
            "the ECS service linked role exists.' while the account has no AWSServiceRoleForECS (a new account: the role "
            "CreateCluster creates is not visible at once); IAM CreateServiceLinkedRole names the roles AWSServiceRoleForECS "
            "and AWSServiceRoleForApplicationAutoScaling_ECSService and answers InvalidInput 'Service role name <name> has "
            "been taken in this account, please try a different suffix.' for one that exists. moto creates the service "
            "without the role, names the roles AWSServiceRoleForecs / ..._Ecs and answers EntityAlreadyExists."
        ),
        reference=(
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html; "
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html; "
            "https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html"
        ),
        apply=_apply_service_linked_roles,
    ),
    Fix(
        fix_id="ecs-unpullable-image-rolls-back",
        aws_behaviour=(
            "A task whose private-ECR image does not exist stops with CannotPullContainerError; with the deployment circuit "
            "breaker's rollback on, ECS fails the new deployment ('deployment failed: tasks failed to start') and rolls back to "
            "the last completed deployment, whose task definition the service runs again; moto starts any image."
        ),
        reference="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html",
        apply=_apply_failed_deployment_rolls_back,
    ),
    Fix(
        fix_id="ecs-run-task-unpullable-image",
        aws_behaviour=(
            "A task started by RunTask whose private-ECR image does not exist never runs: DescribeTasks reports it STOPPED "
            "with stopCode TaskFailedToStart, stoppedReason 'CannotPullContainerError: pull image manifest has been retried "
            "5 time(s): ... not found' and no exitCode on its container; moto runs it to STOPPED with exitCode 0."
        ),
        reference="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html",
        apply=_apply_run_task_unpullable_image,
    ),
]
