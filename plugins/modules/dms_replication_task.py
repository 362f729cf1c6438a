#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dms_replication_task
short_description: Create, modify, start, stop and delete AWS DMS replication tasks
version_added: 0.1.0
description:
  - Manages one AWS Database Migration Service replication task, found by its identifier.
  - Neither amazon.aws nor community.aws has a module for DMS replication tasks; this module fills that gap.
  - Table mappings and task settings are given as dictionaries. They are sent to AWS as JSON and compared by
    meaning, so key order and formatting never cause a change.
  - DMS can modify a task only while it is not running. A running task is stopped, modified and started again
    only when O(allow_stop_for_modify=true); otherwise the module refuses and says why.
  - The source endpoint, the target endpoint and the replication instance of a task cannot be changed. The module
    refuses such a change; delete the task and create it again instead.
  - DMS ARNs carry a random resource ID, not the task name, so the task is always looked up by
    O(replication_task_identifier).
author:
  - Payments Platform Team (@payments-platform)
options:
  state:
    description:
      - V(present) creates the task or brings it to the requested configuration, without starting or stopping it,
        except to modify it when O(allow_stop_for_modify=true).
      - V(running) does the same, then starts the task unless it is already running. A V(full-load) task that
        stopped because its full load finished counts as done and is not started again.
      - V(stopped) stops the task if it is running, then does what V(present) does.
      - V(absent) stops the task if it is running, then deletes it.
    type: str
    choices: ['present', 'absent', 'running', 'stopped']
    default: present
  replication_task_identifier:
    description:
      - The name of the task, unique in the account and region.
    type: str
    required: true
    aliases: ['identifier']
  source_endpoint_arn:
    description:
      - The ARN of the source endpoint.
      - Required to create the task. Cannot be changed afterwards.
    type: str
  target_endpoint_arn:
    description:
      - The ARN of the target endpoint.
      - Required to create the task. Cannot be changed afterwards.
    type: str
  replication_instance_arn:
    description:
      - The ARN of the replication instance that runs the task.
      - Required to create the task. Cannot be changed afterwards.
    type: str
  migration_type:
    description:
      - What the task migrates, existing data, ongoing changes, or both.
      - Required to create the task.
    type: str
    choices: ['full-load', 'cdc', 'full-load-and-cdc']
  table_mappings:
    description:
      - The table mappings (selection and transformation rules) as a dictionary with a C(rules) list.
      - Required to create the task. When given, the whole document is compared with the task's.
    type: dict
  replication_task_settings:
    description:
      - 'Task settings as a dictionary, for example V({"Logging": {"EnableLogging": true}}).'
      - Only the keys given are compared, because DMS fills in defaults for the others.
    type: dict
  cdc_start_position:
    description:
      - Where change data capture starts, as a native start point or checkpoint of the source engine.
      - Used when the task is created and when it is started with V(start-replication); not compared.
    type: str
  cdc_start_time:
    description:
      - When change data capture starts, as an ISO 8601 time such as V(2025-01-31T12:00:00Z). A time without zone
        is taken as UTC.
      - Used when the task is created and when it is started with V(start-replication); not compared.
    type: str
  start_replication_task_type:
    description:
      - How O(state=running) starts the task.
      - By default V(start-replication) for a task that never ran and V(resume-processing) for a task that stopped
        or failed after running, and V(resume-processing) when the module restarts a task it stopped to modify it.
      - V(reload-target) loads all tables again.
    type: str
    choices: ['start-replication', 'resume-processing', 'reload-target']
  allow_stop_for_modify:
    description:
      - Whether a running task may be stopped to be modified, then started again.
    type: bool
    default: false
  wait:
    description:
      - Whether to wait until the task reached the requested state (ready after creation or modification, running,
        stopped, deleted).
      - The module always waits, bounded by O(wait_timeout), where the next step needs it, for example for a task
        to stop before it is modified or deleted.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds each wait may take before the module fails with a message that names the task and its status.
    type: int
    default: 900
