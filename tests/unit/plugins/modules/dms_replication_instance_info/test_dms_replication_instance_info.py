# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.dms_replication_instance_info against moto."""

from __future__ import annotations

import runpy

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import dms_replication_instance_info as module


@pytest.fixture(name="dms")
def fixture_dms(aws_credentials):  # pylint: disable=unused-argument
    with mock_aws():
        client = boto3.client("dms", region_name="us-east-1")
        for name in ("payments-a-dms", "payments-b-dms"):
            client.create_replication_instance(ReplicationInstanceIdentifier=name, ReplicationInstanceClass="dms.t3.medium",
                                               EngineVersion="3.5.3", Tags=[{"Key": "Name", "Value": name}])
        yield client


def test_lists_every_instance_with_tags(dms, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {})
    assert result["changed"] is False
    found = {i["replication_instance_identifier"]: i for i in result["replication_instances"]}
    assert set(found) == {"payments-a-dms", "payments-b-dms"}
    assert found["payments-a-dms"]["tags"] == {"Name": "payments-a-dms"}
    assert found["payments-a-dms"]["engine_version"] == "3.5.3" and found["payments-a-dms"]["replication_instance_arn"]


def test_f18_filters_by_identifier_not_arn(dms, run_module):  # pylint: disable=unused-argument
    one = run_module(module, {"replication_instance_identifier": ["payments-b-dms"]})
    assert [i["replication_instance_identifier"] for i in one["replication_instances"]] == ["payments-b-dms"]
    none = run_module(module, {"replication_instance_identifiers": ["payments-missing"]})
    assert none == {"changed": False, "replication_instances": []}


def test_api_errors_fail_with_a_sentence(dms, run_module, monkeypatch):  # pylint: disable=unused-argument
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made.client)
        stubber.add_client_error("describe_replication_instances", service_error_code="AccessDeniedException", http_status_code=403)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    result = run_module(module, {})
    assert result["failed"] and result["msg"].startswith("Unable to list the DMS replication instances")


def test_runs_as_a_script(dms, run_module):  # pylint: disable=unused-argument
    class Script:  # run_module calls main(): here main() runs the file as Ansible does, as __main__
        @staticmethod
        def main():
            runpy.run_path(module.__file__, run_name="__main__")

    result = run_module(Script, {"replication_instance_identifiers": ["payments-a-dms"]})
    assert len(result["replication_instances"]) == 1
