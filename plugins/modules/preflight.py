#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: preflight
short_description: Refuse an environment's known deployment blockers before the first AWS change
version_added: 0.1.0
description:
  - Checks one environment's variables against a table of rules, each a failure that is known to stop or
    weaken a deployment of this platform (failure catalogue F06 to F14), plus sizing, network addressing and
    the engine versions resolved earlier in the run.
  - No Ansible module and no AWS tool checks these blockers before deploying. AWS reports most of them only
    after resources exist, for example ECS tasks that stay PENDING with C(CannotPullContainerError), or an
    overlap of the Aurora backup and maintenance windows. This module reports all of them at once.
  - Each finding names the variable, the refused value and what would be valid.
  - Without the look-up options the module makes no AWS call; facts it needs from AWS (existing IAM roles, the
    region's zones, resolved versions) can be passed in.
  - With the look-up options (O(check_credentials), O(lookup_availability_zones), O(lookup_iam_roles), O(aurora_version),
    O(dms_version)) it reads those facts itself, read-only, in the process that evaluates the rules. A preflight then
    starts one module instead of six (each start-up of a boto3 module costs about 0.6 s here), so that a refusal comes
    in about 2 seconds. The look-ups run only when the rules that need no AWS answer pass, so a refusal by those reaches
    no AWS API.
  - O(aurora_version) and O(dms_version) resolve and check the versions exactly as the
    M(payments.aws_platform.aurora_engine_version) and M(payments.aws_platform.dms_engine_version) modules do (same
    shared code, same warnings and catalog fallback); each failed check becomes a VER01 finding that names its variable.
  - Fails when any rule reports an error (or a warning, with O(fail_on_warning=true)); the failure message is
    the findings table.
  - Values of keys whose name contains C(password), C(secret) or C(token) are never returned; they are replaced
    by V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER). Password rule messages say "the supplied value".
author:
  - Payments Platform Team (@payments-platform)
