#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ec2_vpc_flow_log
short_description: Create, replace, tag and delete VPC flow logs
version_added: 0.1.0
description:
  - Manages one flow log of a VPC, a subnet or a network interface, delivering to CloudWatch Logs or to S3.
  - No module of amazon.aws (not even M(amazon.aws.ec2_vpc_net)) or community.aws creates or deletes VPC flow logs;
    this module fills that gap.
  - A flow log is identified by O(resource_id), O(log_destination_type) and its destination (O(log_group_name)
    or O(log_destination)). When several flow logs of the resource deliver to that destination, the one whose
    traffic type is O(traffic_type) is managed.
  - The EC2 API cannot modify a flow log, only its tags. When O(traffic_type), O(deliver_logs_permission_arn),
    O(max_aggregation_interval) or O(log_format) differ from the existing flow log, the module deletes it and
    creates a new one with a new ID, and reports this with RV(replaced) and RV(replaced_attributes).
    No logs are delivered between the deletion and the creation.
author:
  - Payments Platform Team (@payments-platform)
options:
  state:
    description:
      - Whether the flow log should exist.
      - With V(absent), the flow log found for O(resource_id) and the destination is deleted.
    type: str
    choices: ['present', 'absent']
    default: present
  resource_id:
    description:
      - The ID of the VPC, subnet or network interface whose traffic is logged.
    type: str
    required: true
  resource_type:
    description:
      - The kind of resource O(resource_id) names.
      - Only used when a flow log is created; EC2 does not report it back, so it is not compared.
    type: str
    choices: ['VPC', 'Subnet', 'NetworkInterface']
    default: VPC
  traffic_type:
    description:
      - Which traffic to log, accepted, rejected or both.
      - Changing it replaces the flow log.
    type: str
    choices: ['ALL', 'ACCEPT', 'REJECT']
    default: ALL
  log_destination_type:
    description:
      - Where the flow log delivers its records.
    type: str
    choices: ['cloud-watch-logs', 's3']
    default: cloud-watch-logs
  log_group_name:
    description:
      - The name of the CloudWatch Logs log group that receives the records.
      - One of O(log_group_name) or O(log_destination) is required when O(log_destination_type=cloud-watch-logs).
      - Cannot be used with O(log_destination).
    type: str
  log_destination:
    description:
      - The ARN of the destination.
      - Required when O(log_destination_type=s3), for example V(arn:aws:s3:::my-bucket) or
        V(arn:aws:s3:::my-bucket/my-prefix/).
      - With O(log_destination_type=cloud-watch-logs), the ARN of the log group, as an alternative to O(log_group_name).
    type: str
  deliver_logs_permission_arn:
    description:
      - The ARN of the IAM role that allows the flow log service to publish to CloudWatch Logs.
      - Required when O(state=present) and O(log_destination_type=cloud-watch-logs).
      - Changing it replaces the flow log.
    type: str
  max_aggregation_interval:
    description:
      - The longest time, in seconds, during which a flow is captured before it is aggregated into a record.
      - Changing it replaces the flow log.
    type: int
    choices: [60, 600]
    default: 600
  log_format:
    description:
      - The fields of a flow log record, for example V(${version} ${srcaddr} ${dstaddr} ${action}).
      - When not set, AWS uses its default format and the existing format is not compared.
      - Changing it replaces the flow log.
    type: str
notes:
  - Tags are the only attribute updated in place.
  - When a flow log is replaced and O(tags) is not set, the new flow log gets the tags of the one it replaces.
  - Support for check mode and diff mode.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Log all traffic of a VPC to CloudWatch Logs
  payments.aws_platform.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    log_group_name: /vpc/payments-prod/flow-logs
    deliver_logs_permission_arn: arn:aws:iam::123456789012:role/vpc-flow-logs
    tags:
      Team: payments
  register: vpc_flow_log

- name: Log rejected traffic of a subnet to S3 with one-minute aggregation
  payments.aws_platform.ec2_vpc_flow_log:
    resource_id: subnet-0123456789abcdef0
    resource_type: Subnet
    traffic_type: REJECT
    log_destination_type: s3
    log_destination: arn:aws:s3:::payments-flow-logs/subnets/
    max_aggregation_interval: 60
    log_format: "${version} ${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action}"

- name: Add a tag and keep the tags already on the flow log
  payments.aws_platform.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    log_group_name: /vpc/payments-prod/flow-logs
    deliver_logs_permission_arn: arn:aws:iam::123456789012:role/vpc-flow-logs
    tags:
      CostCenter: "4711"
    purge_tags: false

- name: Delete the flow log of a VPC that delivers to a log group
  payments.aws_platform.ec2_vpc_flow_log:
    state: absent
    resource_id: vpc-0123456789abcdef0
    log_group_name: /vpc/payments-prod/flow-logs
