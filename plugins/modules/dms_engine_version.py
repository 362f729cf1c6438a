#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dms_engine_version
short_description: Choose a DMS replication engine version and refuse one that AWS would reject
version_added: 0.1.0
description:
  - Resolves the AWS DMS replication engine version to deploy in a region, from an exact O(version) or a O(policy),
    and checks it before a replication instance is created.
  - No module of amazon.aws or community.aws checks a DMS engine version; a deprecated one (for example 3.4.7)
    fails the deploy (F04).
  - Refuses a version not offered in the region, deprecated (C(Lifecycle) or C(ReleaseStatus) V(deprecated)), or past
    its C(DeprecationDate) or C(ForceUpgradeDate), and, when O(instance_class) is set, a replication instance class
    not orderable in the region for that version.
  - Every refusal names the variable (C(dms_engine_version), C(dms_instance_class)), the bad value and what would be
    valid, and RV(alternatives) lists the nearest valid versions, newest first.
  - Asks the live API first (DMS C(describe_engine_versions) and C(describe_orderable_replication_instances)).
    Falls back to the dated catalog shipped in the collection only when the API cannot be asked (an unreachable endpoint,
    no credentials, credentials refused with C(AccessDenied) or alike, or any other client error in check mode), and
    says so with RV(source), RV(catalog_date) and a warning. Throttling and server errors (5xx) are retried, then fail.
  - The catalog is built from real AWS data only (the API, cfn-lint's AWS-derived data, the AWS documentation); a fact
    that no source confirms (for example whether a version is offered in the region) is a check with status
    V(unknown), reported as a warning with its evidence and listed in RV(unconfirmed), never a silent pass.
  - Read-only; never reports a change.
author:
  - Payments Platform Team (@payments-platform)
options:
  version:
    description:
      - An exact replication engine version, for example V(3.6.1), that is checked.
      - Mutually exclusive with O(policy).
    type: str
  policy:
    description:
      - How to choose the version when O(version) is not set.
      - V(latest) picks the newest non-beta version that passes every check.
      - V(latest-in-major:<major>), for example V(latest-in-major:3.5), picks the newest non-beta version of that major
        that passes every check.
      - An exact version is accepted too, as with O(version).
      - Defaults to V(latest) when O(version) is not set. Mutually exclusive with O(version).
    type: str
  instance_class:
    description:
      - The replication instance class, for example V(dms.t3.medium); refused when not orderable in the region for the version.
    type: str
  today:
    description:
      - The date, as V(YYYY-MM-DD), to compare C(DeprecationDate) and C(ForceUpgradeDate) with. Defaults to the current date.
    type: str
notes:
  - Supports check mode.
  - The catalog is rebuilt by C(tools/refresh_catalog.py), from the APIs of every region (with credentials) or offline
    from cfn-lint's AWS-derived data and the AWS documentation (C(--from-cfn-lint)); every record names its source and date.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Pick the newest DMS replication engine orderable with the instance class
  payments.aws_platform.dms_engine_version:
    policy: latest
    instance_class: dms.t3.medium
    region: us-east-1
  register: dms_version

- name: Check a pinned DMS version
  payments.aws_platform.dms_engine_version:
    version: 3.6.1
    region: eu-south-1
"""

RETURN = r"""
version:
  description:
    - The chosen version, or the requested one when it is refused.
    - V(null) when a policy finds no valid version.
  returned: always
  type: str
  sample: "3.6.1"
source:
  description: Where the version data came from, V(api) or V(catalog) (the API could not be asked).
  returned: always
  type: str
  sample: api
catalog_date:
  description: The date of the shipped catalog when RV(source=catalog), else V(null).
  returned: always
  type: str
  sample: "2026-11-22"
checks:
  description: The checks made on the version, in order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The failure-catalogue rule the check guards against.
      returned: always
      type: str
      sample: F04
    check:
      description: The name of the check.
      returned: always
      type: str
      sample: not_deprecated
    status:
      description: V(pass), V(fail) or V(unknown) (no source confirms it; a warning).
      returned: always
      type: str
      sample: pass
    detail:
      description: What was found; for a failure, the variable, the bad value and what would be valid.
      returned: always
      type: str
      sample: DMS 3.6.1 is available
alternatives:
  description: The nearest valid versions, newest first (at most 8).
  returned: always
  type: list
  elements: str
  sample: ["3.6.1", "3.6.0", "3.5.4"]
unconfirmed:
  description: The details of the checks that no source could confirm (status V(unknown)), each also given as a warning.
  returned: always
  type: list
  elements: str
  sample: []
msg:
  description: A summary; on refusal, every failed check's detail; otherwise also what could not be confirmed.
  returned: always
  type: str
  sample: "DMS 3.6.1 in us-east-1 passes all checks (source: api)"
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import EngineVersionError
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import parse_date
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import parse_policy
from ansible_collections.payments.aws_platform.plugins.module_utils.version_resolution import exit_with
from ansible_collections.payments.aws_platform.plugins.module_utils.version_resolution import resolve_dms


def main() -> None:
    argument_spec = dict(
        version=dict(type="str"),
        policy=dict(type="str"),
        instance_class=dict(type="str"),
        today=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, mutually_exclusive=[["version", "policy"]])
    params = module.params
    requested = params["version"] or params["policy"] or "latest"
    try:
        parse_policy(requested, "dms_engine_version")
        today = parse_date(params.get("today"), "today")
    except EngineVersionError as e:
        module.fail_json(msg=str(e))
    exit_with(module, resolve_dms(module, requested, today, instance_class=params.get("instance_class")))


if __name__ == "__main__":
    main()