options:
  config:
    description:
      - The environment's effective variables, flat, as a dictionary, the inventory's values over the roles' defaults.
        C(playbooks/preflight.yml) builds it so; a role's default lives only in C(roles/<role>/defaults/main.yml), never
        here. A missing key is unset.
      - "F06 reads V(ecs_subnet_tier) (V(public), V(private) or V(isolated)), V(ecs_assign_public_ip),
        V(network_nat_mode), V(network_vpc_endpoints),
        V(network_s3_gateway_endpoint) (secretsmanager is always needed, the task reads the database secret) and,
        where tasks reach ECR only through VPC endpoints, V(ecs_image) with V(platform_region): the endpoints serve the
        region's private ECR only, never ECR Public."
      - "F07 reads every value, nested, and V(platform_region); keys in O(region_allowlist) are ignored."
      - "F08 reads V(platform_name_suffix) and V(platform_env), compared with O(other_suffixes), and V(platform_name_prefix),
        which must be lower-case words joined by dashes and, with the suffix, at most 24 characters."
      - "F09 reads V(platform_tags), V(platform_required_tags) (default Environment, Project, Owner, CostCenter) and
        V(platform_required_tag_values) (for example V({Environment: production}))."
      - "F10 reads V(platform_env), V(platform_region) and V(platform_env_regions)
        (default V({prod: us-east-1, staging: us-east-2, dev: us-west-2}); other environments pass)."
      - "F11 reads V(dms_enabled) and V(security_create_dms_roles), compared with O(existing_iam_roles) when that look-up was given."
      - "F12 reads V(aurora_backup_window) (hh24:mi-hh24:mi) and V(aurora_maintenance_window) (ddd:hh24:mi-ddd:hh24:mi), UTC."
      - "F13 refuses V(aurora_master_password): no role takes a master password (RDS manages it, or the security role generates
        it, see V(security_db_password_mode)); the message says so without printing the value."
      - "F14 (warnings) reads V(network_flow_logs_enabled), V(alb_certificate_arn) (empty warns when V(platform_env) is prod),
        V(security_db_password_mode) with V(security_secret_rotation_lambda_arn) (generated without a function warns) and
        V(db_users_rotation_lambda_arn) (empty warns when given)."
      - "F15 reads V(storage_glacier_after_days), V(storage_expiry_days), V(storage_noncurrent_expiry_days) and
        V(storage_replicate_to) (each destination in another region than V(platform_region), named by suffix or bucket, with a
        valid C(storage_class), and never this environment's own bucket, V(platform_name_prefix)-V(platform_name_suffix))."
      - "F16 reads V(aurora_backup_retention_days) (point-in-time recovery window) and V(aurora_backtrack_window_hours)
        (Aurora MySQL only, V(aurora_engine))."
      - "BAK01 reads V(backup_state), V(backup_daily_retention_days), V(backup_weekly_retention_days), V(backup_continuous_backup)
        (with V(aurora_backup_retention_days)), V(backup_vault_lock_min_retention_days), V(backup_vault_lock_changeable_for_days),
        V(backup_copy_to_region) with V(backup_copy_kms_key_arn), and V(backup_weekly_copy_to) (compared with V(platform_region)
        V(platform_name_prefix) and V(platform_name_suffix): no copy into this environment's own vault)."
      - "DMS01 reads, with V(dms_enabled), V(dms_source_secret_id) or V(dms_source_username) with V(dms_source_password) (never a
        plain literal in an inventory file), V(dms_source_host), V(dms_source_port), V(dms_ssl_mode) and
        V(dms_source_certificate_arn)."
      - "DMS02 reads, with V(dms_enabled), V(dms_source_host), V(network_dms_source_cidrs), V(network_dms_source_route_target)
        and V(network_vpc_cidr) (a private source must be routed, and must not overlap the VPC)."
      - "SIZE reads V(aurora_serverless_v2_min_capacity), V(aurora_serverless_v2_max_capacity), V(ecs_autoscaling_min),
        V(ecs_autoscaling_max), V(ecs_desired_count) (at least 2 when V(platform_env) is prod) and V(platform_env)."
      - "NET01 reads V(network_vpc_cidr), V(network_az_count), V(network_subnet_newbits)
        and V(network_subnet_cidrs)."
      - "NET02 compares V(network_az_count) with O(availability_zones) of V(platform_region), when that look-up was given."
      - "VAR01 refuses a role-prefixed variable no role declares (O(known_variables)), and a V(platform_region) that is not
        a region (O(valid_regions))."
      - "AWS01 reads V(network_flow_logs_retention_days), V(ecs_log_retention_days), V(aurora_log_retention_days) (the values
        CloudWatch Logs accepts), V(aurora_performance_insights_retention_days) (7, months times 31, or 731),
        V(aurora_backup_retention_days) (1-35), with V(aurora_serverless_v2) the capacities V(aurora_serverless_v2_min_capacity)
        and V(aurora_serverless_v2_max_capacity) (0.5-ACU steps, 0-256 and 1-256) and
        V(ecs_cpu) with V(ecs_memory) (a Fargate task size)."
      - "DEL01 refuses V(aurora_deletion_protection) or V(alb_deletion_protection) false in production (V(platform_env)), unless
        V(platform_accept_unprotected_prod) is true (then it warns)."
    type: dict
    required: true
  resolved_versions:
    description:
      - "Results of the version modules, keyed by engine, for example V({aurora: <result of aurora_engine_version>})."
      - Each entry becomes a VER01 finding; it fails when the entry failed or has no C(version) or C(engine_version).
    type: dict
    default: {}
  other_suffixes:
    description:
      - "The name suffixes of the other environments, as V({label: suffix}), to check that O(config)'s
        V(platform_name_suffix) is unique (F08). A label names one inventory and group, for example V(staging (payments_staging))."
      - F08 also refuses two of them that share a suffix (every pair is compared).
    type: dict
    default: {}
  inventory_literals:
    description:
      - "For DMS01, each secret variable of O(config) that the inventory the run was given holds as a plain literal in one of
        its files, as V(<file>: <variable>) (for example V(prod/group_vars/payments_prod/dms.yml: dms_source_password))."
      - C(playbooks/preflight.yml) fills it from ansible-core's data tags on the value itself (a literal read from a file
        has that file as its origin and is trusted as a template; a vaulted value, a lookup's or an environment variable's
        result, or an extra variable such as an AWX credential injects, is not). No file is parsed, so an inventory AWX
        imported is read exactly as the run has it.
    type: list
    elements: str
    default: []
    version_added: 0.1.0
  inventories_path:
    description:
      - A folder of inventories laid out as C(<inventory>/group_vars/<group>/platform.yml), for example the
        C(inventories/) folder of this collection's project.
      - The V(platform_name_suffix) of every C(platform.yml) found there is added to O(other_suffixes), keyed by inventory and
        group, not by V(platform_env), so that two inventories of one environment are both compared; this host's own are left out
        (O(inventory_dir) and O(group_names)).
    type: path
    version_added: 0.1.0
  inventory_hosts:
    description:
      - The other hosts of the inventory the run was given, as the inventory has them (from C(hostvars)), for F08. Each
        host's V(platform_name_suffix) is added to O(other_suffixes) as V(<host> (host)), and the C(platform.yml) files of
        its groups under O(inventories_path) are not compared again.
      - This is how F08 compares environments where the inventory has no files beside it, as in an inventory AWX
        imported from a project or a source; O(inventories_path) finds the inventories the run was not given.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The host's name.
        type: str
        required: true
      suffix:
        description: Its V(platform_name_suffix).
        type: str
        required: true
      inventory_dir:
        description: Its V(inventory_dir), if it has one.
        type: path
      groups:
        description: Its V(group_names).
        type: list
        elements: str
        default: []
  availability_zones:
    description:
      - The names of the region's available zones, for example from C(amazon.aws.aws_az_info) (NET02).
      - When not given, nothing was looked up and NET02 reports V(skip).
    type: list
    elements: str
  inventory_dir:
    description:
      - This host's inventory folder (V(inventory_dir)). With O(group_names), the C(platform.yml) files of this host's own
        groups found under O(inventories_path) are not compared with O(config) (they are where its suffix comes from, or
        what an extra variable overrides).
      - Omitted, every C(platform.yml) under O(inventories_path) is compared.
    type: path
  group_names:
    description:
      - This host's groups (V(group_names)); see O(inventory_dir). Omitted with O(inventory_dir) given, the whole of that
        inventory is taken as this host's.
    type: list
    elements: str
  existing_iam_roles:
    description:
      - Names of the IAM roles found in the account by a look-up (F11), for example the names that
        C(amazon.aws.iam_role_info) returns for V(dms-vpc-role) and V(dms-cloudwatch-logs-role).
      - When not given, nothing was looked up, and F11 claims nothing about the account (it reports V(skip)).
    type: list
    elements: str
  region_allowlist:
    description:
      - Variables (top-level names or dotted paths) whose values may name other regions (F07).
      - When not set, V(platform_env_regions) alone. The roles declare the variables they own that name another region
        (C(<role>__other_region_variables) in C(roles/<role>/vars/main.yml), for example V(backup_copy_kms_key_arn));
        C(playbooks/preflight.yml) passes them here.
    type: list
    elements: str
  rules:
    description:
      - "The rules to run, each by its id or its check name: V(F06) (V(ecs-registry-reachability)), V(F07)
        (V(region-literals)), V(F08) (V(names-valid-unique)), V(F09) (V(required-tags)), V(F10) (V(environment-region)),
        V(F11) (V(dms-iam-roles)), V(F12) (V(aurora-window-overlap)), V(F13) (V(aurora-master-password)), V(F14)
        (V(security-hygiene)), V(F15) (V(storage-lifecycle-replication)), V(F16) (V(aurora-recovery-windows)), V(BAK01)
        (V(backup-inputs)), V(SIZE) (V(sizing)), V(DMS01) (V(dms-source-credentials)), V(DMS02)
        (V(dms-source-reachability)), V(NET01) (V(network-addressing)), V(NET02) (V(network-availability-zones)),
        V(VAR01) (V(known-variables)), V(AWS01) (V(aws-accepted-values)), V(DEL01) (V(prod-deletion-protection)),
        V(VER01) (V(engine-versions)). Default all."
      - The rules given in O(role_rules) are selected the same way, by their id or their name.
    type: list
    elements: str
  skip_rules:
    description:
      - Rules not to run, by id or check name.
    type: list
    elements: str
    default: []
  role_rules:
    description:
      - The preflight rules the roles declare as data, each role's C(<role>__preflight_rules) in
        C(roles/<role>/vars/main.yml) with the role's name added as C(role); C(playbooks/preflight.yml) collects them.
        They run after the rules above, by one engine (C(plugins/module_utils/role_rules.py), whose docstring defines the
        format), and report in the same table. A role keeps there the limits AWS puts on its own inputs, so a new one
        touches the role's directory only; each role's README lists its rules.
      - "Each rule: C(id) (2-8 capital letters and two digits, unique), C(name) (kebab-case, unique), C(title),
        C(severity) (V(error) or V(warning)), C(reference) (where AWS states the limit) and C(checks), each with a
        C(kind): V(range) (C(min), C(max), C(step), C(also)), V(one_of) (C(values)), V(less_than) (C(than)) or
        V(product_at_most) (C(by), C(max)), a C(variable), and optionally C(when), C(unit) and C(because)."
      - A declaration the engine cannot run fails the module before any rule runs, naming the role, the rule and the key.
    type: list
    elements: dict
    default: []
  fail_on_warning:
    description:
      - Fail when any rule reports a warning, not only on errors.
    type: bool
    default: false
  known_variables:
    description:
      - "VAR01: every input the roles declare (the option names of every C(roles/*/meta/argument_specs.yml)). A key of O(config)
        with a role prefix (V(platform_), V(network_), V(aurora_), V(db_users_)...) that is not among them is refused as a
        typo, with the closest names. Omitted: not checked."
    type: list
    elements: str
  check_credentials:
    description:
      - Ask STS who the credentials are (C(GetCallerIdentity)) before any other look-up, and return RV(account) and RV(partition).
      - Without usable credentials the module fails at once with a message that says how to provide them
        (naming V(platform_env) and V(platform_region) from O(config)).
    type: bool
    default: false
  lookup_availability_zones:
    description:
      - Look up the region's available zones (C(DescribeAvailabilityZones), zone type V(availability-zone)) for NET02,
        instead of O(availability_zones).
    type: bool
    default: false
  lookup_iam_roles:
    description:
      - IAM role names to look up (C(GetRole)) for F11; those found are added to O(existing_iam_roles).
      - An empty list looks nothing up.
    type: list
    elements: str
    default: []
  aurora_version:
    description:
      - Resolve and check the Aurora engine version (VER01), as M(payments.aws_platform.aurora_engine_version) does with
        the same options. The result is returned in RV(versions), key V(aurora).
    type: dict
    suboptions:
      engine:
        description: The Aurora engine.
        type: str
        required: true
        choices: ['aurora-postgresql', 'aurora-mysql']
      policy:
        description: An exact version, V(latest) or V(latest-in-major:<major>); defaults to V(latest).
        type: str
      serverless_v2:
        description: Whether the cluster has Serverless v2 instances.
        type: bool
        default: false
      min_capacity:
        description: The minimum Serverless v2 capacity in ACU.
        type: float
      max_capacity:
        description: The maximum Serverless v2 capacity in ACU.
        type: float
      instance_class:
        description: The instance class of a provisioned cluster (ignored with O(aurora_version.serverless_v2=true)).
        type: str
      log_exports:
        description: The log types the cluster exports to CloudWatch Logs.
        type: list
        elements: str
        default: []
  dms_version:
    description:
      - Resolve and check the DMS replication engine version (VER01), as M(payments.aws_platform.dms_engine_version) does with
        the same options. The result is returned in RV(versions), key V(dms).
    type: dict
    suboptions:
      policy:
        description: An exact version, V(latest) or V(latest-in-major:<major>); defaults to V(latest).
        type: str
      instance_class:
        description: The replication instance class, checked as orderable for the version in the region.
        type: str
  today:
    description:
      - The date deprecation and end-of-support dates are compared with (YYYY-MM-DD); defaults to today, UTC.
    type: str
  valid_regions:
    description:
      - "VAR01: the valid values of V(platform_region). Omitted: every region of the aws, aws-cn and aws-us-gov partitions
        the installed botocore knows (no AWS call)."
    type: list
    elements: str
