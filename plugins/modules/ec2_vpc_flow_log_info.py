#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ec2_vpc_flow_log_info
short_description: List VPC flow logs and their configuration
version_added: 0.1.0
description:
  - Lists the flow logs of VPCs, subnets and network interfaces, with their destination, format and tags.
  - No amazon.aws or community.aws module reports VPC flow logs; this module fills that gap.
    Use M(payments.aws_platform.ec2_vpc_flow_log) to manage them.
  - Without any option, every flow log of the region is returned.
author:
  - Payments Platform Team (@payments-platform)
options:
  flow_log_ids:
    description:
      - Only return the flow logs with these IDs.
    type: list
    elements: str
  resource_ids:
    description:
      - Only return the flow logs of these VPCs, subnets or network interfaces.
      - Added to a V(resource-id) key of O(filters), if any.
    type: list
    elements: str
  filters:
    description:
      - A dictionary of filters to apply, each key a filter name and each value a string or a list of strings.
      - See U(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html) for the filter names,
        for example V(log-destination-type), V(traffic-type), V(log-group-name) or V(tag:Name).
    type: dict
    default: {}
notes:
  - Support for check mode, the module never changes anything.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: List every flow log of the region
  payments.aws_platform.ec2_vpc_flow_log_info:
  register: all_flow_logs

- name: List the flow logs of two VPCs
  payments.aws_platform.ec2_vpc_flow_log_info:
    resource_ids:
      - vpc-0123456789abcdef0
      - vpc-0fedcba9876543210
  register: vpc_flow_logs

- name: List the flow logs that deliver to S3 and log rejected traffic
  payments.aws_platform.ec2_vpc_flow_log_info:
    filters:
      log-destination-type: s3
      traffic-type: REJECT

- name: Get one flow log by ID
  payments.aws_platform.ec2_vpc_flow_log_info:
    flow_log_ids:
      - fl-0123456789abcdef0
"""

RETURN = r"""
flow_logs:
  description: The matching flow logs, empty when none match.
  returned: always
  type: list
  elements: dict
  contains:
    flow_log_id:
      description: The ID of the flow log.
      returned: always
      type: str
      sample: fl-0123456789abcdef0
    flow_log_status:
      description: The status of the flow log.
      returned: always
      type: str
      sample: ACTIVE
    resource_id:
      description: The ID of the logged VPC, subnet or network interface.
      returned: always
      type: str
      sample: vpc-0123456789abcdef0
    traffic_type:
      description: Which traffic is logged.
      returned: always
      type: str
      sample: ALL
    log_destination_type:
      description: The kind of destination.
      returned: always
      type: str
      sample: s3
    log_group_name:
      description: The CloudWatch Logs log group, V(null) for an S3 destination.
      returned: always
      type: str
      sample: /vpc/payments-prod/flow-logs
    log_destination:
      description: The ARN of the destination, V(null) when AWS does not report it.
      returned: always
      type: str
      sample: arn:aws:s3:::payments-flow-logs/subnets/
    deliver_logs_permission_arn:
      description: The IAM role used to publish to CloudWatch Logs.
      returned: always
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
      returned: always
      type: int
      sample: 600
    log_format:
      description: The format of the flow log records.
      returned: always
      type: str
      sample: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action} ${log-status}"
    creation_time:
      description: When the flow log was created.
      returned: when reported by AWS
      type: str
      sample: "2025-01-31T12:00:00+00:00"
    tags:
      description: The tags of the flow log.
      returned: always
      type: dict
      sample: {"Team": "payments"}
"""

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import describe_flow_logs
from ansible_collections.payments.aws_platform.plugins.module_utils.flow_logs import normalize_flow_log


def build_filters(filters, resource_ids):
    """Merge resource_ids into the user's filters under the resource-id key."""
    merged = dict(filters or {})
    if resource_ids:
        existing = merged.get("resource-id") or []
        if not isinstance(existing, list):
            existing = [existing]
        merged["resource-id"] = existing + [rid for rid in resource_ids if rid not in existing]
    return merged


def main() -> None:
    argument_spec = dict(
        flow_log_ids=dict(type="list", elements="str"),
        resource_ids=dict(type="list", elements="str"),
        filters=dict(type="dict", default={}),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("ec2", retry_decorator=AWSRetry.jittered_backoff())

    filters = build_filters(module.params.get("filters"), module.params.get("resource_ids"))
    try:
        flow_logs = describe_flow_logs(client, flow_log_ids=module.params.get("flow_log_ids"), filters=filters)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Unable to list the VPC flow logs")

    module.exit_json(changed=False, flow_logs=[normalize_flow_log(fl) for fl in flow_logs])


if __name__ == "__main__":
    main()
