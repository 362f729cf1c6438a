# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the dms_endpoint and dms_endpoint_info modules.

community.aws.dms_endpoint cannot serve this collection: it has no ``aurora-postgresql`` engine,
sends its ``wait`` option to the API and its tags as a dictionary, and has no check mode. The
lookup, comparison and tagging logic lives here. Every function that talks to AWS expects a
client created with ``module.client("dms", retry_decorator=AWSRetry.jittered_backoff())``.

An endpoint is always found by its identifier (the ``endpoint-id`` filter), never by parsing an
ARN: DMS ARNs carry a random resource id, not the name (F18).
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# The engines DMS accepts for relational endpoints (EngineName), with the settings block that
# carries their Secrets Manager options.
ENGINE_SETTINGS = {
    "postgres": "PostgreSQLSettings",
    "aurora-postgresql": "PostgreSQLSettings",
    "aurora-postgresql-serverless": "PostgreSQLSettings",
    "mysql": "MySQLSettings",
    "mariadb": "MySQLSettings",
    "aurora": "MySQLSettings",
    "aurora-serverless": "MySQLSettings",
    "oracle": "OracleSettings",
    "sqlserver": "MicrosoftSQLServerSettings",
    "azuredb": "MicrosoftSQLServerSettings",
}
ENGINES = sorted(ENGINE_SETTINGS)
# The MySQL-compatible engines: DMS does not use DatabaseName for them (the schemas are selected in the
# task's table mappings). https://docs.aws.amazon.com/dms/latest/APIReference/API_MySQLSettings.html
MYSQL_ENGINES = ("mysql", "mariadb", "aurora", "aurora-serverless")
SSL_MODES = ["none", "require", "verify-ca", "verify-full"]

# Options compared with the live endpoint and changed in place by ModifyEndpoint, with API names.
MODIFIABLE = (
    ("endpoint_type", "EndpointType"),
    ("engine_name", "EngineName"),
    ("server_name", "ServerName"),
    ("port", "Port"),
    ("database_name", "DatabaseName"),
    ("username", "Username"),
    ("ssl_mode", "SslMode"),
    ("certificate_arn", "CertificateArn"),
    ("extra_connection_attributes", "ExtraConnectionAttributes"),
)

SUMMARY_KEYS = (
    "endpoint_identifier",
    "endpoint_arn",
    "endpoint_type",
    "engine_name",
    "status",
    "server_name",
    "port",
    "database_name",
    "username",
    "ssl_mode",
    "certificate_arn",
    "extra_connection_attributes",
    "kms_key_id",
    "secrets_manager_secret_id",
    "secrets_manager_access_role_arn",
    "tags",
)


