# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers shared by the ec2_vpc_flow_log and ec2_vpc_flow_log_info modules.

Neither amazon.aws nor community.aws ships a module for VPC flow logs, so the
lookup, comparison and create/delete logic lives here.  Every function that
talks to AWS expects a client created with
``module.client("ec2", retry_decorator=AWSRetry.jittered_backoff())`` and
lets botocore exceptions propagate to the calling module.

The EC2 API has no call that modifies a flow log: only its tags can change.
Any other difference between the requested and the existing configuration
therefore means the flow log has to be replaced (deleted, then created).
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
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications
from ansible_collections.amazon.aws.plugins.module_utils.transformation import ansible_dict_to_boto3_filter_list
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import merge_tags  # noqa: F401  pylint: disable=unused-import
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import tag_changes  # noqa: F401  pylint: disable=unused-import

RESOURCE_TYPES = ["VPC", "Subnet", "NetworkInterface"]
TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"]
LOG_DESTINATION_TYPES = ["cloud-watch-logs", "s3"]
MAX_AGGREGATION_INTERVALS = [60, 600]

# The resource type EC2 expects in TagSpecifications for a flow log.
TAG_RESOURCE_TYPE = "vpc-flow-log"

# Keys of the snake_case flow log dictionary returned by the modules.  They are
# always present (None when AWS does not report a value).
FLOW_LOG_KEYS = (
    "flow_log_id",
    "flow_log_status",
    "resource_id",
    "traffic_type",
    "log_destination_type",
    "log_group_name",
    "log_destination",
    "deliver_logs_permission_arn",
    "max_aggregation_interval",
    "log_format",
    "tags",
)

# Attributes that are compared between the requested and the existing flow
# log.  A difference in any of them can only be resolved by a replacement.
COMPARED_ATTRIBUTES = (
    "resource_id",
    "traffic_type",
    "log_destination_type",
    "log_group_name",
    "log_destination",
    "deliver_logs_permission_arn",
    "max_aggregation_interval",
    "log_format",
)

# Error codes that mean a flow log is already gone when deleting it.
_NOT_FOUND_CODES = ("InvalidFlowLogId.NotFound",)


class FlowLogError(Exception):
    """Raised when EC2 accepts a flow log request but reports that it failed."""

    def __init__(self, message: str, unsuccessful: Optional[List[Dict[str, Any]]] = None):
        super().__init__(message)
        self.message = message
        self.unsuccessful = unsuccessful or []


@AWSRetry.jittered_backoff()
def _describe_flow_log_pages(client, **params) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("describe_flow_logs")
    return paginator.paginate(**params).build_full_result().get("FlowLogs", [])


def describe_flow_logs(
    client,
    flow_log_ids: Optional[List[str]] = None,
    filters: Optional[Dict[str, Any]] = None,
) -> List[Dict[str, Any]]:
    """Return every flow log (raw boto3 dictionaries) matching the IDs and filters.

    ``filters`` uses the Ansible form (``{"resource-id": ["vpc-1"]}``).
    """
    params: Dict[str, Any] = {}
    if flow_log_ids:
        params["FlowLogIds"] = list(flow_log_ids)
    if filters:
        params["Filters"] = ansible_dict_to_boto3_filter_list(filters)
    return _describe_flow_log_pages(client, **params)


def _strip_destination(value: Optional[str]) -> Optional[str]:
    """Drop the decorations AWS may add to or accept on a destination ARN."""
    if value is None:
        return None
    value = value.rstrip("/")
    if value.endswith(":*"):
        value = value[:-2]
    return value


def flow_log_matches(
    flow_log: Dict[str, Any],
    log_destination_type: Optional[str] = None,
    log_group_name: Optional[str] = None,
    log_destination: Optional[str] = None,
    traffic_type: Optional[str] = None,
) -> bool:
    """Tell whether a raw flow log delivers to the given destination.

    Arguments left as None are not checked.
    """
    if log_destination_type is not None and flow_log.get("LogDestinationType") != log_destination_type:
        return False
    if log_group_name is not None and flow_log.get("LogGroupName") != log_group_name:
        return False
    if log_destination is not None:
        if _strip_destination(flow_log.get("LogDestination")) != _strip_destination(log_destination):
            return False
    if traffic_type is not None and flow_log.get("TrafficType") != traffic_type:
        return False
    return True


