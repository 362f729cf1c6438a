# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ECS fixes of the stand-in restore these AWS behaviours."""

from __future__ import annotations

import json
import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="aws")
def fixture_aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        yield boto3.client("ecs", region_name="us-east-1"), boto3.client("ec2", region_name="us-east-1")


@pytest.fixture(name="iam")
def fixture_iam(aws):  # pylint: disable=unused-argument
    return boto3.client("iam", region_name="us-east-1")


def _service(ecs, ec2, slr=True, **extra):
    if slr:
        boto3.client("iam", region_name="us-east-1").create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="app", Description="app", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="f", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                 containerDefinitions=[{"name": "app", "image": "nginx", "essential": True}])
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="f:1", desiredCount=2, launchType="FARGATE",
                       networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group],
                                                                     "assignPublicIp": "DISABLED"}}, **extra)
    return ecs.describe_services(cluster="c", services=["s"])["services"][0]


def test_describe_clusters_reports_empty_capacity_providers(aws):
    ecs = aws[0]
    ecs.create_cluster(clusterName="c")
    cluster = ecs.describe_clusters(clusters=["c"])["clusters"][0]
    assert cluster["capacityProviders"] == [] and cluster["defaultCapacityProviderStrategy"] == []
    assert ecs.list_tags_for_resource(resourceArn=cluster["clusterArn"])["tags"] == []


def test_describe_services_echoes_grace_period_deployment_configuration_and_exec(aws):
    breaker = {"deploymentCircuitBreaker": {"enable": True, "rollback": True}, "maximumPercent": 200, "minimumHealthyPercent": 50}
    service = _service(*aws, healthCheckGracePeriodSeconds=60, deploymentConfiguration=breaker, enableExecuteCommand=False)
    assert service["healthCheckGracePeriodSeconds"] == 60
    assert service["deploymentConfiguration"] == breaker
    assert service["enableExecuteCommand"] is False


def test_describe_services_reports_the_default_deployment_configuration(aws):
    service = _service(*aws)
    assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": False, "rollback": False}


def test_service_tasks_start_and_the_deployment_completes(aws):
    ecs, ec2 = aws
    service = _service(ecs, ec2)
    assert service["runningCount"] == service["desiredCount"] == 2
    assert service["deployments"][0]["rolloutState"] == "COMPLETED"
    ecs.update_service(cluster="c", service="s", desiredCount=3)
    service = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    assert service["runningCount"] == service["deployments"][0]["runningCount"] == 3


def test_create_service_is_refused_until_the_ecs_service_linked_role_exists(aws, iam):
    ecs, ec2 = aws
    with pytest.raises(ecs.exceptions.InvalidParameterException) as refused:
        _service(ecs, ec2, slr=False)
    assert refused.value.response["Error"]["Message"] == (
        "Unable to assume the service linked role. Please verify that the ECS service linked role exists.")
    assert ecs.list_services(cluster="c")["serviceArns"] == []
    iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="f:1", desiredCount=1, launchType="FARGATE")
    assert len(ecs.list_services(cluster="c")["serviceArns"]) == 1


@pytest.mark.parametrize("service, name", [
    ("ecs.amazonaws.com", "AWSServiceRoleForECS"),
    ("ecs.application-autoscaling.amazonaws.com", "AWSServiceRoleForApplicationAutoScaling_ECSService"),
])
def test_service_linked_roles_carry_the_aws_names_and_a_second_create_is_taken(iam, service, name):
    role = iam.create_service_linked_role(AWSServiceName=service)["Role"]
    assert role["RoleName"] == name and role["Path"] == f"/aws-service-role/{service}/"
    with pytest.raises(iam.exceptions.InvalidInputException) as taken:
        iam.create_service_linked_role(AWSServiceName=service)
    assert taken.value.response["Error"]["Message"] == (
        f"Service role name {name} has been taken in this account, please try a different suffix.")


def test_other_service_linked_roles_keep_moto_names_and_answer_taken_too(iam):
    name = iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")["Role"]["RoleName"]
    with pytest.raises(iam.exceptions.InvalidInputException) as taken:
        iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    assert f"Service role name {name} has been taken in this account" in taken.value.response["Error"]["Message"]


def test_applying_the_fixes_twice_keeps_one_check(aws, iam):
    fixes.apply_all()
    ecs, ec2 = aws
    with pytest.raises(ecs.exceptions.InvalidParameterException):
        _service(ecs, ec2, slr=False)
    iam.create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="f:1", desiredCount=2, launchType="FARGATE")
    assert ecs.describe_services(cluster="c", services=["s"])["services"][0]["runningCount"] == 2


BREAKER = {"deploymentCircuitBreaker": {"enable": True, "rollback": True}, "maximumPercent": 200, "minimumHealthyPercent": 100}
PRIVATE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments/api"


def _revision(ecs, image):
    return ecs.register_task_definition(
        family="f", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "app", "image": image, "essential": True}])["taskDefinition"]["taskDefinitionArn"]


def test_an_image_missing_from_private_ecr_fails_the_deployment_and_rolls_back(aws):
    ecs, ec2 = aws
    first = _service(ecs, ec2, deploymentConfiguration=BREAKER)["taskDefinition"]
    ecs.update_service(cluster="c", service="s", taskDefinition=_revision(ecs, PRIVATE + ":missing"))
    service = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    assert service["taskDefinition"] == first
    assert [(d["status"], d["taskDefinition"], d["rolloutState"]) for d in service["deployments"]] == [("PRIMARY", first, "COMPLETED")]
    messages = [event["message"] for event in service["events"]]
    assert "deployment failed: tasks failed to start." in messages[1] and "CannotPullContainerError" in messages[2]


def test_an_image_present_in_private_ecr_deploys(aws):
    ecs, ec2 = aws
    _service(ecs, ec2, deploymentConfiguration=BREAKER)
    ecr = boto3.client("ecr", region_name="us-east-1")
    ecr.create_repository(repositoryName="payments/api")
    ecr.put_image(repositoryName="payments/api", imageTag="1.0", imageManifest=json.dumps({"schemaVersion": 2, "layers": []}),
                  imageManifestMediaType="application/vnd.docker.distribution.manifest.v2+json")
    second = _revision(ecs, PRIVATE + ":1.0")
    ecs.update_service(cluster="c", service="s", taskDefinition=second)
    service = ecs.describe_services(cluster="c", services=["s"])["services"][0]
    assert (service["taskDefinition"], service["deployments"][0]["rolloutState"]) == (second, "COMPLETED")
