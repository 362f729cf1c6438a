# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the dms_replication_instance and dms_replication_instance_info modules.

Neither amazon.aws nor community.aws manages DMS replication instances, so the lookup,
comparison, tagging and waiting logic lives here.  Every function that talks to AWS
expects a client created with ``module.client("dms", retry_decorator=AWSRetry.jittered_backoff())``
and lets botocore exceptions propagate to the calling module.

A replication instance is always found by its identifier (the ``replication-instance-id``
filter), never by parsing an ARN: DMS ARNs carry a random resource id, not the name (F18).
"""

from __future__ import annotations

import math
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

try:
    import botocore.exceptions
    import botocore.waiter
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

# Options that ModifyReplicationInstance changes in place, with their API names.
MODIFIABLE = (
    ("replication_instance_class", "ReplicationInstanceClass"),
    ("allocated_storage", "AllocatedStorage"),
    ("engine_version", "EngineVersion"),
    ("multi_az", "MultiAZ"),
    ("preferred_maintenance_window", "PreferredMaintenanceWindow"),
    ("auto_minor_version_upgrade", "AutoMinorVersionUpgrade"),
    ("vpc_security_group_ids", "VpcSecurityGroupIds"),
)

# Options fixed at creation: a difference needs a new replication instance.
IMMUTABLE = ("publicly_accessible", "kms_key_id", "replication_subnet_group_identifier")

# Keys of the summary used for diffs.
SUMMARY_KEYS = (
    "replication_instance_identifier",
    "replication_instance_arn",
    "replication_instance_status",
    "replication_instance_class",
    "allocated_storage",
    "engine_version",
    "multi_az",
    "publicly_accessible",
    "kms_key_id",
    "replication_subnet_group_identifier",
    "vpc_security_group_ids",
    "preferred_maintenance_window",
    "auto_minor_version_upgrade",
    "tags",
)

# Statuses in which botocore's available waiter gives up at once.
FAILED_STATUSES = ("deleting", "incompatible-credentials", "incompatible-network", "inaccessible-encryption-credentials")

# The delay between two polls, in seconds; shorter when the timeout is shorter.
WAIT_DELAY = 15

# botocore's ReplicationInstanceDeleted waiter (data/dms/2016-01-01/waiters-2.json) succeeds only on
# ResourceNotFoundFault.  A filtered describe that answers with an empty list also means the instance
# is gone, so that is accepted too; otherwise such an answer would be polled until the timeout.
_DELETED_WAITER = {
    "version": 2,
    "waiters": {
        "ReplicationInstanceDeleted": {
            "operation": "DescribeReplicationInstances",
            "delay": WAIT_DELAY,
            "maxAttempts": 60,
            "acceptors": [
                {"argument": "ReplicationInstances[].ReplicationInstanceStatus", "expected": "available",
                 "matcher": "pathAny", "state": "failure"},
                {"expected": "ResourceNotFoundFault", "matcher": "error", "state": "success"},
                {"argument": "length(ReplicationInstances || `[]`) == `0`", "expected": True, "matcher": "path", "state": "success"},
            ],
        }
    },
}


class DmsInstanceError(Exception):
    """A request that cannot be carried out safely, or a wait that did not end well."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def id_filter(identifier: str) -> List[Dict[str, Any]]:
    """The Filters selecting one identifier; DMS stores identifiers in lower case."""
    values = [identifier]
    if identifier.lower() != identifier:
        values.append(identifier.lower())
    return [{"Name": "replication-instance-id", "Values": values}]


@AWSRetry.jittered_backoff()
def _describe_pages(client, **params) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("describe_replication_instances")
    return paginator.paginate(**params).build_full_result().get("ReplicationInstances", [])


