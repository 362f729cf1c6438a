# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight rules: refuse, before the first mutating call, what AWS would reject later.

Pure Python, no AWS call. Each rule of ``RULES`` checks the flat ``config`` dict of one
environment (its inventory variables) and returns findings::

    {"rule": "F12", "title": ..., "severity": "error", "status": "fail",
     "variable": "aurora_backup_window", "value": "03:00-03:20",
     "message": "<names the variable, the bad value and what is valid>", "reference": ...}

``status`` is ``fail`` (an error), ``warn`` (a warning), ``pass`` or ``skip`` (not applicable).
``config`` is the effective configuration: the inventory's values over the roles' defaults, as
playbooks/preflight.yml passes it (each default has one home, roles/<role>/defaults/main.yml, and
no copy here). A key missing from ``config`` is unset.
Used by the ``preflight`` module; see its documentation for the keys each rule reads.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import textwrap

from ansible_collections.payments.aws_platform.plugins.module_utils.network_plan import PlanError
from ansible_collections.payments.aws_platform.plugins.module_utils.network_plan import subnet_plan

CATALOGUE = "failure-catalogue "

# Secret variables that must never be a plain literal in an inventory (vault or a lookup instead).
SECRET_VARIABLES = ("dms_source_password",)

# Rule parameters (the ``params`` argument of evaluate() overrides them).
DEFAULT_PARAMS = {
    # DMS01: "<file>: <variable>" of each secret variable this host's inventory holds as a plain literal in a file
    # (playbooks/preflight.yml reads it from the value's data tags; no file is parsed).
    "secret_literals": [],
    # F07: keys (top-level names or dotted paths) whose values are deliberately other regions. The roles that own
    # such variables declare them (``<role>__other_region_variables`` in roles/<role>/vars/main.yml) and the preflight
    # playbook passes them; only the platform's own map of environments to regions is known here.
    "region_allowlist": ["platform_env_regions"],
    # F08: {label: suffix} of the other inventories and groups (a label names one, e.g. "staging (payments_staging)").
    "other_suffixes": {},
    # F09: tag keys every environment must set (config platform_required_tags overrides).
    "required_tags": ["Environment", "Project", "Owner", "CostCenter"],
    # F10: the region of each named environment (config platform_env_regions overrides).
    "env_regions": {"prod": "us-east-1", "staging": "us-east-2", "dev": "us-west-2"},
    # F11: IAM role names found in the account by a look-up; None = not looked up (F11 claims nothing).
    "existing_iam_roles": None,
    # NET02: the names of the region's available zones, from a read-only look-up; None = not looked up (NET02 skips).
    "availability_zones": None,
    # SIZE and DEL01: production environments.
    "prod_envs": ["prod", "production"],
}

REGION_RE = re.compile(
    r"(?<![a-z0-9])((?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov|-iso[a-z]?)?"
    r"-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2})(?![0-9])"
)
SUFFIX_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,15}$")
# Lower-case words joined by single dashes, starting with a letter: valid in S3 bucket names, DMS and RDS
# identifiers (a letter first, no "--", no trailing "-") and ALB names.
PREFIX_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# The longest names (the target group <prefix>-<suffix>-app, 32 at most for ELB) were sized for payments + 16.
NAME_STEM_MAX = 24
# A name holds a secret when it ends in password, secret, token or secret_key/access_key (a
# password *mode*, a secret's *ARN* or a rotation *days* count is not a secret).
SENSITIVE_RE = re.compile(r"(?:^|[_.-])(?:password|secret|token|secret_key|access_key)$", re.IGNORECASE)
REDACTED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

ECS_ENDPOINTS = ("ecr.api", "ecr.dkr", "logs")
# An image in a private ECR registry: <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>.
PRIVATE_ECR_IMAGE = re.compile(r"^\d{12}\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?/\S+$")
DMS_ROLES = ("dms-vpc-role", "dms-cloudwatch-logs-role")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
MIN_WINDOW_MINUTES = 30
BACKUP_WINDOW_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
MAINTENANCE_WINDOW_RE = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$",
    re.IGNORECASE,
)
PASSWORD_FORBIDDEN = frozenset('/"@ ')
PASSWORD_RULE = "Aurora master passwords are 8-41 printable ASCII characters without '/', '\"', '@' or space"


# Each rule's descriptive name, <tier or concern>-<what it checks>, beside its id (the failure-catalogue entry, F06-F16, or
# the guardrail family it belongs to). A finding carries both; the module's rules/skip_rules take either.
CHECK_NAMES = {
    "F06": "ecs-registry-reachability",
    "F07": "region-literals",
    "F08": "names-valid-unique",
    "F09": "required-tags",
    "F10": "environment-region",
    "F11": "dms-iam-roles",
    "F12": "aurora-window-overlap",
    "F13": "aurora-master-password",
    "F14": "security-hygiene",
    "F15": "storage-lifecycle-replication",
    "F16": "aurora-recovery-windows",
    "BAK01": "backup-inputs",
    "SIZE": "sizing",
    "DMS01": "dms-source-credentials",
    "DMS02": "dms-source-reachability",
    "NET01": "network-addressing",
    "VAR01": "known-variables",
    "NET02": "network-availability-zones",
    "AWS01": "aws-accepted-values",
    "DEL01": "prod-deletion-protection",
    "VER01": "engine-versions",
}


class Rule:
    """One preflight rule: identity, severity, documentation reference, check function and the variables it reads.

    ``reads`` names every key of ``config`` the check may read ("*": it reads every value); the module's documentation
    says the same (tests/unit/plugins/modules/preflight/test_preflight.py checks both against the check's reads).
    """

    __slots__ = ("id", "name", "severity", "title", "reference", "check", "reads", "checks", "role")

    def __init__(self, rule_id, severity, title, reference, check, reads=(), name=None):
        self.id = rule_id
        # A central rule's name is in CHECK_NAMES; a rule a role declares (role_rules.py) brings its own.
        self.name = name or CHECK_NAMES[rule_id]
        self.checks = ()
        self.role = ""
        self.severity = severity
        self.title = title
        self.reference = reference
        self.check = check
        self.reads = tuple(reads)

    def finding(self, status, variable, value, message):
        return {
            "rule": self.id,
            "check": self.name,
            "title": self.title,
            "severity": self.severity,
            "status": status,
            "variable": variable,
            "value": value,
            "message": message,
            "reference": self.reference,
        }


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y")
    return bool(value)


def _joined(items):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def is_sensitive(name):
    """True when a variable name (or dotted path) looks like it holds a secret."""
    return bool(SENSITIVE_RE.search(str(name or "")))


