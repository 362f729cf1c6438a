#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: s3_bucket_replication
short_description: Manage the replication configuration of an S3 bucket (cross-region and same-region replication)
version_added: 0.2.0
description:
  - Puts or deletes the replication configuration of one S3 bucket, with one rule per destination bucket.
  - M(amazon.aws.s3_bucket) has no replication option, and neither amazon.aws nor community.aws has a module for
    S3 replication (C(PutBucketReplication)); this module fills that gap.
  - The whole configuration is managed, the IAM role and every rule, and rules not listed in O(rules) are removed.
  - The module compares the normalised configuration with the one in place. What S3 fills in when it stores a
    configuration (an empty prefix filter, C(DeleteMarkerReplication=Disabled), a legacy rule's top-level prefix)
    does not count as a difference, so a second run changes nothing.
  - S3 requires versioning on the source bucket and on every destination bucket. The module checks them first and
    fails naming the option (O(bucket) or O(rules[].destination_bucket)) when a bucket does not exist or is not
    versioned, instead of letting S3 answer C(InvalidRequest).
author:
  - Payments Platform Team (@payments-platform)
options:
  bucket:
    description:
      - The name of the source bucket.
    type: str
    required: true
    aliases: ['name']
  state:
    description:
      - Whether the bucket should have this replication configuration (V(present)) or none at all (V(absent)).
    type: str
    choices: ['present', 'absent']
    default: present
  role:
    description:
      - The ARN of the IAM role S3 assumes to replicate objects (trusted by C(s3.amazonaws.com)).
      - Required when O(state=present). Its partition is used to build destination bucket ARNs from names.
    type: str
  rules:
    description:
      - The replication rules, one per destination. Required when O(state=present).
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - The unique ID of the rule, at most 255 characters.
          - Defaults to V(to-<destination bucket name>).
        type: str
      priority:
        description:
          - The priority of the rule when several rules match an object; each rule needs its own.
          - Defaults to the position of the rule in O(rules), starting at 1.
        type: int
      status:
        description:
          - Whether the rule is applied.
        type: str
        choices: ['enabled', 'disabled']
        default: enabled
      prefix:
        description:
          - Replicate only objects whose key starts with this prefix. Empty replicates every object.
        type: str
        default: ""
      filter_tags:
        description:
          - Replicate only objects carrying all of these tags.
          - Cannot be combined with O(rules[].delete_marker_replication=true).
        type: dict
      destination_bucket:
        description:
          - The destination bucket, as a name or an ARN (V(arn:aws:s3:::name)).
        type: str
        required: true
      destination_storage_class:
        description:
          - The storage class of the replicas. When not set, replicas keep the storage class of the source object.
        type: str
        choices: ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR']
      replica_kms_key_id:
        description:
          - The KMS key, in the destination bucket's region, that S3 encrypts the replicas with.
          - An ARN is used as given. A key ID or an alias (V(alias/name)) is resolved to its key ARN in the destination
            bucket's region, which needs O(validate_destinations=true).
          - Required when O(rules[].sse_kms_encrypted_objects=true).
        type: str
      delete_marker_replication:
        description:
          - Whether delete markers are replicated (deleting an object in the source then hides it in the destination).
        type: bool
        default: false
      sse_kms_encrypted_objects:
        description:
          - Whether objects encrypted with SSE-KMS are replicated. Without it S3 skips them.
        type: bool
        default: false
      replica_modifications:
        description:
          - Whether metadata changes made on replicas are replicated back (two-way replication).
        type: bool
        default: false
  validate_destinations:
    description:
      - Check, before putting the configuration, that every destination bucket exists and has versioning enabled,
        and resolve a O(rules[].replica_kms_key_id) that is not an ARN in the destination bucket's region.
      - Set to V(false) for destination buckets in another account that this account cannot read.
    type: bool
    default: true
notes:
  - Support for check mode and diff mode.
  - The IAM role is not checked, S3 assumes it only when it replicates an object.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Replicate every object, SSE-KMS encrypted ones included, to a bucket in another region
  payments.aws_platform.s3_bucket_replication:
    bucket: payments-prod-txlog-123456789012
    role: arn:aws:iam::123456789012:role/payments-prod-s3-replication
    rules:
      - destination_bucket: payments-staging-txlog-123456789012
        replica_kms_key_id: arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
        sse_kms_encrypted_objects: true
        destination_storage_class: STANDARD_IA

- name: Replicate one prefix to two destinations, with delete markers to the first
  payments.aws_platform.s3_bucket_replication:
    bucket: payments-prod-txlog-123456789012
    role: arn:aws:iam::123456789012:role/payments-prod-s3-replication
    rules:
      - id: to-staging
        prefix: settled/
        destination_bucket: arn:aws:s3:::payments-staging-txlog-123456789012
        delete_marker_replication: true
      - id: to-dev
        prefix: settled/
        destination_bucket: payments-dev-txlog-123456789012
        replica_kms_key_id: alias/payments-dev-data
        sse_kms_encrypted_objects: true

- name: Remove the replication configuration
  payments.aws_platform.s3_bucket_replication:
    bucket: payments-prod-txlog-123456789012
    state: absent
"""

RETURN = r"""
replication:
  description:
    - The replication configuration after the task ran (in check mode, as it would be), normalised.
    - An empty dictionary when the bucket has none.
  returned: always
  type: dict
  contains:
    role:
      description: The ARN of the IAM role S3 assumes.
      returned: when a configuration exists
      type: str
      sample: arn:aws:iam::123456789012:role/payments-prod-s3-replication
    rules:
      description: The rules, sorted by ID.
      returned: when a configuration exists
      type: list
      elements: dict
      contains:
        id:
          description: The ID of the rule.
          returned: always
          type: str
          sample: to-payments-staging-txlog-123456789012
        priority:
          description: The priority of the rule.
          returned: always
          type: int
          sample: 1
        status:
          description: V(enabled) or V(disabled).
          returned: always
          type: str
          sample: enabled
        prefix:
          description: The key prefix of the replicated objects, empty for all.
          returned: always
          type: str
          sample: ""
        filter_tags:
          description: The tags a replicated object must carry.
          returned: always
          type: dict
          sample: {}
        destination_bucket:
          description: The ARN of the destination bucket.
          returned: always
          type: str
          sample: arn:aws:s3:::payments-staging-txlog-123456789012
        destination_storage_class:
          description: The storage class of the replicas, V(null) for the source object's.
          returned: always
          type: str
          sample: STANDARD_IA
        replica_kms_key_id:
          description: The KMS key the replicas are encrypted with, V(null) when none is set.
          returned: always
          type: str
          sample: arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
        delete_marker_replication:
          description: Whether delete markers are replicated.
          returned: always
          type: bool
          sample: false
        sse_kms_encrypted_objects:
          description: Whether SSE-KMS encrypted objects are replicated.
          returned: always
          type: bool
          sample: true
        replica_modifications:
          description: Whether replica metadata changes are replicated back.
          returned: always
          type: bool
          sample: false
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

from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import STORAGE_CLASSES
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import ReplicationError
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import bucket_name
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import bucket_region
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import delete_replication
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import desired_rules
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import get_replication
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import normalize_configuration
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import partition_of
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import put_replication
from ansible_collections.payments.aws_platform.plugins.module_utils.s3_replication import versioning_status

# What the module was doing when an S3 or KMS call failed, keyed by the API operation.
_FAILURE_MESSAGES = {
    "GetBucketVersioning": "Unable to read the versioning of a bucket replicating from {0}",
    "GetBucketLocation": "Unable to find the region of a destination bucket of {0}",
    "GetBucketReplication": "Unable to read the replication configuration of {0}",
    "PutBucketReplication": "Unable to put the replication configuration of {0}",
    "DeleteBucketReplication": "Unable to delete the replication configuration of {0}",
    "DescribeKey": "Unable to resolve a replica KMS key of {0}",
}


def _failure_message(error: Exception, bucket: str) -> str:
    template = _FAILURE_MESSAGES.get(getattr(error, "operation_name", None), "Unable to manage the replication of {0}")
    return template.format(bucket)


def _versioning_problem(status, bucket: str):
    if status is None:
        return f"bucket {bucket!r} does not exist"
    if status != "Enabled":
        state = "suspended" if status == "Suspended" else "not enabled"
        return (
            f"versioning is {state} on bucket {bucket!r}; S3 replication requires versioning enabled on the source "
            f"and on every destination bucket: enable it first (amazon.aws.s3_bucket with versioning: true)"
        )
    return None


def _resolve_key(module: AnsibleAWSModule, key_id: str, region: str, option: str) -> str:
    kms = module.client("kms", retry_decorator=AWSRetry.jittered_backoff(), region=region)
    try:
        return kms.describe_key(KeyId=key_id, aws_retry=True)["KeyMetadata"]["Arn"]
    except is_boto3_error_code("NotFoundException"):
        raise ReplicationError(option, f"KMS key {key_id!r} does not exist in {region}, the destination bucket's region")


def _check_destinations(client, module: AnsibleAWSModule, rules):
    """Fail on a destination that is missing or unversioned; resolve replica keys that are not ARNs."""
    resolved = []
    for index, rule in enumerate(rules):
        rule = dict(rule)
        name = bucket_name(rule["destination_bucket"])
        problem = _versioning_problem(versioning_status(client, name), name)
        if problem:
            raise ReplicationError(f"rules[{index}].destination_bucket", problem)
        key = rule.get("replica_kms_key_id")
        if key and not key.startswith("arn:"):
            rule["replica_kms_key_id"] = _resolve_key(module, key, bucket_region(client, name), f"rules[{index}].replica_kms_key_id")
        resolved.append(rule)
    return resolved


def ensure_present(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    params = module.params
    bucket = params["bucket"]
    partition = partition_of(params["role"])
    # Validate the options before any AWS call.
    desired_rules(params["rules"], partition)

    problem = _versioning_problem(versioning_status(client, bucket), bucket)
    if problem:
        raise ReplicationError("bucket", problem)
    rules = params["rules"]
    if params["validate_destinations"]:
        rules = _check_destinations(client, module, rules)
    desired = {"role": params["role"], "rules": desired_rules(rules, partition)}

    current = normalize_configuration(get_replication(client, bucket))
    result: Dict[str, Any] = {"changed": current != desired, "replication": desired}
    if module._diff:
        result["diff"] = {"before": current, "after": desired}
    if not result["changed"] or module.check_mode:
        return result
    put_replication(client, bucket, desired)
    return result


def ensure_absent(client, module: AnsibleAWSModule) -> Dict[str, Any]:
    bucket = module.params["bucket"]
    try:
        current = normalize_configuration(get_replication(client, bucket))
    except is_boto3_error_code("NoSuchBucket"):
        current = {}
    result: Dict[str, Any] = {"changed": bool(current), "replication": {}}
    if module._diff:
        result["diff"] = {"before": current, "after": {}}
    if current and not module.check_mode:
        delete_replication(client, bucket)
    return result


def main() -> None:
    rule_spec = dict(
        id=dict(type="str"),
        priority=dict(type="int"),
        status=dict(type="str", default="enabled", choices=["enabled", "disabled"]),
        prefix=dict(type="str", default=""),
        filter_tags=dict(type="dict"),
        destination_bucket=dict(type="str", required=True),
        destination_storage_class=dict(type="str", choices=STORAGE_CLASSES),
        replica_kms_key_id=dict(type="str", no_log=False),
        delete_marker_replication=dict(type="bool", default=False),
        sse_kms_encrypted_objects=dict(type="bool", default=False),
        replica_modifications=dict(type="bool", default=False),
    )
    argument_spec = dict(
        bucket=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        role=dict(type="str"),
        rules=dict(type="list", elements="dict", options=rule_spec),
        validate_destinations=dict(type="bool", default=True),
    )

    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[["state", "present", ["role", "rules"]]],
    )

    client = module.client("s3", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "present":
            result = ensure_present(client, module)
        else:
            result = ensure_absent(client, module)
    except ReplicationError as e:
        module.fail_json(msg=e.message, option=e.option)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=_failure_message(e, module.params["bucket"]))

    module.exit_json(**result)


if __name__ == "__main__":
    main()
