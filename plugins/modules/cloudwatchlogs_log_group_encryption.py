#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudwatchlogs_log_group_encryption
short_description: Set the KMS key (AssociateKmsKey) and the retention of an existing CloudWatch Logs log group
version_added: 0.2.0
author: Payments Platform Team (@payments-platform)
description:
  - Associates a customer-managed KMS key with an existing CloudWatch Logs log group, or removes the association.
  - Why this module exists - M(amazon.aws.cloudwatchlogs_log_group) (10.x; still so in 11.x) passes O(kms_key_id) only when it creates
    a log group; a group that exists already (created before its key, or by another tool) stays unencrypted, and
    no module of amazon.aws or community.aws calls C(AssociateKmsKey). Create the group with
    M(amazon.aws.cloudwatchlogs_log_group), then run this module.
  - CloudWatch Logs encrypts the data ingested after the association; the key policy must let
    C(logs.<region>.amazonaws.com) use the key for the log group's encryption context.
  - With O(retention_days), also sets the retention (C(PutRetentionPolicy)). Why - M(amazon.aws.cloudwatchlogs_log_group)
    (10.x; still so in 11.x) calls C(PutRetentionPolicy) on an existing group even in check mode, so a plan (C(make plan)) would
    change the retention it only meant to report; leave its O(amazon.aws.cloudwatchlogs_log_group#module:retention)
    unset and set the retention here.
  - In check mode a log group that does not exist yet (created by the task before this one on apply) is reported
    as changed, with the key and retention it will get.
  - Idempotent; supports check mode and diff.
options:
  log_group_name:
    description: The name of the log group.
    type: str
    required: true
  kms_key_id:
    description:
      - The KMS key (ARN, ID, alias name or alias ARN) that encrypts the log group. An empty string removes the association.
    type: str
    required: true
  retention_days:
    description:
      - The number of days CloudWatch Logs keeps the log events. Unset leaves the retention as it is.
    type: int
    choices: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
    version_added: 0.3.0
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Encrypt the VPC flow-log group with the environment's logs key
  payments.aws_platform.cloudwatchlogs_log_group_encryption:
    log_group_name: /payments/prod/vpc-flow-logs
    kms_key_id: "{{ security__out.logs_key_arn }}"

- name: Encrypt it and keep its events 90 days
  payments.aws_platform.cloudwatchlogs_log_group_encryption:
    log_group_name: /payments/prod/vpc-flow-logs
    kms_key_id: "{{ security__out.logs_key_arn }}"
    retention_days: 90
"""

RETURN = r"""
kms_key_id:
  description: The KMS key of the log group after the change, as its ARN; empty when the group is not encrypted.
  returned: always
  type: str
  sample: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
retention_days:
  description: The retention of the log group after the change, in days; null when its events never expire.
  returned: always
  type: int
  sample: 90
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.kms import key_change
from ansible_collections.payments.aws_platform.plugins.module_utils.kms import resolve_key_arn


# The values PutRetentionPolicy accepts (CloudWatch Logs API Reference, PutRetentionPolicy, retentionInDays).
RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]


def retention_change(module, current, wanted):
    """(changed, result) of moving the retention from ``current`` to ``wanted`` (None = leave as it is), with the diff."""
    changed = wanted is not None and current != wanted
    result = {"changed": changed, "retention_days": wanted if changed else current}
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = {"before": {"retention_days": current}, "after": {"retention_days": wanted if changed else current}}
    return changed, result


def merge(first, second):
    """One module result of two (changed, result) pairs, their diffs merged."""
    result = dict(first[1], **{key: value for key, value in second[1].items() if key != "diff"})
    result["changed"] = first[0] or second[0]
    if "diff" in first[1]:
        result["diff"] = {side: dict(first[1]["diff"][side], **second[1]["diff"][side]) for side in ("before", "after")}
    return result


def find_log_group(client, name):
    """The DescribeLogGroups entry of exactly ``name``, or None."""
    groups = client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name).build_full_result().get("logGroups", [])
    return next((group for group in groups if group.get("logGroupName") == name), None)


def main():
    argument_spec = dict(
        log_group_name=dict(type="str", required=True),
        kms_key_id=dict(type="str", required=True, no_log=False),
        retention_days=dict(type="int", choices=RETENTION_DAYS),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("logs", retry_decorator=AWSRetry.jittered_backoff())
    name = module.params["log_group_name"]
    try:
        wanted = resolve_key_arn(module, module.params["kms_key_id"], "kms_key_id")
        group = find_log_group(client, name)
        if group is None and not module.check_mode:
            module.fail_json(msg=f"log_group_name: log group {name!r} does not exist; create it first (amazon.aws.cloudwatchlogs_log_group)")
        group = group or {}
        key = key_change(module, group.get("kmsKeyId") or "", wanted)
        retention = retention_change(module, group.get("retentionInDays"), module.params["retention_days"])
        if key[0] and not module.check_mode:
            if wanted:
                client.associate_kms_key(logGroupName=name, kmsKeyId=wanted, aws_retry=True)
            else:
                client.disassociate_kms_key(logGroupName=name, aws_retry=True)
        if retention[0] and not module.check_mode:
            client.put_retention_policy(logGroupName=name, retentionInDays=module.params["retention_days"], aws_retry=True)
        result = merge(key, retention)
        if not group:
            result["changed"] = True
        module.exit_json(**result)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to set the encryption of log group {name}")


if __name__ == "__main__":
    main()