def redact(value, key=None):
    """Return ``value`` with the string values of password/secret/token keys replaced.

    Booleans, numbers and ``None`` are kept (e.g. ``security_secret_rotation_days: 30``).
    """
    if key is not None and is_sensitive(key) and not (value is None or isinstance(value, (bool, int, float))):
        return REDACTED
    if isinstance(value, dict):
        return {k: redact(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value


def sensitive_strings(value, inside=False):
    """Yield the strings under password/secret/token keys (for AnsibleModule.no_log_values)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from sensitive_strings(item, inside or is_sensitive(key))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from sensitive_strings(item, inside)
    elif inside and isinstance(value, str) and value:
        yield value


# ---------------------------------------------------------------------------
# F06 ECS subnet reachability
# ---------------------------------------------------------------------------
def _endpoint_name(name):
    name = str(name).strip().lower()
    match = re.match(r"^com\.amazonaws\.[a-z0-9-]+\.(.+)$", name)
    return match.group(1) if match else name


def check_f06(rule, config, params):
    tier = str(config.get("ecs_subnet_tier")).lower()
    public_ip = _bool(config.get("ecs_assign_public_ip"))
    nat_mode = str(config.get("network_nat_mode")).lower()
    if tier not in ("public", "private", "isolated"):
        return [rule.finding("fail", "ecs_subnet_tier", tier,
                             f"ecs_subnet_tier: {tier!r} is not a subnet tier; choose public, private or isolated")]
    if tier == "public":
        if public_ip:
            return [rule.finding("pass", "ecs_assign_public_ip", public_ip,
                                 "tasks in public subnets get a public IP and reach ECR through the internet gateway")]
        return [rule.finding(
            "fail", "ecs_assign_public_ip", public_ip,
            "ecs_assign_public_ip: false with ecs_subnet_tier 'public' leaves tasks without a route to ECR "
            "(CannotPullContainerError); set ecs_assign_public_ip: true, or use ecs_subnet_tier 'private' with a NAT",
        )]
    if tier == "private" and nat_mode != "none":
        return [rule.finding("pass", "network_nat_mode", nat_mode,
                             f"tasks in private subnets reach ECR through the NAT gateway (network_nat_mode {nat_mode})")]
    findings = _f06_image_without_internet(rule, config, tier)
    endpoints = {_endpoint_name(name) for name in (config.get("network_vpc_endpoints") or [])}
    # The task definition always injects the database secret (roles/ecs: container "secrets", valueFrom):
    # the agent fetches it from Secrets Manager before the container starts.
    needed = list(ECS_ENDPOINTS) + ["secretsmanager"]
    missing = [name for name in needed if name not in endpoints]
    s3_missing = not _bool(config.get("network_s3_gateway_endpoint"))
    if not missing and not s3_missing:
        return findings or [rule.finding("pass", "network_vpc_endpoints", sorted(endpoints),
                                         f"tasks in {tier} subnets reach ECR, S3 and CloudWatch Logs through VPC endpoints")]
    why = "network_nat_mode 'none'" if tier == "private" else "isolated subnets have no NAT route"
    lacks = []
    if missing:
        lacks.append(f"network_vpc_endpoints lacks {_joined(missing)}")
    if s3_missing:
        lacks.append("network_s3_gateway_endpoint is false (image layers are in S3)")
    variable = "network_vpc_endpoints" if missing else "network_s3_gateway_endpoint"
    value = sorted(endpoints) if missing else False
    return [rule.finding(
        "fail", variable, value,
        f"ecs_subnet_tier '{tier}' with {why}: {'; '.join(lacks)}. Tasks would stay PENDING with "
        f"CannotPullContainerError; add the missing endpoints, or use a NAT (network_nat_mode single/per_az, "
        f"ecs_subnet_tier private), or public subnets with ecs_assign_public_ip: true",
    )] + findings


def _f06_image_without_internet(rule, config, tier):
    """Tasks that reach ECR only through VPC endpoints can pull only from the region's private ECR.

    The ecr.api / ecr.dkr interface endpoints serve private registries of their own region; they do
    not serve ECR Public (public.ecr.aws) nor any other registry (ECR user guide, vpc-endpoints).
    """
    image = str(config.get("ecs_image") or "")
    region = str(config.get("platform_region") or "")
    match = PRIVATE_ECR_IMAGE.match(image)
    if match and match.group("region") == region:
        return []
    where = f"a private ECR registry of {match.group('region')}" if match else "outside this environment's private ECR"
    route = "network_nat_mode 'none'" if tier == "private" else f"ecs_subnet_tier '{tier}' (no NAT route)"
    return [rule.finding(
        "fail", "ecs_image", image,
        f"ecs_image: {image!r} is {where}, and tasks with {route} and no public IP reach ECR only through VPC "
        f"endpoints, which serve the private ECR of {region or 'platform_region'} alone, never ECR Public or another "
        f"registry (CannotPullContainerError). Use an image in <account>.dkr.ecr.{region or '<region>'}.amazonaws.com "
        f"(push it there, or an ECR pull-through cache rule for public.ecr.aws), or give the tasks a route out: "
        f"a NAT (network_nat_mode single/per_az with ecs_subnet_tier private) or public subnets with "
        f"ecs_assign_public_ip: true",
    )]


# ---------------------------------------------------------------------------
# F07 region literals
# ---------------------------------------------------------------------------
def _walk(value, path):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def _allowed(path, allowlist):
    for allowed in allowlist:
        if path == allowed or path.startswith(allowed + ".") or path.startswith(allowed + "["):
            return True
    return False


def check_f07(rule, config, params):
    region = config.get("platform_region")
    if not region:
        return [rule.finding("skip", "platform_region", region, "platform_region is not set; see F10")]
    allowlist = list(params["region_allowlist"]) + ["platform_region"]
    findings = []
    for path, text in _walk({k: v for k, v in config.items() if not _allowed(str(k), allowlist)}, ""):
        if _allowed(path, allowlist):
            continue
        others = sorted({found for found in REGION_RE.findall(text) if found != region})
        if others:
            findings.append(rule.finding(
                "fail", path, text,
                f"{path}: contains region {_joined(repr(o) for o in others)} but platform_region is {region!r}; "
                f"derive it from platform_region (e.g. {{{{ platform_region }}}}), or add {path.split('.')[0].split('[')[0]} "
                f"to the region allowlist if another region is intended",
            ))
    if not findings:
        findings.append(rule.finding("pass", "platform_region", region,
                                     f"no region literal other than {region} in the environment's variables"))
    return findings


# ---------------------------------------------------------------------------
# F08 name suffix
# ---------------------------------------------------------------------------
def check_f08(rule, config, params):
    suffix = config.get("platform_name_suffix")
    env = config.get("platform_env") or "this environment"
    if suffix is None or suffix == "":
        return [rule.finding("fail", "platform_name_suffix", suffix,
                             "platform_name_suffix: not set; every environment needs a suffix of 1-16 lower-case "
                             "letters, digits or dashes (e.g. dev, stg, prod)")]
    if not isinstance(suffix, str) or not SUFFIX_RE.match(suffix):
        return [rule.finding("fail", "platform_name_suffix", suffix,
                             f"platform_name_suffix: {suffix!r} is not valid; use 1-16 lower-case letters, digits or "
                             f"dashes, starting with a letter or digit (e.g. dev, stg, prod)")]
    prefix = config.get("platform_name_prefix")
    if prefix is not None and (not isinstance(prefix, str) or not PREFIX_RE.match(prefix)):
        return [rule.finding("fail", "platform_name_prefix", prefix,
                             f"platform_name_prefix: {prefix!r} is not valid; use lower-case letters and digits in words "
                             f"joined by single dashes, starting with a letter (e.g. payments, acme-pay)")]
    if prefix is not None and len(prefix) + len(suffix) > NAME_STEM_MAX:
        return [rule.finding("fail", "platform_name_prefix", prefix,
                             f"platform_name_prefix {prefix!r} and platform_name_suffix {suffix!r} together are "
                             f"{len(prefix) + len(suffix)} characters; at most {NAME_STEM_MAX} fit every resource name "
                             f"(ELB names stop at 32: {prefix}-{suffix}-app); shorten one of them")]
    by_suffix = {}
    for label, other_suffix in sorted((params.get("other_suffixes") or {}).items()):
        by_suffix.setdefault(str(other_suffix), []).append(str(label))
    findings = []
    if suffix in by_suffix:
        findings.append(rule.finding(
            "fail", "platform_name_suffix", suffix,
            f"platform_name_suffix: {suffix!r} of environment {env} is also the suffix of "
            f"{_joined(by_suffix[suffix])}; resource names would collide, give each environment its own suffix",
        ))
    for other_suffix, labels in sorted(by_suffix.items()):
        if other_suffix != suffix and len(labels) > 1:
            findings.append(rule.finding(
                "fail", "platform_name_suffix", other_suffix,
                f"platform_name_suffix: {other_suffix!r} is used by each of {_joined(labels)}; "
                f"resource names would collide, give each environment its own suffix",
            ))
    if not findings:
        findings.append(rule.finding("pass", "platform_name_suffix", suffix,
                                     f"suffix {suffix!r} is valid and unique among the environments given"
                                     + (f"; names start {prefix}-{suffix}" if prefix else "")))
    return findings


# ---------------------------------------------------------------------------
# F09 required tags
# ---------------------------------------------------------------------------
def check_f09(rule, config, params):
    tags = config.get("platform_tags")
    required = list(config.get("platform_required_tags") or params["required_tags"])
    if tags is None:
        tags = {}
    if not isinstance(tags, dict):
        return [rule.finding("fail", "platform_tags", tags,
                             f"platform_tags: {tags!r} is not a mapping; give a dict of tag keys to values "
                             f"with {_joined(required)}")]
    findings = []
    missing = [key for key in required if tags.get(key) in (None, "")]
    if missing:
        findings.append(rule.finding(
            "fail", "platform_tags", tags,
            f"platform_tags: missing or empty required tag(s) {_joined(missing)} (given: {sorted(tags)}); "
            f"every environment must set {_joined(required)}",
        ))
    for key, wanted in sorted((config.get("platform_required_tag_values") or {}).items()):
        if tags.get(key) not in (None, "") and str(tags.get(key)) != str(wanted):
            findings.append(rule.finding(
                "fail", f"platform_tags.{key}", tags.get(key),
                f"platform_tags.{key}: {tags.get(key)!r} is not the required value {wanted!r} "
                f"(platform_required_tag_values.{key})",
            ))
    if not findings:
        findings.append(rule.finding("pass", "platform_tags", tags, f"required tags {_joined(required)} are set"))
    return findings


# ---------------------------------------------------------------------------
# F10 environment -> region
# ---------------------------------------------------------------------------
def check_f10(rule, config, params):
    env = config.get("platform_env")
    region = config.get("platform_region")
    regions = config.get("platform_env_regions") or params["env_regions"]
    if not env:
        return [rule.finding("fail", "platform_env", env,
                             "platform_env: not set; name the environment (e.g. dev, staging, prod, local)")]
    if not region:
        return [rule.finding("fail", "platform_region", region,
                             f"platform_region: not set; environment {env} must name its AWS region"
                             + (f" ({regions[env]})" if env in regions else ""))]
    if env not in regions:
        return [rule.finding("pass", "platform_region", region,
                             f"environment {env} is not in platform_env_regions; any region is accepted")]
    if regions[env] != region:
        return [rule.finding("fail", "platform_region", region,
                             f"platform_region: {region} is not the region of environment {env}; it must be "
                             f"{regions[env]} (set by platform_env_regions)")]
    return [rule.finding("pass", "platform_region", region, f"environment {env} deploys to {region} as mapped")]


# ---------------------------------------------------------------------------
# F11 DMS IAM prerequisites
# ---------------------------------------------------------------------------
def check_f11(rule, config, params):
    if not _bool(config.get("dms_enabled")):
        return [rule.finding("skip", "dms_enabled", False, "DMS is not enabled")]
    if _bool(config.get("security_create_dms_roles")):
        return [rule.finding("pass", "security_create_dms_roles", True,
                             f"the security role creates or reuses {_joined(DMS_ROLES)}")]
    if params.get("existing_iam_roles") is None:
        return [rule.finding(
            "skip", "security_create_dms_roles", False,
            f"the account's IAM roles were not looked up (existing_iam_roles not given): {_joined(DMS_ROLES)} "
            f"must exist already; playbooks/preflight.yml looks them up after the credentials check",
        )]
    existing = set(params["existing_iam_roles"])
    missing = [name for name in DMS_ROLES if name not in existing]
    if missing:
        return [rule.finding(
            "fail", "security_create_dms_roles", False,
            f"security_create_dms_roles: false with dms_enabled, but the account lacks the IAM role(s) "
            f"{_joined(missing)} that DMS requires under exactly those names; set security_create_dms_roles: true "
            f"or create them (AmazonDMSVPCManagementRole, AmazonDMSCloudWatchLogsRole)",
        )]
    return [rule.finding("pass", "security_create_dms_roles", False, f"{_joined(DMS_ROLES)} exist in the account")]


# ---------------------------------------------------------------------------
# F12 backup / maintenance windows (minutes of the week, Monday 00:00 UTC = 0)
# ---------------------------------------------------------------------------
def parse_backup_window(value):
    """Return ``(start, minutes)`` (start in minutes of the day) or raise ValueError."""
    match = BACKUP_WINDOW_RE.match(str(value).strip())
    if not match:
        raise ValueError("expected format hh24:mi-hh24:mi in UTC, e.g. '03:00-03:30'")
    start = int(match.group(1)) * 60 + int(match.group(2))
    end = int(match.group(3)) * 60 + int(match.group(4))
    return start, (end - start) % DAY_MINUTES


def parse_maintenance_window(value):
    """Return ``(start, minutes)`` (start in minutes of the week) or raise ValueError."""
    match = MAINTENANCE_WINDOW_RE.match(str(value).strip())
    if not match:
        raise ValueError("expected format ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. 'sun:05:00-sun:05:30'")
    start = DAYS.index(match.group(1).lower()) * DAY_MINUTES + int(match.group(2)) * 60 + int(match.group(3))
    end = DAYS.index(match.group(4).lower()) * DAY_MINUTES + int(match.group(5)) * 60 + int(match.group(6))
    return start, (end - start) % WEEK_MINUTES


def _clock(minute_of_week):
    day, minute = divmod(minute_of_week % WEEK_MINUTES, DAY_MINUTES)
    return f"{DAYS[day]}:{minute // 60:02d}:{minute % 60:02d}"


def window_overlap(backup, maintenance):
    """First overlapping range ``(start, end)`` in minutes of the week, or None.

    ``backup`` is ``(start_of_day, minutes)`` and repeats every day; ``maintenance`` is
    ``(start_of_week, minutes)``. Both are half-open, so adjacent windows do not overlap.
    """
    maint = {(maintenance[0] + i) % WEEK_MINUTES for i in range(maintenance[1])}
    daily = {(day * DAY_MINUTES + backup[0] + i) % WEEK_MINUTES for day in range(7) for i in range(backup[1])}
    common = maint & daily
    if not common:
        return None
    # Walk the maintenance window in order so a range crossing the week boundary stays in one piece.
    ordered = [(maintenance[0] + i) % WEEK_MINUTES for i in range(maintenance[1])]
    first = next(index for index, minute in enumerate(ordered) if minute in common)
    last = first
    while last + 1 < len(ordered) and ordered[last + 1] in common:
        last += 1
    return ordered[first], ordered[last] + 1


def check_f12(rule, config, params):
    findings = []
    parsed = {}
    for variable, parser, kind in (("aurora_backup_window", parse_backup_window, "daily backup"),
                                   ("aurora_maintenance_window", parse_maintenance_window, "weekly maintenance")):
        value = config.get(variable)
        if value in (None, ""):
            continue
        try:
            parsed[variable] = parser(value)
        except ValueError as exc:
            findings.append(rule.finding("fail", variable, value, f"{variable}: {value!r} is not valid; {exc}"))
            continue
        if parsed[variable][1] < MIN_WINDOW_MINUTES:
            findings.append(rule.finding(
                "fail", variable, value,
                f"{variable}: {value!r} lasts {parsed[variable][1]} minutes; the {kind} window must last at least "
                f"{MIN_WINDOW_MINUTES} minutes",
            ))
            del parsed[variable]
    if len(parsed) == 2:
        backup, maintenance = config["aurora_backup_window"], config["aurora_maintenance_window"]
        overlap = window_overlap(parsed["aurora_backup_window"], parsed["aurora_maintenance_window"])
        if overlap:
            findings.append(rule.finding(
                "fail", "aurora_backup_window", backup,
                f"aurora_backup_window: {backup!r} overlaps aurora_maintenance_window {maintenance!r} "
                f"({_clock(overlap[0])}-{_clock(overlap[1])} UTC); the daily backup window must not overlap the "
                f"weekly maintenance window on any day",
            ))
    if not findings:
        if parsed:
            message = f"{_joined(sorted(parsed))} " + ("are valid and do not overlap" if len(parsed) == 2 else "is valid")
            findings.append(rule.finding("pass", "aurora_backup_window", config.get("aurora_backup_window"), message))
        else:
            findings.append(rule.finding("skip", "aurora_backup_window", None,
                                         "no window configured; AWS picks non-overlapping windows"))
    return findings


# ---------------------------------------------------------------------------
# F13 master password policy
# ---------------------------------------------------------------------------
def password_problems(password):
    """What makes ``password`` unacceptable as an Aurora master password (empty when it is fine)."""
    if not isinstance(password, str):
        return ["is not a string"]
    problems = []
    if not 8 <= len(password) <= 41:
        problems.append(f"is {len(password)} characters long")
    if any(not 0x20 <= ord(char) <= 0x7E for char in password):
        problems.append("contains a character that is not printable ASCII")
    if PASSWORD_FORBIDDEN.intersection(password):
        problems.append("contains a forbidden character ('/', '\"', '@' or space)")
    return problems


def check_f13(rule, config, params):
    """No role takes a master password: RDS manages it, or the security role generates it (never an inventory value)."""
    variable = "aurora_master_password"
    mode = str(config.get("security_db_password_mode"))
    if config.get(variable) is not None:
        problems = password_problems(config[variable])
        also = f" (and the value given {_joined(problems)}: {PASSWORD_RULE})" if problems else ""
        return [rule.finding(
            "fail", variable, REDACTED,
            f"{variable}: no role takes a master password, so this value would be ignored{also}. With "
            f"security_db_password_mode: managed (the default) RDS creates and rotates the master password in its own secret; "
            f"with generated the security role creates one with Python's secrets under the RDS rules and keeps it only in "
            f"Secrets Manager. Remove {variable} (rotate the secret in Secrets Manager to change the password)")]
    where = ("RDS manages the master password in its own secret" if mode == "managed" else
             "the security role generates the master password (secrets, RDS character rules) into Secrets Manager")
    return [rule.finding("pass", "security_db_password_mode", mode, f"security_db_password_mode {mode}: {where}")]


# ---------------------------------------------------------------------------
# F14 hygiene (warnings)
# ---------------------------------------------------------------------------
def check_f14(rule, config, params):
    """Hygiene the roles leave to a variable: flow logs, HTTPS in prod, rotation of the secrets the platform makes.

    Only what the roles really do is warned about: ALB access logs and the security groups' egress are not
    optional (the alb and network roles always set them), so they are not variables to warn about.
    """
    findings = []
    if not _bool(config.get("network_flow_logs_enabled")):
        findings.append(rule.finding("warn", "network_flow_logs_enabled", False,
                                     "network_flow_logs_enabled: false; the VPC has no flow logs, set it to true"))
    if config.get("platform_env") in params["prod_envs"] and "alb_certificate_arn" in config and not config.get("alb_certificate_arn"):
        findings.append(rule.finding(
            "warn", "alb_certificate_arn", "",
            f"alb_certificate_arn: empty in environment {config.get('platform_env')}; the ALB serves plain HTTP. Give an ACM "
            f"certificate ARN to get HTTPS with HTTP redirected to it",
        ))
    mode = str(config.get("security_db_password_mode"))
    if mode == "generated" and not config.get("security_secret_rotation_lambda_arn"):
        findings.append(rule.finding(
            "warn", "security_secret_rotation_lambda_arn", "",
            "security_secret_rotation_lambda_arn: empty with security_db_password_mode generated; the generated master secret is "
            "never rotated (Secrets Manager rotates a secret RDS does not manage only through a rotation function). Give the "
            "function's ARN, or use security_db_password_mode: managed, where RDS rotates the master secret every 7 days",
        ))
    if "db_users_rotation_lambda_arn" in config and not config.get("db_users_rotation_lambda_arn"):
        findings.append(rule.finding(
            "warn", "db_users_rotation_lambda_arn", "",
            "db_users_rotation_lambda_arn: empty; the app and DMS users' secrets are never rotated. Give the ARN of the "
            "Secrets Manager multi-user rotation function for the engine (see roles/db_users/README.md)",
        ))
    if not findings:
        rotated = ("RDS rotates the master secret" if mode == "managed" else "the master secret has a rotation function")
        users = ", the database users' secrets have a rotation function" if config.get("db_users_rotation_lambda_arn") else ""
        findings.append(rule.finding("pass", "network_flow_logs_enabled", True,
                                     f"flow logs on, {rotated}{users}"))
    return findings


# ---------------------------------------------------------------------------
# SIZE sizing sanity
# ---------------------------------------------------------------------------
def _number(config, key):
    value = config.get(key)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key}: {value!r} is not a number") from None


def check_size(rule, config, params):
    findings = []
    pairs = (
        ("aurora_serverless_v2_min_capacity", "aurora_serverless_v2_max_capacity", "ACUs"),
        ("ecs_autoscaling_min", "ecs_autoscaling_max", "tasks"),
    )
    for low_key, high_key, unit in pairs:
        try:
            low, high = _number(config, low_key), _number(config, high_key)
        except ValueError as exc:
            findings.append(rule.finding("fail", str(exc).split(":", 1)[0], None, f"{exc}; give a number"))
            continue
        if low is not None and high is not None and low > high:
            findings.append(rule.finding(
                "fail", low_key, config[low_key],
                f"{low_key}: {config[low_key]} is above {high_key} {config[high_key]}; the minimum {unit} must be "
                f"at most the maximum",
            ))
    env = config.get("platform_env")
    try:
        desired = _number(config, "ecs_desired_count")
    except ValueError as exc:
        findings.append(rule.finding("fail", "ecs_desired_count", config.get("ecs_desired_count"), f"{exc}; give a number"))
        desired = None
    if desired is not None and env in params["prod_envs"] and desired < 2:
        findings.append(rule.finding(
            "fail", "ecs_desired_count", config["ecs_desired_count"],
            f"ecs_desired_count: {config['ecs_desired_count']} in environment {env}; production needs at least 2 "
            f"tasks (one per AZ) to survive a task or AZ failure",
        ))
    try:
        low, high = _number(config, "ecs_autoscaling_min"), _number(config, "ecs_autoscaling_max")
    except ValueError:
        low = high = None  # reported above
    if desired is not None and low is not None and high is not None and low <= high and not low <= desired <= high:
        findings.append(rule.finding(
            "fail", "ecs_desired_count", config["ecs_desired_count"],
            f"ecs_desired_count: {config['ecs_desired_count']} is outside ecs_autoscaling_min..ecs_autoscaling_max "
            f"({config['ecs_autoscaling_min']}..{config['ecs_autoscaling_max']}); autoscaling would move it at once. Give a "
            f"count within {config['ecs_autoscaling_min']}..{config['ecs_autoscaling_max']}",
        ))
    if not findings:
        findings.append(rule.finding("pass", "ecs_desired_count", config.get("ecs_desired_count"),
                                     "capacities and task counts are consistent"))
    return findings


# ---------------------------------------------------------------------------
# F15 transaction-log bucket: lifecycle and cross-region replication
# ---------------------------------------------------------------------------
STORAGE_CLASSES = ("", "STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR")


def _storage_days(config, key, low):
    value = config.get(key)
    if isinstance(value, bool) or not str(value).strip().isdigit() or int(str(value)) < low:
        return None, f"{key}: {value!r} is not valid; give a whole number of days, {low} or more"
    return int(str(value)), None


def _f15_destination(item, where, prefix, suffix, region):
    """The problem of one storage_replicate_to item, or None; and the bucket it names."""
    example = "e.g. {suffix: stg, region: us-east-2} or {bucket: <name>, region: <region>, kms_key: alias/<key>}"
    if not isinstance(item, dict):
        return f"{where}: {item!r} is not a mapping; {example}", None
    item_region, bucket, other = item.get("region"), item.get("bucket"), item.get("suffix")
    if not item_region or not REGION_RE.fullmatch(str(item_region)):
        return f"{where}: region {item_region!r} is not an AWS region name; each destination needs its region, {example}", None
    if bool(bucket) == bool(other):
        return f"{where}: give exactly one of bucket or suffix (found {item!r}); {example}", None
    if other and not SUFFIX_RE.match(str(other)):
        return f"{where}: suffix {other!r} is not a valid name suffix (1-16 lowercase letters, digits or '-')", None
    if bucket and not item.get("kms_key"):
        return f"{where}: bucket {bucket!r} needs kms_key, the destination's key in {item_region} (alias/..., key id or ARN)", None
    if str(item.get("storage_class") or "") not in STORAGE_CLASSES:
        return (f"{where}: storage_class {item.get('storage_class')!r} is not valid; give one of "
                f"{', '.join(c for c in STORAGE_CLASSES if c)} or leave it empty"), None
    own = f"{prefix}-{suffix}-txlog-"
    if other == suffix or (bucket and str(bucket).startswith(own)):
        return (f"{where}: {item!r} is this environment's own transaction-log bucket ({own}<account id> in {region}); "
                f"replicate to another environment's bucket"), None
    return None, (str(item_region), str(bucket or f"{prefix}-{other}-txlog-"))


def check_f15(rule, config, params):
    """Transaction-log bucket: lifecycle days S3 accepts, complete replication destinations (no AWS call)."""
    bad = []
    glacier, message = _storage_days(config, "storage_glacier_after_days", 0)
    bad.append(("storage_glacier_after_days", message))
    expiry, message = _storage_days(config, "storage_expiry_days", 1)
    bad.append(("storage_expiry_days", message))
    if glacier is not None and expiry is not None and expiry <= glacier:
        bad.append(("storage_expiry_days",
                    f"storage_expiry_days: {expiry} is not after storage_glacier_after_days ({glacier}); S3 requires the expiration "
                    f"to come after the Glacier transition. Valid: more than {glacier}"))
    _days, message = _storage_days(config, "storage_noncurrent_expiry_days", 1)
    bad.append(("storage_noncurrent_expiry_days", message))
    destinations = config.get("storage_replicate_to")
    destinations = [] if destinations is None else destinations
    if not isinstance(destinations, (list, tuple)):
        bad.append(("storage_replicate_to", f"storage_replicate_to: {destinations!r} is not a list; give a list of "
                                            f"{{suffix: <env suffix>, region: <region>}} or []"))
        destinations = []
    seen = []
    for index, item in enumerate(destinations):
        where = f"storage_replicate_to[{index}]"
        message, target = _f15_destination(item, where, config.get("platform_name_prefix"), config.get("platform_name_suffix"),
                                           config.get("platform_region"))
        if not message and target in seen:
            message = f"{where}: {item!r} repeats destination {target[1]} in {target[0]}; each destination once"
        seen.append(target)
        bad.append(("storage_replicate_to", message))
    findings = [rule.finding("fail", variable, config.get(variable), message) for variable, message in bad if message]
    if not findings:
        findings.append(rule.finding("pass", "storage_replicate_to", destinations,
                                     f"transaction logs to Glacier after {glacier} days, expiring after {expiry}; "
                                     f"{len(destinations)} replication destination{'' if len(destinations) == 1 else 's'}"))
    return findings


# ---------------------------------------------------------------------------
# F16 point-in-time recovery and backtrack
# ---------------------------------------------------------------------------
def check_f16(rule, config, params):
    engine = str(config.get("aurora_engine"))
    try:
        hours = _number(config, "aurora_backtrack_window_hours") or 0
        retention = _number(config, "aurora_backup_retention_days")
    except ValueError as exc:
        return [rule.finding("fail", str(exc).split(":", 1)[0], None, f"{exc}; give a whole number")]
    findings = []
    if hours and engine != "aurora-mysql":
        findings.append(rule.finding(
            "fail", "aurora_backtrack_window_hours", config["aurora_backtrack_window_hours"],
            f"aurora_backtrack_window_hours: {config['aurora_backtrack_window_hours']} is set for {engine}; backtrack exists for "
            f"aurora-mysql only. Set it to 0 and rely on point-in-time restore (aurora_backup_retention_days)",
        ))
    elif hours and not 0 < hours <= 72:
        findings.append(rule.finding(
            "fail", "aurora_backtrack_window_hours", config["aurora_backtrack_window_hours"],
            f"aurora_backtrack_window_hours: {config['aurora_backtrack_window_hours']} is outside 1-72 hours, the range Aurora MySQL accepts",
        ))
    if retention is not None and not 1 <= retention <= 35:
        findings.append(rule.finding(
            "fail", "aurora_backup_retention_days", config["aurora_backup_retention_days"],
            f"aurora_backup_retention_days: {config['aurora_backup_retention_days']} is outside 1-35; point-in-time recovery needs "
            f"automated backups kept for 1 to 35 days",
        ))
    if not findings:
        findings.append(rule.finding("pass", "aurora_backup_retention_days", retention,
                                     "point-in-time recovery on; backtrack only where the engine has it"))
    return findings


# ---------------------------------------------------------------------------
# BAK01 AWS Backup inputs
# ---------------------------------------------------------------------------
BACKUP_VAULT_RE = re.compile(r"^[a-zA-Z0-9_-]{2,50}$")
KMS_KEY_ARN_RE = re.compile(r"^arn:aws(?:-[a-z]+)*:kms:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:key/[A-Za-z0-9-]+$")


def _backup_days(config, key, low, high, why):
    value = config.get(key)
    try:
        days = int(str(value))
    except ValueError:
        return None, f"{key}: {value!r} is not a whole number of days; give {low}-{high} ({why})"
    if not low <= days <= high:
        return days, f"{key}: {value} is outside {low}-{high} ({why})"
    return days, None


def check_bak01(rule, config, params):
    """AWS Backup inputs: retention ranges, the DR region, copy destinations, the vault lock (no AWS call)."""
    bad = []
    continuous = _bool(config.get("backup_continuous_backup"))
    daily, message = _backup_days(config, "backup_daily_retention_days", 1, 35 if continuous else 36500,
                                  "continuous backup keeps 1-35 days" if continuous else "AWS Backup retention")
    bad.append(("backup_daily_retention_days", message))
    daily_valid = message is None
    weekly, message = _backup_days(config, "backup_weekly_retention_days", 1, 36500, "AWS Backup retention")
    bad.append(("backup_weekly_retention_days", message))
    lock, message = _backup_days(config, "backup_vault_lock_min_retention_days", 0, 36500, "0 means no Vault Lock")
    bad.append(("backup_vault_lock_min_retention_days", message))
    shortest = min(d for d in (daily, weekly) if d is not None) if daily is not None or weekly is not None else None
    if lock and shortest and not message and lock > shortest:
        bad.append(("backup_vault_lock_min_retention_days",
                    f"backup_vault_lock_min_retention_days: {lock} exceeds the shortest rule retention ({shortest} days); the lock "
                    f"would refuse those recovery points. Valid: 0-{shortest}"))
    aurora_days = config.get("aurora_backup_retention_days")
    if continuous and daily_valid and aurora_days is not None and str(config.get("backup_state")) == "present" \
            and str(aurora_days) != str(daily):
        bad.append(("aurora_backup_retention_days",
                    f"aurora_backup_retention_days: {aurora_days} disagrees with backup_daily_retention_days: {daily}. With "
                    f"backup_continuous_backup AWS Backup takes over the cluster's point-in-time recovery and sets its retention "
                    f"to the daily rule's; RDS then refuses any other BackupRetentionPeriod ('The BackupRetentionPeriod can be "
                    f"blank, or you can use the current value'). Set both to the same number of days ({daily}), or "
                    f"backup_continuous_backup: false"))
    changeable = config.get("backup_vault_lock_changeable_for_days")
    if str(changeable) not in ("0",) and not (str(changeable).isdigit() and int(str(changeable)) >= 3):
        bad.append(("backup_vault_lock_changeable_for_days",
                    f"backup_vault_lock_changeable_for_days: {changeable!r} is not valid; give 0 (governance mode) or 3 or more days "
                    f"(compliance mode)"))
    region = config.get("platform_region")
    dr_region = config.get("backup_copy_to_region") or ""
    if dr_region and not REGION_RE.fullmatch(str(dr_region)):
        bad.append(("backup_copy_to_region", f"backup_copy_to_region: {dr_region!r} is not an AWS region name; give one such as "
                                             f"'us-west-2', or '' for no DR copy"))
    elif dr_region and dr_region == region:
        bad.append(("backup_copy_to_region", f"backup_copy_to_region: {dr_region!r} is platform_region; a DR copy must go to "
                                             f"another region, or set it to ''"))
    dr_key = str(config.get("backup_copy_kms_key_arn") or "")
    key_match = KMS_KEY_ARN_RE.match(dr_key)
    if dr_key and not dr_region:
        bad.append(("backup_copy_kms_key_arn", f"backup_copy_kms_key_arn: {dr_key!r} is set but backup_copy_to_region is empty; "
                                               f"the key is the DR vault's, set backup_copy_to_region or leave the key ''"))
    elif dr_key and not key_match:
        bad.append(("backup_copy_kms_key_arn", f"backup_copy_kms_key_arn: {dr_key!r} is not a KMS key ARN; AWS Backup needs "
                                               f"arn:aws:kms:{dr_region}:<account>:key/<key id> (not an alias), or '' for aws/backup"))
    elif dr_key and key_match.group("region") != dr_region:
        bad.append(("backup_copy_kms_key_arn", f"backup_copy_kms_key_arn: {dr_key!r} is a key in {key_match.group('region')}, but "
                                               f"the DR vault is in backup_copy_to_region {dr_region!r}; a vault's key must be in "
                                               f"the vault's region: give a key ARN in {dr_region}"))
    copies = config.get("backup_weekly_copy_to")
    copies = [] if copies is None else copies
    if not isinstance(copies, (list, tuple)):
        bad.append(("backup_weekly_copy_to", f"backup_weekly_copy_to: {copies!r} is not a list; give a list of "
                                             f"{{region: <region>, vault: <vault name>}}"))
        copies = []
    for index, item in enumerate(copies):
        where = f"backup_weekly_copy_to[{index}]"
        item_region = item.get("region") if isinstance(item, dict) else None
        vault = item.get("vault") if isinstance(item, dict) else None
        if not item_region or not REGION_RE.fullmatch(str(item_region)) or not vault or not BACKUP_VAULT_RE.match(str(vault)):
            bad.append(("backup_weekly_copy_to",
                        f"{where}: {item!r} needs region (an AWS region name) and vault (2-50 letters, digits, '-' or '_'), e.g. "
                        f"{{region: us-east-2, vault: {config.get('platform_name_prefix')}-stg-vault}}"))
        elif item_region == region and vault == f"{config.get('platform_name_prefix')}-{config.get('platform_name_suffix')}-vault":
            bad.append(("backup_weekly_copy_to", f"{where}: {item!r} is this environment's own vault; copy to another environment's"))
    findings = [rule.finding("fail", variable, config.get(variable), message) for variable, message in bad if message]
    if not findings:
        findings.append(rule.finding("pass", "backup_daily_retention_days", daily,
                                     f"backup retention {daily}/{weekly} days, {len(copies)} cross-environment cop"
                                     f"{'y' if len(copies) == 1 else 'ies'}, DR region {dr_region or 'none'}"))
    return findings


# ---------------------------------------------------------------------------
# DMS01 migration source: credentials never literal, SSL verifiable
# ---------------------------------------------------------------------------
def check_dms01(rule, config, params):
    if not _bool(config.get("dms_enabled")):
        return [rule.finding("skip", "dms_enabled", False, "DMS is not enabled")]
    findings = []
    literals = [item for item in params.get("secret_literals") or [] if item.rsplit(": ", 1)[-1] in SECRET_VARIABLES]
    if literals:
        findings.append(rule.finding(
            "fail", "dms_source_password", "<literal>",
            f"dms_source_password is a plain literal in {_joined(literals)}; encrypt it with ansible-vault "
            "(ansible-vault encrypt_string), take it from an AWX credential or a lookup, or use dms_source_secret_id",
        ))
    secret = str(config.get("dms_source_secret_id") or "")
    user, password, host = (str(config.get(name) or "") for name in ("dms_source_username", "dms_source_password", "dms_source_host"))
    if secret and (user or password):
        findings.append(rule.finding(
            "fail", "dms_source_secret_id", secret,
            "dms_source_secret_id and dms_source_username/dms_source_password are exclusive: with a secret, DMS reads the "
            "credentials, host and port from it; remove the user and password",
        ))
    elif not secret and not (user and password and host):
        missing = [name for name, value in (("dms_source_username", user), ("dms_source_password", password),
                                            ("dms_source_host", host)) if not value]
        findings.append(rule.finding(
            "fail", "dms_source_secret_id", "",
            f"dms_enabled is true but the source has no credentials: set dms_source_secret_id (a Secrets Manager secret with "
            f"username, password, host and port) or {_joined(missing)} (the password from ansible-vault or an AWX credential)",
        ))
    try:
        port = _number(config, "dms_source_port")
    except ValueError as exc:
        port = None
        findings.append(rule.finding("fail", "dms_source_port", config.get("dms_source_port"), f"{exc}; give a port number 1-65535"))
    if port is not None and not 1 <= port <= 65535:
        findings.append(rule.finding("fail", "dms_source_port", config["dms_source_port"],
                                     f"dms_source_port: {config['dms_source_port']} is not a port; give 1-65535"))
    ssl_mode = str(config.get("dms_ssl_mode") or "")
    if ssl_mode in ("verify-ca", "verify-full") and not config.get("dms_source_certificate_arn"):
        findings.append(rule.finding(
            "fail", "dms_ssl_mode", ssl_mode,
            f"dms_ssl_mode: {ssl_mode} needs dms_source_certificate_arn (the DMS certificate of the source's CA); "
            "use require to encrypt without verifying the server",
        ))
    elif ssl_mode == "none":
        findings.append(rule.finding("warn", "dms_ssl_mode", ssl_mode,
                                     "dms_ssl_mode: none sends the migrated data unencrypted; use require (the default)"))
    if not findings:
        findings.append(rule.finding("pass", "dms_source_secret_id", secret or None,
                                     f"source credentials from {'the secret ' + secret if secret else 'vaulted variables'}, SSL {ssl_mode}"))
    return findings


# ---------------------------------------------------------------------------
# DMS02 migration source reachable: private source networks need a route to the data centre
# ---------------------------------------------------------------------------
RFC1918 = tuple(ipaddress.ip_network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
ROUTE_TARGET_RE = re.compile(r"^(?:vgw|tgw)-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
ROUTE_TARGET_FIX = ("set network_dms_source_route_target to the transit gateway (tgw-...) or VPN gateway (vgw-...) that reaches "
                    "the data centre: the private route tables send 0.0.0.0/0 to the NAT gateway, which cannot reach private addresses")


def _rfc1918(network):
    return any(network.subnet_of(block) for block in RFC1918 if network.version == block.version)


def check_dms02(rule, config, params):
    findings = []
    target = str(config.get("network_dms_source_route_target") or "")
    if target and not ROUTE_TARGET_RE.match(target):
        findings.append(rule.finding("fail", "network_dms_source_route_target", target,
                                     f"network_dms_source_route_target: {target!r} is not a transit gateway (tgw-...) or VPN gateway "
                                     "(vgw-...) id; give one of those, or leave it empty when no source network is private"))
    try:
        vpc = ipaddress.ip_network(str(config.get("network_vpc_cidr")), strict=False)
    except ValueError:
        vpc = None  # NET01 reports it
    for cidr in config.get("network_dms_source_cidrs") or []:
        try:
            network = ipaddress.ip_network(str(cidr), strict=False)
        except ValueError:
            findings.append(rule.finding("fail", "network_dms_source_cidrs", cidr,
                                         f"network_dms_source_cidrs: {cidr!r} is not a CIDR block; give networks like 192.168.10.0/24"))
            continue
        if vpc is not None and network.version == vpc.version and network.overlaps(vpc):
            findings.append(rule.finding(
                "fail", "network_dms_source_cidrs", cidr,
                f"network_dms_source_cidrs: {cidr} overlaps network_vpc_cidr {vpc}; the VPC's local route wins for those "
                "addresses, so the source would never be reached on premises. Give the data centre's own network, or "
                "choose a network_vpc_cidr that does not overlap it",
            ))
        elif _rfc1918(network) and not target:
            findings.append(rule.finding("fail", "network_dms_source_cidrs", cidr,
                                         f"network_dms_source_cidrs: {cidr} is a private (RFC 1918) network and "
                                         f"network_dms_source_route_target is empty; {ROUTE_TARGET_FIX}"))
    host = str(config.get("dms_source_host") or "")
    if _bool(config.get("dms_enabled")) and host and not target:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None  # a DNS name: its address is not known before the run
        if address is not None and _rfc1918(ipaddress.ip_network(address)) and not (vpc is not None and address in vpc):
            findings.append(rule.finding("fail", "dms_source_host", host,
                                         f"dms_source_host: {host} is a private (RFC 1918) address outside the VPC and "
                                         f"network_dms_source_route_target is empty; {ROUTE_TARGET_FIX}"))
    if not findings:
        cidrs = list(config.get("network_dms_source_cidrs") or [])
        findings.append(rule.finding("pass", "network_dms_source_route_target", target or None,
                                     f"source networks {_joined(map(str, cidrs)) if cidrs else '(none)'} routed "
                                     f"{'to ' + target if target else 'by the default routes'}"))
    return findings


# ---------------------------------------------------------------------------
# NET01 network addressing
# ---------------------------------------------------------------------------
def check_net01(rule, config, params):
    try:
        plan = subnet_plan(
            config.get("network_vpc_cidr"),
            config.get("network_az_count"),
            newbits=config.get("network_subnet_newbits"),
            explicit=config.get("network_subnet_cidrs"),
        )
    except (PlanError, TypeError, ValueError) as exc:
        message = str(exc)
        variable = message.split(":", 1)[0] if isinstance(exc, PlanError) else "network_subnet_newbits"
        if not isinstance(exc, PlanError):
            message = f"network_subnet_newbits: {config.get('network_subnet_newbits')!r} is not a whole number ({exc})"
        variable = variable.split(".")[0].split("[")[0]
        return [rule.finding("fail", variable, config.get(variable), message)]
    return [rule.finding("pass", "network_vpc_cidr", config.get("network_vpc_cidr"),
                         f"subnet plan: {sum(len(c) for c in plan.values())} non-overlapping subnets inside the VPC")]


def check_net02(rule, config, params):
    """network_az_count is at most the region's available zones (looked up read-only by the playbook)."""
    zones = params.get("availability_zones")
    count = config.get("network_az_count")
    if zones is None:
        return [rule.finding("skip", "network_az_count", count, "the region's availability zones were not looked up here (the preflight playbook looks them "
                                     "up read-only after the credentials check)")]
    wanted = _whole(count)
    if wanted is None or wanted < 1:
        return [rule.finding("fail", "network_az_count", count, f"network_az_count: {count!r} is not a whole number of zones, 1 or more")]
    if wanted > len(zones):
        return [rule.finding(
            "fail", "network_az_count", count,
            f"network_az_count: {count} is more than the {len(zones)} available zones of {config.get('platform_region')} "
            f"({', '.join(sorted(zones))}); valid: 1-{len(zones)}")]
    return [rule.finding("pass", "network_az_count", count,
                         f"{wanted} of the {len(zones)} available zones of {config.get('platform_region')}")]


# ---------------------------------------------------------------------------
# AWS01 values each service accepts (published value sets, not guesses)
# ---------------------------------------------------------------------------
# CloudWatch Logs PutRetentionPolicy: retentionInDays "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180,
# 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653."
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
LOG_RETENTION_VARIABLES = ("network_flow_logs_retention_days", "ecs_log_retention_days", "aurora_log_retention_days")
# Performance Insights retention: 7 (the free tier), a number of months * 31 (1-23 months) or 731 days.
PI_RETENTION_DAYS = (7,) + tuple(31 * months for months in range(1, 24)) + (731,)
# Fargate task sizes: cpu units -> the memory values (MiB) Fargate offers with them.
FARGATE_SIZES = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}
AWS01_REFERENCES = (
    "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html; "
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size; "
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ServerlessV2ScalingConfiguration.html; "
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html; "
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.Overview.cost.html"
)


def _whole(value):
    """``value`` as an int when it is a whole number (also '30' or 30.0), else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _shown(value):
    """A value as the user typed it: numbers (also '30' from the command line) bare, anything else quoted."""
    try:
        float(str(value))
        return str(value)
    except ValueError:
        return repr(value)


def _nearest(value, allowed):
    below = [a for a in allowed if a <= value]
    above = [a for a in allowed if a >= value]
    return sorted(set(below[-1:] + above[:1]))


def check_aws01(rule, config, params):
    """Retention days, task sizes, capacities and retention periods within the sets each AWS service accepts."""
    bad = []
    for name in LOG_RETENTION_VARIABLES:
        if config.get(name) is None:
            continue
        days = _whole(config[name])
        if days not in LOG_RETENTION_DAYS:
            near = f" (nearest: {' or '.join(map(str, _nearest(days, LOG_RETENTION_DAYS)))})" if days is not None else ""
            bad.append((name, f"{name}: {_shown(config[name])} is not a retention CloudWatch Logs accepts{near}; valid: "
                              f"{', '.join(map(str, LOG_RETENTION_DAYS))}"))
    if config.get("aurora_performance_insights_retention_days") is not None:
        days = _whole(config["aurora_performance_insights_retention_days"])
        if days not in PI_RETENTION_DAYS:
            bad.append(("aurora_performance_insights_retention_days",
                        f"aurora_performance_insights_retention_days: {_shown(config['aurora_performance_insights_retention_days'])} is not a "
                        f"Performance Insights retention; valid: 7 (free), a number of months times 31 (31, 62, ... 713) or 731"))
    if config.get("aurora_backup_retention_days") is not None:
        days = _whole(config["aurora_backup_retention_days"])
        if days is None or not 1 <= days <= 35:
            bad.append(("aurora_backup_retention_days", f"aurora_backup_retention_days: {_shown(config['aurora_backup_retention_days'])} "
                                                        f"is outside what RDS accepts; valid: a whole number of days, 1-35"))
    for name, low, high in (("aurora_serverless_v2_min_capacity", 0, 256), ("aurora_serverless_v2_max_capacity", 1, 256)):
        if config.get(name) is None or not _bool(config.get("aurora_serverless_v2", True)):
            continue
        try:
            acus = float(str(config[name]))
        except ValueError:
            continue  # SIZE names a value that is not a number
        if not low <= acus <= high or (acus * 2) != int(acus * 2):
            bad.append((name, f"{name}: {_shown(config[name])} is not a Serverless v2 capacity; valid: {low}-{high} ACUs in steps of 0.5 "
                              f"(for example 0.5, 1, 1.5 ... 256){' (0 pauses the cluster where the version supports it)' if low == 0 else ''}"))
    if config.get("ecs_cpu") is not None or config.get("ecs_memory") is not None:
        cpu, memory = _whole(_get_any(config, "ecs_cpu", 256)), _whole(_get_any(config, "ecs_memory", 512))
        if cpu not in FARGATE_SIZES:
            bad.append(("ecs_cpu", f"ecs_cpu: {_shown(config.get('ecs_cpu'))} is not a Fargate cpu value; valid: "
                                   f"{', '.join(map(str, FARGATE_SIZES))}"))
        elif memory not in FARGATE_SIZES[cpu]:
            offered = FARGATE_SIZES[cpu]
            fits = [str(c) for c, sizes in FARGATE_SIZES.items() if memory in sizes]
            bad.append(("ecs_memory",
                        f"ecs_memory: {_shown(_get_any(config, 'ecs_memory', 512))} with ecs_cpu {cpu} is not a Fargate task size; with {cpu} cpu "
                        f"units Fargate offers {offered[0]}-{offered[-1]} MiB ({', '.join(map(str, offered))})"
                        + (f"; {memory} MiB goes with ecs_cpu {' or '.join(fits)}" if fits else "")))
    findings = [rule.finding("fail", name, config.get(name), message) for name, message in bad]
    return findings or [rule.finding("pass", "*", "", "retentions, task size and capacities are values AWS accepts")]


def _get_any(config, key, default):
    value = config.get(key)
    return default if value is None else value


# ---------------------------------------------------------------------------
# DEL01 production keeps its deletion protection
# ---------------------------------------------------------------------------
PROTECTION_VARIABLES = ("aurora_deletion_protection", "alb_deletion_protection")


def check_del01(rule, config, params):
    env = config.get("platform_env")
    if env not in params["prod_envs"]:
        return [rule.finding("skip", "platform_env", env, f"environment {env} is not production")]
    off = [name for name in PROTECTION_VARIABLES if name in config and not _bool(config[name])]
    if not off:
        return [rule.finding("pass", "aurora_deletion_protection", True, "the cluster and the load balancer keep deletion protection")]
    if _bool(config.get("platform_accept_unprotected_prod")):
        return [rule.finding("warn", name, False,
                             f"{name}: false in environment {env}, accepted by platform_accept_unprotected_prod: true; one "
                             f"mistaken delete or teardown removes it") for name in off]
    return [rule.finding(
        "fail", name, config[name],
        f"{name}: {config[name]!r} in environment {env} turns deletion protection off; a mistaken delete or teardown would then "
        f"remove it. Keep it true, or set platform_accept_unprotected_prod: true to accept that") for name in off]


# VAR01: the prefixes of the roles' inputs, and the platform-wide inputs no role's argument spec declares.
ROLE_PREFIX_RE = re.compile(r"^(platform|network|security|storage|aurora|db_users|alb|ecs|monitoring|dms|backup|outputs)_[a-z]")
PLATFORM_VARIABLES = frozenset((
    "platform_aws_endpoint_url", "platform_aws_access_key", "platform_aws_secret_key", "platform_env_regions",
    "platform_required_tags", "platform_required_tag_values", "platform_accept_unprotected_prod",
))


# Inputs this collection replaced: named with their replacement instead of a near-miss guess.
RENAMED_VARIABLES = {
    "network_name_prefix": "platform_name_prefix",
    "security_name_prefix": "platform_name_prefix",
    "dms_name_prefix": "platform_name_prefix",
    "ecs_container_port": "network_app_port",
    "network_dms_source_port": "dms_source_port",
}


def _closest(word, candidates):
    return difflib.get_close_matches(word, sorted(candidates), n=3, cutoff=0.75)


def check_var01(rule, config, params):
    """Every role-prefixed variable is an input of a role (a typo is named with a suggestion); the region exists."""
    findings = []
    known = params.get("known_variables")
    if known:
        known = set(known) | PLATFORM_VARIABLES
        # aurora_master_password is refused by F13, with what to do instead.
        for name in sorted(key for key in config if ROLE_PREFIX_RE.match(key) and key not in known | {"aurora_master_password"}):
            prefix = ROLE_PREFIX_RE.match(name).group(1)
            if name in RENAMED_VARIABLES:
                findings.append(rule.finding(
                    "fail", name, redact(config[name], name),
                    f"{name} was replaced by {RENAMED_VARIABLES[name]}, the one input of that value for every tier "
                    f"that uses it; rename it, keeping the value"))
                continue
            close = _closest(name, known)
            hint = f"did you mean {' or '.join(close)}?" if close else (
                "valid " + prefix + "_ inputs: " + _joined(sorted(k for k in known if k.startswith(prefix + "_"))[:12]) + "...")
            findings.append(rule.finding(
                "fail", name, redact(config[name], name),
                f"{name} is not an input of any role (roles/*/meta/argument_specs.yml), so it would be ignored: {hint}"))
    regions = params.get("valid_regions")
    region = config.get("platform_region")
    if regions and region is not None:
        if region in regions:
            findings.append(rule.finding("pass", "platform_region", region, f"{region} is an AWS region"))
        else:
            close = _closest(str(region), regions)
            findings.append(rule.finding(
                "fail", "platform_region", region,
                f"platform_region: {region} is not an AWS region"
                + (f"; did you mean {' or '.join(close)}?" if close else "")
                + f" Valid regions: {', '.join(sorted(regions))}."))
    if known and not any(f["status"] == "fail" and f["variable"] != "platform_region" for f in findings):
        findings.append(rule.finding("pass", "*", "", "every role-prefixed variable is an input of a role"))
    return findings or [rule.finding("skip", "*", "", "no known_variables nor valid_regions given")]


RULES = (
    Rule("F06", "error", "ECS tasks can reach ECR", CATALOGUE + "F06; https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
         check_f06,
         reads=("ecs_assign_public_ip", "ecs_image", "ecs_subnet_tier", "network_nat_mode", "network_s3_gateway_endpoint", "network_vpc_endpoints",
                "platform_region")),
    Rule("F07", "error", "No foreign region literal", CATALOGUE + "F07", check_f07,
         reads=("*", "platform_region")),
    Rule("F08", "error", "Valid, unique name suffix", CATALOGUE + "F08", check_f08,
         reads=("platform_env", "platform_name_prefix", "platform_name_suffix")),
    Rule("F09", "error", "Required tags", CATALOGUE + "F09", check_f09,
         reads=("platform_required_tag_values", "platform_required_tags", "platform_tags")),
    Rule("F10", "error", "Environment region", CATALOGUE + "F10", check_f10,
         reads=("platform_env", "platform_env_regions", "platform_region")),
    Rule("F11", "error", "DMS IAM roles", CATALOGUE + "F11; https://docs.aws.amazon.com/dms/latest/userguide/security-iam.html",
         check_f11,
         reads=("dms_enabled", "security_create_dms_roles")),
    Rule("F12", "error", "Backup/maintenance windows",
         CATALOGUE + "F12; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html", check_f12,
         reads=("aurora_backup_window", "aurora_maintenance_window")),
    Rule("F13", "error", "Master password policy",
         CATALOGUE + "F13; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html", check_f13,
         reads=("aurora_master_password", "security_db_password_mode")),
    Rule("F14", "warning", "Security hygiene", CATALOGUE + "F14", check_f14,
         reads=("alb_certificate_arn", "db_users_rotation_lambda_arn", "network_flow_logs_enabled", "platform_env", "security_db_password_mode",
                "security_secret_rotation_lambda_arn")),
    Rule("F15", "error", "Transaction-log bucket lifecycle and replication",
         CATALOGUE + "F15; https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html", check_f15,
         reads=("platform_name_prefix", "platform_name_suffix", "platform_region", "storage_expiry_days", "storage_glacier_after_days",
                "storage_noncurrent_expiry_days", "storage_replicate_to")),
    Rule("F16", "error", "Point-in-time recovery and backtrack",
         CATALOGUE + "F16; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html", check_f16,
         reads=("aurora_backtrack_window_hours", "aurora_backup_retention_days", "aurora_engine")),
    Rule("BAK01", "error", "AWS Backup inputs",
         CATALOGUE + "F16; https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html", check_bak01,
         reads=("aurora_backup_retention_days", "backup_continuous_backup", "backup_copy_kms_key_arn", "backup_copy_to_region",
                "backup_daily_retention_days", "backup_state", "backup_vault_lock_changeable_for_days", "backup_vault_lock_min_retention_days",
                "backup_weekly_copy_to", "backup_weekly_retention_days", "platform_name_prefix", "platform_name_suffix", "platform_region")),
    Rule("SIZE", "error", "Sizing sanity", "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html",
         check_size,
         reads=("aurora_serverless_v2_max_capacity", "aurora_serverless_v2_min_capacity", "ecs_autoscaling_max", "ecs_autoscaling_min",
                "ecs_desired_count", "platform_env")),
    Rule("DMS01", "error", "Migration source credentials and SSL",
         CATALOGUE + "F13; https://docs.aws.amazon.com/dms/latest/userguide/security_iam_secretsmanager.html", check_dms01,
         reads=("dms_enabled", "dms_source_certificate_arn", "dms_source_host", "dms_source_password", "dms_source_port", "dms_source_secret_id",
                "dms_source_username", "dms_ssl_mode")),
    Rule("DMS02", "error", "Migration source reachable", "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_ReplicationInstance.VPC.html",
         check_dms02,
         reads=("dms_enabled", "dms_source_host", "network_dms_source_cidrs", "network_dms_source_route_target", "network_vpc_cidr")),
    Rule("NET01", "error", "Network addressing", "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html", check_net01,
         reads=("network_az_count", "network_subnet_cidrs", "network_subnet_newbits", "network_vpc_cidr")),
    Rule("VAR01", "error", "Known variables and region", "https://docs.aws.amazon.com/general/latest/gr/rande.html", check_var01,
         reads=("*", "platform_region")),
    Rule("NET02", "error", "Availability zones in the region",
         "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html", check_net02,
         reads=("network_az_count", "platform_region")),
    Rule("AWS01", "error", "Values AWS accepts", AWS01_REFERENCES, check_aws01,
         reads=("aurora_backup_retention_days", "aurora_log_retention_days", "aurora_performance_insights_retention_days", "aurora_serverless_v2",
                "aurora_serverless_v2_max_capacity", "aurora_serverless_v2_min_capacity", "ecs_cpu", "ecs_log_retention_days", "ecs_memory",
                "network_flow_logs_retention_days")),
    Rule("DEL01", "error", "Production deletion protection",
         "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeleteCluster.html#USER_DeletionProtection", check_del01,
         reads=("alb_deletion_protection", "aurora_deletion_protection", "platform_accept_unprotected_prod", "platform_env")),
)
RULE_IDS = tuple(rule.id for rule in RULES)
# Either spelling of a rule, by its id or its check name, to its id.
RULE_ALIASES = {**{rule.id: rule.id for rule in RULES}, **{rule.name: rule.id for rule in RULES}}
VERSION_RULE = Rule("VER01", "error", "Resolved engine versions", "ARCHITECTURE.md Version intelligence", None)


def evaluate(config, rule_ids=None, params=None, extra_rules=()):
    """Run the rules named in ``rule_ids`` (default all, in table order, then ``extra_rules``) over ``config``.

    ``extra_rules``: the rules the roles declare (role_rules.load), run after the central table.
    """
    rules = RULES + tuple(extra_rules)
    valid = tuple(rule.id for rule in rules)
    unknown = [rule_id for rule_id in (rule_ids or []) if rule_id not in valid]
    if unknown:
        raise ValueError(f"rules: unknown rule id(s) {_joined(unknown)}; valid ids are {', '.join(valid)}")
    merged = dict(DEFAULT_PARAMS)
    merged.update({key: value for key, value in (params or {}).items() if value is not None})
    findings = []
    for rule in rules:
        if rule_ids is None or rule.id in rule_ids:
            findings.extend(rule.check(rule, config or {}, merged))
    return findings


def version_findings(resolved_versions):
    """VER01: one finding per ``{name: result of <name>_engine_version}`` entry."""
    rule = VERSION_RULE
    findings = []
    for name, result in sorted((resolved_versions or {}).items()):
        result = result if isinstance(result, dict) else {}
        version = result.get("version") or result.get("engine_version")
        refused = [check for check in result.get("checks") or [] if check.get("status") == "fail"] if result.get("failed") else []
        for check in refused:
            # A version module's check detail names its variable ("aurora_instance_class: db.x9.huge is not orderable ...").
            detail = str(check.get("detail") or check.get("check") or "refused")
            named = re.match(r"([a-z][a-z0-9_]*): ", detail)
            findings.append(rule.finding("fail", named.group(1) if named else f"{name}_engine_version", version, detail))
        if refused:
            continue
        if result.get("failed") or not version:
            reason = result.get("msg") or "no version was resolved"
            findings.append(rule.finding("fail", f"{name}_engine_version", version,
                                         f"{name}_engine_version: {reason}; choose a version the region offers"))
        else:
            source = f" (source: {result['source']})" if result.get("source") else ""
            findings.append(rule.finding("pass", f"{name}_engine_version", version, f"{name} engine version {version}{source}"))
    return findings


def summary(findings):
    """Counts by status, and the ids of the rules that failed or warned."""
    counts = {"errors": 0, "warnings": 0, "passed": 0, "skipped": 0}
    key = {"fail": "errors", "warn": "warnings", "pass": "passed", "skip": "skipped"}
    failed, warned = [], []
    for finding in findings:
        counts[key[finding["status"]]] += 1
        bucket = failed if finding["status"] == "fail" else warned if finding["status"] == "warn" else None
        if bucket is not None and finding["rule"] not in bucket:
            bucket.append(finding["rule"])
    counts["failed_rules"] = failed
    counts["warned_rules"] = warned
    return counts


def render_table(findings, message_width=72, variable_width=30):
    """A fixed-width text table ``rule | status | variable | message``; long cells wrap."""
    widths = (6, 6, variable_width, message_width)
    header = ("rule", "status", "variable", "message")
    rule_line = "-+-".join("-" * width for width in widths)
    lines = [_row(header, widths), rule_line]
    for finding in findings:
        cells = (finding["rule"], finding["status"], finding["variable"] or "", finding["message"])
        wrapped = [textwrap.wrap(str(cell), width, break_long_words=True, break_on_hyphens=False) or [""]
                   for cell, width in zip(cells, widths)]
        for index in range(max(len(column) for column in wrapped)):
            lines.append(_row([column[index] if index < len(column) else "" for column in wrapped], widths))
    return "\n".join(lines)


def _row(cells, widths):
    return " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths)).rstrip()
