#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dms_endpoint_info
short_description: Describe AWS DMS endpoints by identifier, with their tags
version_added: 0.2.0
description:
  - Lists AWS Database Migration Service endpoints, all of them or those with the given identifiers, optionally of one
    type, with their tags. Passwords are never returned.
  - The info twin of M(payments.aws_platform.dms_endpoint); community.aws has no endpoint info module.
author:
  - Payments Platform Team (@payments-platform)
options:
  endpoint_identifiers:
    description: The identifiers to describe. All endpoints when not set.
    type: list
    elements: str
    aliases: ['endpoint_identifier']
  endpoint_type:
    description: Only endpoints of this type.
    type: str
    choices: ['source', 'target']
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Describe the endpoints of the dev migration
  payments.aws_platform.dms_endpoint_info:
    endpoint_identifiers:
      - payments-dev-source
      - payments-dev-target
  register: dms_endpoints

- name: Check that the target is Aurora PostgreSQL with SSL
  ansible.builtin.assert:
    that:
      - (dms_endpoints.endpoints | selectattr('endpoint_identifier', 'eq', 'payments-dev-target') | first).engine_name == 'aurora-postgresql'
      - dms_endpoints.endpoints | map(attribute='ssl_mode') | unique == ['require']
"""

RETURN = r"""
endpoints:
  description: The matching endpoints, empty when none match. See M(payments.aws_platform.dms_endpoint) for the keys.
  returned: always
  type: list
  elements: dict
  contains:
    endpoint_identifier:
      description: The identifier.
      returned: always
      type: str
      sample: payments-dev-target
    endpoint_arn:
      description: The ARN.
      returned: always
      type: str
      sample: arn:aws:dms:us-west-2:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ
    endpoint_type:
      description: V(source) or V(target), in lower case like the option of M(payments.aws_platform.dms_endpoint).
      returned: always
      type: str
      sample: target
    engine_name:
      description: The engine.
      returned: always
      type: str
      sample: aurora-postgresql
    ssl_mode:
      description: The SSL mode.
      returned: always
      type: str
      sample: require
    secrets_manager_secret_id:
      description: The secret DMS reads the credentials from, if any.
      returned: always
      type: str
      sample: payments/dev/dms/target
    tags:
      description: The tags.
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

from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import describe_endpoints
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_endpoint import normalize_endpoint
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_tags import get_tags


def main() -> None:
    argument_spec = dict(
        endpoint_identifiers=dict(type="list", elements="str", aliases=["endpoint_identifier"]),
        endpoint_type=dict(type="str", choices=["source", "target"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("dms", retry_decorator=AWSRetry.jittered_backoff())

    identifiers = module.params.get("endpoint_identifiers")
    wanted = {identifier.lower() for identifier in identifiers or []}
    try:
        endpoints = [
            normalize_endpoint(raw, get_tags(client, raw["EndpointArn"]))
            for raw in describe_endpoints(client, identifiers, module.params.get("endpoint_type"))
            if not wanted or raw.get("EndpointIdentifier", "").lower() in wanted
        ]
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="Unable to list the DMS endpoints")

    module.exit_json(changed=False, endpoints=endpoints)


if __name__ == "__main__":
    main()
