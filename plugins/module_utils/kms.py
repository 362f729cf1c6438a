# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""KMS helpers shared by this collection's modules."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


def key_change(module, current, wanted):
    """(changed, result) of moving a resource's KMS key from ``current`` to ``wanted`` (ARNs, '' = none), with the diff."""
    changed = current != wanted
    result = {"changed": changed, "kms_key_id": wanted if changed else current}
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = {"before": {"kms_key_id": current}, "after": {"kms_key_id": wanted}}
    return changed, result


def resolve_key_arn(module, key_id, option):
    """The ARN of a KMS key given as ARN, ID, alias name or alias ARN, as AWS reports keys; empty stays empty.

    Fails the module, naming ``option``, when the key does not exist in the module's region.
    """
    if not key_id:
        return key_id
    kms = module.client("kms", retry_decorator=AWSRetry.jittered_backoff())
    try:
        return kms.describe_key(KeyId=key_id, aws_retry=True)["KeyMetadata"]["Arn"]
    except is_boto3_error_code("NotFoundException"):
        return module.fail_json(msg=f"{option}: KMS key {key_id!r} does not exist in this region")
