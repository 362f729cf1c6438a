#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dms_replication_instance
short_description: Create, modify, tag and delete AWS DMS replication instances
version_added: 0.1.0
description:
  - Manages one AWS Database Migration Service (DMS) replication instance, found by its identifier.
  - No module of amazon.aws or community.aws manages DMS replication instances (community.aws has only
    endpoints and replication subnet groups); this module fills that gap.
  - The instance class, allocated storage, engine version, Multi-AZ, maintenance window, automatic minor
    version upgrades and VPC security groups are modified in place (ModifyReplicationInstance).
  - O(publicly_accessible), O(kms_key_id) and O(replication_subnet_group_identifier) are fixed when the
    instance is created. When they differ from the existing instance the module fails and says that the
    instance has to be replaced; it never replaces it by itself.
  - The instance is always looked up by O(replication_instance_identifier); DMS ARNs carry a random id, not the name.
author:
  - Payments Platform Team (@payments-platform)
options:
  state:
    description:
      - Whether the replication instance should exist.
    type: str
    choices: ['present', 'absent']
    default: present
  replication_instance_identifier:
    description:
      - The identifier of the replication instance. DMS stores it in lower case.
    type: str
    required: true
  replication_instance_class:
    description:
      - The compute and memory class, for example V(dms.t3.medium).
      - Required to create an instance.
    type: str
  allocated_storage:
    description:
      - The storage of the instance, in GiB. When not set, DMS picks its default on creation and the size is not compared.
    type: int
  engine_version:
    description:
      - The replication engine version, for example V(3.6.1). Resolve it with M(payments.aws_platform.dms_engine_version).
      - When not set, DMS picks its default on creation and the version is not compared.
      - DMS cannot downgrade an engine; a lower version than the instance runs is refused.
      - Going to another major version (3.5.x to 3.6.x) needs O(allow_major_version_upgrade=true).
    type: str
  allow_major_version_upgrade:
    description:
      - Allow O(engine_version) to name another major version than the one the instance runs.
    type: bool
    default: false
  multi_az:
    description:
      - Whether the instance has a standby in another Availability Zone.
    type: bool
    default: false
  publicly_accessible:
    description:
      - Whether the instance has a public IP address. Fixed at creation.
    type: bool
    default: false
  kms_key_id:
    description:
      - The KMS key (ARN, ID or alias) that encrypts the storage of the instance. Fixed at creation.
      - When not set, DMS uses its AWS-managed key on creation and the key is not compared.
    type: str
  replication_subnet_group_identifier:
    description:
      - The replication subnet group the instance runs in. Fixed at creation.
    type: str
  vpc_security_group_ids:
    description:
      - The VPC security groups of the instance. When not set, they are not compared.
    type: list
    elements: str
  preferred_maintenance_window:
    description:
      - The weekly maintenance window, in UTC, for example V(sun:06:00-sun:06:30).
    type: str
  auto_minor_version_upgrade:
    description:
      - Whether DMS applies minor engine upgrades in the maintenance window. When not set, it is not compared.
    type: bool
  apply_immediately:
    description:
      - Apply modifications now rather than in the next maintenance window.
    type: bool
    default: true
  wait:
    description:
      - Wait for the instance to be available after creating or modifying it, or to be gone after deleting it.
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait, in seconds. The module fails with a message naming the instance and its status when the time is up.
    type: int
    default: 1800
notes:
  - Support for check mode and diff mode.
  - Modifying an instance that is not available (for example still creating) first waits for it when O(wait=true).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Create a replication instance in private subnets
  payments.aws_platform.dms_replication_instance:
    replication_instance_identifier: payments-dev-dms
    replication_instance_class: dms.t3.medium
    allocated_storage: 50
    engine_version: "{{ dms__version }}"
    replication_subnet_group_identifier: payments-dev-dms
    vpc_security_group_ids:
      - sg-0123456789abcdef0
    kms_key_id: alias/payments-dev-data
    preferred_maintenance_window: sun:06:00-sun:06:30
    tags:
      Environment: dev
  register: dms_instance

- name: Upgrade the engine to a new major version
  payments.aws_platform.dms_replication_instance:
    replication_instance_identifier: payments-dev-dms
    replication_instance_class: dms.t3.medium
    engine_version: 3.6.1
    allow_major_version_upgrade: true

- name: Delete the replication instance and wait until it is gone
  payments.aws_platform.dms_replication_instance:
    state: absent
    replication_instance_identifier: payments-dev-dms
    wait_timeout: 900