class DmsEndpointError(Exception):
    """A refusal with a message for the user (not an AWS error)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def settings_key(engine_name: Optional[str]) -> Optional[str]:
    return ENGINE_SETTINGS.get(engine_name or "")


@AWSRetry.jittered_backoff()
def _describe_pages(client, **params) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("describe_endpoints")
    return paginator.paginate(**params).build_full_result().get("Endpoints", [])


def describe_endpoints(client, identifiers: Optional[List[str]] = None, endpoint_type: Optional[str] = None) -> List[Dict[str, Any]]:
    """Raw endpoints with these identifiers (all when none are given), optionally of one type."""
    filters = []
    if identifiers:
        values: List[str] = []
        for identifier in identifiers:
            values.extend(v for v in (identifier, identifier.lower()) if v not in values)
        filters.append({"Name": "endpoint-id", "Values": values})
    if endpoint_type:
        filters.append({"Name": "endpoint-type", "Values": [endpoint_type]})
    try:
        return _describe_pages(client, **({"Filters": filters} if filters else {}))
    except is_boto3_error_code("ResourceNotFoundFault"):
        # DMS answers a filter that matches nothing with this error.
        return []


def find_endpoint(client, identifier: str) -> Optional[Dict[str, Any]]:
    for endpoint in describe_endpoints(client, [identifier]):
        if endpoint.get("EndpointIdentifier", "").lower() == identifier.lower():
            return endpoint
    return None


def normalize_endpoint(endpoint: Dict[str, Any], tags: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """The snake_case dictionary the modules return; never carries a password."""
    raw = dict(endpoint)
    raw.pop("Password", None)
    block = raw.get(settings_key(raw.get("EngineName")) or "", None) or {}
    result = camel_dict_to_snake_dict(normalize_boto3_result(raw), ignore_list=["Tags"])
    # AWS reports SOURCE / TARGET; the modules return the option's own values so results compare with it.
    result["endpoint_type"] = (result.get("endpoint_type") or "").lower() or None
    result["secrets_manager_secret_id"] = block.get("SecretsManagerSecretId")
    result["secrets_manager_access_role_arn"] = block.get("SecretsManagerAccessRoleArn")
    result["tags"] = dict(tags or {})
    for key in SUMMARY_KEYS:
        result.setdefault(key, None)
    return result


def summary(endpoint: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    if not endpoint:
        return {}
    return {key: endpoint.get(key) for key in SUMMARY_KEYS}


def secret_settings(params: Dict[str, Any]) -> Dict[str, Any]:
    """The engine settings block for Secrets Manager authentication ({} without a secret)."""
    if not params.get("secrets_manager_secret_id"):
        return {}
    return {
        "SecretsManagerSecretId": params["secrets_manager_secret_id"],
        "SecretsManagerAccessRoleArn": params["secrets_manager_access_role_arn"],
    }


def validate(params: Dict[str, Any]) -> None:
    """Refuse option combinations DMS would reject, naming the option."""
    if params.get("secrets_manager_secret_id") and not params.get("secrets_manager_access_role_arn"):
        raise DmsEndpointError(
            "secrets_manager_access_role_arn is required with secrets_manager_secret_id: DMS reads the secret through "
            "that IAM role (trusted by dms.<region>.amazonaws.com, allowed secretsmanager:GetSecretValue)."
        )
    if params.get("secrets_manager_secret_id") and (params.get("password") or params.get("username")):
        raise DmsEndpointError(
            "username/password and secrets_manager_secret_id are exclusive: with a secret, DMS reads the credentials "
            "(and host and port) from it. Remove username and password."
        )
    if params.get("database_name") and params.get("engine_name") in MYSQL_ENGINES:
        raise DmsEndpointError(
            f"database_name {params['database_name']!r} with engine_name {params['engine_name']}: DMS does not use a database "
            "name for MySQL-compatible endpoints (it would replicate every task table into that one database). Remove "
            "database_name and select the schema in the replication task's table mappings (selection rule schema-name)."
        )
    if params.get("ssl_mode") in ("verify-ca", "verify-full") and not params.get("certificate_arn"):
        raise DmsEndpointError(
            f"ssl_mode {params['ssl_mode']} needs certificate_arn (a DMS certificate with the CA that signed the server's "
            "certificate); use ssl_mode require to encrypt without verifying the server."
        )


def differences(current: Dict[str, Any], params: Dict[str, Any]) -> Dict[str, Any]:
    """ModifyEndpoint arguments for the options that differ (options left unset are not compared)."""
    changes: Dict[str, Any] = {}
    for option, api_name in MODIFIABLE:
        wanted = params.get(option)
        if wanted is None:
            continue
        if str(wanted) != str(current.get(option) if current.get(option) is not None else ""):
            changes[api_name] = wanted
    wanted_settings = secret_settings(params)
    if wanted_settings and (
        current.get("secrets_manager_secret_id") != wanted_settings["SecretsManagerSecretId"]
        or current.get("secrets_manager_access_role_arn") != wanted_settings["SecretsManagerAccessRoleArn"]
    ):
        changes[settings_key(params.get("engine_name") or current.get("engine_name"))] = wanted_settings
    return changes


def immutable_differences(current: Dict[str, Any], params: Dict[str, Any], kms_key_arn: Optional[str]) -> List[str]:
    """The options DMS fixes at creation that differ: only the KMS key."""
    wanted = params.get("kms_key_id")
    if wanted and wanted != current.get("kms_key_id") and (kms_key_arn or wanted) != current.get("kms_key_id"):
        return ["kms_key_id"]
    return []


def build_create_params(params: Dict[str, Any], tags: Dict[str, Any]) -> Dict[str, Any]:
    api: Dict[str, Any] = {
        "EndpointIdentifier": params["endpoint_identifier"],
        "EndpointType": params["endpoint_type"],
        "EngineName": params["engine_name"],
    }
    for option, api_name in MODIFIABLE[2:] + (("password", "Password"), ("kms_key_id", "KmsKeyId")):
        if params.get(option) not in (None, ""):
            api[api_name] = params[option]
    block = secret_settings(params)
    if block:
        api[settings_key(params["engine_name"])] = block
    if tags:
        api["Tags"] = [{"Key": key, "Value": str(value)} for key, value in tags.items()]
    return api


def predicted(current: Optional[Dict[str, Any]], params: Dict[str, Any], tags: Dict[str, str]) -> Dict[str, Any]:
    """What the endpoint will look like after the change (for check mode and diffs)."""
    result = dict(current or {})
    for option, _api_name in MODIFIABLE:
        if params.get(option) is not None:
            result[option] = params[option]
    if params.get("secrets_manager_secret_id"):
        result["secrets_manager_secret_id"] = params["secrets_manager_secret_id"]
        result["secrets_manager_access_role_arn"] = params["secrets_manager_access_role_arn"]
    if current is None:
        result["endpoint_identifier"] = params["endpoint_identifier"]
        result["kms_key_id"] = params.get("kms_key_id")
        result["status"] = "active"
    result["tags"] = dict(tags)
    for key in SUMMARY_KEYS:
        result.setdefault(key, None)
    return result
