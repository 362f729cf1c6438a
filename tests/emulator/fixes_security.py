# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes of the stand-in for the security tier (KMS, Secrets Manager, IAM).

Picked up by ``fixes.all_fixes()``; each fix is shown by ``tests/unit/emulator/test_fixes_security.py``.
"""

from __future__ import annotations

import json

from fixes import Fix  # pylint: disable=import-error

# --- KMS key state changes by key ARN -----------------------------------------------------------
#
# AWS accepts the key ID or the key ARN in ScheduleKeyDeletion, CancelKeyDeletion, EnableKey and
# DisableKey, and
# ScheduleKeyDeletion answers KeyId (the key ARN), DeletionDate, KeyState (PendingDeletion) and
# PendingWindowInDays. moto indexes its key table with the raw parameter, so a key ARN (what
# amazon.aws.kms_key sends) raises KeyError: HTTP 500, so `kms_key state=absent` fails, and so
# does `state=present` on a key pending deletion (cancel, then enable); ScheduleKeyDeletion
# also answers only KeyId (as given) and DeletionDate.


def _apply_kms_key_state_by_arn() -> None:
    from moto.kms.models import KmsBackend
    from moto.kms.responses import KmsResponse

    if getattr(KmsBackend, "_payments_state_by_arn", False):
        return

    def by_key_id(original):
        def method(self, key_id, *args):
            return original(self, self.get_key_id(key_id), *args)

        return method

    for name in ("schedule_key_deletion", "cancel_key_deletion", "enable_key", "disable_key"):
        setattr(KmsBackend, name, by_key_id(getattr(KmsBackend, name)))

    def schedule_key_deletion_response(self):
        key_id = self._get_param("KeyId")  # pylint: disable=protected-access
        window = self._get_param("PendingWindowInDays")  # pylint: disable=protected-access
        window = 30 if window is None else int(window)
        self._validate_cmk_id(key_id)  # pylint: disable=protected-access
        deletion_date = self.kms_backend.schedule_key_deletion(key_id, window)
        key = self.kms_backend.keys[self.kms_backend.get_key_id(key_id)]
        return json.dumps({"KeyId": key.arn, "DeletionDate": deletion_date, "KeyState": key.key_state,
                           "PendingWindowInDays": window})

    def cancel_key_deletion_response(self):
        key_id = self._get_param("KeyId")  # pylint: disable=protected-access
        self._validate_cmk_id(key_id)  # pylint: disable=protected-access
        self.kms_backend.cancel_key_deletion(key_id)
        return json.dumps({"KeyId": self.kms_backend.keys[self.kms_backend.get_key_id(key_id)].arn})

    KmsResponse.schedule_key_deletion = schedule_key_deletion_response
    KmsResponse.cancel_key_deletion = cancel_key_deletion_response
    KmsBackend._payments_state_by_arn = True  # pylint: disable=protected-access


FIXES: list[Fix] = [
    Fix(
        fix_id="kms-key-state-by-arn",
        aws_behaviour=(
            "KMS ScheduleKeyDeletion, CancelKeyDeletion, EnableKey and DisableKey accept the key ID or the key ARN; ScheduleKeyDeletion "
            "answers KeyId (the key ARN), DeletionDate, KeyState PendingDeletion and PendingWindowInDays."
        ),
        reference="https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html",
        apply=_apply_kms_key_state_by_arn,
    ),
]