"""

RETURN = r"""
replication_instance:
  description:
    - The replication instance after the task ran; in check mode, as it would be.
    - An empty dictionary when O(state=absent).
  returned: always
  type: dict
  contains:
    replication_instance_identifier:
      description: The identifier of the instance.
      returned: when O(state=present)
      type: str
      sample: payments-dev-dms
    replication_instance_arn:
      description: The ARN of the instance (V(null) for an instance that check mode would create).
      returned: when O(state=present)
      type: str
      sample: arn:aws:dms:us-east-1:123456789012:rep:ABCDEFGHIJKLMNOPQRSTUVWXYZ
    replication_instance_status:
      description: The status of the instance.
      returned: when O(state=present)
      type: str
      sample: available
    status:
      description: The same as RV(replication_instance.replication_instance_status).
      returned: when O(state=present)
      type: str
      sample: available
    replication_instance_class:
      description: The class of the instance.
      returned: when O(state=present)
      type: str
      sample: dms.t3.medium
    allocated_storage:
      description: The storage in GiB.
      returned: when O(state=present)
      type: int
      sample: 50
    engine_version:
      description: The replication engine version.
      returned: when O(state=present)
      type: str
      sample: 3.6.1
    multi_az:
      description: Whether the instance is Multi-AZ.
      returned: when O(state=present)
      type: bool
      sample: false
    publicly_accessible:
      description: Whether the instance has a public IP address.
      returned: when O(state=present)
      type: bool
      sample: false
    kms_key_id:
      description: The ARN of the KMS key that encrypts the storage.
      returned: when O(state=present)
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    replication_subnet_group_identifier:
      description: The replication subnet group of the instance.
      returned: when O(state=present)
      type: str
      sample: payments-dev-dms
    vpc_security_group_ids:
      description: The IDs of the VPC security groups, sorted.
      returned: when O(state=present)
      type: list
      elements: str
      sample: ["sg-0123456789abcdef0"]
    preferred_maintenance_window:
      description: The weekly maintenance window.
      returned: when O(state=present)
      type: str
      sample: sun:06:00-sun:06:30
    auto_minor_version_upgrade:
      description: Whether minor upgrades are applied automatically.
      returned: when O(state=present)
      type: bool
      sample: true
    pending_modified_values:
      description: Modifications DMS has not applied yet.
      returned: when reported by AWS
      type: dict
      sample: {"engine_version": "3.6.1"}
    tags:
      description: The tags of the instance.
      returned: when O(state=present)
      type: dict
      sample: {"Environment": "dev"}
modifications:
  description: The ModifyReplicationInstance arguments that were (or in check mode would be) sent.
  returned: when O(state=present)
  type: dict
  sample: {"EngineVersion": "3.6.1"}
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

from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import DmsInstanceError
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import apply_modifications
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import build_create_params
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import find_instance
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import immutable_differences
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import modifications
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import normalize_instance
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import predicted_instance
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import summary
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import wait_available
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import wait_deleted
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import get_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import update_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.kms import resolve_key_arn
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import merge_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import tag_changes

# What the module was doing when a DMS call failed, keyed by the API operation.
_FAILURE_MESSAGES = {
    "DescribeReplicationInstances": "Unable to look up replication instance {0}",
    "CreateReplicationInstance": "Unable to create replication instance {0}",
    "ModifyReplicationInstance": "Unable to modify replication instance {0}",
    "DeleteReplicationInstance": "Unable to delete replication instance {0}",
    "ListTagsForResource": "Unable to read the tags of replication instance {0}",
    "AddTagsToResource": "Unable to add tags to replication instance {0}",
    "RemoveTagsFromResource": "Unable to remove tags from replication instance {0}",
}


def _failure_message(error: Exception, identifier: str) -> str:
    template = _FAILURE_MESSAGES.get(getattr(error, "operation_name", None), "Unable to manage replication instance {0}")
    return template.format(identifier)


def _read(client, identifier: str, fallback: Dict[str, Any]) -> Dict[str, Any]:
    """Describe the instance just written; DMS may not list it yet, then use the prediction."""
    raw = find_instance(client, identifier)
    if raw is None:
        return fallback
    return normalize_instance(raw, get_tags(client, raw["ReplicationInstanceArn"]))


