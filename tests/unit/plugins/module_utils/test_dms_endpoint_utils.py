# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugins/module_utils/dms_endpoint.py: lookup, validation, comparison and prediction."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.payments.aws_platform.plugins.module_utils import dms_endpoint as dms

ARN = "arn:aws:dms:us-east-1:123456789012:endpoint:RANDOMID"
ROLE = "arn:aws:iam::123456789012:role/payments-test-dms-secrets"


class Pages:
    """A DescribeEndpoints paginator that records its parameters."""

    def __init__(self, endpoints=None, error=None):
        self.endpoints, self.error, self.calls = endpoints or [], error, []

    def get_paginator(self, name):
        assert name == "describe_endpoints"
        return self

    def paginate(self, **params):
        self.calls.append(params)
        return self

    def build_full_result(self):
        if self.error:
            raise self.error
        return {"Endpoints": self.endpoints}


def error(code):
    return ClientError({"Error": {"Code": code, "Message": code}}, "DescribeEndpoints")


def params(**overrides):
    base = {"endpoint_identifier": "payments-test-source", "endpoint_type": "source", "engine_name": "postgres",
            "server_name": None, "port": None, "database_name": None, "username": None, "password": None,
            "secrets_manager_secret_id": None, "secrets_manager_access_role_arn": None, "ssl_mode": "require",
            "certificate_arn": None, "extra_connection_attributes": None, "kms_key_id": None}
    base.update(overrides)
    return base


@pytest.mark.parametrize("engine, key", [
    ("postgres", "PostgreSQLSettings"), ("aurora-postgresql", "PostgreSQLSettings"),
    ("aurora-postgresql-serverless", "PostgreSQLSettings"), ("mysql", "MySQLSettings"), ("mariadb", "MySQLSettings"),
    ("aurora", "MySQLSettings"), ("aurora-serverless", "MySQLSettings"), ("oracle", "OracleSettings"),
    ("sqlserver", "MicrosoftSQLServerSettings"), ("azuredb", "MicrosoftSQLServerSettings"), ("s3", None), (None, None),
])
def test_settings_block_per_engine(engine, key):
    assert dms.settings_key(engine) == key


def test_engines_and_ssl_modes_match_the_module_choices():
    assert dms.ENGINES == sorted(dms.ENGINE_SETTINGS) and "aurora-postgresql" in dms.ENGINES
    assert dms.SSL_MODES == ["none", "require", "verify-ca", "verify-full"]


@pytest.mark.parametrize("identifiers, endpoint_type, sent", [
    (None, None, {}),
    (["Payments-A", "payments-b"], None, {"Filters": [{"Name": "endpoint-id", "Values": ["Payments-A", "payments-a", "payments-b"]}]}),
    (None, "target", {"Filters": [{"Name": "endpoint-type", "Values": ["target"]}]}),
    (["a"], "source", {"Filters": [{"Name": "endpoint-id", "Values": ["a"]}, {"Name": "endpoint-type", "Values": ["source"]}]}),
])
def test_describe_filters_by_identifier_in_both_cases_and_type(identifiers, endpoint_type, sent):
    client = Pages([{"EndpointIdentifier": "a"}])
    assert dms.describe_endpoints(client, identifiers, endpoint_type) == [{"EndpointIdentifier": "a"}]
    assert client.calls == [sent]


def test_describe_no_match_fault_is_an_empty_list_other_errors_raise():
    assert dms.describe_endpoints(Pages(error=error("ResourceNotFoundFault")), ["x"]) == []
    with pytest.raises(ClientError):
        dms.describe_endpoints(Pages(error=error("AccessDeniedFault")))


def test_f18_endpoint_found_by_identifier_not_by_prefix_or_arn():
    client = Pages([{"EndpointIdentifier": "payments-test-source-old"}, {"EndpointIdentifier": "payments-test-source"}])
    assert dms.find_endpoint(client, "Payments-Test-Source") == {"EndpointIdentifier": "payments-test-source"}
    assert dms.find_endpoint(Pages([{"EndpointIdentifier": "other"}]), "x") is None
    assert dms.find_endpoint(Pages([{}]), "x") is None


