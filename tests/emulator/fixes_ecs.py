# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the ECS tier of the stand-in (picked up by fixes.all_fixes())."""

from __future__ import annotations

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
]
