#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dms_endpoint
short_description: Create, modify, tag and delete AWS DMS source and target endpoints of relational engines
version_added: 0.2.0
description:
  - Manages one AWS Database Migration Service (DMS) endpoint, found by its identifier.
  - This module exists because M(community.aws.dms_endpoint) cannot serve a migration into Aurora PostgreSQL, because
    it has no V(aurora-postgresql) engine, sends its C(wait) option to the API, sends tags as a dictionary,
    and has no check mode. It also cannot authenticate through Secrets Manager.
  - Credentials come either from a Secrets Manager secret that DMS reads itself (O(secrets_manager_secret_id) with
    O(secrets_manager_access_role_arn); the secret holds C(username), C(password), C(host) and C(port)), or from
    O(username) and O(password). The password is never returned and never compared (DMS does not return it); see
    O(update_password).
  - Every other option is compared with the live endpoint and changed in place with ModifyEndpoint. O(kms_key_id) is
    fixed when the endpoint is created; a difference is refused, never replaced.
  - The endpoint is always looked up by O(endpoint_identifier); DMS ARNs carry a random id, not the name.
author:
  - Payments Platform Team (@payments-platform)
options:
  state:
    description: Whether the endpoint should exist.
    type: str
    choices: ['present', 'absent']
    default: present
  endpoint_identifier:
    description: The identifier of the endpoint. DMS stores it in lower case.
    type: str
    required: true
  endpoint_type:
    description: Whether the endpoint is the source or the target of a migration. Required to create one.
    type: str
    choices: ['source', 'target']
  engine_name:
    description:
      - The database engine. Required to create an endpoint.
      - V(aurora-postgresql) for an Aurora PostgreSQL target, V(aurora) for Aurora MySQL.
    type: str
    choices: ['aurora', 'aurora-postgresql', 'aurora-postgresql-serverless', 'aurora-serverless', 'azuredb', 'mariadb',
              'mysql', 'oracle', 'postgres', 'sqlserver']
  server_name:
    description: The host name or IP address of the database. Not needed with O(secrets_manager_secret_id).
    type: str
  port:
    description: The port of the database. Not needed with O(secrets_manager_secret_id).
    type: int
  database_name:
    description:
      - The database to migrate from or into (PostgreSQL, Oracle, SQL Server engines).
      - Refused with a MySQL-compatible O(engine_name) (V(mysql), V(mariadb), V(aurora), V(aurora-serverless)), because
        DMS does not use a database name for them. Select the schema in the replication task's table mappings instead.
    type: str
  username:
    description: The user DMS connects as. Exclusive with O(secrets_manager_secret_id).
    type: str
  password:
    description:
      - The password of O(username). Exclusive with O(secrets_manager_secret_id). Never logged or returned.
    type: str
  update_password:
    description:
      - V(on_create) sends O(password) only when the endpoint is created; V(always) sends it on every run (and so
        always reports a change), because DMS never returns a password to compare with.
    type: str
    choices: ['always', 'on_create']
    default: on_create
  secrets_manager_secret_id:
    description:
      - The ARN or name of a Secrets Manager secret with the connection's C(username), C(password), C(host) and C(port).
      - Note that the master secret RDS manages for an Aurora cluster has no host or port and cannot be used directly.
    type: str
  secrets_manager_access_role_arn:
    description: The IAM role DMS assumes to read O(secrets_manager_secret_id). Required with it.
    type: str
  ssl_mode:
    description:
      - How DMS encrypts the connection. V(verify-ca) and V(verify-full) need O(certificate_arn).
    type: str
    choices: ['none', 'require', 'verify-ca', 'verify-full']
    default: require
  certificate_arn:
    description: The ARN of a DMS certificate holding the CA of the database's server certificate.
    type: str
  extra_connection_attributes:
    description: Extra connection attributes, C(key=value;key=value).
    type: str
  kms_key_id:
    description:
      - The KMS key that encrypts the connection parameters. Fixed at creation. Default is the account's DMS key.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: An on-premises PostgreSQL source whose credentials DMS reads from Secrets Manager
  payments.aws_platform.dms_endpoint:
    endpoint_identifier: payments-dev-source
    endpoint_type: source
    engine_name: postgres
    database_name: payments
    secrets_manager_secret_id: arn:aws:secretsmanager:us-west-2:123456789012:secret:payments/dev/dms/source-AbCdEf
    secrets_manager_access_role_arn: arn:aws:iam::123456789012:role/payments-dev-dms-secrets
    ssl_mode: require
    tags:
      Environment: dev