def test_normalize_drops_the_password_and_lifts_the_secret_of_the_engine_block():
    raw = {"EndpointIdentifier": "t", "EndpointArn": ARN, "EndpointType": "TARGET", "EngineName": "aurora-postgresql",
           "Password": "secret", "SslMode": "require", "Port": 5432,
           "PostgreSQLSettings": {"SecretsManagerSecretId": "payments/t", "SecretsManagerAccessRoleArn": ROLE},
           "MySQLSettings": {"SecretsManagerSecretId": "wrong-block"}}
    result = dms.normalize_endpoint(raw, {"Env": "test"})
    assert "password" not in result and "Password" in raw
    assert result["endpoint_type"] == "target" and result["port"] == 5432
    assert result["secrets_manager_secret_id"] == "payments/t" and result["secrets_manager_access_role_arn"] == ROLE
    assert result["tags"] == {"Env": "test"} and result["kms_key_id"] is None and result["certificate_arn"] is None


def test_normalize_without_engine_type_or_block():
    result = dms.normalize_endpoint({"EndpointIdentifier": "t", "EngineName": "s3", "PostgreSQLSettings": None})
    assert result["endpoint_type"] is None and result["secrets_manager_secret_id"] is None and result["tags"] == {}
    assert dms.normalize_endpoint({"EngineName": "postgres", "PostgreSQLSettings": None})["secrets_manager_secret_id"] is None


def test_summary_keeps_only_the_documented_keys():
    assert dms.summary(None) == {} and dms.summary({}) == {}
    full = dms.summary({"endpoint_identifier": "x", "extra": 1})
    assert set(full) == set(dms.SUMMARY_KEYS) and full["endpoint_identifier"] == "x" and full["tags"] is None


def test_secret_settings_only_with_a_secret():
    assert dms.secret_settings(params()) == {}
    assert dms.secret_settings(params(secrets_manager_secret_id="s", secrets_manager_access_role_arn=ROLE)) == {
        "SecretsManagerSecretId": "s", "SecretsManagerAccessRoleArn": ROLE}


@pytest.mark.parametrize("overrides, message", [
    ({"secrets_manager_secret_id": "s"}, "secrets_manager_access_role_arn is required with secrets_manager_secret_id"),
    ({"secrets_manager_secret_id": "s", "secrets_manager_access_role_arn": ROLE, "username": "u"}, "username/password and"),
    ({"secrets_manager_secret_id": "s", "secrets_manager_access_role_arn": ROLE, "password": "p"}, "username/password and"),
    ({"ssl_mode": "verify-ca"}, "ssl_mode verify-ca needs certificate_arn"),
    ({"ssl_mode": "verify-full"}, "ssl_mode verify-full needs certificate_arn"),
    ({"engine_name": "mysql", "database_name": "payments"}, "database_name 'payments' with engine_name mysql"),
    ({"engine_name": "mariadb", "database_name": "payments"}, "database_name 'payments' with engine_name mariadb"),
    ({"engine_name": "aurora", "database_name": "payments"}, "database_name 'payments' with engine_name aurora"),
])
def test_validate_refuses_with_the_option_named(overrides, message):
    with pytest.raises(dms.DmsEndpointError) as refused:
        dms.validate(params(**overrides))
    assert refused.value.message.startswith(message) and str(refused.value) == refused.value.message


@pytest.mark.parametrize("overrides", [
    {},
    {"username": "u", "password": "p", "ssl_mode": "none"},
    {"secrets_manager_secret_id": "s", "secrets_manager_access_role_arn": ROLE},
    {"ssl_mode": "verify-full", "certificate_arn": "arn:aws:dms:us-east-1:123456789012:cert:CA"},
    {"engine_name": "mysql"},
    {"engine_name": "aurora-postgresql", "database_name": "payments"},
])
def test_validate_accepts(overrides):
    assert dms.validate(params(**overrides)) is None


CURRENT = {"endpoint_type": "source", "engine_name": "postgres", "server_name": "db", "port": 5432, "database_name": "payments",
           "username": None, "ssl_mode": "require", "certificate_arn": None, "extra_connection_attributes": None,
           "secrets_manager_secret_id": "s", "secrets_manager_access_role_arn": ROLE, "kms_key_id": "arn:key/1"}


