# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Backup region settings (service opt-in) for the stand-in (picked up by fixes.all_fixes()).

moto 5.2.5 has neither DescribeRegionSettings nor UpdateRegionSettings (GET/PUT /account-settings).
A tag-only backup selection is subject to the region's service opt-in: AWS Backup skips the
resources of a type that is not opted in, so the preflight reads these settings.
"""

from __future__ import annotations

import json

from fixes import Fix  # pylint: disable=import-error

# What a region answers before anyone changes its settings: the long-standing resource types opted
# in, the types added later (S3, Redshift, Timestream, CloudFormation, SAP HANA) not.
DEFAULT_OPT_IN = {
    "Aurora": True, "CloudFormation": False, "DocumentDB": True, "DynamoDB": True, "EBS": True, "EC2": True,
    "EFS": True, "FSx": True, "Neptune": True, "RDS": True, "Redshift": False, "S3": False,
    "SAP HANA on Amazon EC2": False, "Storage Gateway": True, "Timestream": False, "VirtualMachine": True,
}
DEFAULT_MANAGEMENT = {"DynamoDB": False, "EFS": True}


def region_settings(backend) -> dict:
    """The settings of one (account, region) backend, created with the defaults on first use."""
    if not hasattr(backend, "_payments_region_settings"):
        backend._payments_region_settings = {  # pylint: disable=protected-access
            "ResourceTypeOptInPreference": dict(DEFAULT_OPT_IN),
            "ResourceTypeManagementPreference": dict(DEFAULT_MANAGEMENT),
        }
    return backend._payments_region_settings  # pylint: disable=protected-access


def _apply_region_settings() -> None:
    from moto.backup import urls
    from moto.backup.responses import BackupResponse

    urls.url_paths.setdefault("{0}/account-settings$", urls.response.dispatch)

    def describe_region_settings(self):
        return json.dumps(region_settings(self.backup_backend))

    def update_region_settings(self):
        wanted = json.loads(self.body or "{}")
        settings = region_settings(self.backup_backend)
        for key in ("ResourceTypeOptInPreference", "ResourceTypeManagementPreference"):
            settings[key].update(wanted.get(key) or {})
        return "{}"

    BackupResponse.describe_region_settings = describe_region_settings
    BackupResponse.update_region_settings = update_region_settings


FIXES = [
    Fix(
        fix_id="backup-region-settings",
        aws_behaviour=(
            "DescribeRegionSettings answers the region's service opt-in (ResourceTypeOptInPreference) and full-management "
            "preferences, and UpdateRegionSettings changes them; 'If resource assignments are only based on tags, then "
            "service opt-in settings are applied' (a type that is not opted in is not backed up). moto has neither call."
        ),
        reference=(
            "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRegionSettings.html, "
            "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateRegionSettings.html"
        ),
        apply=_apply_region_settings,
    ),
]