"""

RETURN = r"""
flow_log:
  description:
    - The flow log after the task ran.
    - In check mode, the flow log as it would be; RV(flow_log.flow_log_id) is V(null) for a flow log that would be created.
    - An empty dictionary when O(state=absent).
  returned: always
  type: dict
  contains:
    flow_log_id:
      description: The ID of the flow log.
      returned: when O(state=present)
      type: str
      sample: fl-0123456789abcdef0
    flow_log_status:
      description: The status of the flow log.
      returned: when O(state=present)
      type: str
      sample: ACTIVE
    resource_id:
      description: The ID of the logged VPC, subnet or network interface.
      returned: when O(state=present)
      type: str
      sample: vpc-0123456789abcdef0
    traffic_type:
      description: Which traffic is logged.
      returned: when O(state=present)
      type: str
      sample: ALL
    log_destination_type:
      description: The kind of destination.
      returned: when O(state=present)
      type: str
      sample: cloud-watch-logs
    log_group_name:
      description: The CloudWatch Logs log group, V(null) for an S3 destination.
      returned: when O(state=present)
      type: str
      sample: /vpc/payments-prod/flow-logs
    log_destination:
      description: The ARN of the destination, V(null) when AWS does not report it.
      returned: when O(state=present)
      type: str
      sample: arn:aws:s3:::payments-flow-logs/subnets/
    deliver_logs_permission_arn:
      description: The IAM role used to publish to CloudWatch Logs.
      returned: when O(state=present)
      type: str
      sample: arn:aws:iam::123456789012:role/vpc-flow-logs
    deliver_logs_status:
      description: Whether the last delivery of records succeeded.
      returned: when reported by AWS
      type: str
      sample: SUCCESS
    deliver_logs_error_message:
      description: Why the delivery of records failed.
      returned: when reported by AWS
      type: str
      sample: Access error
    max_aggregation_interval:
      description: The aggregation interval in seconds.
      returned: when O(state=present)
      type: int
      sample: 600
    log_format:
      description: The format of the flow log records.
      returned: when O(state=present)
      type: str
      sample: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action} ${log-status}"
    creation_time:
      description: When the flow log was created.
      returned: when reported by AWS
      type: str
      sample: "2025-01-31T12:00:00+00:00"
    tags:
      description: The tags of the flow log.
      returned: when O(state=present)
      type: dict
      sample: {"Team": "payments"}
replaced:
  description: Whether the flow log was (or in check mode would be) deleted and created again because an attribute that cannot be modified differed.
  returned: when O(state=present)
  type: bool
  sample: false
replaced_attributes:
  description: The options whose values differed from the existing flow log and caused the replacement.
  returned: when O(state=present)
  type: list
  elements: str
  sample: ["traffic_type"]
previous_flow_log_id:
  description: The ID of the flow log that was (or in check mode would be) deleted, by a replacement or by O(state=absent).
  returned: when a flow log was deleted or replaced
  type: str
  sample: fl-0fedcba9876543210
