# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the dms_replication_task and dms_replication_task_info modules.

Neither amazon.aws nor community.aws ships a module for DMS replication tasks.
Every function that talks to AWS expects a client created with
``module.client("dms", retry_decorator=AWSRetry.jittered_backoff())`` and lets
botocore exceptions propagate to the calling module.

A task is always found by its identifier (the ``replication-task-id`` filter),
never by parsing its ARN: DMS ARNs carry a random resource id, not the name
(failure catalogue F18).
"""

from __future__ import annotations

import datetime
import json
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import normalize_boto3_result
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

MIGRATION_TYPES = ["full-load", "cdc", "full-load-and-cdc"]
START_TYPES = ["start-replication", "resume-processing", "reload-target"]

# Statuses a task only passes through; the module waits for them to end before acting.
TRANSIENT_STATUSES = ("creating", "modifying", "starting", "stopping", "deleting", "testing", "moving")
# Statuses in which StartReplicationTask and ModifyReplicationTask are accepted.
IDLE_STATUSES = ("ready", "stopped", "failed")
# Statuses in which the task replicates (or is about to).
ACTIVE_STATUSES = ("running", "starting")

# The StopReason of a full-load task that finished its work.
FULL_LOAD_FINISHED = "FULL_LOAD_ONLY_FINISHED"

# Seconds between two polls of DescribeReplicationTasks while waiting.
POLL_DELAY = 15

# Options that ModifyReplicationTask can change, with their API names.
MODIFIABLE = (
    ("migration_type", "MigrationType"),
    ("table_mappings", "TableMappings"),
    ("replication_task_settings", "ReplicationTaskSettings"),
)
# Options fixed at creation: changing them needs a new task.
IMMUTABLE = ("source_endpoint_arn", "target_endpoint_arn", "replication_instance_arn")

# Keys of the task dictionary compared in diffs.
SUMMARY_KEYS = (
    "replication_task_identifier",
    "replication_task_arn",
    "status",
    "migration_type",
    "source_endpoint_arn",
    "target_endpoint_arn",
    "replication_instance_arn",
    "table_mappings",
    "replication_task_settings",
    "tags",
)


class DmsTaskError(Exception):
    """A replication task cannot be brought to the requested state; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@AWSRetry.jittered_backoff()
def _describe_task_pages(client, **params) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("describe_replication_tasks")
    return paginator.paginate(**params).build_full_result().get("ReplicationTasks", [])


def describe_tasks(client, filters: Optional[Dict[str, List[str]]] = None) -> List[Dict[str, Any]]:
    """Return the raw tasks matching ``filters`` ({"replication-task-id": [...]}); [] when none match.

    DMS answers ResourceNotFoundFault when no task matches a filter.
    """
    params: Dict[str, Any] = {}
    if filters:
        params["Filters"] = [{"Name": name, "Values": list(values)} for name, values in filters.items()]
    try:
        return _describe_task_pages(client, **params)
    except is_boto3_error_code("ResourceNotFoundFault"):
        return []


def find_task(client, identifier: str) -> Optional[Dict[str, Any]]:
    """Return the raw task named ``identifier``, or None."""
    for task in describe_tasks(client, {"replication-task-id": [identifier]}):
        if task.get("ReplicationTaskIdentifier") == identifier:
            return task
    return None


