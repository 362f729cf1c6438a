# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.dms_replication_instance against moto (tags through moto's tagger, see below)."""

from __future__ import annotations

import boto3
import botocore.waiter
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from moto.dms.models import dms_backends
from moto.moto_api import state_manager

from ansible_collections.payments.aws_platform.plugins.modules import dms_replication_instance as module

NAME = "payments-test-dms"
BASE = {"replication_instance_identifier": NAME, "replication_instance_class": "dms.t3.medium", "engine_version": "3.5.3",
        "allocated_storage": 50, "wait_timeout": 60}


@pytest.fixture(name="dms")
def fixture_dms(aws_credentials, monkeypatch):  # pylint: disable=unused-argument
    monkeypatch.setattr(botocore.waiter.time, "sleep", lambda _s: None)
    with mock_aws():
        yield boto3.client("dms", region_name="us-east-1")
    state_manager.unset_transition("dms::replicationinstance")


@pytest.fixture(name="tag_calls")
def fixture_tag_calls(dms, monkeypatch):  # pylint: disable=unused-argument
    """moto lacks AddTagsToResource / RemoveTagsFromResource: answer them from moto's own tagger."""
    calls = []
    backend = dms_backends["123456789012"]["us-east-1"]
    real_client = module.AnsibleAWSModule.client

    def add_tags(ResourceArn, Tags):  # pylint: disable=invalid-name
        calls.append(("add", ResourceArn, {t["Key"]: t["Value"] for t in Tags}))
        backend.tag_resource(ResourceArn, {t["Key"]: t["Value"] for t in Tags})
        return {}

    def remove_tags(ResourceArn, TagKeys):  # pylint: disable=invalid-name
        calls.append(("remove", ResourceArn, sorted(TagKeys)))
        backend.untag_resource(ResourceArn, TagKeys)
        return {}

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        made.client.add_tags_to_resource = add_tags
        made.client.remove_tags_from_resource = remove_tags
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    return calls


def describe(dms):
    return dms.describe_replication_instances(Filters=[{"Name": "replication-instance-id", "Values": [NAME]}])["ReplicationInstances"]


def test_creates_then_changes_nothing(dms, run_module):
    first = run_module(module, BASE, diff=True)
    assert first["changed"] is True, first
    instance = first["replication_instance"]
    assert instance["status"] == "available" and instance["engine_version"] == "3.5.3"
    assert instance["replication_instance_class"] == "dms.t3.medium" and instance["publicly_accessible"] is False
    assert instance["replication_instance_arn"] == describe(dms)[0]["ReplicationInstanceArn"]
    assert first["diff"]["before"] == {} and first["diff"]["after"]["replication_instance_identifier"] == NAME
    again = run_module(module, BASE, diff=True)
    assert again["changed"] is False and again["modifications"] == {}
    assert again["diff"]["before"] == again["diff"]["after"]


def test_check_mode_creates_nothing(dms, run_module):
    result = run_module(module, dict(BASE, tags={"Env": "test"}), check_mode=True, diff=True)
    assert result["changed"] is True and result["replication_instance"]["replication_instance_arn"] is None
    assert result["replication_instance"]["tags"] == {"Env": "test"}
    assert describe(dms) == []


def test_create_without_class_is_refused(dms, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {"replication_instance_identifier": NAME})
    assert result["failed"] and result["msg"].startswith("replication_instance_class is required to create")


