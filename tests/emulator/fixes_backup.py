# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes of the stand-in for the AWS Backup tier (picked up by fixes.all_fixes()).

Each fix is shown by ``tests/unit/emulator/test_fixes_backup.py``. moto 5.2.5 implements vaults,
vault lock and plans (create, get, list, delete) only: no selections, no UpdateBackupPlan, no vault
access policy, no recovery points; it answers ResourceNotFoundException for a missing vault where
AWS answers AccessDeniedException; and it refuses to re-create a plan whose name was used by a
deleted plan.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

from fixes import Fix  # pylint: disable=import-error

# The extra REST paths of the Backup API (botocore's backup-2018-11-15 model); moto's urls.py has
# /backup/plans/<id> (which also covers .../selections/...) but none of these.
EXTRA_URL_PATHS = (
    "{0}/backup-vaults/(?P<name>[^/]+)/access-policy$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<recovery_point_arn>.+)$",
    "{0}/backup-jobs$",
)

# What AWS returns for a selection created without Conditions (amazon.aws.backup_selection compares
# against exactly this) and for one without Resources / NotResources.
EMPTY_CONDITIONS = {"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []}


def _errors():
    from moto.backup.exceptions import InvalidRequestException, ResourceNotFoundException
    from moto.core.exceptions import JsonRESTError

    class AccessDeniedException(JsonRESTError):
        code = 403

        def __init__(self):
            super().__init__("AccessDeniedException", "Insufficient privileges to perform this action.")

    return AccessDeniedException, InvalidRequestException, ResourceNotFoundException


def _install_urls() -> None:
    from moto.backup import urls

    for path in EXTRA_URL_PATHS:
        urls.url_paths.setdefault(path, urls.response.dispatch)


def _store(backend, name):
    """A per-backend (account, region) dict kept beside moto's own state."""
    attribute = "_payments_store_" + name
    if not hasattr(backend, attribute):
        setattr(backend, attribute, {})
    return getattr(backend, attribute)


def _path_part(response, index):
    return unquote(response.path.rstrip("/").split("/")[index])


# --- DescribeBackupVault of a missing vault: AccessDeniedException ------------------------------


def _apply_missing_vault_access_denied() -> None:
    from moto.backup.models import BackupBackend

    if getattr(BackupBackend, "_payments_access_denied", False):
        return
    access_denied = _errors()[0]

    def describe_backup_vault(self, backup_vault_name):
        if backup_vault_name not in self.vaults:
            raise access_denied()
        return self.vaults[backup_vault_name]

    BackupBackend.describe_backup_vault = describe_backup_vault
    BackupBackend._payments_access_denied = True  # pylint: disable=protected-access


# --- Selections ----------------------------------------------------------------------------------


def _apply_selections() -> None:
    from moto.backup.models import BackupBackend
    from moto.backup.responses import BackupResponse
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random

    if getattr(BackupBackend, "_payments_selections", False):
        return
    _install_urls()
    invalid_request, not_found = _errors()[1:]

    def live_plan(backend, plan_id):
        plan = backend.plans.get(plan_id)
        if plan is None or plan.deletion_date is not None:
            raise not_found(msg=f"Failed reading Backup plan with provided version: {plan_id}")
        return plan

    def create_backup_selection(self):
        plan_id = _path_part(self, -2)
        params = json.loads(self.body or "{}")
        backend = self.backup_backend
        live_plan(backend, plan_id)
        wanted = params["BackupSelection"]
        selection = {
            "SelectionName": wanted["SelectionName"],
            "IamRoleArn": wanted["IamRoleArn"],
            "Resources": wanted.get("Resources", []),
            "ListOfTags": wanted.get("ListOfTags", []),
            "NotResources": wanted.get("NotResources", []),
            "Conditions": dict(EMPTY_CONDITIONS, **wanted.get("Conditions", {})),
        }
        record = {
            "SelectionId": str(mock_random.uuid4()),
            "BackupPlanId": plan_id,
            "CreationDate": unix_time(),
            "CreatorRequestId": params.get("CreatorRequestId") or str(mock_random.uuid4()),
            "BackupSelection": selection,
        }
        _store(backend, "selections").setdefault(plan_id, {})[record["SelectionId"]] = record
        return json.dumps({key: record[key] for key in ("SelectionId", "BackupPlanId", "CreationDate")})

    def get_selection(response):
        plan_id, selection_id = _path_part(response, -3), _path_part(response, -1)
        record = _store(response.backup_backend, "selections").get(plan_id, {}).get(selection_id)
        if record is None:
            raise not_found(msg=f"Failed reading backup selection {selection_id} of plan {plan_id}")
        return plan_id, selection_id, record

    def get_backup_selection(self):
        return json.dumps(get_selection(self)[2])

    def delete_backup_selection(self):
        plan_id, selection_id, _record = get_selection(self)
        del _store(self.backup_backend, "selections")[plan_id][selection_id]
        return "{}"

    def list_backup_selections(self):
        plan_id = _path_part(self, -2)
        live_plan(self.backup_backend, plan_id)
        listed = [
            {"SelectionId": r["SelectionId"], "SelectionName": r["BackupSelection"]["SelectionName"], "BackupPlanId": plan_id,
             "CreationDate": r["CreationDate"], "CreatorRequestId": r["CreatorRequestId"], "IamRoleArn": r["BackupSelection"]["IamRoleArn"]}
            for r in _store(self.backup_backend, "selections").get(plan_id, {}).values()
        ]
        return json.dumps({"BackupSelectionsList": listed})

    original_delete_plan = BackupBackend.delete_backup_plan

    def delete_backup_plan(self, backup_plan_id):
        if _store(self, "selections").get(backup_plan_id):
            raise invalid_request(msg="Related backup plan selections must be deleted prior to backup plan deletion")
        return original_delete_plan(self, backup_plan_id)

    BackupResponse.create_backup_selection = create_backup_selection
    BackupResponse.get_backup_selection = get_backup_selection
    BackupResponse.delete_backup_selection = delete_backup_selection
    BackupResponse.list_backup_selections = list_backup_selections
    BackupBackend.delete_backup_plan = delete_backup_plan
    BackupBackend._payments_selections = True  # pylint: disable=protected-access


# --- UpdateBackupPlan, and a deleted plan's name is free again ----------------------------------


def _apply_update_plan() -> None:
    from moto.backup.exceptions import AlreadyExistsException
    from moto.backup.models import BackupBackend, Plan
    from moto.backup.responses import BackupResponse
    from moto.moto_api._internal import mock_random

    if getattr(BackupBackend, "_payments_update_plan", False):
        return
    not_found = _errors()[2]

    def create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id):
        live = [p.backup_plan["BackupPlanName"] for p in self.plans.values() if p.deletion_date is None]
        if backup_plan["BackupPlanName"] in live:
            raise AlreadyExistsException(msg="Backup plan with the same plan document already exists")
        plan = Plan(backup_plan=backup_plan, creator_request_id=creator_request_id, backend=self)
        if backup_plan_tags:
            self.tag_resource(plan.backup_plan_arn, backup_plan_tags)
        self.plans[plan.backup_plan_id] = plan
        return plan

    def update_backup_plan(self):
        plan_id = _path_part(self, -1)
        params = json.loads(self.body or "{}")
        plan = self.backup_backend.plans.get(plan_id)
        if plan is None or plan.deletion_date is not None:
            raise not_found(msg=f"Failed reading Backup plan with provided version: {plan_id}")
        # A new version: the rules get the same defaults and fresh ids as on create.
        fresh = Plan(backup_plan=params["BackupPlan"], creator_request_id=plan.creator_request_id, backend=self.backup_backend)
        plan.backup_plan = fresh.backup_plan
        plan.advanced_backup_settings = fresh.advanced_backup_settings
        plan.version_id = mock_random.get_random_string(length=48)
        return json.dumps(dict(plan.to_dict()))

    BackupBackend.create_backup_plan = create_backup_plan
    BackupResponse.update_backup_plan = update_backup_plan
    BackupBackend._payments_update_plan = True  # pylint: disable=protected-access