"""

from typing import Any
from typing import Dict

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import LOG_DESTINATION_TYPES
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import MAX_AGGREGATION_INTERVALS
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import RESOURCE_TYPES
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import TRAFFIC_TYPES
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import FlowLogError
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import build_create_params
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import create_flow_log
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import delete_flow_log
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import desired_flow_log
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import expected_flow_log
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import find_flow_logs
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import flow_log_differences
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import flow_log_summary
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import get_flow_log
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import merge_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import normalize_flow_log
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import select_flow_log
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import tag_changes
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import update_flow_log_tags

# What the module was doing when an EC2 call failed, keyed by the API operation.
_FAILURE_MESSAGES = {
    "DescribeFlowLogs": "Unable to look up the flow logs of {0}",
    "CreateFlowLogs": "Unable to create a flow log for {0}",
    "DeleteFlowLogs": "Unable to delete the flow log of {0}",
    "CreateTags": "Unable to add tags to the flow log of {0}",
    "DeleteTags": "Unable to remove tags from the flow log of {0}",
}


def _failure_message(error: Exception, resource_id: str) -> str:
    template = _FAILURE_MESSAGES.get(getattr(error, "operation_name", None), "Unable to manage the flow log of {0}")
    return template.format(resource_id)


def _find_managed_flow_log(client, params: Dict[str, Any]):
    candidates = find_flow_logs(
        client,
        params["resource_id"],
        log_destination_type=params["log_destination_type"],
        log_group_name=params.get("log_group_name"),
        log_destination=params.get("log_destination"),
    )
    return select_flow_log(candidates, params["traffic_type"])


def _read_back(client, flow_log_id: str, fallback: Dict[str, Any]) -> Dict[str, Any]:
    """Describe a flow log just written; EC2 may not list it yet, then use the prediction."""
    raw = get_flow_log(client, flow_log_id)
    if raw is None:
        return fallback
    return normalize_flow_log(raw)


def _create(client, module: AnsibleAWSModule, desired: Dict[str, Any], tags: Dict[str, Any]) -> Dict[str, Any]:
    predicted = expected_flow_log(desired, tags)
    if module.check_mode:
        return predicted
    params = build_create_params(desired, module.params["resource_type"], tags)
    flow_log_id = create_flow_log(client, params)
    predicted["flow_log_id"] = flow_log_id
    return _read_back(client, flow_log_id, predicted)


def ensure_present(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    params = module.params
    tags = params.get("tags")
    desired = desired_flow_log(params)
    result: Dict[str, Any] = {"changed": False, "replaced": False, "replaced_attributes": []}

    existing = _find_managed_flow_log(client, params)
    if existing is None:
        before: Dict[str, Any] = {}
        after = _create(client, module, desired, tags or {})
        result["changed"] = True
    else:
        current = normalize_flow_log(existing)
        before = flow_log_summary(current)
        to_set, to_unset = tag_changes(current["tags"], tags, params.get("purge_tags"))
        differences = flow_log_differences(current, desired)
        if differences:
            old_id = current["flow_log_id"]
            new_tags = {k: v for k, v in merge_tags(current["tags"], to_set, to_unset).items() if not k.startswith("aws:")}
            if not module.check_mode:
                delete_flow_log(client, old_id)
            try:
                after = _create(client, module, desired, new_tags)
            except FlowLogError as e:
                raise FlowLogError(
                    f"{e.message} The flow log it was to replace, {old_id}, has already been deleted.",
                    e.unsuccessful,
                ) from e
            result.update(changed=True, replaced=True, replaced_attributes=differences, previous_flow_log_id=old_id)
        elif to_set or to_unset:
            result["changed"] = True
            if module.check_mode:
                after = dict(current, tags=merge_tags(current["tags"], to_set, to_unset))
            else:
                update_flow_log_tags(client, current["flow_log_id"], to_set, to_unset)
                after = _read_back(client, current["flow_log_id"], dict(current, tags=merge_tags(current["tags"], to_set, to_unset)))
        else:
            after = current

    result["flow_log"] = after
    if module._diff:
        result["diff"] = {"before": before, "after": flow_log_summary(after)}
    return result


def ensure_absent(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    result: Dict[str, Any] = {"changed": False, "flow_log": {}}
    existing = _find_managed_flow_log(client, module.params)
    before: Dict[str, Any] = {}
    if existing is not None:
        before = flow_log_summary(normalize_flow_log(existing))
        flow_log_id = existing["FlowLogId"]
        result["previous_flow_log_id"] = flow_log_id
        result["changed"] = True if module.check_mode else delete_flow_log(client, flow_log_id)
    if module._diff:
        result["diff"] = {"before": before, "after": {}}
    return result


def main() -> None:
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent"]),
        resource_id=dict(type="str", required=True),
        resource_type=dict(type="str", default="VPC", choices=RESOURCE_TYPES),
        traffic_type=dict(type="str", default="ALL", choices=TRAFFIC_TYPES),
        log_destination_type=dict(type="str", default="cloud-watch-logs", choices=LOG_DESTINATION_TYPES),
        log_group_name=dict(type="str"),
        log_destination=dict(type="str"),
        deliver_logs_permission_arn=dict(type="str"),
        max_aggregation_interval=dict(type="int", default=600, choices=MAX_AGGREGATION_INTERVALS),
        log_format=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[
            ["log_destination_type", "s3", ["log_destination"]],
            ["log_destination_type", "cloud-watch-logs", ["log_group_name", "log_destination"], True],
        ],
        mutually_exclusive=[["log_group_name", "log_destination"]],
    )

    params = module.params
    if (
        params["state"] == "present"
        and params["log_destination_type"] == "cloud-watch-logs"
        and not params.get("deliver_logs_permission_arn")
    ):
        module.fail_json(
            msg=(
                "deliver_logs_permission_arn is required to deliver flow logs to CloudWatch Logs: set it to the ARN"
                " of an IAM role that allows vpc-flow-logs.amazonaws.com to write to the log group."
            )
        )

    client = module.client("ec2", retry_decorator=AWSRetry.jittered_backoff())

    try:
        if params["state"] == "present":
            result = ensure_present(client, module)
        else:
            result = ensure_absent(client, module)
    except FlowLogError as e:
        module.fail_json(
            msg=e.message,
            unsuccessful=[camel_dict_to_snake_dict(item) for item in e.unsuccessful],
        )
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=_failure_message(e, params["resource_id"]))

    module.exit_json(**result)


if __name__ == "__main__":
    main()
