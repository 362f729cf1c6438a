# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.dms_replication_task_info against moto."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import dms_replication_task_info as module

MAPPINGS = {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "all", "rule-action": "include",
                       "object-locator": {"schema-name": "ledger", "table-name": "%"}}]}
INSTANCE = "arn:aws:dms:us-east-1:123456789012:rep:INSTANCE"


@pytest.fixture(name="dms")
def fixture_dms(aws_credentials):  # pylint: disable=unused-argument
    with mock_aws():
        client = boto3.client("dms", region_name="us-east-1")
        for name, instance in (("payments-b", INSTANCE), ("payments-a", INSTANCE), ("other", INSTANCE + "2")):
            client.create_replication_task(
                ReplicationTaskIdentifier=name, SourceEndpointArn="arn:s", TargetEndpointArn="arn:t",
                ReplicationInstanceArn=instance, MigrationType="full-load", TableMappings=json.dumps(MAPPINGS),
                ReplicationTaskSettings=json.dumps({"Logging": {"EnableLogging": True}}),
                Tags=[{"Key": "Name", "Value": name}],
            )
        yield client


def test_lists_every_task_sorted_with_parsed_documents_and_tags(dms, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {})
    assert result["changed"] is False
    tasks = result["replication_tasks"]
    assert [t["replication_task_identifier"] for t in tasks] == ["other", "payments-a", "payments-b"]
    assert tasks[1]["table_mappings"] == MAPPINGS
    assert tasks[1]["replication_task_settings"] == {"Logging": {"EnableLogging": True}}
    assert tasks[1]["tags"] == {"Name": "payments-a"}


def test_filters_by_identifier_and_instance(dms, run_module):  # pylint: disable=unused-argument
    one = run_module(module, {"replication_task_identifier": ["payments-a", "missing"]})["replication_tasks"]
    assert [t["replication_task_identifier"] for t in one] == ["payments-a"]
    on_instance = run_module(module, {"replication_instance_arn": INSTANCE})["replication_tasks"]
    assert [t["replication_task_identifier"] for t in on_instance] == ["payments-a", "payments-b"]
    assert run_module(module, {"replication_task_identifiers": ["missing"]})["replication_tasks"] == []


def test_no_match_fault_gives_an_empty_list_and_errors_a_sentence(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    errors = iter(["ResourceNotFoundFault", "AccessDeniedFault"])
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made)
        stubber.add_client_error("describe_replication_tasks", service_error_code=next(errors), http_status_code=400)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    assert run_module(module, {"replication_task_identifiers": ["x"]})["replication_tasks"] == []
    failed = run_module(module, {})
    assert failed["failed"] and failed["msg"].startswith("Unable to describe the DMS replication tasks")