def _create(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    params = module.params
    if not params.get("replication_instance_class"):
        raise DmsInstanceError(
            f"replication_instance_class is required to create replication instance {params['replication_instance_identifier']},"
            " for example dms.t3.medium."
        )
    tags = params.get("tags") or {}
    if module.check_mode:
        return predicted_instance(params, tags)
    created = client.create_replication_instance(aws_retry=True, **build_create_params(params, tags))["ReplicationInstance"]
    if params["wait"]:
        wait_available(client, params["replication_instance_identifier"], params["wait_timeout"])
    return _read(client, params["replication_instance_identifier"], normalize_instance(created, tags))


def _refuse_replacement(current: Dict[str, Any], module: AnsibleAWSModule, kms_key_arn) -> None:
    differences = immutable_differences(current, module.params, kms_key_arn)
    if not differences:
        return
    details = ", ".join(f"{name} is {current.get(name)!r}, requested {module.params.get(name)!r}" for name in differences)
    raise DmsInstanceError(
        f"replication instance {current['replication_instance_identifier']} cannot be changed in place ({details}):"
        " DMS fixes these when the instance is created, so it needs replacement. The module does not replace"
        " instances; delete it (state=absent) and run again, or set these options to the existing values."
    )


def ensure_present(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    params = module.params
    identifier = params["replication_instance_identifier"]
    result: Dict[str, Any] = {"changed": False, "modifications": {}}
    raw = find_instance(client, identifier)
    if raw is None:
        before: Dict[str, Any] = {}
        after = _create(client, module)
        result["changed"] = True
    else:
        current = normalize_instance(raw, get_tags(client, raw["ReplicationInstanceArn"]))
        before = summary(current)
        kms_key_arn = None
        if params.get("kms_key_id") and params["kms_key_id"] != current.get("kms_key_id"):
            kms_key_arn = resolve_key_arn(module, params["kms_key_id"], "kms_key_id")
        _refuse_replacement(current, module, kms_key_arn)
        changes = modifications(current, params)
        to_set, to_unset = tag_changes(current["tags"], params.get("tags"), params["purge_tags"])
        after = apply_modifications(current, changes)
        after["tags"] = merge_tags(current["tags"], to_set, to_unset)
        result["modifications"] = changes
        result["changed"] = bool(changes or to_set or to_unset)
        if result["changed"] and not module.check_mode:
            arn = current["replication_instance_arn"]
            if changes:
                if current.get("replication_instance_status") != "available" and params["wait"]:
                    wait_available(client, identifier, params["wait_timeout"])
                client.modify_replication_instance(
                    aws_retry=True,
                    ReplicationInstanceArn=arn,
                    ApplyImmediately=params["apply_immediately"],
                    AllowMajorVersionUpgrade=params["allow_major_version_upgrade"],
                    **changes,
                )
            update_tags(client, arn, to_set, to_unset)
            if changes and params["wait"] and params["apply_immediately"]:
                wait_available(client, identifier, params["wait_timeout"])
            after = _read(client, identifier, after)
    result["replication_instance"] = after
    if module._diff:
        result["diff"] = {"before": before, "after": summary(after)}
    return result


def ensure_absent(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    params = module.params
    identifier = params["replication_instance_identifier"]
    result: Dict[str, Any] = {"changed": False, "replication_instance": {}}
    raw = find_instance(client, identifier)
    before: Dict[str, Any] = {}
    if raw is not None:
        before = summary(normalize_instance(raw))
        if raw.get("ReplicationInstanceStatus") != "deleting":
            result["changed"] = True
            if not module.check_mode:
                try:
                    client.delete_replication_instance(aws_retry=True, ReplicationInstanceArn=raw["ReplicationInstanceArn"])
                except is_boto3_error_code("ResourceNotFoundFault"):
                    result["changed"] = False
        if params["wait"] and not module.check_mode:
            wait_deleted(client, identifier, params["wait_timeout"])
    if module._diff:
        result["diff"] = {"before": before, "after": {}}
    return result


def main() -> None:
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        replication_instance_identifier=dict(type="str", required=True),
        replication_instance_class=dict(type="str"),
        allocated_storage=dict(type="int"),
        engine_version=dict(type="str"),
        allow_major_version_upgrade=dict(type="bool", default=False),
        multi_az=dict(type="bool", default=False),
        publicly_accessible=dict(type="bool", default=False),
        kms_key_id=dict(type="str", no_log=False),
        replication_subnet_group_identifier=dict(type="str"),
        vpc_security_group_ids=dict(type="list", elements="str"),
        preferred_maintenance_window=dict(type="str"),
        auto_minor_version_upgrade=dict(type="bool"),
        apply_immediately=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("dms", retry_decorator=AWSRetry.jittered_backoff())
    identifier = module.params["replication_instance_identifier"]

    try:
        if module.params["state"] == "present":
            result = ensure_present(client, module)
        else:
            result = ensure_absent(client, module)
    except DmsInstanceError as e:
        module.fail_json(msg=e.message)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=_failure_message(e, identifier))

    module.exit_json(**result)


if __name__ == "__main__":
    main()
