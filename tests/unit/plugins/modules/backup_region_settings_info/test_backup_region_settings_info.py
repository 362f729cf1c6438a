# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.backup_region_settings_info: the Backup service opt-in a tag-based selection depends on."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from ansible_collections.payments.aws_platform.plugins.modules import backup_region_settings_info as module

SETTINGS = {
    "ResourceTypeOptInPreference": {"Aurora": False, "DynamoDB": True, "S3": False},
    "ResourceTypeManagementPreference": {"DynamoDB": True, "EFS": True},
}


@pytest.fixture(name="stubbed")
def fixture_stubbed(monkeypatch, aws_credentials):  # pylint: disable=unused-argument
    real_client = module.AnsibleAWSModule.client
    stubs = []

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made)
        for method, answer in stubs:
            if isinstance(answer, dict):
                stubber.add_response(method, answer, {})
            else:
                stubber.add_client_error(method, service_error_code=answer, http_status_code=403)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    monkeypatch.setattr(module.AWSRetry, "jittered_backoff", lambda **kw: (lambda f: f))
    return stubs


def test_reports_the_wanted_types_that_are_not_opted_in(stubbed, run_module):
    stubbed.append(("describe_region_settings", SETTINGS))
    result = run_module(module, {"resource_types": ["Aurora", "DynamoDB", "S3"]})
    assert result["changed"] is False
    assert result["not_opted_in"] == ["Aurora", "S3"]
    assert result["unknown"] == []
    assert result["resource_type_opt_in_preference"] == SETTINGS["ResourceTypeOptInPreference"]
    assert result["resource_type_management_preference"] == {"DynamoDB": True, "EFS": True}


def test_a_type_the_region_does_not_list_is_unknown_not_opted_in(stubbed, run_module):
    stubbed.append(("describe_region_settings", SETTINGS))
    result = run_module(module, {"resource_types": ["DynamoDB", "Timestream"]}, check_mode=True)
    assert (result["not_opted_in"], result["unknown"]) == ([], ["Timestream"])


def test_a_permission_error_fails_with_the_permission_named(stubbed, run_module):
    stubbed.append(("describe_region_settings", "AccessDeniedException"))
    result = run_module(module, {"resource_types": ["Aurora"]})
    assert result["failed"] and "backup:DescribeRegionSettings" in result["msg"]


def test_opt_in_gaps_keeps_the_order_given():
    assert module.opt_in_gaps({"S3": False, "Aurora": False}, ["Aurora", "S3", "EBS"]) == (["Aurora", "S3"], ["EBS"])