# --- Vault access policy ---------------------------------------------------------------------------


def _apply_vault_access_policy() -> None:
    from moto.backup.models import BackupBackend
    from moto.backup.responses import BackupResponse

    if getattr(BackupBackend, "_payments_access_policy", False):
        return
    _install_urls()
    not_found = _errors()[2]

    def vault_of(response):
        name = _path_part(response, -2)
        vault = response.backup_backend.vaults.get(name)
        if vault is None:
            raise not_found(msg=f"Backup vault {name} not found")
        return vault

    def get_backup_vault_access_policy(self):
        vault = vault_of(self)
        policy = getattr(vault, "_payments_access_policy", None)
        if policy is None:
            raise not_found(msg=f"Backup vault {vault.backup_vault_name} has no access policy")
        return json.dumps({"BackupVaultName": vault.backup_vault_name, "BackupVaultArn": vault.backup_vault_arn, "Policy": policy})

    def put_backup_vault_access_policy(self):
        vault_of(self)._payments_access_policy = json.loads(self.body or "{}").get("Policy")  # pylint: disable=protected-access
        return "{}"

    def delete_backup_vault_access_policy(self):
        vault_of(self)._payments_access_policy = None  # pylint: disable=protected-access
        return "{}"

    BackupResponse.get_backup_vault_access_policy = get_backup_vault_access_policy
    BackupResponse.put_backup_vault_access_policy = put_backup_vault_access_policy
    BackupResponse.delete_backup_vault_access_policy = delete_backup_vault_access_policy
    BackupBackend._payments_access_policy = True  # pylint: disable=protected-access