@pytest.mark.parametrize("overrides, changes", [
    ({}, {}),
    ({"port": 5432, "server_name": "db", "database_name": "payments"}, {}),
    ({"port": 5433, "ssl_mode": "none"}, {"Port": 5433, "SslMode": "none"}),
    ({"username": "u"}, {"Username": "u"}),
    ({"extra_connection_attributes": ""}, {}),
    ({"secrets_manager_secret_id": "s", "secrets_manager_access_role_arn": ROLE}, {}),
    ({"secrets_manager_secret_id": "t", "secrets_manager_access_role_arn": ROLE},
     {"PostgreSQLSettings": {"SecretsManagerSecretId": "t", "SecretsManagerAccessRoleArn": ROLE}}),
    ({"secrets_manager_secret_id": "s", "secrets_manager_access_role_arn": ROLE + "2"},
     {"PostgreSQLSettings": {"SecretsManagerSecretId": "s", "SecretsManagerAccessRoleArn": ROLE + "2"}}),
    ({"engine_name": None, "secrets_manager_secret_id": "t", "secrets_manager_access_role_arn": ROLE},
     {"PostgreSQLSettings": {"SecretsManagerSecretId": "t", "SecretsManagerAccessRoleArn": ROLE}}),
    ({"engine_name": "aurora", "secrets_manager_secret_id": "t", "secrets_manager_access_role_arn": ROLE},
     {"EngineName": "aurora", "MySQLSettings": {"SecretsManagerSecretId": "t", "SecretsManagerAccessRoleArn": ROLE}}),
])
def test_differences_compare_only_the_options_given(overrides, changes):
    assert dms.differences(CURRENT, params(**overrides)) == changes


@pytest.mark.parametrize("wanted, resolved, refused", [
    (None, None, []),
    ("arn:key/1", None, []),
    ("alias/payments", "arn:key/1", []),
    ("alias/payments", "arn:key/2", ["kms_key_id"]),
    ("key-2", None, ["kms_key_id"]),
])
def test_only_a_different_kms_key_is_immutable(wanted, resolved, refused):
    assert dms.immutable_differences(CURRENT, params(kms_key_id=wanted), resolved) == refused


def test_create_params_with_a_secret_and_tags():
    api = dms.build_create_params(params(engine_name="aurora-postgresql", endpoint_type="target", database_name="payments",
                                         secrets_manager_secret_id="s", secrets_manager_access_role_arn=ROLE, kms_key_id="alias/k",
                                         extra_connection_attributes=""), {"Env": "test", "Count": 2})
    assert api == {"EndpointIdentifier": "payments-test-source", "EndpointType": "target", "EngineName": "aurora-postgresql",
                   "DatabaseName": "payments", "SslMode": "require", "KmsKeyId": "alias/k",
                   "PostgreSQLSettings": {"SecretsManagerSecretId": "s", "SecretsManagerAccessRoleArn": ROLE},
                   "Tags": [{"Key": "Env", "Value": "test"}, {"Key": "Count", "Value": "2"}]}


def test_create_params_with_username_and_password():
    api = dms.build_create_params(params(engine_name="mysql", server_name="db", port=3306, username="u", password="p"), {})
    assert api == {"EndpointIdentifier": "payments-test-source", "EndpointType": "source", "EngineName": "mysql",
                   "ServerName": "db", "Port": 3306, "Username": "u", "Password": "p", "SslMode": "require"}


def test_predicted_for_a_new_endpoint():
    after = dms.predicted(None, params(secrets_manager_secret_id="s", secrets_manager_access_role_arn=ROLE, kms_key_id="k"),
                          {"Env": "test"})
    assert after["endpoint_identifier"] == "payments-test-source" and after["status"] == "active" and after["kms_key_id"] == "k"
    assert after["secrets_manager_secret_id"] == "s" and after["secrets_manager_access_role_arn"] == ROLE
    assert after["endpoint_arn"] is None and after["tags"] == {"Env": "test"} and "password" not in after


def test_predicted_for_an_existing_endpoint_keeps_what_is_not_given():
    current = dict(CURRENT, endpoint_identifier="x", endpoint_arn=ARN, status="active", tags={"Old": "1"})
    after = dms.predicted(current, params(engine_name=None, port=5433, ssl_mode="none", password="p"), {"New": "2"})
    assert after["port"] == 5433 and after["ssl_mode"] == "none" and after["server_name"] == "db"
    assert after["engine_name"] == "postgres" and after["endpoint_arn"] == ARN and after["kms_key_id"] == "arn:key/1"
    assert after["secrets_manager_secret_id"] == "s" and after["tags"] == {"New": "2"} and "password" not in after
    assert current["port"] == 5432