notes:
  - Support for check mode; the module never changes anything.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Refuse known deployment blockers of this environment
  payments.aws_platform.preflight:
    config:
      platform_env: prod
      platform_region: us-east-1
      platform_name_suffix: prod
      platform_tags:
        Environment: production
        Project: ecommerce-api
        Owner: payments
        CostCenter: "4711"
      platform_required_tag_values:
        Environment: production
      network_nat_mode: per_az
      aurora_backup_window: "03:00-03:30"
      aurora_maintenance_window: "sun:05:00-sun:05:30"
      ecs_desired_count: 2
      security_secret_rotation_days: 30
    other_suffixes:
      staging: stg
      dev: dev
  register: preflight

- name: Compare the suffix with every inventory next to this one
  payments.aws_platform.preflight:
    config:
      platform_env: dev
      platform_name_suffix: dev
    rules: [F08]
    inventories_path: "{{ inventory_dir }}/.."
    inventory_dir: "{{ inventory_dir }}"
    group_names: "{{ group_names }}"

- name: Compare the suffix with the other hosts of the inventory (an AWX inventory has no files beside it)
  payments.aws_platform.preflight:
    config:
      platform_env: prod
      platform_name_suffix: prod
    rules: [F08]
    inventory_hosts:
      - name: payments-staging
        suffix: stg
        groups: [payments_staging]
      - name: payments-dev
        suffix: dev

