#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: rds_cluster_auth
short_description: Set an Aurora cluster's authentication - RDS-managed master password and IAM database authentication
version_added: 0.1.0
author: Payments Platform Team (@payments-platform)
description:
  - Turns on RDS-managed master passwords for an existing DB cluster, so that RDS generates the password, keeps it in a
    Secrets Manager secret encrypted with O(master_user_secret_kms_key_id) and rotates it. No person or playbook then
    holds the password.
  - Optionally turns IAM database authentication on or off (O(iam_database_authentication)).
  - Why this module exists - M(amazon.aws.rds_cluster) (10.x; still so in 11.x) has no C(manage_master_user_password) option, so a
    cluster it creates always has a password that someone supplied; and its C(enable_iam_database_authentication)
    fails on any existing cluster (it compares with a key that DescribeDBClusters does not return, C(KeyError
    EnableIAMDatabaseAuthentication)). This module fills only those two gaps; create the cluster with
    M(amazon.aws.rds_cluster) first (with a throw-away generated password), then run this module.
  - With O(manage_master_user_password=false) it does not change the master password settings; turning RDS
    management off needs a new password, which this module never handles.
  - Idempotent; supports check mode and diff.
options:
  db_cluster_identifier:
    description: The DB cluster identifier.
    type: str
    required: true
  manage_master_user_password:
    description: Whether RDS manages the master password in Secrets Manager.
    type: bool
    default: true
  master_user_secret_kms_key_id:
    description:
      - The KMS key (ARN, ID or alias ARN) that encrypts the RDS-managed secret. Defaults to the AWS-managed
        C(aws/secretsmanager) key when not set.
      - AWS applies it only when RDS management is turned on. On a cluster whose password RDS already manages, AWS
        refuses to change the key of the secret (ModifyDBCluster answers InvalidParameterCombination); this module then
        changes nothing, warns which key encrypts the secret and how to change it on purpose (turn RDS management off with
        a new master password, then on again with the new key), and returns RV(kms_key_mismatch).
    type: str
  iam_database_authentication:
    description:
      - Whether IAM database authentication is on. Not set leaves it as it is.
    type: bool
  apply_immediately:
    description: Apply the change now rather than in the next maintenance window.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Let RDS manage the master password, encrypted with the environment's data key
  payments.aws_platform.rds_cluster_auth:
    db_cluster_identifier: payments-dev-aurora
    master_user_secret_kms_key_id: "{{ security__out.data_key_arn }}"
  register: aurora__auth

- name: Also turn IAM database authentication on
  payments.aws_platform.rds_cluster_auth:
    db_cluster_identifier: payments-dev-aurora
    master_user_secret_kms_key_id: "{{ security__out.data_key_arn }}"
    iam_database_authentication: true
"""

RETURN = r"""
iam_database_authentication:
  description: Whether IAM database authentication is on, after the change.
  returned: always
  type: bool
  sample: false
master_user_secret:
  description: The RDS-managed secret of the cluster, empty when RDS does not manage the password.
  returned: always
  type: dict
  contains:
    secret_arn:
      description: The ARN of the Secrets Manager secret.
      type: str
      sample: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e-AbCdEf"
    secret_status:
      description: The status of the secret (creating, active, rotating, impaired).
      type: str
      sample: active
    kms_key_id:
      description: The KMS key that encrypts the secret.
      type: str
      sample: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
kms_key_mismatch:
  description:
    - Set when the RDS-managed secret is encrypted with another key than O(master_user_secret_kms_key_id) (AWS cannot change
      it in place); empty otherwise.
  returned: always
  type: dict
  contains:
    current:
      description: The key that encrypts the secret.
      type: str
      sample: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    wanted:
      description: The key that was asked for.
      type: str
      sample: "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.kms import resolve_key_arn
from ansible_collections.amazon.aws.plugins.module_utils.transformation import camel_dict_to_snake_dict