- name: The Aurora PostgreSQL target
  payments.aws_platform.dms_endpoint:
    endpoint_identifier: payments-dev-target
    endpoint_type: target
    engine_name: aurora-postgresql
    database_name: payments
    secrets_manager_secret_id: "{{ target_secret_arn }}"
    secrets_manager_access_role_arn: arn:aws:iam::123456789012:role/payments-dev-dms-secrets

- name: Remove an endpoint (stop and delete the tasks that use it first)
  payments.aws_platform.dms_endpoint:
    endpoint_identifier: payments-dev-source
    state: absent
"""

RETURN = r"""
endpoint:
  description: The endpoint after the change (empty when absent). Never contains a password.
  returned: always
  type: dict
  contains:
    endpoint_identifier:
      description: The identifier.
      returned: when present
      type: str
      sample: payments-dev-source
    endpoint_arn:
      description: The ARN (its last part is a random id, not the identifier).
      returned: when present
      type: str
      sample: arn:aws:dms:us-west-2:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ
    endpoint_type:
      description: V(source) or V(target) (DMS reports it in upper case; returned in lower case like the option).
      returned: when present
      type: str
      sample: source
    engine_name:
      description: The engine.
      returned: when present
      type: str
      sample: aurora-postgresql
    status:
      description: The endpoint's status.
      returned: when present
      type: str
      sample: active
    server_name:
      description: The database host, when not read from a secret.
      returned: when present
      type: str
      sample: db.example.internal
    port:
      description: The database port, when not read from a secret.
      returned: when present
      type: int
      sample: 5432
    database_name:
      description: The database.
      returned: when present
      type: str
      sample: payments
    username:
      description: The user, when not read from a secret.
      returned: when present
      type: str
      sample: migration
    ssl_mode:
      description: The SSL mode.
      returned: when present
      type: str
      sample: require
    kms_key_id:
      description: The KMS key of the connection parameters.
      returned: when present
      type: str
      sample: arn:aws:kms:us-west-2:123456789012:key/0f5e4d3c-2b1a-4c5d-8e9f-0a1b2c3d4e5f
    secrets_manager_secret_id:
      description: The secret DMS reads the credentials from.
      returned: when present
      type: str
      sample: payments/dev/dms/source
    secrets_manager_access_role_arn:
      description: The role DMS assumes to read the secret.
      returned: when present
      type: str
      sample: arn:aws:iam::123456789012:role/payments-dev-dms-secrets
    tags:
      description: The tags.
      returned: when present
      type: dict
      sample: {"Environment": "dev"}
modifications:
  description: The ModifyEndpoint arguments that were (or in check mode would be) sent, without the password.
  returned: when O(state=present)
  type: dict
  sample: {"SslMode": "require"}