- name: Check only the windows and the password policy, and fail on warnings too
  payments.aws_platform.preflight:
    config:
      aurora_backup_window: "23:30-00:15"
      aurora_maintenance_window: "sun:01:00-sun:01:30"
    rules: [F12, F13]
    fail_on_warning: true

- name: Include the resolved engine versions and the IAM roles found in the account
  payments.aws_platform.preflight:
    config: "{{ preflight__config }}"
    resolved_versions:
      aurora: "{{ preflight__aurora_version }}"
      dms: "{{ preflight__dms_version }}"
    existing_iam_roles: "{{ preflight__iam_roles }}"
    skip_rules: [F14]

- name: Check the credentials, the zones and both versions in the process that evaluates the rules
  payments.aws_platform.preflight:
    config: "{{ preflight__config }}"
    check_credentials: true
    lookup_availability_zones: true
    aurora_version:
      engine: aurora-postgresql
      policy: latest-in-major:16
      serverless_v2: true
      max_capacity: 8
    dms_version:
      policy: latest
      instance_class: dms.t3.medium
  register: preflight

- name: Print the findings table
  ansible.builtin.debug:
    var: preflight.table_lines
"""

RETURN = r"""
findings:
  description:
    - One entry per check, in rule order. Values of password, secret and token keys are redacted.
  returned: always
  type: list
  elements: dict
  contains:
    rule:
      description: The rule id (its failure-catalogue entry, or its guardrail family).
      type: str
      sample: F12
    check:
      description: The rule's descriptive name, C(<tier or concern>-<what it checks>).
      type: str
      sample: aurora-window-overlap
    title:
      description: What the rule checks.
      type: str
      sample: Backup/maintenance windows
    severity:
      description: V(error) or V(warning).
      type: str
      sample: error
    status:
      description: V(fail), V(warn), V(pass) or V(skip) (not applicable).
      type: str
      sample: fail
    variable:
      description: The variable (or dotted path) the finding is about.
      type: str
      sample: aurora_backup_window
    value:
      description: The value checked.
      type: raw
      sample: "23:30-00:15"
    message:
      description: What is wrong and what would be valid, or why the check passed.
      type: str
      sample: >-
        aurora_backup_window: '23:30-00:15' overlaps aurora_maintenance_window 'sun:00:00-sun:00:30'
        (sun:00:00-sun:00:15 UTC); the daily backup window must not overlap the weekly maintenance window on any day
    reference:
      description: The failure catalogue entry or AWS documentation.
      type: str
      sample: failure-catalogue F12