def parse_json(value: Any) -> Any:
    """Parse a JSON document returned by DMS; None stays None, text that is not JSON is returned as is."""
    if value is None or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def normalize_task(task: Dict[str, Any], tags: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """Turn a raw boto3 task into the snake_case dictionary the modules return.

    Table mappings and task settings become dictionaries, with their keys kept as DMS spells them.
    """
    raw = dict(task)
    documents = {
        "table_mappings": parse_json(raw.pop("TableMappings", None)),
        "replication_task_settings": parse_json(raw.pop("ReplicationTaskSettings", None)),
    }
    task_data = raw.pop("TaskData", None)
    result = camel_dict_to_snake_dict(normalize_boto3_result(raw), ignore_list=["Tags"])
    result.update(documents)
    if task_data is not None:
        result["task_data"] = parse_json(task_data)
    result["tags"] = dict(tags or {})
    for key in SUMMARY_KEYS:
        result.setdefault(key, None)
    return result


def task_summary(task: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Keep only the compared keys of a normalized task (used for diffs)."""
    if not task:
        return {}
    return {key: task.get(key) for key in SUMMARY_KEYS}


def json_equal(left: Any, right: Any) -> bool:
    """Compare two JSON documents (text or parsed) by meaning: key order and spacing do not matter."""
    return parse_json(left) == parse_json(right)


def subset_differences(desired: Any, current: Any, path: str = "") -> List[str]:
    """List the paths of the keys given in ``desired`` whose value differs in ``current``.

    Keys that only ``current`` has are ignored: DMS fills in many defaults.
    """
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return [path or "."]
        differences: List[str] = []
        for key, value in desired.items():
            differences.extend(subset_differences(value, current.get(key), f"{path}.{key}" if path else str(key)))
        return differences
    return [] if desired == current else [path or "."]


def immutable_differences(current: Dict[str, Any], params: Dict[str, Any]) -> List[str]:
    """The options given that differ from a normalized task but cannot be modified."""
    return [key for key in IMMUTABLE if params.get(key) is not None and params[key] != current.get(key)]


def modifiable_differences(current: Dict[str, Any], params: Dict[str, Any]) -> List[str]:
    """The options given that differ from a normalized task and that ModifyReplicationTask can change."""
    differences = []
    if params.get("migration_type") is not None and params["migration_type"] != current.get("migration_type"):
        differences.append("migration_type")
    if params.get("table_mappings") is not None and not json_equal(params["table_mappings"], current.get("table_mappings")):
        differences.append("table_mappings")
    settings = params.get("replication_task_settings")
    if settings is not None and subset_differences(settings, current.get("replication_task_settings") or {}):
        differences.append("replication_task_settings")
    return differences


def parse_cdc_start_time(value: Optional[str]) -> Optional[datetime.datetime]:
    """Parse an ISO 8601 time (a trailing Z is accepted); a time without zone is taken as UTC."""
    if value is None:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError as e:
        raise DmsTaskError(f"cdc_start_time {value!r} is not an ISO 8601 time such as 2025-01-31T12:00:00Z.") from e
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def cdc_params(params: Dict[str, Any]) -> Dict[str, Any]:
    """The CDC start options for CreateReplicationTask and StartReplicationTask."""
    result: Dict[str, Any] = {}
    if params.get("cdc_start_position"):
        result["CdcStartPosition"] = params["cdc_start_position"]
    start_time = parse_cdc_start_time(params.get("cdc_start_time"))
    if start_time is not None:
        result["CdcStartTime"] = start_time
    return result


def build_create_params(params: Dict[str, Any], tags: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Keyword arguments for CreateReplicationTask."""
    create: Dict[str, Any] = {
        "ReplicationTaskIdentifier": params["replication_task_identifier"],
        "SourceEndpointArn": params["source_endpoint_arn"],
        "TargetEndpointArn": params["target_endpoint_arn"],
        "ReplicationInstanceArn": params["replication_instance_arn"],
        "MigrationType": params["migration_type"],
        "TableMappings": json.dumps(params["table_mappings"], sort_keys=True),
    }
    if params.get("replication_task_settings") is not None:
        create["ReplicationTaskSettings"] = json.dumps(params["replication_task_settings"], sort_keys=True)
    create.update(cdc_params(params))
    if tags:
        create["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return create


def build_modify_params(arn: str, params: Dict[str, Any], differences: List[str]) -> Dict[str, Any]:
    """Keyword arguments for ModifyReplicationTask, sending only what differs."""
    modify: Dict[str, Any] = {"ReplicationTaskArn": arn}
    for key, api_name in MODIFIABLE:
        if key not in differences:
            continue
        value = params[key]
        modify[api_name] = value if key == "migration_type" else json.dumps(value, sort_keys=True)
    return modify


def _merge(current: Any, desired: Any) -> Any:
    if isinstance(current, dict) and isinstance(desired, dict):
        merged = dict(current)
        for key, value in desired.items():
            merged[key] = _merge(current.get(key), value)
        return merged
    return desired


def predict_task(current: Optional[Dict[str, Any]], params: Dict[str, Any]) -> Dict[str, Any]:
    """Predict the raw task that creating it, or modifying ``current``, would give (check mode)."""
    if current is None:
        predicted: Dict[str, Any] = {
            "ReplicationTaskIdentifier": params["replication_task_identifier"],
            "ReplicationTaskArn": None,
            "Status": "ready",
            "SourceEndpointArn": params.get("source_endpoint_arn"),
            "TargetEndpointArn": params.get("target_endpoint_arn"),
            "ReplicationInstanceArn": params.get("replication_instance_arn"),
        }
    else:
        predicted = dict(current)
    if params.get("migration_type") is not None:
        predicted["MigrationType"] = params["migration_type"]
    if params.get("table_mappings") is not None:
        predicted["TableMappings"] = json.dumps(params["table_mappings"], sort_keys=True)
    if params.get("replication_task_settings") is not None:
        settings = _merge(parse_json(predicted.get("ReplicationTaskSettings")) or {}, params["replication_task_settings"])
        predicted["ReplicationTaskSettings"] = json.dumps(settings, sort_keys=True)
    return predicted


def default_start_type(task: Dict[str, Any]) -> str:
    """start-replication for a task that never ran, resume-processing for one that stopped after running."""
    if task.get("Status") in ("stopped", "failed") and task.get("ReplicationTaskStartDate"):
        return "resume-processing"
    return "start-replication"


def full_load_finished(task: Optional[Dict[str, Any]]) -> bool:
    """True for a task that stopped because its full load is done (the normal end of a full-load task)."""
    return bool(task) and task.get("Status") == "stopped" and FULL_LOAD_FINISHED in (task.get("StopReason") or "")


# Conditions waited for.  Each takes a raw task (None when it does not exist) and
# returns True when the wait is over; it raises DmsTaskError when it never will be.


def is_gone(task: Optional[Dict[str, Any]]) -> bool:
    return task is None


def is_settled(task: Optional[Dict[str, Any]]) -> bool:
    if task is None:
        raise DmsTaskError("the replication task disappeared while the module waited for it.")
    return task.get("Status") not in TRANSIENT_STATUSES


def is_stopped(task: Optional[Dict[str, Any]]) -> bool:
    return is_settled(task) and task.get("Status") in IDLE_STATUSES


def is_running(task: Optional[Dict[str, Any]]) -> bool:
    if task is None:
        raise DmsTaskError("the replication task disappeared while the module waited for it to run.")
    if task.get("Status") == "failed":
        reason = task.get("LastFailureMessage") or "DMS gave no reason"
        raise DmsTaskError(f"replication task {task.get('ReplicationTaskIdentifier')} failed to start: {reason}")
    return task.get("Status") == "running" or full_load_finished(task)


def wait_for_task(
    client,
    identifier: str,
    condition: Callable[[Optional[Dict[str, Any]]], bool],
    timeout: int,
    goal: str,
    delay: Optional[float] = None,
) -> Optional[Dict[str, Any]]:
    """Poll the task until ``condition`` holds and return it; raise DmsTaskError after ``timeout`` seconds.

    ``goal`` completes the sentence "waiting for replication task X to ...".
    """
    delay = POLL_DELAY if delay is None else delay
    deadline = time.monotonic() + max(timeout, 0)
    while True:
        task = find_task(client, identifier)
        if condition(task):
            return task
        if time.monotonic() + delay > deadline:
            status = task.get("Status") if task else "gone"
            reason = f", stop reason {task['StopReason']}" if task and task.get("StopReason") else ""
            raise DmsTaskError(
                f"Timed out after {timeout} seconds waiting for replication task {identifier} to {goal}"
                f" (its status is {status}{reason}). It may still get there: run the task again later,"
                " or raise wait_timeout."
            )
        time.sleep(delay)
