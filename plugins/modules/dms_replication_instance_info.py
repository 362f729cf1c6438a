#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dms_replication_instance_info
short_description: List AWS DMS replication instances and their configuration
version_added: 0.1.0
description:
  - Lists AWS Database Migration Service (DMS) replication instances with their class, storage, engine version,
    network settings, status and tags.
  - No amazon.aws or community.aws module reports DMS replication instances; this module fills that gap.
    Use M(payments.aws_platform.dms_replication_instance) to manage them.
  - Instances are looked up by identifier, never by ARN; DMS ARNs carry a random id, not the name.
  - Without O(replication_instance_identifiers), every replication instance of the region is returned.
author:
  - Payments Platform Team (@payments-platform)
options:
  replication_instance_identifiers:
    description:
      - Only return the replication instances with these identifiers. Identifiers that do not exist are left out.
    type: list
    elements: str
    aliases: ['replication_instance_identifier']
notes:
  - Support for check mode, the module never changes anything.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: List every replication instance of the region
  payments.aws_platform.dms_replication_instance_info:
  register: all_dms_instances

- name: Get one replication instance by identifier
  payments.aws_platform.dms_replication_instance_info:
    replication_instance_identifier: payments-dev-dms
  register: dms_instance

- name: Check that the instance is available
  ansible.builtin.assert:
    that:
      - dms_instance.replication_instances | length == 1
      - dms_instance.replication_instances[0].status == 'available'
    fail_msg: "Expected replication instance payments-dev-dms to exist and be available"
"""

RETURN = r"""
replication_instances:
  description: The matching replication instances, empty when none match.
  returned: always
  type: list
  elements: dict
  contains:
    replication_instance_identifier:
      description: The identifier of the instance.
      returned: always
      type: str
      sample: payments-dev-dms
    replication_instance_arn:
      description: The ARN of the instance.
      returned: always
      type: str
      sample: arn:aws:dms:us-east-1:123456789012:rep:ABCDEFGHIJKLMNOPQRSTUVWXYZ
    replication_instance_status:
      description: The status of the instance.
      returned: always
      type: str
      sample: available
    status:
      description: The same as RV(replication_instances[].replication_instance_status).
      returned: always
      type: str
      sample: available
    replication_instance_class:
      description: The class of the instance.
      returned: always
      type: str
      sample: dms.t3.medium
    allocated_storage:
      description: The storage in GiB.
      returned: always
      type: int
      sample: 50
    engine_version:
      description: The replication engine version.
      returned: always
      type: str
      sample: 3.6.1
    multi_az:
      description: Whether the instance is Multi-AZ.
      returned: always
      type: bool
      sample: false
    publicly_accessible:
      description: Whether the instance has a public IP address.
      returned: always
      type: bool
      sample: false
    kms_key_id:
      description: The ARN of the KMS key that encrypts the storage.
      returned: always
      type: str
      sample: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    replication_subnet_group_identifier:
      description: The replication subnet group of the instance.
      returned: always
      type: str
      sample: payments-dev-dms
    vpc_security_group_ids:
      description: The IDs of the VPC security groups, sorted.
      returned: always
      type: list
      elements: str
      sample: ["sg-0123456789abcdef0"]
    preferred_maintenance_window:
      description: The weekly maintenance window.
      returned: always
      type: str
      sample: sun:06:00-sun:06:30
    auto_minor_version_upgrade:
      description: Whether minor upgrades are applied automatically.
      returned: always
      type: bool
      sample: true
    tags:
      description: The tags of the instance.
      returned: always
      type: dict
      sample: {"Environment": "dev"}
"""

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import describe_instances
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_instance import normalize_instance
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import get_tags


def main() -> None:
    argument_spec = dict(
        replication_instance_identifiers=dict(type="list", elements="str", aliases=["replication_instance_identifier"]),
    )

    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("dms", retry_decorator=AWSRetry.jittered_backoff())

    identifiers = module.params.get("replication_instance_identifiers")
    wanted = {identifier.lower() for identifier in identifiers or []}
    try:
        instances = [
            normalize_instance(raw, get_tags(client, raw["ReplicationInstanceArn"]))
            for raw in describe_instances(client, identifiers)
            if not wanted or raw.get("ReplicationInstanceIdentifier", "").lower() in wanted
        ]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Unable to list the DMS replication instances")

    module.exit_json(changed=False, replication_instances=instances)


if __name__ == "__main__":
    main()