table:
  description: The findings as a fixed-width text table, columns rule, status, variable and message.
  returned: always
  type: str
  sample: "rule   | status | variable ..."
table_lines:
  description: RV(table), one line per element, for readable output.
  returned: always
  type: list
  elements: str
  sample: ["rule   | status | variable                       | message", "F10    | pass   | platform_region | ..."]
errors:
  description: The number of findings with status V(fail).
  returned: always
  type: int
  sample: 0
warning_count:
  description:
    - The number of findings with status V(warn).
    - Not named C(warnings), a key Ansible reserves for warning messages; each warning finding's message is
      also issued as an Ansible warning.
  returned: always
  type: int
  sample: 1
account:
  description: The account the credentials belong to, when O(check_credentials=true).
  returned: when O(check_credentials=true)
  type: str
  sample: "123456789012"
partition:
  description: The partition of the credentials (V(aws), V(aws-cn), V(aws-us-gov)), when O(check_credentials=true).
  returned: when O(check_credentials=true)
  type: str
  sample: aws
availability_zones:
  description: The zones that NET02 compared with (looked up or given); empty when neither.
  returned: always
  type: list
  elements: str
  sample: ["us-east-1a", "us-east-1b"]
versions:
  description:
    - The results of O(aurora_version) and O(dms_version), keyed V(aurora) and V(dms), each as the version module returns
      it (C(version), C(source), C(catalog_date), C(checks), C(alternatives), C(unconfirmed), C(msg)).
    - Empty when no version was asked for, or when the rules refused before any look-up.
  returned: always
  type: dict
  sample: {"aurora": {"version": "16.15", "source": "api", "catalog_date": null}}