def test_modifies_in_place(dms, run_module):
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sg = ec2.create_security_group(GroupName="dms", Description="dms", VpcId=vpc)["GroupId"]
    run_module(module, BASE)
    arn = describe(dms)[0]["ReplicationInstanceArn"]
    wanted = dict(BASE, replication_instance_class="dms.r5.large", allocated_storage=100, engine_version="3.5.4", multi_az=True,
                  vpc_security_group_ids=[sg], preferred_maintenance_window="sun:06:00-sun:06:30", auto_minor_version_upgrade=False)
    preview = run_module(module, wanted, check_mode=True, diff=True)
    assert preview["changed"] is True and preview["diff"]["after"]["replication_instance_class"] == "dms.r5.large"
    assert describe(dms)[0]["ReplicationInstanceClass"] == "dms.t3.medium"
    result = run_module(module, wanted)
    assert result["changed"] is True
    assert set(result["modifications"]) == {"ReplicationInstanceClass", "AllocatedStorage", "EngineVersion", "MultiAZ",
                                            "VpcSecurityGroupIds", "PreferredMaintenanceWindow", "AutoMinorVersionUpgrade"}
    live = describe(dms)[0]
    assert live["ReplicationInstanceClass"] == "dms.r5.large" and live["AllocatedStorage"] == 100 and live["MultiAZ"] is True
    assert live["ReplicationInstanceArn"] == arn and result["replication_instance"]["vpc_security_group_ids"] == [sg]
    assert run_module(module, wanted)["changed"] is False


def test_major_upgrade_needs_allow_major_version_upgrade(dms, run_module):
    run_module(module, BASE)
    refused = run_module(module, dict(BASE, engine_version="3.6.1"))
    assert refused["failed"] and "set allow_major_version_upgrade to true" in refused["msg"]
    assert describe(dms)[0]["EngineVersion"] == "3.5.3"
    allowed = run_module(module, dict(BASE, engine_version="3.6.1", allow_major_version_upgrade=True))
    assert allowed["changed"] is True and describe(dms)[0]["EngineVersion"] == "3.6.1"


def test_immutable_difference_is_refused_not_replaced(dms, run_module):
    run_module(module, BASE)
    arn = describe(dms)[0]["ReplicationInstanceArn"]
    result = run_module(module, dict(BASE, publicly_accessible=True, replication_subnet_group_identifier="other"))
    assert result["failed"] and "needs replacement" in result["msg"] and "publicly_accessible" in result["msg"]
    assert "replication_subnet_group_identifier" in result["msg"]
    assert describe(dms)[0]["ReplicationInstanceArn"] == arn


def test_kms_key_given_as_alias_is_compared_as_arn(dms, run_module):
    kms = boto3.client("kms", region_name="us-east-1")
    key = kms.create_key()["KeyMetadata"]
    other = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/payments-test-data", TargetKeyId=key["KeyId"])
    run_module(module, dict(BASE, kms_key_id=key["Arn"]))
    assert run_module(module, dict(BASE, kms_key_id="alias/payments-test-data"))["changed"] is False
    refused = run_module(module, dict(BASE, kms_key_id=other["KeyId"]))
    assert refused["failed"] and "kms_key_id" in refused["msg"] and "needs replacement" in refused["msg"]


def test_tags_are_added_and_purged(dms, run_module, tag_calls):
    created = run_module(module, dict(BASE, tags={"Env": "test", "Old": "x"}))
    assert created["replication_instance"]["tags"] == {"Env": "test", "Old": "x"}
    arn = created["replication_instance"]["replication_instance_arn"]
    updated = run_module(module, dict(BASE, tags={"Env": "prod"}), diff=True)
    assert updated["changed"] is True and updated["replication_instance"]["tags"] == {"Env": "prod"}
    assert tag_calls == [("remove", arn, ["Old"]), ("add", arn, {"Env": "prod"})]
    kept = run_module(module, dict(BASE, tags={"New": "y"}, purge_tags=False))
    assert kept["replication_instance"]["tags"] == {"Env": "prod", "New": "y"}
    assert run_module(module, dict(BASE, tags={"Env": "prod", "New": "y"}))["changed"] is False
    assert describe(dms)[0]["ReplicationInstanceArn"] == arn


def test_deletes_and_waits(dms, run_module):
    run_module(module, BASE)
    preview = run_module(module, {"replication_instance_identifier": NAME, "state": "absent"}, check_mode=True, diff=True)
    assert preview["changed"] is True and preview["diff"]["after"] == {} and len(describe(dms)) == 1
    gone = run_module(module, {"replication_instance_identifier": NAME, "state": "absent"})
    assert gone == {"changed": True, "replication_instance": {}} and describe(dms) == []
    assert run_module(module, {"replication_instance_identifier": NAME, "state": "absent"})["changed"] is False