def describe_instances(client, identifiers: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """Raw replication instances with these identifiers (all of them when none are given)."""
    params: Dict[str, Any] = {}
    if identifiers:
        values: List[str] = []
        for identifier in identifiers:
            values.extend(v for v in id_filter(identifier)[0]["Values"] if v not in values)
        params["Filters"] = [{"Name": "replication-instance-id", "Values": values}]
    try:
        return _describe_pages(client, **params)
    except is_boto3_error_code("ResourceNotFoundFault"):
        # DMS answers a filter that matches nothing with this error.
        return []


def find_instance(client, identifier: str) -> Optional[Dict[str, Any]]:
    """The raw replication instance with this identifier, or None."""
    for instance in describe_instances(client, [identifier]):
        if instance.get("ReplicationInstanceIdentifier", "").lower() == identifier.lower():
            return instance
    return None


def normalize_instance(instance: Dict[str, Any], tags: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """The snake_case dictionary the modules return, with tags as a dictionary."""
    result = camel_dict_to_snake_dict(normalize_boto3_result(instance), ignore_list=["Tags"])
    subnet_group = result.get("replication_subnet_group") or {}
    result["replication_subnet_group_identifier"] = subnet_group.get("replication_subnet_group_identifier")
    result["vpc_security_group_ids"] = sorted(sg["vpc_security_group_id"] for sg in result.get("vpc_security_groups") or [])
    result["status"] = result.get("replication_instance_status")
    result["tags"] = dict(tags or {})
    for key in SUMMARY_KEYS:
        result.setdefault(key, None)
    return result


def summary(instance: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The documented keys of a normalized instance, for diffs."""
    if not instance:
        return {}
    return {key: instance.get(key) for key in SUMMARY_KEYS}


def parse_version(version: Any) -> Optional[Tuple[int, ...]]:
    """(3, 5, 3) for "3.5.3"; None for anything else."""
    parts = str(version).strip().split(".")
    if not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def major_of(version: Any) -> Optional[Tuple[int, ...]]:
    """DMS counts the first two numbers as the major version: 3.4.x to 3.5.x is a major upgrade."""
    parsed = parse_version(version)
    return parsed[:2] if parsed else None


def _effective(current: Dict[str, Any], key: str) -> Any:
    """A value as it will be once the pending modifications are applied."""
    pending = current.get("pending_modified_values") or {}
    if pending.get(key) is not None:
        return pending[key]
    return current.get(key)


def modifications(current: Dict[str, Any], params: Dict[str, Any]) -> Dict[str, Any]:
    """The ModifyReplicationInstance arguments that bring ``current`` (normalized) to the options.

    Options left unset are not compared.  Raises DmsInstanceError for an engine downgrade, or a
    major upgrade without allow_major_version_upgrade.
    """
    changes: Dict[str, Any] = {}
    for option, api_name in MODIFIABLE:
        wanted = params.get(option)
        if wanted is None:
            continue
        actual = _effective(current, option)
        if option == "vpc_security_group_ids":
            same = sorted(set(wanted)) == sorted(set(actual or []))
        elif option == "preferred_maintenance_window":
            same = str(wanted).lower() == str(actual or "").lower()
        elif option == "allocated_storage":
            same = actual is not None and int(wanted) == int(actual)
        elif option == "engine_version":
            same = _check_engine_version(current, str(wanted), str(actual or ""), params)
        else:
            same = wanted == actual
        if not same:
            changes[api_name] = list(wanted) if option == "vpc_security_group_ids" else wanted
    return changes


def _check_engine_version(current: Dict[str, Any], wanted: str, actual: str, params: Dict[str, Any]) -> bool:
    """Whether the engine version already matches; refuses what DMS cannot or may not do."""
    wanted_key, actual_key = parse_version(wanted), parse_version(actual)
    if wanted_key is None or actual_key is None:
        return wanted == actual
    if wanted_key == actual_key:
        return True
    name = current.get("replication_instance_identifier")
    if wanted_key < actual_key:
        raise DmsInstanceError(
            f"engine_version: replication instance {name} runs engine {actual} and DMS cannot downgrade it to {wanted}."
            f" Set engine_version to {actual} or later."
        )
    if major_of(wanted) != major_of(actual) and not params.get("allow_major_version_upgrade"):
        raise DmsInstanceError(
            f"engine_version: going from {actual} to {wanted} on replication instance {name} is a major version upgrade;"
            " set allow_major_version_upgrade to true to allow it."
        )
    return False


def immutable_differences(current: Dict[str, Any], params: Dict[str, Any], kms_key_arn: Optional[str] = None) -> List[str]:
    """The options fixed at creation whose requested value differs from ``current`` (normalized).

    ``kms_key_arn`` is the requested key resolved to an ARN, as DMS reports it.
    """
    differences = []
    wanted_public = params.get("publicly_accessible")
    if wanted_public is not None and bool(current.get("publicly_accessible")) != wanted_public:
        differences.append("publicly_accessible")
    if params.get("kms_key_id") and (kms_key_arn or params["kms_key_id"]) != current.get("kms_key_id"):
        differences.append("kms_key_id")
    wanted_group = params.get("replication_subnet_group_identifier")
    actual_group = current.get("replication_subnet_group_identifier") or ""
    if wanted_group and wanted_group.lower() != actual_group.lower():
        differences.append("replication_subnet_group_identifier")
    return differences


def build_create_params(params: Dict[str, Any], tags: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The CreateReplicationInstance arguments for the module's options."""
    create: Dict[str, Any] = {
        "ReplicationInstanceIdentifier": params["replication_instance_identifier"],
        "ReplicationInstanceClass": params["replication_instance_class"],
    }
    optional = (
        ("allocated_storage", "AllocatedStorage"),
        ("engine_version", "EngineVersion"),
        ("multi_az", "MultiAZ"),
        ("publicly_accessible", "PubliclyAccessible"),
        ("kms_key_id", "KmsKeyId"),
        ("replication_subnet_group_identifier", "ReplicationSubnetGroupIdentifier"),
        ("vpc_security_group_ids", "VpcSecurityGroupIds"),
        ("preferred_maintenance_window", "PreferredMaintenanceWindow"),
        ("auto_minor_version_upgrade", "AutoMinorVersionUpgrade"),
    )
    for option, api_name in optional:
        if params.get(option) is not None:
            create[api_name] = params[option]
    if tags:
        create["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return create


def predicted_instance(params: Dict[str, Any], tags: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The normalized instance creating it would give (check mode)."""
    predicted: Dict[str, Any] = {key: None for key in SUMMARY_KEYS}
    for key in SUMMARY_KEYS:
        if params.get(key) is not None:
            predicted[key] = params[key]
    predicted["replication_instance_identifier"] = params["replication_instance_identifier"].lower()
    if predicted["vpc_security_group_ids"] is not None:
        predicted["vpc_security_group_ids"] = sorted(predicted["vpc_security_group_ids"])
    predicted["replication_instance_status"] = "creating"
    predicted["status"] = "creating"
    predicted["tags"] = {key: str(value) for key, value in (tags or {}).items()}
    return predicted


def apply_modifications(current: Dict[str, Any], changes: Dict[str, Any]) -> Dict[str, Any]:
    """The normalized instance as it will be after ``changes`` (check mode and diffs)."""
    after = dict(current)
    for option, api_name in MODIFIABLE:
        if api_name in changes:
            after[option] = sorted(changes[api_name]) if option == "vpc_security_group_ids" else changes[api_name]
    return after


def waiter_config(wait_timeout: int) -> Dict[str, int]:
    """A WaiterConfig that polls for ``wait_timeout`` seconds, then gives up.

    botocore polls at once, then sleeps ``Delay`` between attempts: (MaxAttempts - 1) * Delay seconds in all.
    """
    timeout = max(1, int(wait_timeout))
    delay = min(WAIT_DELAY, timeout)
    return {"Delay": delay, "MaxAttempts": int(math.floor(timeout / float(delay))) + 1}


def _last_status(error: Exception) -> str:
    response = getattr(error, "last_response", None) or {}
    statuses = [i.get("ReplicationInstanceStatus") for i in response.get("ReplicationInstances") or []]
    if statuses:
        return ", ".join(str(s) for s in statuses)
    code = (response.get("Error") or {}).get("Code")
    return code or "unknown"


def _wait(waiter, identifier: str, wait_timeout: int, goal: str) -> None:
    try:
        waiter.wait(Filters=id_filter(identifier), WaiterConfig=waiter_config(wait_timeout))
    except botocore.exceptions.WaiterError as e:
        status = _last_status(e)
        if "Max attempts exceeded" in str(e):
            raise DmsInstanceError(
                f"timed out after {wait_timeout} s waiting for replication instance {identifier} to {goal} (status {status})."
                " Raise wait_timeout, or set wait to false and check on it later."
            ) from e
        raise DmsInstanceError(
            f"replication instance {identifier} cannot {goal}: it reached status {status} while the module was waiting."
        ) from e


def wait_available(client, identifier: str, wait_timeout: int) -> None:
    """Wait, at most ``wait_timeout`` seconds, for the instance to be available (botocore's waiter)."""
    _wait(client.get_waiter("replication_instance_available"), identifier, wait_timeout, "become available")


def wait_deleted(client, identifier: str, wait_timeout: int) -> None:
    """Wait, at most ``wait_timeout`` seconds, for the instance to be gone."""
    model = botocore.waiter.WaiterModel(_DELETED_WAITER)
    waiter = botocore.waiter.create_waiter_with_client("ReplicationInstanceDeleted", model, client)
    _wait(waiter, identifier, wait_timeout, "be deleted")
