#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: backup_vault_lock
short_description: Set or remove the AWS Backup Vault Lock of a backup vault
version_added: 0.2.0
author: Payments Platform Team (@payments-platform)
description:
  - Sets the Vault Lock configuration (minimum and maximum retention of the recovery points) of an existing
    AWS Backup vault, or removes it.
  - Why this module exists - M(amazon.aws.backup_vault) (10.x; still so in 11.x) creates, tags and deletes vaults but has no option
    for Vault Lock (C(PutBackupVaultLockConfiguration)), and no other module of amazon.aws or community.aws sets it.
    Create the vault with M(amazon.aws.backup_vault), then run this module.
  - Without O(changeable_for_days) the lock is in governance mode and can be changed or removed later. With it,
    the lock is in compliance mode - after that many days (at least 3) AWS makes it immutable, and neither the
    lock nor the vault's recovery points can then be changed before their retention ends, by anyone.
  - The lock is compared on O(min_retention_days) and O(max_retention_days); O(changeable_for_days) is used only
    when the lock is set or changed (AWS does not report it back, only the resulting lock date).
  - Idempotent; supports check mode and diff.
options:
  backup_vault_name:
    description: The name of the backup vault.
    type: str
    required: true
  state:
    description:
      - V(present) sets the lock, V(absent) removes it (refused by AWS once a compliance-mode lock is immutable).
    type: str
    choices: [present, absent]
    default: present
  min_retention_days:
    description:
      - The shortest retention, in days, AWS accepts for a recovery point in the vault (at least 1).
      - Required with O(state=present).
    type: int
  max_retention_days:
    description: The longest retention, in days, AWS accepts for a recovery point in the vault. Unset means none.
    type: int
  changeable_for_days:
    description:
      - Days (3 or more) before a new or changed lock becomes immutable (compliance mode). Unset means governance mode.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Keep every recovery point of the prod vault for at least 35 days (governance mode)
  payments.aws_platform.backup_vault_lock:
    backup_vault_name: payments-prod-vault
    min_retention_days: 35

- name: Remove the lock of a dev vault
  payments.aws_platform.backup_vault_lock:
    backup_vault_name: payments-dev-vault
    state: absent
"""

RETURN = r"""
backup_vault_name:
  description: The vault.
  returned: always
  type: str
  sample: payments-prod-vault
locked:
  description: Whether the vault has a lock after the change.
  returned: always
  type: bool
  sample: true
min_retention_days:
  description: The lock's minimum retention after the change; null without a lock.
  returned: always
  type: int
  sample: 35
max_retention_days:
  description: The lock's maximum retention after the change; null when unset.
  returned: always
  type: int
  sample: null
lock_date:
  description: When a compliance-mode lock becomes (or became) immutable, ISO 8601; null in governance mode.
  returned: always
  type: str
  sample: "2026-01-04T10:00:00+00:00"
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.backup_vaults import call_on_vault


def read_lock(vault):
    """The lock part of a DescribeBackupVault answer."""
    locked = bool(vault.get("Locked"))
    lock_date = vault.get("LockDate")
    return {
        "locked": locked,
        "min_retention_days": vault.get("MinRetentionDays") if locked else None,
        "max_retention_days": vault.get("MaxRetentionDays") if locked else None,
        "lock_date": lock_date.isoformat() if hasattr(lock_date, "isoformat") else lock_date,
    }


def wanted_lock(params):
    if params["state"] == "absent":
        return {"locked": False, "min_retention_days": None, "max_retention_days": None}
    return {"locked": True, "min_retention_days": params["min_retention_days"], "max_retention_days": params["max_retention_days"]}


def describe(client, module, name):
    # AWS answers AccessDeniedException both for a missing vault and for a caller that may not read it.
    vault = call_on_vault(module, client, name, lambda: client.describe_backup_vault(BackupVaultName=name, aws_retry=True), "describe")
    if vault is None:
        module.fail_json(msg=f"backup_vault_name: backup vault {name!r} does not exist (ListBackupVaults does not show it); "
                         "create it first (amazon.aws.backup_vault)")
    return vault


def main():
    argument_spec = dict(
        backup_vault_name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        min_retention_days=dict(type="int"),
        max_retention_days=dict(type="int"),
        changeable_for_days=dict(type="int"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["min_retention_days"])],
        supports_check_mode=True,
    )
    client = module.client("backup", retry_decorator=AWSRetry.jittered_backoff())
    params = module.params
    name = params["backup_vault_name"]
    try:
        current = read_lock(describe(client, module, name))
        wanted = wanted_lock(params)
        changed = {k: current[k] for k in wanted} != wanted
        result = {"changed": changed, "backup_vault_name": name}
        if module._diff:
            result["diff"] = {"before": {k: current[k] for k in wanted}, "after": wanted}
        if not changed or module.check_mode:
            result.update(current if not changed else dict(wanted, lock_date=current["lock_date"]))
            module.exit_json(**result)
        if params["state"] == "present":
            lock = {"BackupVaultName": name, "MinRetentionDays": params["min_retention_days"]}
            for option, key in (("max_retention_days", "MaxRetentionDays"), ("changeable_for_days", "ChangeableForDays")):
                if params[option] is not None:
                    lock[key] = params[option]
            client.put_backup_vault_lock_configuration(aws_retry=True, **lock)
        else:
            client.delete_backup_vault_lock_configuration(BackupVaultName=name, aws_retry=True)
        result.update(read_lock(describe(client, module, name)))
        module.exit_json(**result)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to set the Vault Lock of backup vault {name}")


if __name__ == "__main__":
    main()