notes:
  - Support for check mode and diff mode.
  - Tags are updated in place with the DMS tagging API.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Create a full load and CDC task and start it
  payments.aws_platform.dms_replication_task:
    replication_task_identifier: payments-prod-ledger
    state: running
    source_endpoint_arn: arn:aws:dms:eu-west-1:123456789012:endpoint:SOURCEABCDEFGHIJKLMNOPQRSTU
    target_endpoint_arn: arn:aws:dms:eu-west-1:123456789012:endpoint:TARGETABCDEFGHIJKLMNOPQRSTU
    replication_instance_arn: arn:aws:dms:eu-west-1:123456789012:rep:INSTANCEABCDEFGHIJKLMNOPQR
    migration_type: full-load-and-cdc
    table_mappings:
      rules:
        - rule-type: selection
          rule-id: "1"
          rule-name: ledger
          object-locator:
            schema-name: ledger
            table-name: "%"
          rule-action: include
    replication_task_settings:
      Logging:
        EnableLogging: true
    tags:
      Team: payments
  register: ledger_task

- name: Change the table mappings of a running task, stopping and restarting it
  payments.aws_platform.dms_replication_task:
    replication_task_identifier: payments-prod-ledger
    state: running
    allow_stop_for_modify: true
    table_mappings:
      rules:
        - rule-type: selection
          rule-id: "1"
          rule-name: ledger
          object-locator:
            schema-name: ledger
            table-name: "entries%"
          rule-action: include

- name: Stop the task
  payments.aws_platform.dms_replication_task:
    replication_task_identifier: payments-prod-ledger
    state: stopped

- name: Delete the task
  payments.aws_platform.dms_replication_task:
    replication_task_identifier: payments-prod-ledger
    state: absent
"""

RETURN = r"""
replication_task:
  description:
    - The task after the module ran.
    - In check mode, the task as it would be; RV(replication_task.replication_task_arn) is V(null) for a task that
      would be created.
    - An empty dictionary when O(state=absent).
  returned: always
  type: dict
  contains:
    replication_task_identifier:
      description: The name of the task.
      returned: when the task exists
      type: str
      sample: payments-prod-ledger
    replication_task_arn:
      description: The ARN of the task.
      returned: when the task exists
      type: str
      sample: arn:aws:dms:eu-west-1:123456789012:task:ABCDEFGHIJKLMNOPQRSTUVWXYZ
    status:
      description: The status of the task, for example V(ready), V(running), V(stopped) or V(failed).
      returned: when the task exists
      type: str
      sample: running
    stop_reason:
      description: Why the task last stopped.
      returned: when reported by AWS
      type: str
      sample: Stop Reason FULL_LOAD_ONLY_FINISHED
    migration_type:
      description: What the task migrates.
      returned: when the task exists
      type: str
      sample: full-load-and-cdc
    source_endpoint_arn:
      description: The ARN of the source endpoint.
      returned: when the task exists
      type: str
      sample: arn:aws:dms:eu-west-1:123456789012:endpoint:SOURCEABCDEFGHIJKLMNOPQRSTU
    target_endpoint_arn:
      description: The ARN of the target endpoint.
      returned: when the task exists
      type: str
      sample: arn:aws:dms:eu-west-1:123456789012:endpoint:TARGETABCDEFGHIJKLMNOPQRSTU
    replication_instance_arn:
      description: The ARN of the replication instance.
      returned: when the task exists
      type: str
      sample: arn:aws:dms:eu-west-1:123456789012:rep:INSTANCEABCDEFGHIJKLMNOPQR
    table_mappings:
      description: The table mappings, parsed from JSON.
      returned: when the task exists
      type: dict
      sample: {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "ledger"}]}
    replication_task_settings:
      description: The complete task settings, with the defaults DMS filled in, parsed from JSON.
      returned: when the task exists
      type: dict
      sample: {"Logging": {"EnableLogging": true}}
    replication_task_start_date:
      description: When the task was last started.
      returned: when reported by AWS
      type: str
      sample: "2025-01-31T12:00:00+00:00"
    replication_task_stats:
      description: Progress counters of the task.
      returned: when reported by AWS
      type: dict
      sample: {"full_load_progress_percent": 100, "tables_loaded": 12}
    tags:
      description: The tags of the task.
      returned: when the task exists
      type: dict
      sample: {"Team": "payments"}