def test_f19_create_wait_times_out_with_a_clear_message(dms, run_module):  # pylint: disable=unused-argument
    state_manager.set_transition("dms::replicationinstance", {"progression": "manual", "times": 1000})
    result = run_module(module, dict(BASE, wait_timeout=30))
    assert result["failed"]
    assert result["msg"].startswith(f"timed out after 30 s waiting for replication instance {NAME} to become available (status creating)")


def test_modify_waits_for_a_creating_instance_first(dms, run_module):
    state_manager.set_transition("dms::replicationinstance", {"progression": "manual", "times": 3})
    run_module(module, dict(BASE, wait=False))
    assert describe(dms)[0]["ReplicationInstanceStatus"] == "creating"
    result = run_module(module, dict(BASE, allocated_storage=60))
    assert result["changed"] is True and result["replication_instance"]["allocated_storage"] == 60
    assert result["replication_instance"]["status"] == "available"


def _stubbed(monkeypatch, stub):
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made.client)
        stub(stubber)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)


def test_api_errors_fail_with_a_sentence(dms, run_module, monkeypatch):  # pylint: disable=unused-argument
    _stubbed(monkeypatch, lambda s: s.add_client_error("describe_replication_instances", service_error_code="AccessDeniedException",
                                                       http_status_code=403))
    result = run_module(module, BASE)
    assert result["failed"] and result["msg"].startswith(f"Unable to look up replication instance {NAME}")


def test_instance_already_deleting_is_only_awaited(dms, run_module, monkeypatch):  # pylint: disable=unused-argument
    deleting = {"ReplicationInstanceIdentifier": NAME, "ReplicationInstanceArn": "arn:aws:dms:us-east-1:123456789012:rep:XYZ",
                "ReplicationInstanceStatus": "deleting", "ReplicationInstanceClass": "dms.t3.medium"}

    def stub(stubber):
        stubber.add_response("describe_replication_instances", {"ReplicationInstances": [deleting]})
        stubber.add_response("describe_replication_instances", {"ReplicationInstances": [deleting]})
        stubber.add_client_error("describe_replication_instances", service_error_code="ResourceNotFoundFault")

    _stubbed(monkeypatch, stub)
    assert run_module(module, {"replication_instance_identifier": NAME, "state": "absent"})["changed"] is False


def test_instance_gone_before_delete_call(dms, run_module, monkeypatch):  # pylint: disable=unused-argument
    available = {"ReplicationInstanceIdentifier": NAME, "ReplicationInstanceArn": "arn:aws:dms:us-east-1:123456789012:rep:XYZ",
                 "ReplicationInstanceStatus": "available", "ReplicationInstanceClass": "dms.t3.medium"}

    def stub(stubber):
        stubber.add_response("describe_replication_instances", {"ReplicationInstances": [available]})
        stubber.add_client_error("delete_replication_instance", service_error_code="ResourceNotFoundFault")

    _stubbed(monkeypatch, stub)
    result = run_module(module, {"replication_instance_identifier": NAME, "state": "absent", "wait": False})
    assert result["changed"] is False


def test_read_back_falls_back_to_create_answer(dms, run_module, monkeypatch):  # pylint: disable=unused-argument
    created = {"ReplicationInstanceIdentifier": NAME, "ReplicationInstanceArn": "arn:aws:dms:us-east-1:123456789012:rep:XYZ",
               "ReplicationInstanceStatus": "creating", "ReplicationInstanceClass": "dms.t3.medium"}

    def stub(stubber):
        stubber.add_client_error("describe_replication_instances", service_error_code="ResourceNotFoundFault")
        stubber.add_response("create_replication_instance", {"ReplicationInstance": created})
        stubber.add_client_error("describe_replication_instances", service_error_code="ResourceNotFoundFault")

    _stubbed(monkeypatch, stub)
    result = run_module(module, dict(BASE, wait=False))
    assert result["changed"] is True and result["replication_instance"]["status"] == "creating"