def describe_cluster(client, module, identifier):
    try:
        clusters = client.describe_db_clusters(DBClusterIdentifier=identifier, aws_retry=True)["DBClusters"]
    except is_boto3_error_code("DBClusterNotFoundFault"):
        module.fail_json(msg=f"db_cluster_identifier: cluster {identifier!r} does not exist; create it first (amazon.aws.rds_cluster)")
    return clusters[0]


def secret_of(cluster):
    return camel_dict_to_snake_dict(cluster.get("MasterUserSecret") or {})


def key_mismatch_warning(identifier, mismatch):
    return (
        f"The RDS-managed master secret of cluster {identifier} is encrypted with KMS key {mismatch['current']}, not the requested "
        f"{mismatch['wanted']}. AWS cannot change the key of a secret RDS already manages, so nothing was changed. To change it on "
        f"purpose: aws rds modify-db-cluster --db-cluster-identifier {identifier} --no-manage-master-user-password "
        f"--master-user-password <a new password> --apply-immediately, then aws rds modify-db-cluster --db-cluster-identifier "
        f"{identifier} --manage-master-user-password --master-user-secret-kms-key-id {mismatch['wanted']} --apply-immediately "
        "(RDS deletes the old secret and creates a new one; clients reading the old secret ARN must follow)."
    )


def main():
    argument_spec = dict(
        db_cluster_identifier=dict(type="str", required=True),
        manage_master_user_password=dict(type="bool", default=True),
        master_user_secret_kms_key_id=dict(type="str", no_log=False),
        iam_database_authentication=dict(type="bool"),
        apply_immediately=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("rds", retry_decorator=AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidDBClusterStateFault"]))
    identifier = module.params["db_cluster_identifier"]
    try:
        wanted_key = resolve_key_arn(module, module.params["master_user_secret_kms_key_id"], "master_user_secret_kms_key_id")
        cluster = describe_cluster(client, module, identifier)
        before = {
            "master_user_secret": secret_of(cluster),
            "iam_database_authentication": bool(cluster.get("IAMDatabaseAuthenticationEnabled")),
        }
        params = {}
        mismatch = {}
        if module.params["manage_master_user_password"]:
            secret = before["master_user_secret"]
            if not secret:
                params["ManageMasterUserPassword"] = True
                if wanted_key:
                    params["MasterUserSecretKmsKeyId"] = wanted_key
            elif wanted_key and secret.get("kms_key_id") != wanted_key:
                # AWS cannot re-encrypt an RDS-managed secret with another key (InvalidParameterCombination).
                mismatch = {"current": secret.get("kms_key_id"), "wanted": wanted_key}
                module.warn(key_mismatch_warning(identifier, mismatch))
        wanted_iam = module.params["iam_database_authentication"]
        if wanted_iam is not None and wanted_iam != before["iam_database_authentication"]:
            params["EnableIAMDatabaseAuthentication"] = wanted_iam

        after = dict(before)
        if "ManageMasterUserPassword" in params:
            after["master_user_secret"] = dict(before["master_user_secret"] or {"secret_status": "creating"},
                                               kms_key_id=wanted_key or before["master_user_secret"].get("kms_key_id"))
        if "EnableIAMDatabaseAuthentication" in params:
            after["iam_database_authentication"] = wanted_iam
        result = dict(changed=bool(params), kms_key_mismatch=mismatch, **before)
        if module._diff:
            result["diff"] = {"before": before, "after": after}
        if params and not module.check_mode:
            params.update(DBClusterIdentifier=identifier, ApplyImmediately=module.params["apply_immediately"])
            cluster = client.modify_db_cluster(aws_retry=True, **params)["DBCluster"]
            result.update(master_user_secret=secret_of(cluster),
                          iam_database_authentication=bool(cluster.get("IAMDatabaseAuthenticationEnabled", after["iam_database_authentication"])))
        module.exit_json(**result)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to set the authentication of cluster {identifier}")


if __name__ == "__main__":
    main()
