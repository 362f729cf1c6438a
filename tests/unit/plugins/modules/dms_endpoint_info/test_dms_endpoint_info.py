# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.dms_endpoint_info against moto with the stand-in's fixes applied."""

from __future__ import annotations

import json
import os
import runpy
import sys

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto import mock_aws

from module_harness import fail_with  # pylint: disable=import-error

from ansible_collections.payments.aws_platform.plugins.modules import dms_endpoint_info as module

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position,import-error

# Only the endpoint fixes: a fix patches moto for the rest of the session, and the replication task tests
# rely on moto's own task lifecycle (the dms-replication-task-lifecycle fix would make their tasks ready).
ENDPOINT_FIXES = ("dms-endpoints-active-and-modifiable", "dms-resource-tag-writes")


def apply_endpoint_fixes():
    for fix in fixes.all_fixes():
        if fix.fix_id in ENDPOINT_FIXES:
            fix.apply()


ROLE = "arn:aws:iam::123456789012:role/payments-test-dms-secrets"


@pytest.fixture(name="dms")
def fixture_dms(aws_credentials):  # pylint: disable=unused-argument
    apply_endpoint_fixes()
    with mock_aws():
        client = boto3.client("dms", region_name="us-east-1")
        client.create_endpoint(EndpointIdentifier="payments-test-source", EndpointType="source", EngineName="postgres",
                               ServerName="db.example.internal", Port=5432, DatabaseName="payments", Username="migration",
                               Password="s3cr3t-Passw0rd", SslMode="require", Tags=[{"Key": "Name", "Value": "source"}])
        client.create_endpoint(EndpointIdentifier="payments-test-target", EndpointType="target", EngineName="aurora-postgresql",
                               DatabaseName="payments", SslMode="require",
                               PostgreSQLSettings={"SecretsManagerSecretId": "payments/test/target", "SecretsManagerAccessRoleArn": ROLE})
        client.create_endpoint(EndpointIdentifier="other-source", EndpointType="source", EngineName="mysql",
                               ServerName="mysql.example.internal", Port=3306, Username="u", Password="p")
        yield client


def identifiers(result):
    return sorted(e["endpoint_identifier"] for e in result["endpoints"])


def test_lists_every_endpoint_with_tags_and_no_password(dms, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {})
    assert result["changed"] is False
    assert identifiers(result) == ["other-source", "payments-test-source", "payments-test-target"]
    by_name = {e["endpoint_identifier"]: e for e in result["endpoints"]}
    source, target = by_name["payments-test-source"], by_name["payments-test-target"]
    assert source["tags"] == {"Name": "source"} and source["username"] == "migration" and source["port"] == 5432
    assert source["endpoint_type"] == "source" and source["secrets_manager_secret_id"] is None
    assert target["tags"] == {} and target["engine_name"] == "aurora-postgresql" and target["endpoint_type"] == "target"
    assert target["secrets_manager_secret_id"] == "payments/test/target" and target["secrets_manager_access_role_arn"] == ROLE
    assert "s3cr3t-Passw0rd" not in json.dumps(result)


def test_filters_by_identifiers_in_any_case(dms, run_module):  # pylint: disable=unused-argument
    one = run_module(module, {"endpoint_identifiers": ["PAYMENTS-TEST-TARGET", "missing"]})
    assert identifiers(one) == ["payments-test-target"]
    alias = run_module(module, {"endpoint_identifier": ["payments-test-source"]})
    assert identifiers(alias) == ["payments-test-source"]
    assert run_module(module, {"endpoint_identifiers": ["missing"]})["endpoints"] == []


def test_filters_by_type(dms, run_module):  # pylint: disable=unused-argument
    assert identifiers(run_module(module, {"endpoint_type": "source"})) == ["other-source", "payments-test-source"]
    assert identifiers(run_module(module, {"endpoint_type": "target"})) == ["payments-test-target"]
    both = run_module(module, {"endpoint_type": "source", "endpoint_identifiers": ["payments-test-source", "payments-test-target"]})
    assert identifiers(both) == ["payments-test-source"]


def test_no_match_fault_gives_an_empty_list(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    """DMS answers a filter that matches nothing with ResourceNotFoundFault."""
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made.client)
        stubber.add_client_error("describe_endpoints", service_error_code="ResourceNotFoundFault", http_status_code=404)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    assert run_module(module, {"endpoint_identifiers": ["x"]}) == {"changed": False, "endpoints": []}


def test_api_errors_fail_with_a_sentence(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    fail_with(monkeypatch, ClientError({"Error": {"Code": "AccessDeniedFault", "Message": "not allowed"}}, "DescribeEndpoints"))
    result = run_module(module, {})
    assert result["failed"] and result["msg"].startswith("Unable to list the DMS endpoints")
    assert "not allowed" in result["msg"] and result["error"]["code"] == "AccessDeniedFault"


def test_runs_as_a_script(dms, run_module):  # pylint: disable=unused-argument
    class Script:  # run_module calls main(): here main() runs the file as Ansible does, as __main__
        @staticmethod
        def main():
            runpy.run_path(module.__file__, run_name="__main__")

    result = run_module(Script, {"endpoint_identifiers": ["payments-test-source"]})
    assert result["changed"] is False and "endpoints" in result