def find_flow_logs(
    client,
    resource_id: str,
    log_destination_type: Optional[str] = None,
    log_group_name: Optional[str] = None,
    log_destination: Optional[str] = None,
    traffic_type: Optional[str] = None,
) -> List[Dict[str, Any]]:
    """Return the raw flow logs of a resource that deliver to the given destination."""
    flow_logs = describe_flow_logs(client, filters={"resource-id": resource_id})
    return [
        fl
        for fl in flow_logs
        if flow_log_matches(
            fl,
            log_destination_type=log_destination_type,
            log_group_name=log_group_name,
            log_destination=log_destination,
            traffic_type=traffic_type,
        )
    ]


def select_flow_log(flow_logs: List[Dict[str, Any]], traffic_type: str) -> Optional[Dict[str, Any]]:
    """Pick the flow log a task manages among those sharing its resource and destination.

    A flow log with the requested traffic type wins.  Without one, a single
    candidate is taken (it will be replaced because its traffic type differs).
    Several candidates that all differ are ambiguous and raise FlowLogError.
    """
    if not flow_logs:
        return None
    same_traffic = [fl for fl in flow_logs if fl.get("TrafficType") == traffic_type]
    if same_traffic:
        return same_traffic[0]
    if len(flow_logs) == 1:
        return flow_logs[0]
    ids = ", ".join(sorted(fl.get("FlowLogId", "") for fl in flow_logs))
    raise FlowLogError(
        f"Several flow logs ({ids}) deliver the logs of {flow_logs[0].get('ResourceId')} to this destination and none"
        f" of them has traffic type {traffic_type}, so it is unclear which one to manage. Delete the extra flow logs"
        " or set traffic_type to match one of them."
    )


def normalize_flow_log(flow_log: Dict[str, Any]) -> Dict[str, Any]:
    """Turn a raw boto3 flow log into the snake_case dictionary the modules return."""
    result = camel_dict_to_snake_dict(normalize_boto3_result(flow_log), ignore_list=["Tags"])
    result["tags"] = boto3_tag_list_to_ansible_dict(result.pop("tags", None) or [])
    for key in FLOW_LOG_KEYS:
        result.setdefault(key, None)
    return result


