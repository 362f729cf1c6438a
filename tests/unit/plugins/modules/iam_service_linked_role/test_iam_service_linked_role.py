# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.iam_service_linked_role: created once, "has been taken" is present, check mode creates nothing."""

from __future__ import annotations

import os
import sys

import boto3
import botocore
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import iam_service_linked_role as module
from module_harness import fail_with  # pylint: disable=import-error

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position,import-error

ECS = "ecs.amazonaws.com"


@pytest.fixture(name="iam")
def fixture_iam(aws_credentials):  # pylint: disable=unused-argument
    fixes.apply_all()  # IAM answers "has been taken" for an existing role, as AWS does
    with mock_aws():
        yield boto3.client("iam", region_name="us-east-1")


def _names(iam):
    return [role["RoleName"] for role in iam.list_roles(PathPrefix=f"/aws-service-role/{ECS}/")["Roles"]]


def test_creates_the_role_then_reports_it_present_unchanged(iam, run_module):
    first = run_module(module, {"aws_service_name": ECS, "description": "ECS"}, diff=True)
    assert first["changed"] is True and first["role_name"] == "AWSServiceRoleForECS"
    assert first["role"]["path"] == f"/aws-service-role/{ECS}/"
    assert first["diff"] == {"before": {"role_name": ""}, "after": {"role_name": "AWSServiceRoleForECS"}}
    second = run_module(module, {"aws_service_name": ECS})
    assert second["changed"] is False and second["role_name"] == "AWSServiceRoleForECS"
    assert second["role"]["role_name"] == "AWSServiceRoleForECS"
    assert _names(iam) == ["AWSServiceRoleForECS"]


def test_check_mode_reports_would_create_and_creates_nothing(iam, run_module):
    result = run_module(module, {"aws_service_name": ECS}, check_mode=True, diff=True)
    assert result["changed"] is True and result["role_name"] == ""
    assert result["diff"]["after"] == {"role_name": f"(the role of {ECS})"}
    assert not _names(iam)


def test_check_mode_finds_an_existing_role(iam, run_module):
    iam.create_service_linked_role(AWSServiceName=ECS)
    result = run_module(module, {"aws_service_name": ECS}, check_mode=True)
    assert result["changed"] is False and result["role_name"] == "AWSServiceRoleForECS"


def test_custom_suffix_is_sent_and_matched(iam, run_module):
    service = "autoscaling.amazonaws.com"
    first = run_module(module, {"aws_service_name": service, "custom_suffix": "payments"})
    assert first["changed"] is True and first["role_name"].endswith("_payments")
    assert run_module(module, {"aws_service_name": service, "custom_suffix": "payments"}, check_mode=True)["changed"] is False
    assert run_module(module, {"aws_service_name": service, "custom_suffix": "other"}, check_mode=True)["changed"] is True


def _stubbed(monkeypatch, *errors):
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made)
        for operation, code, message in errors:
            if code is None:  # a response
                stubber.add_response(operation, message)
                continue
            stubber.add_client_error(operation, service_error_code=code, service_message=message, http_status_code=400)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)


def test_taken_without_list_permission_is_still_present(iam, run_module, monkeypatch):  # pylint: disable=unused-argument
    _stubbed(monkeypatch,
             ("create_service_linked_role", "InvalidInput",
              "Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix."),
             ("list_roles", "AccessDenied", "not allowed"))
    result = run_module(module, {"aws_service_name": ECS})
    assert result["changed"] is False and result["role_name"] == "AWSServiceRoleForECS" and result["role"] == {}


def test_entity_already_exists_is_present_too(iam, run_module, monkeypatch):
    role = iam.create_service_linked_role(AWSServiceName=ECS)["Role"]
    _stubbed(monkeypatch, ("create_service_linked_role", "EntityAlreadyExists", "Role with name AWSServiceRoleForECS already exists."),
             ("list_roles", None, {"Roles": [{key: role[key] for key in ("Path", "RoleName", "RoleId", "Arn", "CreateDate")}]}))
    result = run_module(module, {"aws_service_name": ECS})
    assert result["changed"] is False and result["role_name"] == "AWSServiceRoleForECS"


def test_other_invalid_input_fails_with_a_sentence(iam, run_module, monkeypatch):  # pylint: disable=unused-argument
    _stubbed(monkeypatch, ("create_service_linked_role", "InvalidInput", "Invalid service name: nope.amazonaws.com"))
    result = run_module(module, {"aws_service_name": "nope.amazonaws.com"})
    assert result["failed"] and result["msg"].startswith("Could not create or find the service-linked role of nope.amazonaws.com")


def test_access_denied_fails_with_a_sentence(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    error = botocore.exceptions.ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "CreateServiceLinkedRole")
    fail_with(monkeypatch, error)
    result = run_module(module, {"aws_service_name": ECS})
    assert result["failed"] and "Could not create or find the service-linked role of ecs.amazonaws.com" in result["msg"]
