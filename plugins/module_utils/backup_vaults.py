# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Backup helpers shared by this collection's modules."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# What AWS Backup answers for a vault it cannot read: AccessDeniedException both for a vault that does
# not exist and for a caller without the permission; ResourceNotFoundException from some operations.
UNREADABLE_VAULT_CODES = ["AccessDeniedException", "ResourceNotFoundException"]


def vault_listed(client, name):
    """Whether ListBackupVaults (paginated) shows a vault named ``name``; its own errors propagate."""
    return any(vault.get("BackupVaultName") == name for vault in _list_vaults(client))


@AWSRetry.jittered_backoff()
def _list_vaults(client):
    return client.get_paginator("list_backup_vaults").paginate().build_full_result().get("BackupVaultList", [])


def call_on_vault(module, client, name, call, action):
    """``call()``, or None when it fails because the vault ``name`` is missing (ListBackupVaults does not show it).

    A denial on a vault that ListBackupVaults does show is a permission error: the module fails, naming ``action``.
    """
    try:
        return call()
    except is_boto3_error_code(UNREADABLE_VAULT_CODES) as e:  # pylint: disable=duplicate-except
        if not vault_listed(client, name):
            return None
        return module.fail_json_aws(
            e, msg=f"Unable to {action} backup vault {name}: the vault exists (ListBackupVaults shows it) but AWS refused the call; "
            "check the IAM permissions of the caller and the vault's access policy"
        )