# --- Recovery points -----------------------------------------------------------------------------


def _apply_recovery_points() -> None:
    from moto.backup.models import BackupBackend, Vault
    from moto.backup.responses import BackupResponse
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random

    if getattr(BackupBackend, "_payments_recovery_points", False):
        return
    _install_urls()
    access_denied, invalid_request, not_found = _errors()

    def points_of(backend, vault_name):
        return _store(backend, "recovery_points").setdefault(vault_name, {})

    def start_backup_job(self):
        """The job completes at once: its recovery point is COMPLETED (AWS takes minutes to hours)."""
        params = json.loads(self.body or "{}")
        backend = self.backup_backend
        vault = backend.vaults.get(params["BackupVaultName"])
        if vault is None:
            raise access_denied()
        job_id = str(mock_random.uuid4())
        arn = f"arn:aws:backup:{backend.region_name}:{backend.account_id}:recovery-point:{job_id}"
        created = unix_time()
        points_of(backend, vault.backup_vault_name)[arn] = {
            "RecoveryPointArn": arn, "BackupVaultName": vault.backup_vault_name, "BackupVaultArn": vault.backup_vault_arn,
            "ResourceArn": params["ResourceArn"], "IamRoleArn": params["IamRoleArn"], "Status": "COMPLETED",
            "CreationDate": created, "CompletionDate": created, "EncryptionKeyArn": vault.encryption_key_arn,
            "IsEncrypted": True, "BackupSizeInBytes": 0,
        }
        return json.dumps({"BackupJobId": job_id, "RecoveryPointArn": arn, "CreationDate": created})

    def list_recovery_points_by_backup_vault(self):
        name = _path_part(self, -2)
        if name not in self.backup_backend.vaults:
            raise access_denied()
        return json.dumps({"RecoveryPoints": list(points_of(self.backup_backend, name).values())})

    def delete_recovery_point(self):
        name, arn = _path_part(self, -3), _path_part(self, -1)
        if name not in self.backup_backend.vaults:
            raise access_denied()
        if points_of(self.backup_backend, name).pop(arn, None) is None:
            raise not_found(msg=f"Recovery point {arn} not found")
        return "{}"

    original_delete_vault = BackupBackend.delete_backup_vault

    def delete_backup_vault(self, backup_vault_name):
        if points_of(self, backup_vault_name):
            raise invalid_request(msg="Backup vault cannot be deleted because it contains recovery points")
        _store(self, "recovery_points").pop(backup_vault_name, None)
        return original_delete_vault(self, backup_vault_name)

    def number_of_recovery_points(vault):
        from moto.backup.models import backup_backends  # pylint: disable=import-outside-toplevel

        account, region = vault.backup_vault_arn.split(":")[4], vault.backup_vault_arn.split(":")[3]
        return len(_store(backup_backends[account][region], "recovery_points").get(vault.backup_vault_name, {}))

    original_list_dict = Vault.to_list_dict

    def to_list_dict(self):
        return dict(original_list_dict(self), NumberOfRecoveryPoints=number_of_recovery_points(self))

    Vault.number_of_recovery_points = property(number_of_recovery_points)
    Vault.to_list_dict = to_list_dict
    BackupResponse.start_backup_job = start_backup_job
    BackupResponse.list_recovery_points_by_backup_vault = list_recovery_points_by_backup_vault
    BackupResponse.delete_recovery_point = delete_recovery_point
    BackupBackend.delete_backup_vault = delete_backup_vault
    BackupBackend._payments_recovery_points = True  # pylint: disable=protected-access


