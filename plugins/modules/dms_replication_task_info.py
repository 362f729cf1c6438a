#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dms_replication_task_info
short_description: Describe AWS DMS replication tasks
version_added: 0.1.0
description:
  - Lists AWS Database Migration Service replication tasks, with their table mappings and settings parsed into
    dictionaries and their tags.
  - Neither amazon.aws nor community.aws has an information module for DMS replication tasks; this module fills that gap.
  - Tasks are found by identifier, never by parsing ARNs, because DMS ARNs carry a random resource ID.
author:
  - Payments Platform Team (@payments-platform)
options:
  replication_task_identifiers:
    description:
      - The names of the tasks to describe. Names that match no task are ignored.
      - When neither this nor O(replication_instance_arn) is set, every task of the region is described.
    type: list
    elements: str
    aliases: ['replication_task_identifier']
  replication_instance_arn:
    description:
      - Only describe the tasks that run on this replication instance.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Describe one task
  payments.aws_platform.dms_replication_task_info:
    replication_task_identifier: payments-prod-ledger
  register: ledger_task_info

- name: Check that the task replicates
  ansible.builtin.assert:
    that:
      - ledger_task_info.replication_tasks | length == 1
      - ledger_task_info.replication_tasks[0].status == 'running'
    fail_msg: "Expected replication task payments-prod-ledger to be running"

- name: Describe every task of a replication instance
  payments.aws_platform.dms_replication_task_info:
    replication_instance_arn: arn:aws:dms:eu-west-1:123456789012:rep:INSTANCEABCDEFGHIJKLMNOPQR
"""

RETURN = r"""
replication_tasks:
  description: The tasks found, sorted by identifier.
  returned: always
  type: list
  elements: dict
  contains:
    replication_task_identifier:
      description: The name of the task.
      returned: always
      type: str
      sample: payments-prod-ledger
    replication_task_arn:
      description: The ARN of the task.
      returned: always
      type: str
      sample: arn:aws:dms:eu-west-1:123456789012:task:ABCDEFGHIJKLMNOPQRSTUVWXYZ
    status:
      description: The status of the task.
      returned: always
      type: str
      sample: running
    stop_reason:
      description: Why the task last stopped.
      returned: when reported by AWS
      type: str
      sample: Stop Reason FULL_LOAD_ONLY_FINISHED
    migration_type:
      description: What the task migrates.
      returned: always
      type: str
      sample: full-load-and-cdc
    source_endpoint_arn:
      description: The ARN of the source endpoint.
      returned: always
      type: str
      sample: arn:aws:dms:eu-west-1:123456789012:endpoint:SOURCEABCDEFGHIJKLMNOPQRSTU
    target_endpoint_arn:
      description: The ARN of the target endpoint.
      returned: always
      type: str
      sample: arn:aws:dms:eu-west-1:123456789012:endpoint:TARGETABCDEFGHIJKLMNOPQRSTU
    replication_instance_arn:
      description: The ARN of the replication instance.
      returned: always
      type: str
      sample: arn:aws:dms:eu-west-1:123456789012:rep:INSTANCEABCDEFGHIJKLMNOPQR
    table_mappings:
      description: The table mappings, parsed from JSON.
      returned: always
      type: dict
      sample: {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "ledger"}]}
    replication_task_settings:
      description: The task settings, parsed from JSON.
      returned: always
      type: dict
      sample: {"Logging": {"EnableLogging": true}}
    replication_task_stats:
      description: Progress counters of the task.
      returned: when reported by AWS
      type: dict
      sample: {"full_load_progress_percent": 100, "tables_loaded": 12}
    tags:
      description: The tags of the task.
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

from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import get_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import describe_tasks
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import normalize_task


def list_tasks(client, identifiers, instance_arn):
    filters = {}
    if identifiers:
        filters["replication-task-id"] = identifiers
    if instance_arn:
        filters["replication-instance-arn"] = [instance_arn]
    tasks = describe_tasks(client, filters)
    if identifiers:
        tasks = [task for task in tasks if task.get("ReplicationTaskIdentifier") in identifiers]
    tasks.sort(key=lambda task: task.get("ReplicationTaskIdentifier") or "")
    return [normalize_task(task, get_tags(client, task["ReplicationTaskArn"])) for task in tasks]


def main() -> None:
    argument_spec = dict(
        replication_task_identifiers=dict(type="list", elements="str", aliases=["replication_task_identifier"]),
        replication_instance_arn=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("dms", retry_decorator=AWSRetry.jittered_backoff())
    try:
        tasks = list_tasks(client, module.params.get("replication_task_identifiers"), module.params.get("replication_instance_arn"))
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Unable to describe the DMS replication tasks")
    module.exit_json(changed=False, replication_tasks=tasks)


if __name__ == "__main__":
    main()
