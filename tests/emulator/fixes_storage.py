# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the storage tier of the stand-in (picked up by fixes.all_fixes())."""

from __future__ import annotations

from fixes import Fix  # pylint: disable=import-error

# --- S3 GetBucketReplication returns the rules as they were put ---------------------------
#
# AWS stores a replication configuration as given and GetBucketReplication returns each rule's
# Filter (Prefix, Tag or And), DeleteMarkerReplication, SourceSelectionCriteria and
# ExistingObjectReplication, or the top-level Prefix of a V1 rule. moto 5.2.5 stores them but
# answers every rule with Filter {Prefix: ""} and DeleteMarkerReplication Disabled, dropping the
# rest: a module comparing the configuration would rewrite it on every run.
#
# AWS also refuses PutBucketReplication when a destination bucket does not exist or has no
# versioning enabled (InvalidRequest); moto accepts any destination.

_DESTINATION_KEYS = ("Bucket", "Account", "StorageClass", "AccessControlTranslation", "EncryptionConfiguration")


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _api_filter(stored):
    stored = stored or {}
    if "And" in stored:
        both = stored["And"] or {}
        result = {"Tags": [{"Key": t["Key"], "Value": t.get("Value") or ""} for t in _as_list(both.get("Tag") or both.get("Tags"))]}
        if "Prefix" in both:
            result["Prefix"] = both["Prefix"] or ""
        return {"And": result}
    if "Tag" in stored:
        tag = stored["Tag"]
        return {"Tag": {"Key": tag["Key"], "Value": tag.get("Value") or ""}}
    return {"Prefix": stored.get("Prefix") or ""}


def api_rule(stored):
    """One stored rule (moto's xmltodict form) as GetBucketReplication returns it on AWS."""
    rule = {"ID": stored["ID"], "Priority": int(stored["Priority"]), "Status": stored["Status"]}
    if "Filter" in stored:
        rule["Filter"] = _api_filter(stored["Filter"])
        rule["DeleteMarkerReplication"] = {"Status": (stored.get("DeleteMarkerReplication") or {}).get("Status") or "Disabled"}
    else:
        rule["Prefix"] = stored.get("Prefix") or ""
    destination = stored.get("Destination") or {}
    rule["Destination"] = {key: destination[key] for key in _DESTINATION_KEYS if destination.get(key)}
    for key in ("SourceSelectionCriteria", "ExistingObjectReplication"):
        if stored.get(key):
            rule[key] = stored[key]
    return rule


def _apply_replication_round_trip() -> None:
    from moto.s3 import responses as s3_responses
    from moto.s3.exceptions import ReplicationConfigurationNotFoundError
    from moto.s3.exceptions import S3ClientError
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import S3Backend

    class DestinationInvalid(S3ClientError):
        code = "InvalidRequest"

    def get_bucket_replication(self):
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
        rules = [api_rule(rule) for rule in replication["Rule"]]
        return self.serialized(s3_responses.ActionResult({"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}}))

    original_put = getattr(S3Backend, "_moto_put_bucket_replication", None) or S3Backend.put_bucket_replication

    def put_bucket_replication(self, bucket_name, replication):
        for rule in _as_list(replication.get("Rule")):
            destination = ((rule.get("Destination") or {}).get("Bucket") or "").split(":::", 1)[-1]
            try:
                target = self.get_bucket(destination)
            except MissingBucket:
                raise DestinationInvalid("Destination bucket must exist.")  # pylint: disable=raise-missing-from
            if not target.is_versioned:
                raise DestinationInvalid("Destination bucket must have versioning enabled.")
        return original_put(self, bucket_name, replication)

    S3Backend._moto_put_bucket_replication = original_put  # pylint: disable=protected-access
    S3Backend.put_bucket_replication = put_bucket_replication
    s3_responses.S3Response.get_bucket_replication = get_bucket_replication


FIXES = [
    Fix(
        fix_id="s3-bucket-replication-round-trip",
        aws_behaviour=(
            "GetBucketReplication returns each rule as it was put: its Filter (Prefix, Tag or And), "
            "DeleteMarkerReplication, SourceSelectionCriteria (SseKmsEncryptedObjects) and ExistingObjectReplication, "
            "or the top-level Prefix of a V1 rule; moto answers every rule with an empty prefix filter and "
            "DeleteMarkerReplication Disabled. PutBucketReplication refuses (InvalidRequest) a destination bucket "
            "that does not exist or has no versioning enabled; moto accepts any."
        ),
        reference=(
            "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html, "
            "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html, "
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html"
        ),
        apply=_apply_replication_round_trip,
    ),
]
