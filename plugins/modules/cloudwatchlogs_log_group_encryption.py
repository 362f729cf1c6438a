#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: cloudwatchlogs_log_group_encryption
short_description: Encrypt an existing CloudWatch Logs log group with a KMS key (AssociateKmsKey)
version_added: 0.2.0
author: Payments Platform Team (@payments-platform)
description:
  - Associates a customer-managed KMS key with an existing CloudWatch Logs log group, or removes the association.
  - Why this module exists - M(amazon.aws.cloudwatchlogs_log_group) (10.x) passes O(kms_key_id) only when it creates
    a log group; a group that exists already (created before its key, or by another tool) stays unencrypted, and
    no module of amazon.aws or community.aws calls C(AssociateKmsKey). Create the group with
    M(amazon.aws.cloudwatchlogs_log_group), then run this module.
  - CloudWatch Logs encrypts the data ingested after the association; the key policy must let
    C(logs.<region>.amazonaws.com) use the key for the log group's encryption context.
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
"""

RETURN = r"""
kms_key_id:
  description: The KMS key of the log group after the change, as its ARN; empty when the group is not encrypted.
  returned: always
  type: str
  sample: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.kms import key_change
from ansible_collections.payments.aws_platform.plugins.module_utils.kms import resolve_key_arn


def find_log_group(client, name):
    """The DescribeLogGroups entry of exactly ``name``, or None."""
    groups = client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name).build_full_result().get("logGroups", [])
    return next((group for group in groups if group.get("logGroupName") == name), None)


def main():
    argument_spec = dict(
        log_group_name=dict(type="str", required=True),
        kms_key_id=dict(type="str", required=True, no_log=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("logs", retry_decorator=AWSRetry.jittered_backoff())
    name = module.params["log_group_name"]
    try:
        wanted = resolve_key_arn(module, module.params["kms_key_id"], "kms_key_id")
        group = find_log_group(client, name)
        if group is None:
            module.fail_json(msg=f"log_group_name: log group {name!r} does not exist; create it first (amazon.aws.cloudwatchlogs_log_group)")
        changed, result = key_change(module, group.get("kmsKeyId") or "", wanted)
        if changed and not module.check_mode:
            if wanted:
                client.associate_kms_key(logGroupName=name, kmsKeyId=wanted, aws_retry=True)
            else:
                client.disassociate_kms_key(logGroupName=name, aws_retry=True)
        module.exit_json(**result)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to set the encryption of log group {name}")


if __name__ == "__main__":
    main()