config:
  description: O(config) with the values of password, secret and token keys redacted.
  returned: always
  type: dict
  sample: {"platform_env": "prod", "aurora_master_password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}
"""

import glob
import os

try:
    import botocore.exceptions
    import botocore.loaders

    HAS_BOTOCORE = True
except ImportError:  # pragma: no cover - the collection's modules need botocore anyway
    HAS_BOTOCORE = False

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.payments.aws_platform.plugins.module_utils.botocore_data import share_data_loader
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import API_RETRY
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import EngineVersionError
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import parse_date
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import parse_policy
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import CHECK_NAMES
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import RULE_ALIASES
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import RULE_IDS
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import evaluate
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import redact
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import render_table
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import sensitive_strings
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import summary
from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import version_findings
from ansible_collections.payments.aws_platform.plugins.module_utils.role_rules import RuleError as RoleRuleError
from ansible_collections.payments.aws_platform.plugins.module_utils.role_rules import load as load_role_rules
from ansible_collections.payments.aws_platform.plugins.module_utils.version_resolution import resolve_aurora
from ansible_collections.payments.aws_platform.plugins.module_utils.version_resolution import resolve_dms

VERSION_RULE_ID = "VER01"


def _redact_finding(finding):
    finding = dict(finding)
    finding["value"] = redact({finding["variable"] or "": finding["value"]})[finding["variable"] or ""]
    return finding


def inventory_suffixes(module, path, own_dir=None, own_groups=None, run_hosts=()):
    """{"<inventory> (<group>)": platform_name_suffix} of every inventory's platform.yml under ``path``.

    Keyed by inventory and group, so that inventories sharing a platform_env are all compared. The files of
    this host's own groups (``own_dir`` and ``own_groups``; all of ``own_dir`` without groups) are left out, and
    those of the other hosts of the run (``run_hosts``, compared as hosts instead).
    """
    found = {}
    if not path or not os.path.isdir(path):
        return found
    owners = [(os.path.realpath(own_dir) if own_dir else None, own_groups)]
    owners += [(os.path.realpath(host["inventory_dir"]), host["groups"]) for host in run_hosts if host.get("inventory_dir")]
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
        module.fail_json(msg="inventories_path needs PyYAML, which ansible-core ships")
    for name in sorted(set(os.path.realpath(p) for p in glob.glob(os.path.join(path, "*", "group_vars", "*", "platform.yml")))):
        with open(name, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        group_dir = os.path.dirname(name)
        inventory, group = os.path.dirname(os.path.dirname(group_dir)), os.path.basename(group_dir)
        if any(folder and inventory == folder and (groups is None or group in groups) for folder, groups in owners):
            continue
        if isinstance(data, dict) and data.get("platform_name_suffix"):
            found[f"{os.path.relpath(inventory, os.path.realpath(path))} ({group})"] = str(data["platform_name_suffix"])
    return found


def sdk_regions():
    """Every region of the aws, aws-cn and aws-us-gov partitions the installed botocore knows (no AWS call).

    Read from botocore's small partitions.json (the regions of the endpoint rule sets), not by loading the 1 MB
    endpoints.json, which costs about 0.1 s.
    """
    if not HAS_BOTOCORE:
        return None
    partitions = botocore.loaders.create_loader().load_data("partitions")["partitions"]
    return sorted({region for partition in partitions if partition["id"] in ("aws", "aws-cn", "aws-us-gov")
                   for region in partition.get("regions", {}) if not region.endswith("-global")})


CREDENTIALS_HELP = (
    "Provide them the usual boto3 way: AWS_PROFILE=<profile> (after `aws sso login`), "
    "or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN], or an instance/task role; "
    'in AWX attach an "Amazon Web Services" credential to the job template.'
)
AWS_ERRORS = (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) if HAS_BOTOCORE else ()


@API_RETRY
def _caller(client):
    return client.get_caller_identity()


@API_RETRY
def _zones(client):
    return client.describe_availability_zones(
        Filters=[{"Name": "state", "Values": ["available"]}, {"Name": "zone-type", "Values": ["availability-zone"]}])


@API_RETRY
def _role(client, name):
    return client.get_role(RoleName=name)


def caller_identity(module, config):
    """(account, partition) of the credentials; without usable ones, fail at once and say how to provide them."""
    try:
        answer = _caller(module.client("sts"))
    except AWS_ERRORS as e:
        where = f"environment {config.get('platform_env')} (region {config.get('platform_region') or module.region})"
        if isinstance(e, botocore.exceptions.EndpointConnectionError):
            module.fail_json(msg=f"AWS cannot be reached for {where}: {e}. Check the network or proxy, or the endpoint "
                                 "(platform_aws_endpoint_url; for the local stand-in run `make emulator` or `make deploy`).")
        module.fail_json(msg=f"No usable AWS credentials for {where}: {e}. {CREDENTIALS_HELP}")
    return answer["Account"], answer["Arn"].split(":")[1]


def available_zones(module):
    """The names of the region's available zones (not Local or Wavelength Zones), for NET02."""
    try:
        answer = _zones(module.client("ec2"))
    except AWS_ERRORS as e:
        module.fail_json_aws(e, msg=f"Unable to list the availability zones of {module.region}")
    return sorted(zone["ZoneName"] for zone in answer["AvailabilityZones"])


def existing_roles(module, names):
    """The names among ``names`` of the IAM roles that exist in the account, for F11."""
    client = module.client("iam")
    found = []
    for name in names:
        try:
            _role(client, name)
        except is_boto3_error_code("NoSuchEntity"):
            continue
        except AWS_ERRORS as e:  # pylint: disable=duplicate-except
            module.fail_json_aws(e, msg=f"Unable to look up the IAM role {name}")
        found.append(name)
    return found


def resolve_versions(module):
    """{aurora: result, dms: result} of the versions asked for, as the version modules return them (failed included)."""
    params = module.params
    versions = {}
    try:
        today = parse_date(params["today"], "today")
        for name, variable in (("aurora_version", "aurora_engine_version"), ("dms_version", "dms_engine_version")):
            if params[name]:
                parse_policy(params[name]["policy"] or "latest", variable)
    except EngineVersionError as e:
        module.fail_json(msg=str(e))
    aurora, dms = params["aurora_version"], params["dms_version"]
    if aurora:
        versions["aurora"] = resolve_aurora(
            module, aurora["engine"], aurora["policy"] or "latest", today, serverless_v2=aurora["serverless_v2"],
            min_capacity=aurora["min_capacity"], max_capacity=aurora["max_capacity"], instance_class=aurora["instance_class"],
            log_exports=aurora["log_exports"])
    if dms:
        versions["dms"] = resolve_dms(module, dms["policy"] or "latest", today, instance_class=dms["instance_class"])
    return versions


def main():
    argument_spec = dict(
        config=dict(type="dict", required=True, no_log=False),
        resolved_versions=dict(type="dict", default={}),
        other_suffixes=dict(type="dict", default={}),
        inventory_literals=dict(type="list", elements="str", default=[]),
        inventories_path=dict(type="path"),
        existing_iam_roles=dict(type="list", elements="str"),
        region_allowlist=dict(type="list", elements="str"),
        rules=dict(type="list", elements="str"),
        skip_rules=dict(type="list", elements="str", default=[]),
        role_rules=dict(type="list", elements="dict", default=[]),
        fail_on_warning=dict(type="bool", default=False),
        known_variables=dict(type="list", elements="str"),
        inventory_dir=dict(type="path"),
        availability_zones=dict(type="list", elements="str"),
        group_names=dict(type="list", elements="str"),
        inventory_hosts=dict(type="list", elements="dict", default=[], options=dict(
            name=dict(type="str", required=True),
            suffix=dict(type="str", required=True),
            inventory_dir=dict(type="path"),
            groups=dict(type="list", elements="str", default=[]),
        )),
        valid_regions=dict(type="list", elements="str"),
        check_credentials=dict(type="bool", default=False),
        lookup_availability_zones=dict(type="bool", default=False),
        lookup_iam_roles=dict(type="list", elements="str", default=[]),
        aurora_version=dict(type="dict", options=dict(
            engine=dict(type="str", required=True, choices=["aurora-postgresql", "aurora-mysql"]),
            policy=dict(type="str"),
            serverless_v2=dict(type="bool", default=False),
            min_capacity=dict(type="float"),
            max_capacity=dict(type="float"),
            instance_class=dict(type="str"),
            log_exports=dict(type="list", elements="str", default=[]),
        )),
        dms_version=dict(type="dict", options=dict(
            policy=dict(type="str"),
            instance_class=dict(type="str"),
        )),
        today=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    config = module.params["config"]
    # Mask secret values anywhere in the output too; short values are skipped, they would mask ordinary words.
    for value in sensitive_strings(config):
        if len(value) >= 6:
            module.no_log_values.add(value)

    try:
        declared = load_role_rules(module.params["role_rules"], taken=tuple(RULE_ALIASES) + (VERSION_RULE_ID, CHECK_NAMES[VERSION_RULE_ID]))
    except RoleRuleError as e:
        module.fail_json(msg=f"role_rules: {e}")
    declared_ids = tuple(rule.id for rule in declared)
    valid = RULE_IDS + declared_ids + (VERSION_RULE_ID,)
    names = dict(CHECK_NAMES, **{rule.id: rule.name for rule in declared})
    aliases = dict(RULE_ALIASES, **{VERSION_RULE_ID: VERSION_RULE_ID, CHECK_NAMES[VERSION_RULE_ID]: VERSION_RULE_ID})
    aliases.update({key: rule.id for rule in declared for key in (rule.id, rule.name)})
    unknown = [rule_id for rule_id in (module.params["rules"] or []) + module.params["skip_rules"] if rule_id not in aliases]
    if unknown:
        module.fail_json(msg=f"rules/skip_rules: unknown rule id(s) {', '.join(unknown)}; valid ids are {', '.join(valid)} "
                             f"(or their check names: {', '.join(names[rule_id] for rule_id in valid)})")
    skipped = [aliases[rule_id] for rule_id in module.params["skip_rules"]]
    selected = [aliases[rule_id] for rule_id in module.params["rules"] or valid if aliases[rule_id] not in skipped]

    run_hosts = module.params["inventory_hosts"]
    other_suffixes = dict(inventory_suffixes(module, module.params["inventories_path"], module.params["inventory_dir"],
                                             module.params["group_names"], run_hosts))
    other_suffixes.update({f"{host['name']} (host)": host["suffix"] for host in run_hosts})
    other_suffixes.update(module.params["other_suffixes"])
    params = dict(
        other_suffixes=other_suffixes,
        existing_iam_roles=module.params["existing_iam_roles"],
        region_allowlist=module.params["region_allowlist"],
        secret_literals=module.params["inventory_literals"],
        known_variables=module.params["known_variables"],
        availability_zones=module.params["availability_zones"],
        valid_regions=module.params["valid_regions"] or sdk_regions(),
    )
    resolved = dict(module.params["resolved_versions"])

    def run_rules():
        found = evaluate(config, [rule_id for rule_id in selected if rule_id in RULE_IDS + declared_ids], params, declared)
        if VERSION_RULE_ID in selected:
            found.extend(version_findings(resolved))
        return found

    findings = run_rules()
    wants_lookups = any(module.params[name] for name in ("check_credentials", "lookup_availability_zones", "lookup_iam_roles",
                                                         "aurora_version", "dms_version"))
    looked_up, caller, versions = False, {}, {}
    if wants_lookups and not summary(findings)["errors"]:
        # Only now ask AWS (read-only): a refusal by the rules above reaches no AWS API.
        looked_up = True
        share_data_loader()
        if module.params["check_credentials"]:
            caller["account"], caller["partition"] = caller_identity(module, config)
        if module.params["lookup_availability_zones"]:
            params["availability_zones"] = available_zones(module)
        if module.params["lookup_iam_roles"]:
            params["existing_iam_roles"] = (params["existing_iam_roles"] or []) + existing_roles(module, module.params["lookup_iam_roles"])
        versions = resolve_versions(module)
        resolved.update(versions)
        findings = run_rules()
    findings = [_redact_finding(finding) for finding in findings]

    counts = summary(findings)
    for finding in findings:
        if finding["status"] == "warn":
            module.warn(f"{finding['rule']}: {finding['message']}")
    table = render_table(findings)
    result = dict(
        changed=False,
        findings=findings,
        table=table,
        table_lines=table.splitlines(),
        errors=counts["errors"],
        warning_count=counts["warnings"],
        availability_zones=params["availability_zones"] or [],
        versions={name: {k: v for k, v in answer.items() if k != "failed"} for name, answer in versions.items()},
        config=redact(config),
        **caller,
    )
    if counts["errors"] or (module.params["fail_on_warning"] and counts["warnings"]):
        verdict = f"{counts['errors']} error(s), {counts['warnings']} warning(s)"
        if wants_lookups and not looked_up:
            verdict += "; the AWS look-ups (credentials, zones, roles, versions) were not made: fix the errors above first"
        module.fail_json(msg=f"{table}\n{verdict}", **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
