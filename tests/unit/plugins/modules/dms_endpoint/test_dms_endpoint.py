# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.dms_endpoint against moto with the stand-in's DMS endpoint fixes applied.

moto 5.2.5 lacks ModifyEndpoint, AddTagsToResource and RemoveTagsFromResource, leaves a new endpoint
without a status and lets an endpoint used by a task be deleted; the stand-in's endpoint and tag fixes restore the AWS
behaviour (tests/emulator/fixes_dms.py, proven by tests/unit/emulator/test_fixes_dms.py). Races and
API errors moto cannot produce use botocore Stubber.
"""

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

from ansible_collections.payments.aws_platform.plugins.modules import dms_endpoint as module

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position,import-error

# Only the endpoint fixes: a fix patches moto for the rest of the session, and the replication task tests
# rely on moto's own task lifecycle (the dms-replication-task-lifecycle fix would make their tasks ready).
ENDPOINT_FIXES = ("dms-endpoints-active-and-modifiable", "dms-resource-tag-writes")


def apply_endpoint_fixes():
    for fix in fixes.all_fixes():
        if fix.fix_id in ENDPOINT_FIXES:
            fix.apply()


NAME = "payments-test-source"
ROLE = "arn:aws:iam::123456789012:role/payments-test-dms-secrets"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:payments/test/dms/source-AbCdEf"
SECRET_BASE = {"endpoint_identifier": NAME, "endpoint_type": "source", "engine_name": "postgres", "database_name": "payments",
               "secrets_manager_secret_id": SECRET, "secrets_manager_access_role_arn": ROLE}
USER_BASE = {"endpoint_identifier": NAME, "endpoint_type": "source", "engine_name": "mysql", "server_name": "db.example.internal",
             "port": 3306, "username": "migration", "password": "s3cr3t-Passw0rd"}
ABSENT = {"endpoint_identifier": NAME, "state": "absent"}


@pytest.fixture(name="dms")
def fixture_dms(aws_credentials):  # pylint: disable=unused-argument
    apply_endpoint_fixes()
    with mock_aws():
        yield boto3.client("dms", region_name="us-east-1")


def live(dms, name=NAME):
    found = dms.describe_endpoints(Filters=[{"Name": "endpoint-id", "Values": [name]}])["Endpoints"]
    return found[0] if found else None


def live_tags(dms, arn):
    return {t["Key"]: t["Value"] for t in dms.list_tags_for_resource(ResourceArn=arn)["TagList"]}


def _stubbed(monkeypatch, stub):
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made.client)
        stub(stubber)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)


# --- create and idempotence ------------------------------------------------------------------------
def test_creates_with_a_secret_then_changes_nothing(dms, run_module):
    first = run_module(module, dict(SECRET_BASE, tags={"Env": "test"}), diff=True)
    assert first["changed"] is True, first
    endpoint = first["endpoint"]
    raw = live(dms)
    assert endpoint["endpoint_arn"] == raw["EndpointArn"] and endpoint["status"] == "active"
    assert endpoint["secrets_manager_secret_id"] == SECRET and endpoint["secrets_manager_access_role_arn"] == ROLE
    assert raw["PostgreSQLSettings"] == {"SecretsManagerSecretId": SECRET, "SecretsManagerAccessRoleArn": ROLE}
    assert raw["SslMode"] == "require" and endpoint["ssl_mode"] == "require"
    assert endpoint["tags"] == {"Env": "test"} and live_tags(dms, raw["EndpointArn"]) == {"Env": "test"}
    assert first["diff"]["before"] == {} and first["diff"]["after"]["endpoint_identifier"] == NAME
    again = run_module(module, dict(SECRET_BASE, tags={"Env": "test"}), diff=True)
    assert again["changed"] is False and again["modifications"] == {}
    assert again["diff"]["before"] == again["diff"]["after"]


def test_creates_with_username_and_password_never_returned(dms, run_module):
    first = run_module(module, USER_BASE, diff=True)
    assert first["changed"] is True
    assert first["endpoint"]["username"] == "migration" and first["endpoint"]["server_name"] == "db.example.internal"
    assert first["endpoint"]["port"] == 3306 and first["endpoint"]["secrets_manager_secret_id"] is None
    assert "s3cr3t-Passw0rd" not in json.dumps(first)
    backend_endpoint = next(iter(_backend().endpoints.values()))
    assert backend_endpoint.password == "s3cr3t-Passw0rd"
    again = run_module(module, USER_BASE, diff=True)
    assert again["changed"] is False and "s3cr3t-Passw0rd" not in json.dumps(again)


def _backend():
    from moto.dms.models import dms_backends  # pylint: disable=import-outside-toplevel

    return dms_backends["123456789012"]["us-east-1"]


def test_identifier_is_matched_case_insensitively(dms, run_module):
    run_module(module, SECRET_BASE)
    assert run_module(module, dict(SECRET_BASE, endpoint_identifier=NAME.upper()))["changed"] is False
    assert len(dms.describe_endpoints()["Endpoints"]) == 1


@pytest.mark.parametrize("missing, message", [
    (("endpoint_type",), "endpoint_type required to create endpoint"),
    (("engine_name",), "engine_name required to create endpoint"),
    (("endpoint_type", "engine_name"), "endpoint_type and engine_name required to create endpoint"),
])
def test_create_without_type_or_engine_is_refused(dms, run_module, missing, message):
    args = {k: v for k, v in SECRET_BASE.items() if k not in missing}
    result = run_module(module, args)
    assert result["failed"] and result["msg"] == f"{message} {NAME}"
    assert live(dms) is None


# --- modify -----------------------------------------------------------------------------------------
def test_modifies_ssl_mode_server_and_attributes_in_place(dms, run_module):
    kms = boto3.client("kms", region_name="us-east-1")
    cert_arn = "arn:aws:dms:us-east-1:123456789012:cert:PAYMENTSCA"  # moto has no ImportCertificate; DMS keeps the ARN as given
    key = kms.create_key()["KeyMetadata"]["Arn"]
    run_module(module, dict(USER_BASE, kms_key_id=key))
    arn = live(dms)["EndpointArn"]
    wanted = dict(USER_BASE, server_name="db2.example.internal", port=3307, ssl_mode="verify-full", certificate_arn=cert_arn,
                  extra_connection_attributes="parallelLoadThreads=4", kms_key_id=key)
    preview = run_module(module, wanted, check_mode=True, diff=True)
    assert preview["changed"] is True and preview["diff"]["after"]["ssl_mode"] == "verify-full"
    assert preview["diff"]["before"]["ssl_mode"] == "require" and live(dms)["ServerName"] == "db.example.internal"
    result = run_module(module, wanted, diff=True)
    assert result["changed"] is True
    assert result["modifications"] == {"ServerName": "db2.example.internal", "Port": 3307, "SslMode": "verify-full",
                                       "CertificateArn": cert_arn, "ExtraConnectionAttributes": "parallelLoadThreads=4"}
    raw = live(dms)
    assert raw["EndpointArn"] == arn and raw["ServerName"] == "db2.example.internal" and raw["Port"] == 3307
    assert raw["SslMode"] == "verify-full" and raw["CertificateArn"] == cert_arn
    assert result["endpoint"]["ssl_mode"] == "verify-full" and "s3cr3t-Passw0rd" not in json.dumps(result)
    assert run_module(module, wanted)["changed"] is False


@pytest.mark.parametrize("engine, block", [
    ("postgres", "PostgreSQLSettings"),
    ("aurora-postgresql", "PostgreSQLSettings"),
    ("mysql", "MySQLSettings"),
    ("aurora", "MySQLSettings"),
])
def test_secret_change_goes_to_the_engines_settings_block(dms, run_module, engine, block):
    base = dict(SECRET_BASE, engine_name=engine)
    if block == "MySQLSettings":
        base.pop("database_name")  # DMS does not use one for MySQL-compatible engines
    run_module(module, base)
    other_secret = SECRET.replace("source", "rotated")
    result = run_module(module, dict(base, secrets_manager_secret_id=other_secret))
    assert result["changed"] is True
    assert result["modifications"] == {block: {"SecretsManagerSecretId": other_secret, "SecretsManagerAccessRoleArn": ROLE}}
    assert live(dms)[block]["SecretsManagerSecretId"] == other_secret
    assert result["endpoint"]["secrets_manager_secret_id"] == other_secret
    other_role = ROLE + "-2"
    moved = run_module(module, dict(base, secrets_manager_secret_id=other_secret, secrets_manager_access_role_arn=other_role))
    assert set(moved["modifications"]) == {block} and live(dms)[block]["SecretsManagerAccessRoleArn"] == other_role


def test_secret_block_uses_the_live_engine_when_engine_name_is_not_given(dms, run_module):
    run_module(module, dict(SECRET_BASE, engine_name="aurora-postgresql"))
    args = {k: v for k, v in SECRET_BASE.items() if k not in ("engine_name", "endpoint_type")}
    result = run_module(module, dict(args, secrets_manager_secret_id="payments/other"))
    assert list(result["modifications"]) == ["PostgreSQLSettings"]


def test_update_password_always_sends_it_on_create_does_not(dms, run_module, monkeypatch):
    run_module(module, USER_BASE)
    sent = []
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        modify = made.client.modify_endpoint

        def spy(**kwargs):
            sent.append(kwargs)
            return modify(**kwargs)

        made.client.modify_endpoint = spy
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    on_create = run_module(module, dict(USER_BASE, password="n3w-Passw0rd"))
    assert on_create["changed"] is False and sent == []
    preview = run_module(module, dict(USER_BASE, password="n3w-Passw0rd", update_password="always"), check_mode=True)
    assert preview["changed"] is True and sent == [] and _backend().endpoints[NAME].password == "s3cr3t-Passw0rd"
    always = run_module(module, dict(USER_BASE, password="n3w-Passw0rd", update_password="always"))
    assert always["changed"] is True and always["modifications"] == {}
    assert sent == [{"EndpointArn": live(dms)["EndpointArn"], "Password": "n3w-Passw0rd"}]
    assert _backend().endpoints[NAME].password == "n3w-Passw0rd" and "n3w-Passw0rd" not in json.dumps(always)


# --- tags ---------------------------------------------------------------------------------------------
def test_tags_are_added_removed_and_purged(dms, run_module):
    created = run_module(module, dict(SECRET_BASE, tags={"Env": "test", "Old": "x"}))
    arn = created["endpoint"]["endpoint_arn"]
    preview = run_module(module, dict(SECRET_BASE, tags={"Env": "prod"}), check_mode=True, diff=True)
    assert preview["changed"] is True and preview["endpoint"]["tags"] == {"Env": "prod"}
    assert preview["diff"]["before"]["tags"] == {"Env": "test", "Old": "x"} and live_tags(dms, arn) == {"Env": "test", "Old": "x"}
    updated = run_module(module, dict(SECRET_BASE, tags={"Env": "prod"}))
    assert updated["changed"] is True and updated["modifications"] == {}
    assert updated["endpoint"]["tags"] == {"Env": "prod"} and live_tags(dms, arn) == {"Env": "prod"}
    kept = run_module(module, dict(SECRET_BASE, tags={"New": "y"}, purge_tags=False))
    assert kept["changed"] is True and live_tags(dms, arn) == {"Env": "prod", "New": "y"}
    assert run_module(module, dict(SECRET_BASE, tags={"Env": "prod", "New": "y"}))["changed"] is False
    assert run_module(module, SECRET_BASE)["changed"] is False  # tags not given: not managed
    purged = run_module(module, dict(SECRET_BASE, tags={}))
    assert purged["changed"] is True and live_tags(dms, arn) == {} and purged["endpoint"]["tags"] == {}


# --- KMS key ------------------------------------------------------------------------------------------
def test_kms_key_given_as_alias_is_compared_as_arn_and_a_change_is_refused(dms, run_module):
    kms = boto3.client("kms", region_name="us-east-1")
    key = kms.create_key()["KeyMetadata"]
    other = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/payments-test-dms", TargetKeyId=key["KeyId"])
    run_module(module, dict(SECRET_BASE, kms_key_id=key["Arn"]))
    arn = live(dms)["EndpointArn"]
    assert run_module(module, dict(SECRET_BASE, kms_key_id="alias/payments-test-dms"))["changed"] is False
    refused = run_module(module, dict(SECRET_BASE, kms_key_id=other["KeyId"]))
    assert refused["failed"]
    assert refused["msg"].startswith(f"endpoint {NAME}: kms_key_id is {key['Arn']!r}, requested {other['KeyId']!r}")
    assert "Delete the endpoint (state=absent)" in refused["msg"]
    assert live(dms)["EndpointArn"] == arn and live(dms)["KmsKeyId"] == key["Arn"]
    missing = run_module(module, dict(SECRET_BASE, kms_key_id="alias/does-not-exist"))
    assert missing["failed"] and missing["msg"] == "kms_key_id: KMS key 'alias/does-not-exist' does not exist in this region"


# --- validation -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    ({k: v for k, v in SECRET_BASE.items() if k != "secrets_manager_access_role_arn"},
     "secrets_manager_access_role_arn is required with secrets_manager_secret_id"),
    (dict(SECRET_BASE, username="migration"), "username/password and secrets_manager_secret_id are exclusive"),
    (dict(SECRET_BASE, password="x"), "username/password and secrets_manager_secret_id are exclusive"),
    (dict(USER_BASE, ssl_mode="verify-full"), "ssl_mode verify-full needs certificate_arn"),
    (dict(USER_BASE, ssl_mode="verify-ca"), "ssl_mode verify-ca needs certificate_arn"),
])
def test_invalid_combinations_are_refused_before_any_call(dms, run_module, args, message):
    result = run_module(module, args, check_mode=True)
    assert result["failed"] and result["msg"].startswith(message), result
    assert "password" not in result or result.get("password") is None
    assert live(dms) is None


# --- check mode ---------------------------------------------------------------------------------------
def test_check_mode_creates_nothing_and_predicts(dms, run_module):
    result = run_module(module, dict(USER_BASE, tags={"Env": "test"}, ssl_mode="none"), check_mode=True, diff=True)
    assert result["changed"] is True and result["modifications"] == {}
    endpoint = result["endpoint"]
    assert endpoint["endpoint_identifier"] == NAME and endpoint["endpoint_arn"] is None and endpoint["status"] == "active"
    assert endpoint["engine_name"] == "mysql" and endpoint["ssl_mode"] == "none" and endpoint["tags"] == {"Env": "test"}
    assert result["diff"]["before"] == {} and result["diff"]["after"]["server_name"] == "db.example.internal"
    assert "s3cr3t-Passw0rd" not in json.dumps(result)
    assert live(dms) is None


def test_check_mode_with_a_secret_predicts_the_secret(dms, run_module):
    result = run_module(module, SECRET_BASE, check_mode=True)
    assert result["endpoint"]["secrets_manager_secret_id"] == SECRET and result["endpoint"]["kms_key_id"] is None
    assert live(dms) is None


# --- absent ---------------------------------------------------------------------------------------------
def test_deletes_then_absent_is_unchanged(dms, run_module):
    run_module(module, SECRET_BASE)
    preview = run_module(module, ABSENT, check_mode=True, diff=True)
    assert preview["changed"] is True and preview["diff"]["before"]["endpoint_identifier"] == NAME
    assert preview["diff"]["after"] == {} and live(dms) is not None
    gone = run_module(module, ABSENT)
    assert gone == {"changed": True, "endpoint": {}} and live(dms) is None
    again = run_module(module, ABSENT, diff=True)
    assert again["changed"] is False and again["diff"] == {"before": {}, "after": {}}


def test_endpoint_in_use_by_a_task_is_refused_with_a_clear_message(dms, run_module):
    source = run_module(module, SECRET_BASE)["endpoint"]["endpoint_arn"]
    target = run_module(module, dict(SECRET_BASE, endpoint_identifier="payments-test-target", endpoint_type="target",
                                     engine_name="aurora-postgresql"))["endpoint"]["endpoint_arn"]
    instance = dms.create_replication_instance(ReplicationInstanceIdentifier="payments-test-rep",
                                               ReplicationInstanceClass="dms.t3.medium")["ReplicationInstance"]
    dms.create_replication_task(ReplicationTaskIdentifier="payments-test-ledger", SourceEndpointArn=source, TargetEndpointArn=target,
                                ReplicationInstanceArn=instance["ReplicationInstanceArn"], MigrationType="full-load",
                                TableMappings=json.dumps({"rules": []}))
    result = run_module(module, ABSENT)
    assert result["failed"]
    assert result["msg"].startswith(f"endpoint {NAME} cannot be deleted while a replication task uses it: stop and delete the task first")
    assert "payments.aws_platform.dms_replication_task state=absent" in result["msg"] and "AWS said:" in result["msg"]
    assert live(dms)["EndpointArn"] == source


ENDPOINT = {"EndpointIdentifier": NAME, "EndpointArn": "arn:aws:dms:us-east-1:123456789012:endpoint:RANDOMID",
            "EndpointType": "SOURCE", "EngineName": "postgres", "Status": "active", "SslMode": "require"}


def test_endpoint_gone_before_the_delete_call_is_unchanged(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    def stub(stubber):
        stubber.add_response("describe_endpoints", {"Endpoints": [ENDPOINT]})
        stubber.add_client_error("delete_endpoint", service_error_code="ResourceNotFoundFault", http_status_code=404)

    _stubbed(monkeypatch, stub)
    assert run_module(module, ABSENT) == {"changed": False, "endpoint": {}}


def test_read_back_falls_back_to_the_create_answer(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    def stub(stubber):
        stubber.add_client_error("describe_endpoints", service_error_code="ResourceNotFoundFault", http_status_code=404)
        stubber.add_response("create_endpoint", {"Endpoint": dict(ENDPOINT, PostgreSQLSettings={"SecretsManagerSecretId": SECRET,
                                                                                                "SecretsManagerAccessRoleArn": ROLE})})
        stubber.add_client_error("describe_endpoints", service_error_code="ResourceNotFoundFault", http_status_code=404)

    _stubbed(monkeypatch, stub)
    result = run_module(module, dict(SECRET_BASE, tags={"Env": "test"}))
    assert result["changed"] is True and result["endpoint"]["endpoint_arn"] == ENDPOINT["EndpointArn"]
    assert result["endpoint"]["tags"] == {"Env": "test"} and result["endpoint"]["secrets_manager_secret_id"] == SECRET


# --- AWS errors -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [SECRET_BASE, ABSENT])
def test_api_errors_fail_with_a_sentence(aws_credentials, run_module, monkeypatch, args):  # pylint: disable=unused-argument
    error = ClientError({"Error": {"Code": "AccessDeniedFault", "Message": "not allowed"}}, "DescribeEndpoints")
    fail_with(monkeypatch, error)
    result = run_module(module, args)
    assert result["failed"] and result["msg"].startswith(f"Unable to manage DMS endpoint {NAME}")
    assert "not allowed" in result["msg"] and result["error"]["code"] == "AccessDeniedFault"


def test_modify_error_fails_with_a_sentence(dms, run_module, monkeypatch):
    run_module(module, SECRET_BASE)
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)

        def refuse(**kwargs):
            raise ClientError({"Error": {"Code": "InvalidParameterValueException", "Message": "bad port"}}, "ModifyEndpoint")

        made.client.modify_endpoint = refuse
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    result = run_module(module, dict(SECRET_BASE, ssl_mode="none"))
    assert result["failed"] and result["msg"] == (f"Unable to manage DMS endpoint {NAME}: An error occurred (InvalidParameterValueException) "
                                                  "when calling the ModifyEndpoint operation: bad port")
    assert live(dms)["SslMode"] == "require"


def test_endpoint_type_reported_in_upper_case_is_returned_alike_changed_or_not(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    """AWS reports EndpointType SOURCE/TARGET (moto keeps the case given): same answer with or without a change, no diff."""
    arn = ENDPOINT["EndpointArn"]
    modified = dict(ENDPOINT, SslMode="none")

    def first_run(stubber):
        stubber.add_response("describe_endpoints", {"Endpoints": [ENDPOINT]})
        stubber.add_response("list_tags_for_resource", {"TagList": []})

    def second_run(stubber):
        first_run(stubber)
        stubber.add_response("modify_endpoint", {"Endpoint": modified}, {"EndpointArn": arn, "SslMode": "none"})
        stubber.add_response("describe_endpoints", {"Endpoints": [modified]})
        stubber.add_response("list_tags_for_resource", {"TagList": []})

    runs = iter([first_run, second_run])

    def stub(stubber):
        next(runs)(stubber)

    _stubbed(monkeypatch, stub)
    args = {"endpoint_identifier": NAME, "endpoint_type": "source", "engine_name": "postgres"}
    unchanged = run_module(module, args, diff=True)
    assert unchanged["changed"] is False and unchanged["endpoint"]["endpoint_type"] == "source"
    changed = run_module(module, dict(args, ssl_mode="none"), diff=True)
    assert changed["changed"] is True and changed["modifications"] == {"SslMode": "none"}
    assert changed["endpoint"]["endpoint_type"] == "source"
    assert changed["diff"]["before"]["endpoint_type"] == changed["diff"]["after"]["endpoint_type"] == "source"


def test_runs_as_a_script(dms, run_module):  # pylint: disable=unused-argument
    class Script:  # run_module calls main(): here main() runs the file as Ansible does, as __main__
        @staticmethod
        def main():
            runpy.run_path(module.__file__, run_name="__main__")

    result = run_module(Script, ABSENT)
    assert result["changed"] is False and "endpoint" in result
