#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: backup_recovery_points
short_description: List, and optionally delete, the recovery points of an AWS Backup vault
version_added: 0.2.0
author: Payments Platform Team (@payments-platform)
description:
  - Lists the recovery points of a backup vault and, with O(delete=true), deletes every one of them and waits,
    within O(wait_timeout), until the vault is empty, so that M(amazon.aws.backup_vault) can then delete the vault
    (AWS refuses to delete a vault that still holds recovery points).
  - Why this module exists - neither amazon.aws nor community.aws (10.x; still so in 11.x) has a module that lists or deletes
    recovery points (C(ListRecoveryPointsByBackupVault), C(DeleteRecoveryPoint)); M(amazon.aws.backup_vault_info)
    only counts them.
  - A vault that does not exist has no recovery points (RV(exists=false)). AWS answers AccessDeniedException both for a
    vault that does not exist and for a caller that may not read it, so the vault counts as missing only when
    C(ListBackupVaults) does not show it; a refusal on a vault that exists fails the module.
  - Deleting recovery points destroys backups. Recovery points under a Vault Lock are refused by AWS until their
    minimum retention has passed.
  - Supports check mode (nothing is deleted; RV(deleted) lists what would be).
options:
  backup_vault_name:
    description: The name of the backup vault.
    type: str
    required: true
  delete:
    description: Delete every recovery point of the vault. V(false) only lists them.
    type: bool
    default: false
  wait:
    description: With O(delete=true), wait until the vault reports no recovery point.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait at most for the deletions to complete; the module fails, naming what is left, after that.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Count the recovery points of the dev vault
  payments.aws_platform.backup_recovery_points:
    backup_vault_name: payments-dev-vault
  register: points

- name: Empty the dev vault before deleting it
  payments.aws_platform.backup_recovery_points:
    backup_vault_name: payments-dev-vault
    delete: true
"""

RETURN = r"""
exists:
  description: Whether the vault exists.
  returned: always
  type: bool
  sample: true
recovery_points:
  description: The vault's recovery points before any deletion (snake_case keys of ListRecoveryPointsByBackupVault).
  returned: always
  type: list
  elements: dict
  sample: [{"recovery_point_arn": "arn:aws:backup:us-east-1:123456789012:recovery-point:1a2b", "status": "COMPLETED",
            "resource_arn": "arn:aws:rds:us-east-1:123456789012:cluster:payments-dev-aurora"}]
deleted:
  description: The ARNs of the recovery points deleted (or, in check mode, that would be).
  returned: always
  type: list
  elements: str
  sample: ["arn:aws:backup:us-east-1:123456789012:recovery-point:1a2b"]
"""

import time

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.backup_vaults import call_on_vault

POLL_SECONDS = 5


@AWSRetry.jittered_backoff()
def _paginate_points(client, name):
    paginator = client.get_paginator("list_recovery_points_by_backup_vault")
    return paginator.paginate(BackupVaultName=name).build_full_result()["RecoveryPoints"]


def list_points(module, client, name):
    """The vault's recovery points, or None when the vault does not exist (ListBackupVaults does not show it)."""
    return call_on_vault(module, client, name, lambda: _paginate_points(client, name), "list the recovery points of")


def main():
    argument_spec = dict(
        backup_vault_name=dict(type="str", required=True),
        delete=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("backup", retry_decorator=AWSRetry.jittered_backoff())
    name = module.params["backup_vault_name"]
    try:
        points = list_points(module, client, name)
        result = {"changed": False, "exists": points is not None, "recovery_points": [], "deleted": []}
        if points is None:
            module.exit_json(**result)
        result["recovery_points"] = [camel_dict_to_snake_dict(p) for p in points]
        if not module.params["delete"]:
            module.exit_json(**result)
        targets = [p["RecoveryPointArn"] for p in points if p.get("Status") != "DELETING"]
        result.update(changed=bool(targets), deleted=targets)
        if module.check_mode:
            module.exit_json(**result)
        for arn in targets:
            client.delete_recovery_point(BackupVaultName=name, RecoveryPointArn=arn, aws_retry=True)
        deadline = time.monotonic() + module.params["wait_timeout"]
        left = list_points(module, client, name) if module.params["wait"] else []
        while left:
            if time.monotonic() >= deadline:
                module.fail_json(
                    msg=f"{len(left)} recovery point(s) of backup vault {name} are still present after wait_timeout="
                    f"{module.params['wait_timeout']} s: {[p['RecoveryPointArn'] for p in left]}. Re-run later, or raise wait_timeout.",
                    **result,
                )
            time.sleep(POLL_SECONDS)
            left = list_points(module, client, name)
        module.exit_json(**result)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to list or delete the recovery points of backup vault {name}")


if __name__ == "__main__":
    main()
