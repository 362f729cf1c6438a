#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: aurora_engine_version
short_description: Choose an Aurora engine version and refuse one that AWS would reject
version_added: 0.1.0
description:
  - Resolves the Aurora PostgreSQL or Aurora MySQL engine version to deploy in a region, from an exact O(version)
    or a O(policy), and checks it before anything is created.
  - No module of amazon.aws validates a version for Serverless v2 orderability, regional availability and deprecation
    together; M(amazon.aws.rds_engine_versions_info) only lists versions. A wrong version otherwise fails the deploy
    after 15-20 minutes, with an C(InvalidParameterCombination) error.
  - Refuses a version not offered in the region (F03), deprecated or past end of support (F02), not orderable as
    Serverless v2 (C(db.serverless)) when O(serverless_v2=true) (F01), an ACU range outside the version's
    C(ServerlessV2FeaturesSupport), and log types the version cannot export or any log export with
    O(engine_mode=serverless) (F05).
  - Every refusal names the variable, the bad value and what would be valid, and RV(alternatives) lists the nearest
    valid versions, newest first, the requested major first, as AWS's own errors list them.
  - Asks the live API first (C(describe_db_engine_versions) with C(IncludeAll), C(describe_orderable_db_instance_options)).
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
  engine:
    description:
      - The Aurora engine.
    type: str
    required: true
    choices: ['aurora-postgresql', 'aurora-mysql']
  version:
    description:
      - An exact engine version, for example V(16.15) or V(8.0.mysql_aurora.3.08.2), that is checked.
      - Mutually exclusive with O(policy).
    type: str
  policy:
    description:
      - How to choose the version when O(version) is not set.
      - V(latest) picks the newest version that passes every check.
      - V(latest-in-major:<major>), for example V(latest-in-major:15) or V(latest-in-major:3.08), picks the newest
        version of that major that passes every check, so no minor is hard-coded.
      - An exact version is accepted too, as with O(version).
      - Defaults to V(latest) when O(version) is not set. Mutually exclusive with O(version).
    type: str
  serverless_v2:
    description:
      - Whether the cluster has Serverless v2 (C(db.serverless)) instances; the version must then be orderable as C(db.serverless).
    type: bool
    default: false
  min_capacity:
    description:
      - The minimum Serverless v2 capacity in ACU, checked against the version's C(ServerlessV2FeaturesSupport).
    type: float
  max_capacity:
    description:
      - The maximum Serverless v2 capacity in ACU, checked against the version's C(ServerlessV2FeaturesSupport).
    type: float
  instance_class:
    description:
      - The instance class of a provisioned cluster, for example V(db.r6g.large).
      - Checked with C(describe_orderable_db_instance_options) when the API answers; the catalog has no instance data.
      - When the class is not orderable for the version, the refusal lists the classes that are (a second
        C(describe_orderable_db_instance_options) call, for that one version).
      - Ignored when O(serverless_v2=true).
    type: str
  log_exports:
    description:
      - The log types the cluster exports to CloudWatch Logs, checked against the version's C(ExportableLogTypes).
    type: list
    elements: str
    default: []
  engine_mode:
    description:
      - The engine mode of the cluster. Any log export is refused with V(serverless) (Aurora Serverless v1).
    type: str
    choices: ['provisioned', 'serverless']
    default: provisioned
  today:
    description:
      - The date, as V(YYYY-MM-DD), to compare end-of-support dates with. Defaults to the current date.
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

- name: Pick the newest Aurora PostgreSQL 16 minor orderable as Serverless v2 and able to export postgresql logs
  payments.aws_platform.aurora_engine_version:
    engine: aurora-postgresql
    policy: latest-in-major:16
    serverless_v2: true
    min_capacity: 0.5
    max_capacity: 16
    log_exports:
      - postgresql
    region: us-east-1
  register: aurora_version

- name: Use the chosen version
  ansible.builtin.debug:
    msg: "Deploying {{ aurora_version.version }} (source: {{ aurora_version.source }})"

- name: Check a pinned Aurora MySQL version for a provisioned cluster
  payments.aws_platform.aurora_engine_version:
    engine: aurora-mysql
    version: 8.0.mysql_aurora.3.08.2
    instance_class: db.r6g.large
    log_exports: [audit, error, slowquery]
    region: eu-south-1

- name: Show why a version would be refused, without failing the play
  payments.aws_platform.aurora_engine_version:
    engine: aurora-postgresql
    version: "15.5"
    serverless_v2: true
    region: us-east-1
  register: refused
  ignore_errors: true
"""

RETURN = r"""
version:
  description:
    - The chosen version, or the requested one when it is refused.
    - V(null) when a policy finds no valid version.
  returned: always
  type: str
  sample: "16.15"
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
      sample: F01
    check:
      description: The name of the check.
      returned: always
      type: str
      sample: serverless_v2_orderable
    status:
      description: V(pass), V(fail) or V(unknown) (no source confirms it; a warning).
      returned: always
      type: str
      sample: pass
    detail:
      description: What was found; for a failure, the variable, the bad value and what would be valid.
      returned: always
      type: str
      sample: aurora-postgresql 16.15 is orderable as Serverless v2 (db.serverless) in us-east-1
alternatives:
  description: The nearest valid versions, newest first, the requested major first (at most 8).
  returned: always
  type: list
  elements: str
  sample: ["15.19", "15.18", "15.17", "14.24"]
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
  sample: "aurora-postgresql 16.15 in us-east-1 passes all checks (source: api)"
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import AURORA_ENGINES
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import EngineVersionError
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import parse_date
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import parse_policy
from ansible_collections.payments.aws_platform.plugins.module_utils.version_resolution import exit_with
from ansible_collections.payments.aws_platform.plugins.module_utils.version_resolution import resolve_aurora


def main() -> None:
    argument_spec = dict(
        engine=dict(type="str", required=True, choices=AURORA_ENGINES),
        version=dict(type="str"),
        policy=dict(type="str"),
        serverless_v2=dict(type="bool", default=False),
        min_capacity=dict(type="float"),
        max_capacity=dict(type="float"),
        instance_class=dict(type="str"),
        log_exports=dict(type="list", elements="str", default=[]),
        engine_mode=dict(type="str", default="provisioned", choices=["provisioned", "serverless"]),
        today=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True, mutually_exclusive=[["version", "policy"]])
    params = module.params
    requested = params["version"] or params["policy"] or "latest"
    try:
        parse_policy(requested, "aurora_engine_version")
        today = parse_date(params.get("today"), "today")
    except EngineVersionError as e:
        module.fail_json(msg=str(e))
    exit_with(module, resolve_aurora(
        module, params["engine"], requested, today, serverless_v2=params["serverless_v2"], min_capacity=params.get("min_capacity"),
        max_capacity=params.get("max_capacity"), instance_class=params.get("instance_class"), log_exports=params["log_exports"],
        engine_mode=params["engine_mode"],
    ))


if __name__ == "__main__":
    main()