"""

from typing import Any
from typing import Dict

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import DmsEndpointError
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import ENGINES
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import SSL_MODES
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import build_create_params
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import differences
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import find_endpoint
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import immutable_differences
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import normalize_endpoint
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import predicted
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import summary
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import validate
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import get_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import update_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.kms import resolve_key_arn
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import merge_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import tag_changes


def _read(client, identifier: str, fallback: Dict[str, Any]) -> Dict[str, Any]:
    raw = find_endpoint(client, identifier)
    if raw is None:
        return fallback
    return normalize_endpoint(raw, get_tags(client, raw["EndpointArn"]))


def _create(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    params = module.params
    missing = [name for name in ("endpoint_type", "engine_name") if not params.get(name)]
    if missing:
        raise DmsEndpointError(f"{' and '.join(missing)} required to create endpoint {params['endpoint_identifier']}")
    tags = params.get("tags") or {}
    if module.check_mode:
        return predicted(None, params, tags)
    created = client.create_endpoint(aws_retry=True, **build_create_params(params, tags))["Endpoint"]
    return _read(client, params["endpoint_identifier"], normalize_endpoint(created, tags))


def ensure_present(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    params = module.params
    identifier = params["endpoint_identifier"]
    validate(params)
    result: Dict[str, Any] = {"changed": False, "modifications": {}}
    raw = find_endpoint(client, identifier)
    if raw is None:
        before: Dict[str, Any] = {}
        after = _create(client, module)
        result["changed"] = True
    else:
        current = normalize_endpoint(raw, get_tags(client, raw["EndpointArn"]))
        before = summary(current)
        kms_key_arn = None
        if params.get("kms_key_id") and params["kms_key_id"] != current.get("kms_key_id"):
            kms_key_arn = resolve_key_arn(module, params["kms_key_id"], "kms_key_id")
        if immutable_differences(current, params, kms_key_arn):
            raise DmsEndpointError(
                f"endpoint {identifier}: kms_key_id is {current.get('kms_key_id')!r}, requested {params['kms_key_id']!r}; "
                "DMS fixes the key when the endpoint is created. Delete the endpoint (state=absent) and run again, "
                "or set kms_key_id to the existing key."
            )
        changes = differences(current, params)
        send_password = bool(params.get("password")) and params["update_password"] == "always"
        to_set, to_unset = tag_changes(current["tags"], params.get("tags"), params["purge_tags"])
        after = predicted(current, params, merge_tags(current["tags"], to_set, to_unset))
        result["modifications"] = dict(changes)
        result["changed"] = bool(changes or send_password or to_set or to_unset)
        if result["changed"] and not module.check_mode:
            arn = current["endpoint_arn"]
            if changes or send_password:
                api = dict(changes)
                if send_password:
                    api["Password"] = params["password"]
                client.modify_endpoint(aws_retry=True, EndpointArn=arn, **api)
            update_tags(client, arn, to_set, to_unset)
            after = _read(client, identifier, after)
    result["endpoint"] = after
    if module._diff:
        result["diff"] = {"before": before, "after": summary(after)}
    return result


def ensure_absent(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    identifier = module.params["endpoint_identifier"]
    result: Dict[str, Any] = {"changed": False, "endpoint": {}}
    raw = find_endpoint(client, identifier)
    before: Dict[str, Any] = {}
    if raw is not None:
        before = summary(normalize_endpoint(raw))
        result["changed"] = True
        if not module.check_mode:
            try:
                client.delete_endpoint(aws_retry=True, EndpointArn=raw["EndpointArn"])
            except is_boto3_error_code("ResourceNotFoundFault"):
                result["changed"] = False
            except is_boto3_error_code("InvalidResourceStateFault") as e:  # pylint: disable=duplicate-except
                raise DmsEndpointError(
                    f"endpoint {identifier} cannot be deleted while a replication task uses it: stop and delete the task "
                    f"first (payments.aws_platform.dms_replication_task state=absent). AWS said: {e}"
                ) from e
    if module._diff:
        result["diff"] = {"before": before, "after": {}}
    return result


def main() -> None:
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        endpoint_identifier=dict(type="str", required=True),
        endpoint_type=dict(type="str", choices=["source", "target"]),
        engine_name=dict(type="str", choices=ENGINES),
        server_name=dict(type="str"),
        port=dict(type="int"),
        database_name=dict(type="str"),
        username=dict(type="str"),
        password=dict(type="str", no_log=True),
        update_password=dict(type="str", default="on_create", choices=["always", "on_create"], no_log=False),
        secrets_manager_secret_id=dict(type="str"),
        secrets_manager_access_role_arn=dict(type="str", no_log=False),
        ssl_mode=dict(type="str", default="require", choices=SSL_MODES),
        certificate_arn=dict(type="str"),
        extra_connection_attributes=dict(type="str"),
        kms_key_id=dict(type="str", no_log=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("dms", retry_decorator=AWSRetry.jittered_backoff())
    identifier = module.params["endpoint_identifier"]

    try:
        if module.params["state"] == "present":
            result = ensure_present(client, module)
        else:
            result = ensure_absent(client, module)
    except DmsEndpointError as e:
        module.fail_json(msg=e.message)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to manage DMS endpoint {identifier}")

    module.exit_json(**result)


if __name__ == "__main__":
    main()
