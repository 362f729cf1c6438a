#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: iam_service_linked_role
short_description: Make sure an AWS service's service-linked IAM role exists
description:
  - Fills a gap of amazon.aws and community.aws, which have no module for C(iam:CreateServiceLinkedRole)
    (C(amazon.aws.iam_role) cannot create a service-linked role, whose path and trust policy belong to the service).
  - >-
    Calls C(CreateServiceLinkedRole) for O(aws_service_name). When the account has that role already, AWS answers
    C(InvalidInput) "Service role name ... has been taken in this account"; the module reports that as present, not changed.
  - In check mode it does not call C(CreateServiceLinkedRole); it lists the roles under the service's path
    C(/aws-service-role/<aws_service_name>/) (read-only) and reports whether it would create one.
  - A service-linked role is an account-level resource shared by every stack of the account; this module never deletes one.
version_added: 0.1.0
author: Payments Platform Team (@payments-platform)
options:
  aws_service_name:
    description:
      - The service principal the role is linked to, for example V(ecs.amazonaws.com) or
        V(ecs.application-autoscaling.amazonaws.com).
    type: str
    required: true
  description:
    description:
      - Description of the role, used only when it is created.
    type: str
  custom_suffix:
    description:
      - Suffix of the role name, for the services that accept one (AWS appends it after an underscore).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Needs C(iam:CreateServiceLinkedRole) on the service's role, and C(iam:ListRoles) in check mode.
"""

EXAMPLES = r"""
- name: Make sure the ECS service-linked role exists before the first cluster and service
  payments.aws_platform.iam_service_linked_role:
    aws_service_name: ecs.amazonaws.com

- name: Make sure the Application Auto Scaling role for ECS services exists
  payments.aws_platform.iam_service_linked_role:
    aws_service_name: ecs.application-autoscaling.amazonaws.com
    description: Scales the payments ECS services
"""

RETURN = r"""
role_name:
  description:
    - Name of the service-linked role (from the create answer, the "has been taken" answer or the role listing).
    - Empty in check mode when the role does not exist yet.
  returned: always
  type: str
  sample: AWSServiceRoleForECS
role:
  description:
    - The role as IAM describes it, when created or found by the listing; empty when the role existed and could
      not be listed.
  returned: always
  type: dict
  sample: {"role_name": "AWSServiceRoleForECS", "path": "/aws-service-role/ecs.amazonaws.com/",
           "arn": "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"}
"""

import re

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# What IAM answers (InvalidInput) to CreateServiceLinkedRole for a role the account has already.
TAKEN = "has been taken in this account"
TAKEN_NAME_RE = re.compile(r"Service role name (\S+) has been taken")


def linked_roles(client, service, suffix=None):
    """The roles under the service's path, with the wanted suffix (or without any)."""
    paginator = client.get_paginator("list_roles")
    roles = paginator.paginate(PathPrefix=f"/aws-service-role/{service}/").build_full_result()["Roles"]
    if suffix:
        return [role for role in roles if role["RoleName"].endswith("_" + suffix)]
    return roles


def _describe(role):
    return camel_dict_to_snake_dict(role) if role else {}


def ensure(module, client):
    """``(changed, role_name, role)`` for the wanted service-linked role."""
    service = module.params["aws_service_name"]
    suffix = module.params["custom_suffix"]
    if module.check_mode:
        found = linked_roles(client, service, suffix)
        if found:
            return False, found[0]["RoleName"], found[0]
        return True, "", {}
    params = {"AWSServiceName": service}
    if module.params["description"]:
        params["Description"] = module.params["description"]
    if suffix:
        params["CustomSuffix"] = suffix
    try:
        role = client.create_service_linked_role(aws_retry=True, **params)["Role"]
        return True, role["RoleName"], role
    except is_boto3_error_message(TAKEN) as e:
        taken = TAKEN_NAME_RE.search(e.response.get("Error", {}).get("Message", ""))
    except is_boto3_error_code("EntityAlreadyExists"):  # pylint: disable=duplicate-except
        taken = None
    try:
        found = linked_roles(client, service, suffix)
    except is_boto3_error_code("AccessDenied"):
        found = []  # the role exists (IAM said so); listing it is a courtesy the caller may not be allowed
    name = taken.group(1) if taken else ""
    role = next((r for r in found if r["RoleName"] == name), found[0] if found else {})
    return False, name or role.get("RoleName", ""), role


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            aws_service_name=dict(type="str", required=True),
            description=dict(type="str"),
            custom_suffix=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    client = module.client("iam", retry_decorator=AWSRetry.jittered_backoff())
    service = module.params["aws_service_name"]
    try:
        changed, name, role = ensure(module, client)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Could not create or find the service-linked role of {service}")
    result = dict(changed=changed, role_name=name, role=_describe(role))
    if module._diff:
        result["diff"] = {"before": {"role_name": "" if changed else name}, "after": {"role_name": name or f"(the role of {service})"}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