def flow_log_summary(flow_log: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Keep only the documented keys of a normalized flow log (used for diffs)."""
    if not flow_log:
        return {}
    return {key: flow_log.get(key) for key in FLOW_LOG_KEYS}


def desired_flow_log(params: Dict[str, Any]) -> Dict[str, Any]:
    """Build the comparable (snake_case) description of the flow log a task asks for.

    Options the user did not set are left out, so they are not compared.
    """
    desired = {
        "resource_id": params.get("resource_id"),
        "traffic_type": params.get("traffic_type"),
        "log_destination_type": params.get("log_destination_type"),
        "log_group_name": params.get("log_group_name"),
        "log_destination": params.get("log_destination"),
        "deliver_logs_permission_arn": params.get("deliver_logs_permission_arn"),
        "max_aggregation_interval": params.get("max_aggregation_interval"),
        "log_format": params.get("log_format"),
    }
    return {key: value for key, value in desired.items() if value is not None}


def flow_log_differences(current: Dict[str, Any], desired: Dict[str, Any]) -> List[str]:
    """List the attributes (option names) whose requested value differs from the flow log.

    ``current`` is a normalized flow log, ``desired`` comes from desired_flow_log().
    Tags are not part of this comparison: they are the only thing that can be
    updated in place.
    """
    differences = []
    for key in COMPARED_ATTRIBUTES:
        if key not in desired:
            continue
        wanted = desired[key]
        actual = current.get(key)
        if key == "log_destination":
            wanted, actual = _strip_destination(wanted), _strip_destination(actual)
        elif key == "max_aggregation_interval" and actual is not None:
            actual = int(actual)
        if wanted != actual:
            differences.append(key)
    return differences


def expected_flow_log(
    desired: Dict[str, Any],
    tags: Optional[Dict[str, Any]] = None,
    flow_log_id: Optional[str] = None,
) -> Dict[str, Any]:
    """Predict the normalized flow log that creating ``desired`` would give (check mode)."""
    predicted: Dict[str, Any] = {key: None for key in FLOW_LOG_KEYS}
    predicted.update(desired)
    predicted["flow_log_id"] = flow_log_id
    predicted["tags"] = {key: str(value) for key, value in (tags or {}).items()}
    return predicted


def build_create_params(
    desired: Dict[str, Any],
    resource_type: str,
    tags: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """Build the keyword arguments for EC2 CreateFlowLogs from desired_flow_log() output."""
    params: Dict[str, Any] = {
        "ResourceIds": [desired["resource_id"]],
        "ResourceType": resource_type,
        "TrafficType": desired["traffic_type"],
        "LogDestinationType": desired["log_destination_type"],
    }
    optional = (
        ("log_group_name", "LogGroupName"),
        ("log_destination", "LogDestination"),
        ("deliver_logs_permission_arn", "DeliverLogsPermissionArn"),
        ("max_aggregation_interval", "MaxAggregationInterval"),
        ("log_format", "LogFormat"),
    )
    for key, api_name in optional:
        if desired.get(key) is not None:
            params[api_name] = desired[key]
    if "MaxAggregationInterval" in params:
        params["MaxAggregationInterval"] = int(params["MaxAggregationInterval"])
    tag_specifications = boto3_tag_specifications(tags, [TAG_RESOURCE_TYPE])
    if tag_specifications:
        params["TagSpecifications"] = tag_specifications
    return params


def _describe_failures(unsuccessful: List[Dict[str, Any]]) -> str:
    parts = []
    for item in unsuccessful:
        error = item.get("Error") or {}
        parts.append(f"{item.get('ResourceId', 'unknown resource')}: {error.get('Code', 'unknown error')} - {error.get('Message', 'no message')}")
    return "; ".join(parts)


def create_flow_log(client, params: Dict[str, Any]) -> str:
    """Create one flow log and return its ID.

    CreateFlowLogs reports some failures (for example a missing S3 bucket) in
    its ``Unsuccessful`` list instead of raising; those raise FlowLogError.
    """
    response = client.create_flow_logs(aws_retry=True, **params)
    unsuccessful = response.get("Unsuccessful") or []
    if unsuccessful:
        raise FlowLogError(
            f"AWS refused to create the flow log: {_describe_failures(unsuccessful)}",
            unsuccessful=unsuccessful,
        )
    flow_log_ids = response.get("FlowLogIds") or []
    if not flow_log_ids:
        raise FlowLogError("AWS accepted the flow log request but returned no flow log ID.")
    return flow_log_ids[0]


def get_flow_log(client, flow_log_id: str) -> Optional[Dict[str, Any]]:
    """Return the raw flow log with the given ID, or None if EC2 does not list it."""
    flow_logs = describe_flow_logs(client, flow_log_ids=[flow_log_id])
    return flow_logs[0] if flow_logs else None


def delete_flow_log(client, flow_log_id: str) -> bool:
    """Delete a flow log; return False when it was already gone."""
    try:
        response = client.delete_flow_logs(aws_retry=True, FlowLogIds=[flow_log_id])
    except is_boto3_error_code(_NOT_FOUND_CODES):
        return False
    unsuccessful = response.get("Unsuccessful") or []
    failures = [item for item in unsuccessful if (item.get("Error") or {}).get("Code") not in _NOT_FOUND_CODES]
    if failures:
        raise FlowLogError(
            f"AWS refused to delete flow log {flow_log_id}: {_describe_failures(failures)}",
            unsuccessful=failures,
        )
    return not unsuccessful


def update_flow_log_tags(client, flow_log_id: str, to_set: Dict[str, Any], to_unset: List[str]) -> bool:
    """Apply a tag change computed by tag_changes(); return True if anything was sent."""
    changed = False
    if to_unset:
        client.delete_tags(aws_retry=True, Resources=[flow_log_id], Tags=[{"Key": key} for key in to_unset])
        changed = True
    if to_set:
        client.create_tags(aws_retry=True, Resources=[flow_log_id], Tags=ansible_dict_to_boto3_tag_list(to_set))
        changed = True
    return changed