"""

from typing import Any
from typing import Dict
from typing import Optional

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import get_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import update_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import ACTIVE_STATUSES
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import DmsTaskError
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import MIGRATION_TYPES
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import START_TYPES
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import TRANSIENT_STATUSES
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import build_create_params
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import build_modify_params
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import cdc_params
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import default_start_type
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import find_task
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import full_load_finished
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import immutable_differences
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import is_gone
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import is_running
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import is_settled
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import is_stopped
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import modifiable_differences
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import normalize_task
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import predict_task
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import task_summary
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_task import wait_for_task
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import merge_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import tag_changes

# What the module was doing when a DMS call failed, keyed by the API operation.
_FAILURE_MESSAGES = {
    "DescribeReplicationTasks": "Unable to look up replication task {0}",
    "CreateReplicationTask": "Unable to create replication task {0}",
    "ModifyReplicationTask": "Unable to modify replication task {0}",
    "StartReplicationTask": "Unable to start replication task {0}",
    "StopReplicationTask": "Unable to stop replication task {0}",
    "DeleteReplicationTask": "Unable to delete replication task {0}",
    "ListTagsForResource": "Unable to read the tags of replication task {0}",
    "AddTagsToResource": "Unable to add tags to replication task {0}",
    "RemoveTagsFromResource": "Unable to remove tags from replication task {0}",
}

_CREATE_OPTIONS = ("source_endpoint_arn", "target_endpoint_arn", "replication_instance_arn", "migration_type", "table_mappings")


def _failure_message(error: Exception, identifier: str) -> str:
    template = _FAILURE_MESSAGES.get(getattr(error, "operation_name", None), "Unable to manage replication task {0}")
    return template.format(identifier)


class TaskRunner:
    """Brings one replication task to the requested state, one step at a time.

    ``self.raw`` is the task as DMS describes it (or, in check mode, as it is predicted to be).
    """

    def __init__(self, client, module: AnsibleAWSModule):
        self.client = client
        self.module = module
        self.params = module.params
        self.identifier = self.params["replication_task_identifier"]
        self.check_mode = module.check_mode
        self.raw: Optional[Dict[str, Any]] = None
        self.tags: Dict[str, str] = {}
        self.changed = False

    # Helpers

    def load(self) -> None:
        self.raw = find_task(self.client, self.identifier)
        self.tags = get_tags(self.client, self.raw["ReplicationTaskArn"]) if self.raw else {}

    @property
    def status(self) -> Optional[str]:
        return self.raw.get("Status") if self.raw else None

    @property
    def arn(self) -> str:
        return self.raw["ReplicationTaskArn"]

    def wait(self, condition, goal: str) -> None:
        self.raw = wait_for_task(self.client, self.identifier, condition, self.params["wait_timeout"], goal)

    def settle(self) -> None:
        """Wait until the task is no longer creating, modifying, starting or stopping."""
        if not self.check_mode and self.status in TRANSIENT_STATUSES:
            self.wait(is_settled, f"finish {self.status}")

    # Steps

    def create(self) -> None:
        missing = [key for key in _CREATE_OPTIONS if self.params.get(key) is None]
        if missing:
            raise DmsTaskError(f"replication task {self.identifier} does not exist; to create it, set {', '.join(missing)}.")
        tags = self.params.get("tags") or {}
        self.changed = True
        self.tags = {key: str(value) for key, value in tags.items()}
        if self.check_mode:
            self.raw = predict_task(None, self.params)
            return
        self.raw = self.client.create_replication_task(aws_retry=True, **build_create_params(self.params, tags))["ReplicationTask"]
        if self.params["wait"] or self.params["state"] == "running":
            self.wait(is_settled, "be created")

    def stop(self, wait: bool = True) -> None:
        self.changed = True
        if self.check_mode:
            self.raw = dict(self.raw, Status="stopped")
            return
        if self.status == "starting":
            self.wait(is_settled, "finish starting, so that it can be stopped")
        if self.status == "running":
            self.raw = self.client.stop_replication_task(aws_retry=True, ReplicationTaskArn=self.arn)["ReplicationTask"]
        if wait:
            self.wait(is_stopped, "stop")

    def start(self, start_type: Optional[str] = None) -> None:
        self.changed = True
        if self.check_mode:
            self.raw = dict(self.raw, Status="running")
            return
        start_type = start_type or self.params.get("start_replication_task_type") or default_start_type(self.raw)
        request = {"ReplicationTaskArn": self.arn, "StartReplicationTaskType": start_type}
        if start_type == "start-replication":
            request.update(cdc_params(self.params))
        self.raw = self.client.start_replication_task(aws_retry=True, **request)["ReplicationTask"]
        if self.params["wait"]:
            self.wait(is_running, "run")

    def modify(self) -> None:
        current = normalize_task(self.raw, self.tags)
        fixed = immutable_differences(current, self.params)
        if fixed:
            details = "; ".join(f"{key} is {current.get(key)}, not {self.params[key]}" for key in fixed)
            raise DmsTaskError(
                f"replication task {self.identifier} cannot be modified that way: {details}. DMS cannot change"
                " the endpoints or the replication instance of a task: delete it (state: absent) and create it again."
            )
        differences = modifiable_differences(current, self.params)
        if not differences:
            return
        self.settle()
        restart = False
        if self.status in ACTIVE_STATUSES:
            if not self.params["allow_stop_for_modify"]:
                raise DmsTaskError(
                    f"replication task {self.identifier} is running; stop it first (state: stopped) or set"
                    f" allow_stop_for_modify: true (it would modify {', '.join(differences)})."
                )
            self.stop()
            restart = True
        self.changed = True
        if self.check_mode:
            self.raw = predict_task(self.raw, self.params)
        else:
            request = build_modify_params(self.arn, self.params, differences)
            self.raw = self.client.modify_replication_task(aws_retry=True, **request)["ReplicationTask"]
            if self.params["wait"] or restart or self.params["state"] == "running":
                self.wait(is_settled, "apply the modification")
        if restart:
            self.start(self.params.get("start_replication_task_type") or "resume-processing")

    def update_tags(self) -> None:
        to_set, to_unset = tag_changes(self.tags, self.params.get("tags"), self.params["purge_tags"])
        if not (to_set or to_unset):
            return
        self.changed = True
        if not self.check_mode:
            update_tags(self.client, self.arn, to_set, to_unset)
        self.tags = merge_tags(self.tags, to_set, to_unset)

    def ensure_running(self) -> None:
        if self.status == "running" or full_load_finished(self.raw):
            return
        if self.status == "starting":
            if self.params["wait"] and not self.check_mode:
                self.wait(is_running, "run")
            return
        self.settle()
        if self.status == "running" or full_load_finished(self.raw):
            return
        self.start()

    # States

    def ensure_present(self) -> None:
        if self.raw is None:
            self.create()
        else:
            self.modify()
            self.update_tags()

    def run(self) -> Dict[str, Any]:
        state = self.params["state"]
        cdc_params(self.params)  # refuses a malformed cdc_start_time before any change
        self.load()
        before = task_summary(normalize_task(self.raw, self.tags)) if self.raw else {}
        if state == "absent":
            self.ensure_absent()
            after: Dict[str, Any] = {}
        else:
            if state == "stopped" and self.raw is not None and self.status in ACTIVE_STATUSES:
                self.stop(wait=True)
            self.ensure_present()
            if state == "running":
                self.ensure_running()
            if not self.check_mode:
                self.load()
            after = normalize_task(self.raw, self.tags)
        result: Dict[str, Any] = {"changed": self.changed, "replication_task": after}
        if self.module._diff:
            result["diff"] = {"before": before, "after": task_summary(after)}
        return result

    def ensure_absent(self) -> None:
        if self.raw is None:
            return
        self.changed = True
        if self.check_mode:
            return
        if self.status != "deleting":
            self.settle()
            if self.status in ACTIVE_STATUSES:
                self.stop(wait=True)
            try:
                self.client.delete_replication_task(aws_retry=True, ReplicationTaskArn=self.arn)
            except is_boto3_error_code("ResourceNotFoundFault"):
                return
        if self.params["wait"]:
            self.wait(is_gone, "be deleted")


def main() -> None:
    argument_spec = dict(
        state=dict(type="str", default="present", choices=["present", "absent", "running", "stopped"]),
        replication_task_identifier=dict(type="str", required=True, aliases=["identifier"]),
        source_endpoint_arn=dict(type="str"),
        target_endpoint_arn=dict(type="str"),
        replication_instance_arn=dict(type="str"),
        migration_type=dict(type="str", choices=MIGRATION_TYPES),
        table_mappings=dict(type="dict"),
        replication_task_settings=dict(type="dict"),
        cdc_start_position=dict(type="str"),
        cdc_start_time=dict(type="str"),
        start_replication_task_type=dict(type="str", choices=START_TYPES),
        allow_stop_for_modify=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[["cdc_start_position", "cdc_start_time"]],
    )

    client = module.client("dms", retry_decorator=AWSRetry.jittered_backoff())
    identifier = module.params["replication_task_identifier"]
    try:
        result = TaskRunner(client, module).run()
    except DmsTaskError as e:
        module.fail_json(msg=e.message)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=_failure_message(e, identifier))

    module.exit_json(**result)


if __name__ == "__main__":
    main()