API = "https://docs.aws.amazon.com/aws-backup/latest/devguide/"

FIXES = [
    Fix(
        fix_id="backup-missing-vault-access-denied",
        aws_behaviour=(
            "DescribeBackupVault (and ListRecoveryPointsByBackupVault) of a vault that does not exist answers HTTP 403 "
            "AccessDeniedException 'Insufficient privileges to perform this action.', even with full permissions (the API "
            "reference lists ResourceNotFoundException; the service does not). amazon.aws.backup_vault expects exactly "
            "that; moto's ResourceNotFoundException makes it fail with 'Unable to get vault facts'."
        ),
        reference=(
            "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupVault.html, observed: "
            "https://github.com/aws/aws-sdk-js/issues/2625, https://github.com/ansible-collections/amazon.aws/pull/1436, "
            "https://github.com/boto/boto3/issues/2269"
        ),
        apply=_apply_missing_vault_access_denied,
    ),
    Fix(
        fix_id="backup-selections",
        aws_behaviour=(
            "CreateBackupSelection, GetBackupSelection (Resources, NotResources, ListOfTags and empty Conditions "
            "StringEquals/StringNotEquals/StringLike/StringNotLike always present), ListBackupSelections and "
            "DeleteBackupSelection; DeleteBackupPlan is refused while the plan has selections."
        ),
        reference=API + "API_CreateBackupSelection.html, " + API + "API_GetBackupSelection.html, " + API + "API_DeleteBackupPlan.html",
        apply=_apply_selections,
    ),
    Fix(
        fix_id="backup-update-plan",
        aws_behaviour=(
            "UpdateBackupPlan replaces the plan's rules as a new version (new VersionId, rule defaults applied); the name "
            "of a deleted plan can be used again by CreateBackupPlan."
        ),
        reference=API + "API_UpdateBackupPlan.html, " + API + "API_CreateBackupPlan.html",
        apply=_apply_update_plan,
    ),
    Fix(
        fix_id="backup-vault-access-policy",
        aws_behaviour=(
            "GetBackupVaultAccessPolicy, PutBackupVaultAccessPolicy and DeleteBackupVaultAccessPolicy; Get answers "
            "ResourceNotFoundException for a vault without a policy."
        ),
        reference=API + "API_GetBackupVaultAccessPolicy.html, " + API + "API_PutBackupVaultAccessPolicy.html",
        apply=_apply_vault_access_policy,
    ),
    Fix(
        fix_id="backup-recovery-points",
        aws_behaviour=(
            "A backup job leaves a recovery point in its vault: ListRecoveryPointsByBackupVault lists it, DescribeBackupVault "
            "and ListBackupVaults count it (NumberOfRecoveryPoints), DeleteRecoveryPoint removes it, and DeleteBackupVault "
            "is refused (InvalidRequestException) while the vault holds recovery points. StartBackupJob completes at once."
        ),
        reference=(
            API + "API_ListRecoveryPointsByBackupVault.html, " + API + "API_DeleteRecoveryPoint.html, "
            + API + "API_DeleteBackupVault.html, " + API + "API_StartBackupJob.html"
        ),
        apply=_apply_recovery_points,
    ),
]
