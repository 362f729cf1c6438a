#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: backup_region_settings_info
short_description: Read the AWS Backup service opt-in of a region
version_added: 0.2.0
author: Payments Platform Team (@payments-platform)
description:
  - Reads the AWS Backup settings of the region (C(DescribeRegionSettings)) - which resource types AWS Backup
    protects there (service opt-in) and which it fully manages.
  - A backup selection that assigns resources by tag only is subject to the service opt-in - AWS Backup silently
    skips the resources of a type that is not opted in, so a plan whose selection is tag-based backs up nothing
    of that type. With O(resource_types) the module says which of the types a plan relies on are not opted in.
  - Why this module exists - neither amazon.aws nor community.aws (10.x; still so in 11.x) has a module that reads the Backup
    region settings.
  - Read-only; runs in check mode.
options:
  resource_types:
    description:
      - The resource types (as AWS Backup names them, for example V(Aurora), V(S3), V(DynamoDB)) whose opt-in to
        report in RV(not_opted_in).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Read the AWS Backup opt-in of Aurora in the environment's region
  payments.aws_platform.backup_region_settings_info:
    resource_types: [Aurora]
  register: backup_settings

- name: Refuse a tag-based selection AWS Backup would ignore
  ansible.builtin.assert:
    that: backup_settings.not_opted_in | length == 0
    fail_msg: "AWS Backup is not opted in for {{ backup_settings.not_opted_in | join(', ') }}"
"""

RETURN = r"""
resource_type_opt_in_preference:
  description: Every resource type AWS Backup knows in the region, and whether it is opted in (keys as AWS names them).
  returned: always
  type: dict
  sample: {"Aurora": true, "DynamoDB": true, "S3": false}
resource_type_management_preference:
  description: Whether AWS Backup fully manages the backups of the resource types that offer it.
  returned: always
  type: dict
  sample: {"DynamoDB": true, "EFS": true}
not_opted_in:
  description: The O(resource_types) that are not opted in in this region, in the order given.
  returned: always
  type: list
  elements: str
  sample: ["S3"]
unknown:
  description: The O(resource_types) this region's settings do not list at all (AWS Backup does not offer them there).
  returned: always
  type: list
  elements: str
  sample: []
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


def opt_in_gaps(opt_in, resource_types):
    """The wanted types that are listed but off, and those not listed at all."""
    not_opted_in = [name for name in resource_types if name in opt_in and not opt_in[name]]
    unknown = [name for name in resource_types if name not in opt_in]
    return not_opted_in, unknown


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(resource_types=dict(type="list", elements="str", default=[])),
        supports_check_mode=True,
    )
    client = module.client("backup", retry_decorator=AWSRetry.jittered_backoff())
    try:
        settings = client.describe_region_settings(aws_retry=True)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Unable to read the AWS Backup region settings (backup:DescribeRegionSettings)")
    opt_in = settings.get("ResourceTypeOptInPreference") or {}
    not_opted_in, unknown = opt_in_gaps(opt_in, module.params["resource_types"])
    module.exit_json(
        changed=False,
        resource_type_opt_in_preference=opt_in,
        resource_type_management_preference=settings.get("ResourceTypeManagementPreference") or {},
        not_opted_in=not_opted_in,
        unknown=unknown,
    )


if __name__ == "__main__":
    main()
