# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudWatch Logs fixes of the stand-in (picked up by fixes.all_fixes())."""

from __future__ import annotations

from fixes import Fix  # pylint: disable=import-error


def _apply_kms_association() -> None:
    from moto.logs.exceptions import InvalidParameterException
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.responses import LogsResponse

    def group(response):
        name = response._get_param("logGroupName")  # pylint: disable=protected-access
        found = response.logs_backend.groups.get(name)
        if found is None:
            raise ResourceNotFoundException("The specified log group does not exist.")
        return found

    def associate_kms_key(self):
        key = self._get_param("kmsKeyId") or ""  # pylint: disable=protected-access
        if not key.startswith("arn:"):
            # AWS: "kmsKeyId ... must be the key ARN"; an ID or alias is refused.
            raise InvalidParameterException(f"Specified KMS key {key} is not a valid KMS key ARN.")
        group(self).kms_key_id = key
        return ""

    def disassociate_kms_key(self):
        group(self).kms_key_id = None
        return ""

    LogsResponse.associate_kms_key = associate_kms_key
    LogsResponse.disassociate_kms_key = disassociate_kms_key


FIXES = [
    Fix(
        fix_id="logs-kms-association",
        aws_behaviour=(
            "AssociateKmsKey sets the KMS key (given as a key ARN only) that encrypts a log group's newly ingested data and "
            "DescribeLogGroups reports it as kmsKeyId; DisassociateKmsKey removes it; both answer ResourceNotFoundException for "
            "a missing group. moto implements neither."
        ),
        reference=(
            "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_AssociateKmsKey.html, "
            "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DisassociateKmsKey.html"
        ),
        apply=_apply_kms_association,
    ),
]
