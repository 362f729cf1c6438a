#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: kms_key_usage_info
short_description: Find what a KMS key still encrypts before it is scheduled for deletion
version_added: 0.3.0
author: Payments Platform Team (@payments-platform)
description:
  - Describes a customer-managed KMS key and lists, read-only, the resources of the region that are still encrypted
    with it - Aurora/RDS DB clusters and DB cluster snapshots (manual, automated, final), S3 buckets whose default
    encryption is SSE-KMS with the key, AWS Backup vaults (with their recovery points), Secrets Manager secrets
    not already scheduled for deletion and CloudWatch Logs log groups.
  - Once a key is deleted, nothing encrypted with it can ever be decrypted again. Run this module before
    M(amazon.aws.kms_key) with O(amazon.aws.kms_key#module:state=absent) and keep the key while RV(in_use) is true.
  - Why this module exists - neither amazon.aws nor community.aws (10.x; still so in 11.x) lists Secrets Manager secrets by key, and
    answering "what does this key still protect" takes six services; this module asks them all in one task.
  - Key identifiers found on resources (key ID, key ARN, alias name or alias ARN) are resolved with C(DescribeKey), so a
    resource that names the key by its alias is found too.
  - Any refused read fails the module - an incomplete answer could let a key that is still needed be deleted.
  - Never changes anything; supports check mode.
options:
  key_id:
    description: The key (key ID, key ARN, alias name such as V(alias/payments-dev-data) or alias ARN).
    type: str
    required: true
  bucket_name_prefix:
    description:
      - Only S3 buckets whose name starts with this prefix are checked (one C(GetBucketEncryption) each).
      - V("") checks every bucket of the account.
    type: str
    default: ""
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Find what the dev data key still protects
  payments.aws_platform.kms_key_usage_info:
    key_id: alias/payments-dev-data
    bucket_name_prefix: payments-dev-
  register: usage

- name: Schedule the key for deletion only when it protects nothing
  amazon.aws.kms_key:
    alias: alias/payments-dev-data
    state: absent
    pending_window: 30
  when: usage.exists and not usage.in_use
"""

RETURN = r"""
exists:
  description: Whether the key exists (in any state, including PendingDeletion).
  returned: always
  type: bool
  sample: true
key_arn:
  description: The ARN of the key; empty when it does not exist.
  returned: always
  type: str
  sample: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
key_state:
  description: The state of the key (Enabled, Disabled, PendingDeletion...); empty when it does not exist.
  returned: always
  type: str
  sample: Enabled
in_use:
  description: Whether anything listed in RV(dependents) is still encrypted with the key.
  returned: always
  type: bool
  sample: true
dependents:
  description: What the key still encrypts, one entry per resource.
  returned: always
  type: list
  elements: dict
  contains:
    type:
      description: V(db_cluster), V(db_cluster_snapshot), V(s3_bucket), V(backup_vault), V(secret) or V(log_group).
      type: str
      sample: db_cluster_snapshot
    id:
      description: The resource's identifier or name.
      type: str
      sample: payments-dev-aurora-final-20260101000000
    detail:
      description: A short description of the resource (snapshot type, recovery point count...).
      type: str
      sample: manual snapshot of payments-dev-aurora
    delete_with:
      description: The AWS CLI command that deletes it, once it is really not needed any more.
      type: str
      sample: aws rds delete-db-cluster-snapshot --db-cluster-snapshot-identifier payments-dev-aurora-final-20260101000000
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


@AWSRetry.jittered_backoff()
def _paginate(client, operation, key, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result().get(key, [])


class KeyResolver:
    """Resolves the key identifiers found on resources to key ARNs (one DescribeKey per distinct identifier)."""

    def __init__(self, kms):
        self.kms = kms
        self.cache = {}

    def describe(self, key_id):
        if key_id not in self.cache:
            try:
                self.cache[key_id] = self.kms.describe_key(KeyId=key_id, aws_retry=True)["KeyMetadata"]
            except is_boto3_error_code("NotFoundException"):
                self.cache[key_id] = None
        return self.cache[key_id]

    def arn(self, key_id):
        if not key_id:
            return None
        metadata = self.describe(key_id)
        return metadata["Arn"] if metadata else None


def rds_dependents(rds, is_ours):
    found = []
    for cluster in _paginate(rds, "describe_db_clusters", "DBClusters"):
        if cluster.get("StorageEncrypted") and is_ours(cluster.get("KmsKeyId")):
            name = cluster["DBClusterIdentifier"]
            found.append({"type": "db_cluster", "id": name, "detail": f"DB cluster ({cluster.get('Status', 'unknown')})",
                          "delete_with": f"aws rds delete-db-cluster --db-cluster-identifier {name} (after its instances)"})
    for snapshot in _paginate(rds, "describe_db_cluster_snapshots", "DBClusterSnapshots"):
        if snapshot.get("StorageEncrypted") is not False and is_ours(snapshot.get("KmsKeyId")):
            name = snapshot["DBClusterSnapshotIdentifier"]
            found.append({"type": "db_cluster_snapshot", "id": name,
                          "detail": f"{snapshot.get('SnapshotType', 'manual')} snapshot of {snapshot.get('DBClusterIdentifier', 'a DB cluster')}",
                          "delete_with": f"aws rds delete-db-cluster-snapshot --db-cluster-snapshot-identifier {name}"})
    return found


def bucket_dependents(s3, is_ours, prefix):
    found = []
    for bucket in s3.list_buckets(aws_retry=True).get("Buckets", []):
        name = bucket["Name"]
        if not name.startswith(prefix):
            continue
        try:
            rules = s3.get_bucket_encryption(Bucket=name, aws_retry=True)["ServerSideEncryptionConfiguration"].get("Rules", [])
        except is_boto3_error_code(["ServerSideEncryptionConfigurationNotFoundError", "NoSuchBucket"]):
            continue
        for rule in rules:
            default = rule.get("ApplyServerSideEncryptionByDefault") or {}
            if default.get("SSEAlgorithm", "").startswith("aws:kms") and is_ours(default.get("KMSMasterKeyID")):
                found.append({"type": "s3_bucket", "id": name, "detail": f"S3 bucket with default encryption {default['SSEAlgorithm']}",
                              "delete_with": f"aws s3 rb s3://{name} --force (deletes every object; a versioned bucket needs its versions deleted too)"})
                break
    return found


def vault_dependents(backup, is_ours):
    found = []
    for vault in _paginate(backup, "list_backup_vaults", "BackupVaultList"):
        if is_ours(vault.get("EncryptionKeyArn")):
            name = vault["BackupVaultName"]
            found.append({"type": "backup_vault", "id": name,
                          "detail": f"backup vault with {vault.get('NumberOfRecoveryPoints', 0)} recovery point(s)",
                          "delete_with": f"aws backup delete-recovery-point (each) then aws backup delete-backup-vault --backup-vault-name {name}"})
    return found


def secret_dependents(secrets, is_ours):
    found = []
    for secret in _paginate(secrets, "list_secrets", "SecretList"):
        if not secret.get("DeletedDate") and is_ours(secret.get("KmsKeyId")):
            name = secret["Name"]
            found.append({"type": "secret", "id": name, "detail": "Secrets Manager secret",
                          "delete_with": f"aws secretsmanager delete-secret --secret-id {name}"})
    return found


def log_group_dependents(logs, is_ours):
    found = []
    for group in _paginate(logs, "describe_log_groups", "logGroups"):
        if group.get("kmsKeyId") and is_ours(group["kmsKeyId"]):
            name = group["logGroupName"]
            found.append({"type": "log_group", "id": name, "detail": "CloudWatch Logs log group",
                          "delete_with": f"aws logs delete-log-group --log-group-name {name}"})
    return found


def main():
    argument_spec = dict(
        key_id=dict(type="str", required=True, no_log=False),
        bucket_name_prefix=dict(type="str", default=""),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    def client(service):
        return module.client(service, retry_decorator=AWSRetry.jittered_backoff())

    key_id = module.params["key_id"]
    result = {"changed": False, "exists": False, "key_arn": "", "key_state": "", "in_use": False, "dependents": []}
    try:
        resolver = KeyResolver(client("kms"))
        key = resolver.describe(key_id)
        if key is None:
            module.exit_json(**result)
        result.update(exists=True, key_arn=key["Arn"], key_state=key.get("KeyState", ""))

        def is_ours(found_key_id):
            return resolver.arn(found_key_id) == key["Arn"]

        dependents = rds_dependents(client("rds"), is_ours)
        dependents += bucket_dependents(client("s3"), is_ours, module.params["bucket_name_prefix"])
        dependents += vault_dependents(client("backup"), is_ours)
        dependents += secret_dependents(client("secretsmanager"), is_ours)
        dependents += log_group_dependents(client("logs"), is_ours)
        result.update(in_use=bool(dependents), dependents=dependents)
        module.exit_json(**result)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to find what KMS key {key_id} still encrypts (a complete answer is needed before deleting a key)")


if __name__ == "__main__":
    main()
