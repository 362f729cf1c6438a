# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the s3_bucket_replication module.

Neither amazon.aws (M(amazon.aws.s3_bucket) has no replication option) nor community.aws
manages S3 replication configurations, so building, normalising and comparing them lives here.

A rule is handled in one flat, canonical form (the module's option names), built either from
the module's ``rules`` option or from what ``GetBucketReplication`` returns. Defaults AWS fills
in (an empty prefix filter, DeleteMarkerReplication Disabled, absent SourceSelectionCriteria,
legacy V1 rules with a top-level Prefix) map to the same canonical values, so they never cause
a difference. Functions that call AWS expect a client created with
``module.client("s3", retry_decorator=AWSRetry.jittered_backoff())`` and let botocore errors
propagate, except the "not found" answers they translate.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

STORAGE_CLASSES = [
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "GLACIER_IR",
]

# The canonical keys of one rule, in the order they are reported.
RULE_KEYS = (
    "id",
    "priority",
    "status",
    "prefix",
    "filter_tags",
    "destination_bucket",
    "destination_storage_class",
    "replica_kms_key_id",
    "delete_marker_replication",
    "sse_kms_encrypted_objects",
    "replica_modifications",
)

MAX_RULE_ID_LENGTH = 255


class ReplicationError(Exception):
    """A request the module refuses before calling AWS; ``option`` names the faulty option."""

    def __init__(self, option: str, message: str):
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = f"{option}: {message}"


def partition_of(arn: Optional[str]) -> str:
    """The partition of an ARN (aws, aws-cn, aws-us-gov); aws when it cannot be told."""
    parts = (arn or "").split(":")
    if len(parts) > 2 and parts[0] == "arn" and parts[1]:
        return parts[1]
    return "aws"


def bucket_name(value: str) -> str:
    """The bucket name of a bucket name or ARN (arn:aws:s3:::name)."""
    if value.startswith("arn:"):
        return value.split(":::", 1)[-1].split("/", 1)[0]
    return value


def bucket_arn(value: str, partition: str) -> str:
    """The ARN of a bucket given as name or ARN."""
    if value.startswith("arn:"):
        return value
    return f"arn:{partition}:s3:::{value}"


def _enabled(section: Any, key: str = "Status") -> bool:
    return isinstance(section, dict) and str(section.get(key, "")).lower() == "enabled"


def _status(flag: bool) -> Dict[str, str]:
    return {"Status": "Enabled" if flag else "Disabled"}


def _tags_dict(tags: Any) -> Dict[str, str]:
    if isinstance(tags, dict) and "Key" in tags:
        tags = [tags]
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {str(t["Key"]): str(t.get("Value") or "") for t in (tags or [])}


def _filter_of(rule: Dict[str, Any]):
    """(prefix, tags) of an API rule, V1 (top-level Prefix) or V2 (Filter)."""
    if "Filter" not in rule:
        return rule.get("Prefix") or "", {}
    flt = rule.get("Filter") or {}
    if "And" in flt:
        both = flt["And"] or {}
        return both.get("Prefix") or "", _tags_dict(both.get("Tags"))
    if "Tag" in flt:
        return "", _tags_dict(flt["Tag"])
    return flt.get("Prefix") or "", {}


def normalize_rule(rule: Dict[str, Any]) -> Dict[str, Any]:
    """The canonical form of one rule as GetBucketReplication (or PutBucketReplication) has it."""
    prefix, tags = _filter_of(rule)
    destination = rule.get("Destination") or {}
    criteria = rule.get("SourceSelectionCriteria") or {}
    if "Filter" in rule:
        delete_markers = _enabled(rule.get("DeleteMarkerReplication"))
    else:
        # A V1 rule (top-level Prefix) always replicates delete markers.
        delete_markers = True
    priority = rule.get("Priority")
    return {
        "id": rule.get("ID"),
        "priority": int(priority) if priority not in (None, "") else None,
        "status": "enabled" if _enabled(rule) else "disabled",
        "prefix": prefix,
        "filter_tags": tags,
        "destination_bucket": destination.get("Bucket"),
        "destination_storage_class": destination.get("StorageClass") or None,
        "replica_kms_key_id": (destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID") or None,
        "delete_marker_replication": delete_markers,
        "sse_kms_encrypted_objects": _enabled(criteria.get("SseKmsEncryptedObjects")),
        "replica_modifications": _enabled(criteria.get("ReplicaModifications")),
    }


def normalize_configuration(config: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """{role, rules} with rules in canonical form sorted by id; {} for no configuration."""
    if not config:
        return {}
    rules = [normalize_rule(rule) for rule in config.get("Rules") or []]
    return {"role": config.get("Role"), "rules": sorted(rules, key=lambda r: (str(r["id"]), r["priority"] or 0))}


def desired_rules(rules: List[Dict[str, Any]], partition: str) -> List[Dict[str, Any]]:
    """Canonical rules from the module's ``rules`` option; raises ReplicationError naming the option."""
    if not rules:
        raise ReplicationError("rules", "at least one rule is required with state=present")
    result = []
    for index, rule in enumerate(rules):
        where = f"rules[{index}]"
        destination = rule.get("destination_bucket")
        if not destination:
            raise ReplicationError(f"{where}.destination_bucket", "is required (a bucket name or ARN)")
        rule_id = rule.get("id") or f"to-{bucket_name(destination)}"
        if len(rule_id) > MAX_RULE_ID_LENGTH:
            raise ReplicationError(f"{where}.id", f"{rule_id!r} is longer than {MAX_RULE_ID_LENGTH} characters")
        priority = rule.get("priority")
        canonical = {
            "id": rule_id,
            "priority": index + 1 if priority is None else int(priority),
            "status": rule.get("status") or "enabled",
            "prefix": rule.get("prefix") or "",
            "filter_tags": _tags_dict(rule.get("filter_tags") or {}),
            "destination_bucket": bucket_arn(destination, partition),
            "destination_storage_class": rule.get("destination_storage_class") or None,
            "replica_kms_key_id": rule.get("replica_kms_key_id") or None,
            "delete_marker_replication": bool(rule.get("delete_marker_replication")),
            "sse_kms_encrypted_objects": bool(rule.get("sse_kms_encrypted_objects")),
            "replica_modifications": bool(rule.get("replica_modifications")),
        }
        if canonical["sse_kms_encrypted_objects"] and not canonical["replica_kms_key_id"]:
            raise ReplicationError(
                f"{where}.replica_kms_key_id",
                "is required when sse_kms_encrypted_objects is true: S3 encrypts the replicas with this key "
                "of the destination's region (an ARN, a key id or an alias)",
            )
        if canonical["filter_tags"] and canonical["delete_marker_replication"]:
            raise ReplicationError(
                f"{where}.delete_marker_replication",
                "cannot be true with filter_tags: S3 does not replicate delete markers for tag-based rules",
            )
        result.append(canonical)
    for key in ("id", "priority"):
        seen = [r[key] for r in result]
        duplicates = sorted({str(v) for v in seen if seen.count(v) > 1})
        if duplicates:
            raise ReplicationError(f"rules[].{key}", f"{', '.join(duplicates)} is used by more than one rule; each rule needs its own {key}")
    return sorted(result, key=lambda r: (str(r["id"]), r["priority"]))


def rule_to_api(rule: Dict[str, Any]) -> Dict[str, Any]:
    """A canonical rule as PutBucketReplication takes it (V2 schema: Filter, Priority, DeleteMarkerReplication)."""
    tags = [{"Key": k, "Value": v} for k, v in sorted(rule["filter_tags"].items())]
    if not tags:
        flt: Dict[str, Any] = {"Prefix": rule["prefix"]}
    elif len(tags) == 1 and not rule["prefix"]:
        flt = {"Tag": tags[0]}
    else:
        flt = {"And": {"Tags": tags}}
        if rule["prefix"]:
            flt["And"]["Prefix"] = rule["prefix"]
    destination: Dict[str, Any] = {"Bucket": rule["destination_bucket"]}
    if rule["destination_storage_class"]:
        destination["StorageClass"] = rule["destination_storage_class"]
    if rule["replica_kms_key_id"]:
        destination["EncryptionConfiguration"] = {"ReplicaKmsKeyID": rule["replica_kms_key_id"]}
    api: Dict[str, Any] = {
        "ID": rule["id"],
        "Priority": rule["priority"],
        "Status": "Enabled" if rule["status"] == "enabled" else "Disabled",
        "Filter": flt,
        "DeleteMarkerReplication": _status(rule["delete_marker_replication"]),
        "Destination": destination,
    }
    criteria = {}
    if rule["sse_kms_encrypted_objects"]:
        criteria["SseKmsEncryptedObjects"] = _status(True)
    if rule["replica_modifications"]:
        criteria["ReplicaModifications"] = _status(True)
    if criteria:
        api["SourceSelectionCriteria"] = criteria
    return api


def configuration_to_api(config: Dict[str, Any]) -> Dict[str, Any]:
    return {"Role": config["role"], "Rules": [rule_to_api(rule) for rule in config["rules"]]}


def get_replication(client, bucket: str) -> Optional[Dict[str, Any]]:
    """The bucket's replication configuration as AWS returns it; None when it has none."""
    try:
        return client.get_bucket_replication(Bucket=bucket, aws_retry=True)["ReplicationConfiguration"]
    except is_boto3_error_code("ReplicationConfigurationNotFoundError"):
        return None


def versioning_status(client, bucket: str) -> Optional[str]:
    """Enabled, Suspended or '' (never enabled); None when the bucket does not exist."""
    try:
        return client.get_bucket_versioning(Bucket=bucket, aws_retry=True).get("Status") or ""
    except is_boto3_error_code(["NoSuchBucket", "404"]):
        return None


def bucket_region(client, bucket: str) -> str:
    """The region of a bucket (GetBucketLocation: empty means us-east-1, EU means eu-west-1)."""
    location = client.get_bucket_location(Bucket=bucket, aws_retry=True).get("LocationConstraint") or "us-east-1"
    return "eu-west-1" if location == "EU" else location


def put_replication(client, bucket: str, config: Dict[str, Any]) -> None:
    client.put_bucket_replication(Bucket=bucket, ReplicationConfiguration=configuration_to_api(config), aws_retry=True)


def delete_replication(client, bucket: str) -> None:
    client.delete_bucket_replication(Bucket=bucket, aws_retry=True)
