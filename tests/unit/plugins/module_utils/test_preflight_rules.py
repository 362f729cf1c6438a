# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import re

import pytest

from ansible_collections.payments.aws_platform.plugins.module_utils import preflight_rules as pr
from role_declarations import effective
from role_declarations import known_variables
from role_declarations import other_region_variables


def evaluate(config, *args):
    """The rules on ``config`` over the roles' defaults, as playbooks/preflight.yml calls them."""
    return pr.evaluate(effective(config), *args)


GOOD = {
    "platform_env": "prod",
    "platform_region": "us-east-1",
    "platform_name_suffix": "prod",
    "platform_tags": {"Environment": "production", "Project": "ecommerce-api", "Owner": "payments", "CostCenter": "4711"},
    "network_nat_mode": "per_az",
    "aurora_backup_window": "03:00-03:30",
    "aurora_maintenance_window": "sun:05:00-sun:05:30",
    "security_secret_rotation_days": 30,
    "ecs_desired_count": 2,
    # Good in prod: HTTPS, and the database users' secrets rotated (F14 warns otherwise).
    "alb_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/x",
    "db_users_rotation_lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:rotate",
}
LAMBDA = GOOD["db_users_rotation_lambda_arn"]


def run(rule_id, params=None, **overrides):
    config = dict(GOOD)
    config.update(overrides)
    return evaluate(config, [rule_id], params)


def statuses(findings):
    return [finding["status"] for finding in findings]


def only(findings):
    assert len(findings) == 1, findings
    return findings[0]


def test_the_good_configuration_passes_every_rule():
    findings = evaluate(GOOD)
    assert {f["rule"] for f in findings} == set(pr.RULE_IDS)
    assert set(statuses(findings)) <= {"pass", "skip"}
    for finding in findings:
        assert set(finding) == {"rule", "check", "title", "severity", "status", "variable", "value", "message", "reference"}


def test_unknown_rule_id_refused():
    with pytest.raises(ValueError, match="rules: unknown rule id.s. F99; valid ids are F06, F07"):
        evaluate(GOOD, ["F99"])


def test_empty_config_evaluates():
    findings = evaluate(None)
    assert "fail" in statuses(findings)


# ---------------------------------------------------------------- F06
PRIVATE_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments/api:1.4.2"


def test_f06_isolated_subnets_without_endpoints_refused():
    finding = only(run("F06", network_nat_mode="none", network_vpc_endpoints=["ecr.api"], network_s3_gateway_endpoint=False,
                       ecs_image=PRIVATE_IMAGE))
    assert finding["status"] == "fail"
    assert finding["variable"] == "network_vpc_endpoints"
    assert finding["message"].startswith(
        "ecs_subnet_tier 'private' with network_nat_mode 'none': network_vpc_endpoints lacks ecr.dkr, logs and "
        "secretsmanager; network_s3_gateway_endpoint is false (image layers are in S3). Tasks would stay PENDING"
    )


def test_f06_isolated_tier_without_s3_gateway_refused():
    finding = only(run("F06", ecs_subnet_tier="isolated", network_s3_gateway_endpoint=False, ecs_image=PRIVATE_IMAGE))
    assert finding["variable"] == "network_s3_gateway_endpoint"
    assert "ecs_subnet_tier 'isolated' with isolated subnets have no NAT route: network_s3_gateway_endpoint is false" in finding["message"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"network_nat_mode": "none", "ecs_image": PRIVATE_IMAGE},  # role default endpoints are complete
        {"network_nat_mode": "none", "network_vpc_endpoints": [
            "com.amazonaws.us-east-1.ecr.api", "com.amazonaws.us-east-1.ecr.dkr", "logs", "secretsmanager"], "ecs_image": PRIVATE_IMAGE},
        {"ecs_subnet_tier": "isolated", "ecs_image": "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/cache/nginx:1"},
        {"network_nat_mode": "single"},  # ECR Public through the NAT
        {"network_nat_mode": "single", "ecs_image": "docker.io/library/nginx:stable"},
        {"ecs_subnet_tier": "public", "ecs_assign_public_ip": "yes"},
    ],
)
def test_f06_isolated_subnets_with_endpoints_nat_or_public_ip_passes(overrides):
    assert statuses(run("F06", **overrides)) == ["pass"]


def test_f06_secrets_need_secretsmanager_endpoint_refused():
    finding = only(run("F06", network_nat_mode="none", network_vpc_endpoints=["ecr.api", "ecr.dkr", "logs"], ecs_image=PRIVATE_IMAGE))
    assert "network_vpc_endpoints lacks secretsmanager." in finding["message"]


@pytest.mark.parametrize(
    "image, where",
    [
        ("public.ecr.aws/nginx/nginx-unprivileged:stable-alpine", "outside this environment's private ECR"),
        ("nginx:stable", "outside this environment's private ECR"),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:1", "a private ECR registry of eu-west-1"),
    ],
)
def test_f06_endpoints_only_tasks_with_an_image_outside_the_regions_private_ecr_refused(image, where):
    finding = only(run("F06", network_nat_mode="none", ecs_image=image))
    assert (finding["status"], finding["variable"], finding["value"]) == ("fail", "ecs_image", image)
    assert finding["message"].startswith(f"ecs_image: {image!r} is {where}, and tasks with network_nat_mode 'none' and no public IP")
    for fix in ("<account>.dkr.ecr.us-east-1.amazonaws.com", "pull-through cache", "network_nat_mode single/per_az", "ecs_assign_public_ip: true"):
        assert fix in finding["message"]


def test_f06_role_default_image_refused_in_isolated_subnets_beside_missing_endpoints():
    findings = run("F06", ecs_subnet_tier="isolated", network_vpc_endpoints=["ecr.api"])
    assert [(f["status"], f["variable"]) for f in findings] == [("fail", "network_vpc_endpoints"), ("fail", "ecs_image")]
    assert "ecs_subnet_tier 'isolated' (no NAT route)" in findings[1]["message"]


def test_f06_public_subnets_without_public_ip_refused():
    finding = only(run("F06", ecs_subnet_tier="public", ecs_assign_public_ip=False))
    assert finding["status"] == "fail"
    assert finding["message"].startswith("ecs_assign_public_ip: false with ecs_subnet_tier 'public' leaves tasks without a route")


def test_f06_unknown_tier_refused():
    finding = only(run("F06", ecs_subnet_tier="dmz"))
    assert finding["message"] == "ecs_subnet_tier: 'dmz' is not a subnet tier; choose public, private or isolated"


# ---------------------------------------------------------------- F07
def test_f07_foreign_region_in_log_options_refused():
    findings = run("F07", platform_region="eu-south-1", ecs_log_options={"awslogs-region": "us-east-1"},
                   alb_certificate_arn="", db_users_rotation_lambda_arn="",
                   endpoints=["com.amazonaws.ap-southeast-2.s3", "arn:aws-us-gov:logs:us-gov-west-1:1:log-group:x"],
                   network_availability_zones=["eu-south-1a", "eu-west-1b"])
    findings = sorted(findings, key=lambda finding: finding["variable"])
    assert [(f["status"], f["variable"]) for f in findings] == [
        ("fail", "ecs_log_options.awslogs-region"),
        ("fail", "endpoints[0]"),
        ("fail", "endpoints[1]"),
        ("fail", "network_availability_zones[1]"),
    ]
    assert findings[0]["message"].startswith(
        "ecs_log_options.awslogs-region: contains region 'us-east-1' but platform_region is 'eu-south-1'; derive it from platform_region"
    )
    assert "'us-gov-west-1'" in findings[2]["message"]


def test_f07_region_derived_and_role_declared_values_pass():
    dr_key = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    findings = run("F07", params={"region_allowlist": other_region_variables()}, ecs_log_options={"awslogs-region": "us-east-1"},
                   backup_copy_to_region="us-west-2", backup_copy_kms_key_arn=dr_key,
                   backup_weekly_copy_to=[{"region": "us-east-2", "vault": "payments-stg-vault"}],
                   storage_replicate_to=[{"region": "us-east-2"}], platform_env_regions={"dev": "us-west-2"},
                   name="status-east-1 us-east-1b")
    assert statuses(findings) == ["pass"]


def test_f07_roles_declare_their_other_region_variables():
    assert sorted(other_region_variables()) == sorted([
        "platform_env_regions", "backup_copy_to_region", "backup_copy_kms_key_arn", "backup_weekly_copy_to", "storage_replicate_to"])


def test_f07_without_the_declarations_a_dr_key_is_a_foreign_region():
    dr_key = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    findings = run("F07", backup_copy_kms_key_arn=dr_key)
    assert [(f["status"], f["variable"]) for f in findings] == [("fail", "backup_copy_kms_key_arn")]


def test_f07_allowlist_is_a_parameter():
    findings = run("F07", params={"region_allowlist": ["dr.region"]}, dr={"region": "us-west-2", "other": "us-west-2"},
                   backup_copy_to_region="us-west-2")
    assert sorted(f["variable"] for f in findings) == ["backup_copy_to_region", "dr.other"]


def test_f07_without_platform_region_skipped():
    assert statuses(run("F07", platform_region=None)) == ["skip"]


# ---------------------------------------------------------------- F08
@pytest.mark.parametrize(
    "suffix, message",
    [
        (None, "platform_name_suffix: not set; every environment needs a suffix"),
        ("", "platform_name_suffix: not set"),
        ("Prod", "platform_name_suffix: 'Prod' is not valid; use 1-16 lower-case letters, digits or dashes"),
        ("-prod", "platform_name_suffix: '-prod' is not valid"),
        ("a" * 17, "is not valid"),
        (7, "platform_name_suffix: 7 is not valid"),
    ],
)
def test_f08_missing_or_malformed_suffix_refused(suffix, message):
    finding = only(run("F08", platform_name_suffix=suffix))
    assert finding["status"] == "fail"
    assert message in finding["message"]


def test_f08_suffix_shared_with_another_inventory_refused():
    finding = only(run("F08", params={"other_suffixes": {"staging (payments_staging)": "prod", "dev (payments_dev)": "dev"}}))
    assert finding["message"] == (
        "platform_name_suffix: 'prod' of environment prod is also the suffix of staging (payments_staging); "
        "resource names would collide, give each environment its own suffix"
    )


def test_f08_an_inventory_of_the_same_environment_is_compared_too():
    finding = only(run("F08", params={"other_suffixes": {"prod-eu (payments_prod)": "prod"}}))
    assert finding["status"] == "fail" and "is also the suffix of prod-eu (payments_prod)" in finding["message"]


def test_f08_two_other_inventories_sharing_a_suffix_refused():
    finding = only(run("F08", params={"other_suffixes": {"examples/a (payments_a)": "x", "examples/b (payments_b)": "x"}}))
    assert finding["message"].startswith("platform_name_suffix: 'x' is used by each of examples/a (payments_a) and examples/b (payments_b);")


def test_f08_unique_suffix_passes():
    assert statuses(run("F08", params={"other_suffixes": {"staging (payments_staging)": "stg", "dev (payments_dev)": "dev"}})) == ["pass"]


@pytest.mark.parametrize("prefix", ["Payments", "pay_ments", "pay--ments", "payments-", "1pay", "", 7])
def test_f08_a_prefix_aws_names_cannot_take_is_refused(prefix):
    finding = only(run("F08", platform_name_prefix=prefix))
    assert finding["status"] == "fail" and finding["variable"] == "platform_name_prefix"
    assert finding["message"] == (
        f"platform_name_prefix: {prefix!r} is not valid; use lower-case letters and digits in words joined by single "
        "dashes, starting with a letter (e.g. payments, acme-pay)")


def test_f08_a_prefix_and_suffix_too_long_together_are_refused_naming_the_longest_name():
    finding = only(run("F08", platform_name_prefix="acme-payments", platform_name_suffix="prod-eu-west"))
    assert finding["status"] == "fail" and finding["variable"] == "platform_name_prefix"
    assert "together are 25 characters; at most 24 fit every resource name" in finding["message"]
    assert "acme-payments-prod-eu-west-app" in finding["message"]
    assert statuses(run("F08", platform_name_prefix="acme-payments", platform_name_suffix="prod-eu-wes")) == ["pass"]


def test_f08_the_role_default_prefix_passes_and_is_named():
    prefix = effective({})["platform_name_prefix"]
    finding = only(run("F08", platform_name_prefix=prefix))
    assert finding["status"] == "pass" and f"names start {prefix}-prod" in finding["message"]


# ---------------------------------------------------------------- F09
def test_f09_missing_required_tags_refused():
    finding = only(run("F09", platform_tags={"Environment": "production", "Owner": ""}))
    assert finding["message"] == (
        "platform_tags: missing or empty required tag(s) Project, Owner and CostCenter (given: ['Environment', 'Owner']); "
        "every environment must set Environment, Project, Owner and CostCenter"
    )


def test_f09_wrong_required_tag_value_refused():
    tags = dict(GOOD["platform_tags"], Environment="dev")
    finding = only(run("F09", platform_tags=tags, platform_required_tag_values={"Environment": "production"}))
    assert finding["variable"] == "platform_tags.Environment"
    assert finding["message"] == (
        "platform_tags.Environment: 'dev' is not the required value 'production' (platform_required_tag_values.Environment)"
    )


@pytest.mark.parametrize("tags, message", [
    (None, "missing or empty required tag(s) Team"),
    ("Environment=prod", "platform_tags: 'Environment=prod' is not a mapping"),
])
def test_f09_no_tag_mapping_refused(tags, message):
    finding = only(run("F09", platform_tags=tags, platform_required_tags=["Team"]))
    assert message in finding["message"]


def test_f09_required_tags_and_values_present_passes():
    assert statuses(run("F09", platform_required_tag_values={"Environment": "production"})) == ["pass"]


# ---------------------------------------------------------------- F10
@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"platform_region": "eu-south-1"},
         "platform_region: eu-south-1 is not the region of environment prod; it must be us-east-1 (set by platform_env_regions)"),
        ({"platform_env": "dev", "platform_env_regions": {"dev": "eu-west-1"}, "platform_region": "us-west-2"},
         "platform_region: us-west-2 is not the region of environment dev; it must be eu-west-1"),
        ({"platform_env": None}, "platform_env: not set"),
        ({"platform_region": ""}, "platform_region: not set; environment prod must name its AWS region (us-east-1)"),
        ({"platform_env": "local", "platform_region": ""}, "platform_region: not set; environment local must name its AWS region"),
    ],
)
def test_f10_region_not_mapped_for_environment_refused(overrides, message):
    finding = only(run("F10", **overrides))
    assert finding["status"] == "fail"
    assert finding["message"].startswith(message)


@pytest.mark.parametrize("env, region", [("prod", "us-east-1"), ("staging", "us-east-2"), ("dev", "us-west-2"), ("local", "eu-south-1")])
def test_f10_region_of_environment_passes(env, region):
    assert statuses(run("F10", platform_env=env, platform_region=region)) == ["pass"]


# ---------------------------------------------------------------- F11
def test_f11_dms_without_iam_roles_refused():
    finding = only(run("F11", params={"existing_iam_roles": ["dms-vpc-role"]}, dms_enabled=True, security_create_dms_roles=False))
    assert finding["status"] == "fail"
    assert finding["message"].startswith(
        "security_create_dms_roles: false with dms_enabled, but the account lacks the IAM role(s) dms-cloudwatch-logs-role"
    )


def test_f11_without_a_look_up_claims_nothing_about_the_account():
    finding = only(run("F11", dms_enabled=True, security_create_dms_roles=False))
    assert finding["status"] == "skip"
    assert "not looked up" in finding["message"] and "lacks" not in finding["message"]


def test_f11_looked_up_and_none_found_names_both_roles():
    finding = only(run("F11", params={"existing_iam_roles": []}, dms_enabled=True, security_create_dms_roles=False))
    assert finding["status"] == "fail"
    assert "lacks the IAM role(s) dms-vpc-role and dms-cloudwatch-logs-role" in finding["message"]


@pytest.mark.parametrize("overrides, params, status", [
    ({"dms_enabled": True}, None, "pass"),
    ({"dms_enabled": False, "security_create_dms_roles": False}, {"existing_iam_roles": []}, "skip"),
    ({"dms_enabled": True, "security_create_dms_roles": "false"}, {"existing_iam_roles": list(pr.DMS_ROLES)}, "pass"),
    ({}, None, "skip"),
])
def test_f11_dms_roles_planned_or_present_passes(overrides, params, status):
    assert statuses(run("F11", params=params, **overrides)) == [status]


# ---------------------------------------------------------------- F12
@pytest.mark.parametrize(
    "backup, maintenance, message",
    [
        ("05:15-05:45", "sun:05:00-sun:05:30",
         "aurora_backup_window: '05:15-05:45' overlaps aurora_maintenance_window 'sun:05:00-sun:05:30' "
         "(sun:05:15-sun:05:30 UTC); the daily backup window must not overlap the weekly maintenance window on any day"),
        ("23:30-00:15", "wed:00:00-wed:00:30", "(wed:00:00-wed:00:15 UTC)"),
        ("00:00-00:45", "sat:23:30-sun:00:30", "(sun:00:00-sun:00:30 UTC)"),
        ("00:00-00:45", "sun:23:30-mon:00:30", "(mon:00:00-mon:00:30 UTC)"),
        ("23:50-00:30", "sun:23:40-mon:00:20", "(sun:23:50-mon:00:20 UTC)"),
    ],
    ids=["overlap", "backup_wraps_midnight", "maintenance_sat_to_sun", "week_wrap_sun_to_mon", "both_wrap_week"],
)
def test_f12_overlapping_windows_refused(backup, maintenance, message):
    finding = only(run("F12", aurora_backup_window=backup, aurora_maintenance_window=maintenance))
    assert finding["status"] == "fail"
    assert message in finding["message"]


def test_f12_backup_window_wrapping_midnight_overlaps_sunday_maintenance():
    finding = only(run("F12", aurora_backup_window="23:45-00:30", aurora_maintenance_window="sun:00:15-sun:01:00"))
    assert "(sun:00:15-sun:00:30 UTC)" in finding["message"]


@pytest.mark.parametrize(
    "backup, maintenance",
    [
        ("03:00-03:30", "sun:03:30-sun:04:00"),  # adjacent
        ("04:00-04:30", "sun:03:30-sun:04:00"),  # adjacent, before
        ("23:30-00:15", "sun:00:15-sun:00:45"),  # wraps midnight, adjacent
        ("01:00-01:45", "sat:23:30-sun:00:30"),  # maintenance over the day boundary
        ("02:00-02:30", "SUN:23:30-MON:00:30"),  # week wrap, upper case days
    ],
)
def test_f12_adjacent_or_disjoint_windows_pass(backup, maintenance):
    assert statuses(run("F12", aurora_backup_window=backup, aurora_maintenance_window=maintenance)) == ["pass"]


def test_f12_29_minute_backup_window_refused():
    finding = only(run("F12", aurora_backup_window="03:00-03:29"))
    assert finding["message"] == (
        "aurora_backup_window: '03:00-03:29' lasts 29 minutes; the daily backup window must last at least 30 minutes"
    )


def test_f12_short_maintenance_window_refused():
    finding = only(run("F12", aurora_maintenance_window="sun:05:00-sun:05:00"))
    assert "lasts 0 minutes; the weekly maintenance window must last at least 30 minutes" in finding["message"]


@pytest.mark.parametrize(
    "variable, value, expected",
    [
        ("aurora_backup_window", "3:00-3:30", "expected format hh24:mi-hh24:mi in UTC, e.g. '03:00-03:30'"),
        ("aurora_backup_window", "24:00-00:30", "expected format hh24:mi-hh24:mi in UTC, e.g. '03:00-03:30'"),
        ("aurora_maintenance_window", "sunday:05:00-sunday:05:30", "expected format ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. 'sun:05:00-sun:05:30'"),
        ("aurora_maintenance_window", "05:00-05:30", "expected format ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. 'sun:05:00-sun:05:30'"),
    ],
)
def test_f12_bad_window_format_refused(variable, value, expected):
    finding = only(run("F12", **{variable: value}))
    assert finding["variable"] == variable
    assert finding["message"] == f"{variable}: {value!r} is not valid; {expected}"


def test_f12_single_or_no_window():
    assert statuses(run("F12", aurora_maintenance_window=None)) == ["pass"]
    assert statuses(run("F12", aurora_maintenance_window=None, aurora_backup_window="")) == ["skip"]


def test_f12_30_minute_backup_window_passes():
    assert statuses(run("F12", aurora_backup_window="23:45-00:15")) == ["pass"]


# ---------------------------------------------------------------- F13
@pytest.mark.parametrize(
    "password, problem",
    [
        ("short1", "is 6 characters long"),
        ("x" * 42, "is 42 characters long"),
        ("has space in it", "contains a forbidden character"),
        ("slash/inside", "contains a forbidden character"),
        ('quote"inside', "contains a forbidden character"),
        ("at@inside12", "contains a forbidden character"),
        ("tab\tinside12", "contains a character that is not printable ASCII"),
        ("caf\u00e9-latte-12", "contains a character that is not printable ASCII"),
        (12345678, "is not a string"),
    ],
)
def test_f13_password_breaking_policy_refused_without_echo(password, problem):
    finding = only(run("F13", aurora_master_password=password))
    assert finding["status"] == "fail"
    assert finding["message"].startswith("aurora_master_password: no role takes a master password, so this value would be ignored")
    assert problem in finding["message"]
    assert str(password) not in finding["message"]
    assert finding["value"] == pr.REDACTED


def test_f13_a_valid_password_is_refused_too_because_no_role_would_use_it():
    finding = only(run("F13", aurora_master_password="Abc-123_!xyz#"))
    assert finding["status"] == "fail"
    assert "Abc" not in finding["message"]
    assert "Remove aurora_master_password" in finding["message"]
    assert "security_db_password_mode: managed (the default) RDS creates and rotates the master password" in finding["message"]


@pytest.mark.parametrize("mode, text", [("managed", "RDS manages the master password"), ("generated", "the security role generates")])
def test_f13_without_a_password_passes_naming_who_makes_it(mode, text):
    finding = only(run("F13", security_db_password_mode=mode))
    assert finding["status"] == "pass" and text in finding["message"]


def test_f13_refusal_is_not_repeated_by_var01():
    findings = run("VAR01", params={"known_variables": ["aurora_engine"]}, aurora_master_password="Abc-123_!xyz#")
    assert findings and not [f for f in findings if f["variable"] == "aurora_master_password"]


def test_the_generated_password_filter_obeys_the_rules_f13_states():
    from ansible_collections.payments.aws_platform.plugins.filter.rds_password import FilterModule
    generate = FilterModule().filters()["rds_password"]
    assert all(pr.password_problems(generate(None, 32)) == [] for _attempt in range(200))


# ---------------------------------------------------------------- F14
def test_f14_hygiene_gaps_warned():
    findings = run("F14", network_flow_logs_enabled=False, security_db_password_mode="generated",
                   security_secret_rotation_lambda_arn="", db_users_rotation_lambda_arn="")
    assert [(f["status"], f["variable"]) for f in findings] == [
        ("warn", "network_flow_logs_enabled"),
        ("warn", "security_secret_rotation_lambda_arn"),
        ("warn", "db_users_rotation_lambda_arn"),
    ]
    assert all(f["severity"] == "warning" for f in findings)
    assert findings[1]["message"].startswith("security_secret_rotation_lambda_arn: empty with security_db_password_mode generated; "
                                             "the generated master secret is never rotated")
    assert findings[2]["message"].startswith("db_users_rotation_lambda_arn: empty; the app and DMS users' secrets are never rotated")


@pytest.mark.parametrize("name", ["alb_access_logs_enabled", "network_extra_egress_rules", "security_secret_rotation_days"])
def test_f14_says_nothing_about_variables_no_role_reads_for_hygiene(name):
    value = {"alb_access_logs_enabled": False, "network_extra_egress_rules": [{"proto": -1, "cidr_ip": "0.0.0.0/0"}],
             "security_secret_rotation_days": 0}[name]
    assert statuses(run("F14", **{name: value})) == ["pass"]


def test_f14_pass_text_claims_only_what_is_configured():
    managed = only(run("F14"))
    assert managed["message"] == "flow logs on, RDS rotates the master secret, the database users' secrets have a rotation function"
    lam = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
    rotated = only(run("F14", security_db_password_mode="generated", security_secret_rotation_lambda_arn=lam,
                       db_users_rotation_lambda_arn=lam))
    assert rotated["message"] == ("flow logs on, the master secret has a rotation function, "
                                  "the database users' secrets have a rotation function")


def test_f14_roles_read_the_variables_it_warns_about():
    inputs = set(known_variables())
    findings = run("F14", network_flow_logs_enabled=False, security_db_password_mode="generated",
                   db_users_rotation_lambda_arn="", platform_env="prod", alb_certificate_arn="")
    assert {f["variable"] for f in findings} <= inputs


# ---------------------------------------------------------------- SIZE
@pytest.mark.parametrize(
    "overrides, variable, message",
    [
        ({"aurora_serverless_v2_min_capacity": 8, "aurora_serverless_v2_max_capacity": 4}, "aurora_serverless_v2_min_capacity",
         "aurora_serverless_v2_min_capacity: 8 is above aurora_serverless_v2_max_capacity 4; the minimum ACUs must be at most the maximum"),
        ({"ecs_autoscaling_min": 6, "ecs_autoscaling_max": "3"}, "ecs_autoscaling_min",
         "ecs_autoscaling_min: 6 is above ecs_autoscaling_max 3; the minimum tasks must be at most the maximum"),
        ({"ecs_desired_count": 1, "ecs_autoscaling_min": 1}, "ecs_desired_count",
         "ecs_desired_count: 1 in environment prod; production needs at least 2 tasks (one per AZ) to survive a task or AZ failure"),
        ({"ecs_desired_count": "many"}, "ecs_desired_count", "ecs_desired_count: 'many' is not a number; give a number"),
        ({"aurora_serverless_v2_max_capacity": "lots"}, "aurora_serverless_v2_max_capacity",
         "aurora_serverless_v2_max_capacity: 'lots' is not a number; give a number"),
    ],
)
def test_size_inconsistent_capacity_refused(overrides, variable, message):
    finding = only(run("SIZE", **overrides))
    assert (finding["status"], finding["variable"], finding["message"]) == ("fail", variable, message)


@pytest.mark.parametrize("overrides", [
    {"aurora_serverless_v2_min_capacity": 0.5, "aurora_serverless_v2_max_capacity": 4, "ecs_autoscaling_min": 2, "ecs_autoscaling_max": 6},
    {"platform_env": "dev", "ecs_desired_count": 1, "ecs_autoscaling_min": 1},
    {"ecs_desired_count": None},
])
def test_size_consistent_capacity_passes(overrides):
    assert statuses(run("SIZE", **overrides)) == ["pass"]


# ---------------------------------------------------------------- NET01
@pytest.mark.parametrize(
    "overrides, variable, message",
    [
        ({"network_vpc_cidr": "10.0.0.0/8"}, "network_vpc_cidr", "network_vpc_cidr: '10.0.0.0/8' has prefix /8; AWS VPCs accept /16 to /24"),
        ({"network_az_count": 4}, "network_az_count", "network_az_count: 4 is not supported; choose one of [2, 3]"),
        ({"network_subnet_cidrs": {"public": ["10.40.4.0/24", "10.40.1.0/24"]}}, "network_subnet_cidrs",
         "network_subnet_cidrs.private[0]: 10.40.4.0/24 overlaps network_subnet_cidrs.public[0] 10.40.4.0/24"),
        ({"network_subnet_newbits": "eight"}, "network_subnet_newbits", "network_subnet_newbits: 'eight' is not a whole number"),
    ],
)
def test_net01_invalid_network_plan_refused(overrides, variable, message):
    finding = only(run("NET01", **overrides))
    assert finding["status"] == "fail"
    assert finding["variable"] == variable
    assert finding["message"].startswith(message)


def test_net01_valid_network_plan_passes():
    finding = only(run("NET01", network_vpc_cidr="10.50.0.0/16", network_az_count=3))
    assert finding["status"] == "pass"
    assert finding["message"] == "subnet plan: 9 non-overlapping subnets inside the VPC"


# ---------------------------------------------------------------- DMS02 migration source reachable
@pytest.mark.parametrize(
    "overrides, variable, value, message",
    [
        ({"network_dms_source_cidrs": ["10.99.0.0/24"]}, "network_dms_source_cidrs", "10.99.0.0/24",
         "network_dms_source_cidrs: 10.99.0.0/24 is a private (RFC 1918) network and network_dms_source_route_target is empty; "
         "set network_dms_source_route_target to the transit gateway (tgw-...) or VPN gateway (vgw-...)"),
        ({"network_dms_source_cidrs": ["172.20.0.0/24"]}, "network_dms_source_cidrs", "172.20.0.0/24", "network_dms_source_cidrs: 172.20.0.0/24 is"),
        ({"network_dms_source_cidrs": ["192.168.10.0/24"]}, "network_dms_source_cidrs", "192.168.10.0/24", "network_dms_source_cidrs: 192.168"),
        ({"dms_enabled": True, "dms_source_host": "192.168.10.20"}, "dms_source_host", "192.168.10.20",
         "dms_source_host: 192.168.10.20 is a private (RFC 1918) address outside the VPC and network_dms_source_route_target is empty"),
        ({"network_dms_source_cidrs": ["10.40.8.0/24"], "network_dms_source_route_target": "tgw-0123456789abcdef0"},
         "network_dms_source_cidrs", "10.40.8.0/24", "network_dms_source_cidrs: 10.40.8.0/24 overlaps network_vpc_cidr 10.40.0.0/16"),
        ({"network_dms_source_cidrs": ["10.0.0.0/8"], "network_dms_source_route_target": "tgw-0123456789abcdef0"},
         "network_dms_source_cidrs", "10.0.0.0/8", "network_dms_source_cidrs: 10.0.0.0/8 overlaps network_vpc_cidr"),
        ({"network_dms_source_cidrs": ["10.99.0.0/33"]}, "network_dms_source_cidrs", "10.99.0.0/33", "network_dms_source_cidrs: '10.99.0.0/33' is not"),
        ({"network_dms_source_route_target": "nat-0123456789abcdef0"}, "network_dms_source_route_target", "nat-0123456789abcdef0",
         "network_dms_source_route_target: 'nat-0123456789abcdef0' is not a transit gateway"),
    ],
)
def test_dms02_unreachable_source_refused(overrides, variable, value, message):
    finding = only(run("DMS02", **overrides))
    assert (finding["status"], finding["variable"], finding["value"]) == ("fail", variable, value)
    assert finding["message"].startswith(message), finding["message"]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"network_dms_source_cidrs": ["10.99.0.0/24"], "network_dms_source_route_target": "tgw-0123456789abcdef0",
         "dms_enabled": True, "dms_source_host": "10.99.0.10"},
        {"network_dms_source_cidrs": ["192.168.10.0/24"], "network_dms_source_route_target": "vgw-0a1b2c3d"},
        {"network_dms_source_cidrs": ["203.0.113.0/24"], "dms_enabled": True, "dms_source_host": "203.0.113.7"},
        {"dms_enabled": True, "dms_source_host": "db.onprem.example.com"},
        {"dms_enabled": True, "dms_source_host": "10.40.3.7"},
        {"dms_enabled": False, "dms_source_host": "10.99.0.10"},
        {"network_vpc_cidr": "not-a-cidr", "network_dms_source_cidrs": ["203.0.113.0/24"]},
    ],
)
def test_dms02_reachable_source_passes(overrides):
    assert only(run("DMS02", **overrides))["status"] == "pass"


# ---------------------------------------------------------------- VER01, summary, table, redaction
def test_ver01_unresolved_version_refused_and_resolved_passes():
    findings = pr.version_findings({
        "aurora": {"version": "16.4", "source": "api"},
        "dms": {"failed": True, "msg": "3.4.7 is not offered in us-east-1"},
        "other": "junk",
    })
    assert [(f["variable"], f["status"]) for f in findings] == [
        ("aurora_engine_version", "pass"), ("dms_engine_version", "fail"), ("other_engine_version", "fail")]
    assert findings[0]["message"] == "aurora engine version 16.4 (source: api)"
    assert findings[1]["message"] == "dms_engine_version: 3.4.7 is not offered in us-east-1; choose a version the region offers"
    assert pr.version_findings({"dms": {"engine_version": "3.5.3"}})[0]["message"] == "dms engine version 3.5.3"


def test_summary_counts_statuses_and_rules():
    findings = evaluate(dict(GOOD, platform_region="us-east-2", network_flow_logs_enabled=False, db_users_rotation_lambda_arn="",
                             alb_certificate_arn="arn:aws:acm:us-east-2:123456789012:certificate/x"))
    counts = pr.summary(findings)
    assert counts["errors"] == 1
    assert counts["warnings"] == 2
    assert counts["failed_rules"] == ["F10"]
    assert counts["warned_rules"] == ["F14"]
    assert counts["passed"] + counts["skipped"] + 3 == len(findings)


def test_render_table_wraps_long_messages_in_fixed_columns():
    findings = run("F12", aurora_backup_window="05:15-05:45", aurora_maintenance_window="sun:05:00-sun:05:30")
    lines = pr.render_table(findings, message_width=40).splitlines()
    assert lines[0] == "rule   | status | variable                       | message"
    assert lines[1] == "-" * 6 + "-+-" + "-" * 6 + "-+-" + "-" * 30 + "-+-" + "-" * 40
    assert lines[2].startswith("F12    | fail   | aurora_backup_window           | aurora_backup_window: '05:15-05:45'")
    assert len(lines) > 3
    assert all(line.startswith("       |        |") for line in lines[3:])
    assert all(len(line) <= 6 + 6 + 30 + 40 + 9 for line in lines)


def test_render_table_of_no_variable():
    finding = pr.VERSION_RULE.finding("pass", None, None, "")
    assert pr.render_table([finding]).splitlines()[2] == "VER01  | pass   |" + " " * 32 + "|"


def test_redact_hides_secret_strings_only():
    config = {"aurora_master_password": "p", "api_token": ["a"], "nested": {"client_secret": {"k": "v"}},
              "security_secret_rotation_days": 30, "secret_enabled": True, "plain": ("x",), "empty_secret": None,
              "security_db_password_mode": "managed", "aurora_secret_arn": "arn:x"}
    assert pr.redact(config) == {
        "aurora_master_password": pr.REDACTED, "api_token": pr.REDACTED, "nested": {"client_secret": pr.REDACTED},
        "security_secret_rotation_days": 30, "secret_enabled": True, "plain": ["x"], "empty_secret": None,
        "security_db_password_mode": "managed", "aurora_secret_arn": "arn:x",
    }
    assert sorted(pr.sensitive_strings(config)) == ["a", "p", "v"]


@pytest.mark.parametrize(
    "overrides, variable, fragment",
    [
        ({"aurora_engine": "aurora-postgresql", "aurora_backtrack_window_hours": 24}, "aurora_backtrack_window_hours",
         "aurora_backtrack_window_hours: 24 is set for aurora-postgresql; backtrack exists for aurora-mysql only"),
        ({"aurora_engine": "aurora-mysql", "aurora_backtrack_window_hours": 96}, "aurora_backtrack_window_hours",
         "aurora_backtrack_window_hours: 96 is outside 1-72 hours"),
        ({"aurora_backup_retention_days": 0}, "aurora_backup_retention_days", "aurora_backup_retention_days: 0 is outside 1-35"),
        ({"aurora_backup_retention_days": "x"}, "aurora_backup_retention_days", "aurora_backup_retention_days: 'x' is not a number"),
    ],
)
def test_f16_backtrack_on_postgresql_and_no_pitr_refused(overrides, variable, fragment):
    findings = [f for f in evaluate(dict(overrides), ["F16"]) if f["status"] == "fail"]
    assert [f["variable"] for f in findings] == [variable]
    assert fragment in findings[0]["message"]


@pytest.mark.parametrize("overrides", [
    {"aurora_engine": "aurora-mysql", "aurora_backtrack_window_hours": 24, "aurora_backup_retention_days": 7},
    {"aurora_engine": "aurora-postgresql", "aurora_backtrack_window_hours": 0, "aurora_backup_retention_days": 35},
    {},
])
def test_f16_corrected_configuration_passes(overrides):
    assert [f["status"] for f in evaluate(dict(overrides), ["F16"])] == ["pass"]


def test_f14_prod_alb_without_certificate_warns():
    findings = evaluate({"platform_env": "prod", "alb_certificate_arn": "", "db_users_rotation_lambda_arn": LAMBDA}, ["F14"])
    assert [(f["status"], f["variable"]) for f in findings] == [("warn", "alb_certificate_arn")]
    assert "alb_certificate_arn: empty in environment prod; the ALB serves plain HTTP" in findings[0]["message"]


@pytest.mark.parametrize("config", [
    {"platform_env": "prod", "alb_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/x", "security_secret_rotation_days": 30,
     "db_users_rotation_lambda_arn": LAMBDA},
    {"platform_env": "dev", "alb_certificate_arn": "", "security_secret_rotation_days": 30, "db_users_rotation_lambda_arn": LAMBDA},
])
def test_f14_certificate_in_prod_or_no_certificate_elsewhere_passes(config):
    assert [f["status"] for f in evaluate(config, ["F14"])] == ["pass"]


# ---------------------------------------------------------------- BAK01: Backup owns the cluster's PITR retention
@pytest.mark.parametrize(
    "overrides, status",
    [
        ({"aurora_backup_retention_days": 7, "backup_daily_retention_days": 35}, "fail"),
        ({"aurora_backup_retention_days": 35, "backup_daily_retention_days": 35}, "pass"),
        ({"aurora_backup_retention_days": "14", "backup_daily_retention_days": 14}, "pass"),
        ({"aurora_backup_retention_days": 7, "backup_daily_retention_days": 35, "backup_continuous_backup": False}, "pass"),
        ({"aurora_backup_retention_days": 7, "backup_daily_retention_days": 35, "backup_state": "absent"}, "pass"),
    ],
)
def test_bak01_aurora_retention_must_agree_with_the_continuous_backup_rule(overrides, status):
    findings = run("BAK01", **overrides)
    assert statuses(findings) == [status]
    if status == "fail":
        assert findings[0]["variable"] == "aurora_backup_retention_days"
        assert findings[0]["message"].startswith("aurora_backup_retention_days: 7 disagrees with backup_daily_retention_days: 35.")
        assert "Set both to the same number of days (35)" in findings[0]["message"]


@pytest.mark.parametrize("desired, status", [(1, "fail"), (2, "pass"), (6, "pass"), (7, "fail")])
def test_size_desired_count_must_lie_within_the_autoscaling_range(desired, status):
    findings = run("SIZE", platform_env="staging", ecs_desired_count=desired, ecs_autoscaling_min=2, ecs_autoscaling_max=6)
    assert statuses(findings) == [status]
    if status == "fail":
        assert findings[0]["message"].startswith(f"ecs_desired_count: {desired} is outside ecs_autoscaling_min..ecs_autoscaling_max (2..6)")


# ---------------------------------------------------------------- VAR01
KNOWN = known_variables()
REGIONS = ["eu-south-1", "us-east-1", "us-east-2", "us-west-2"]


@pytest.mark.parametrize("typo, suggestion", [
    ("aurora_serverles_v2_max_capacity", "aurora_serverless_v2_max_capacity"),
    ("db_users_app_user_name", "db_users_app_username"),
    ("dms_enable", "dms_enabled"),
    ("ecs_desired_cout", "ecs_desired_count"),
])
def test_var01_a_typo_of_a_role_input_is_refused_with_did_you_mean(typo, suggestion):
    findings = run("VAR01", {"known_variables": KNOWN, "valid_regions": REGIONS}, **{typo: 3})
    failed = [f for f in findings if f["status"] == "fail"]
    assert len(failed) == 1 and failed[0]["variable"] == typo, findings
    assert f"{typo} is not an input of any role" in failed[0]["message"] and f"did you mean {suggestion}" in failed[0]["message"]


@pytest.mark.parametrize("old, new", [("network_name_prefix", "platform_name_prefix"), ("security_name_prefix", "platform_name_prefix"),
                                      ("dms_name_prefix", "platform_name_prefix"), ("ecs_container_port", "network_app_port"),
                                      ("network_dms_source_port", "dms_source_port")])
def test_var01_a_replaced_input_is_named_with_its_replacement(old, new):
    failed = [f for f in run("VAR01", {"known_variables": KNOWN}, **{old: "acme"}) if f["status"] == "fail"]
    assert len(failed) == 1 and failed[0]["variable"] == old and failed[0]["value"] == "acme"
    assert failed[0]["message"].startswith(f"{old} was replaced by {new}, the one input of that value for every tier that uses it")
    assert new in KNOWN and old not in KNOWN


def test_var01_a_name_far_from_any_input_lists_the_prefix_inputs():
    finding = [f for f in run("VAR01", {"known_variables": KNOWN}, network_zzz=1) if f["status"] == "fail"][0]
    assert "so it would be ignored: valid network_ inputs: network_" in finding["message"]


def test_var01_known_names_platform_wide_inputs_and_internal_names_pass():
    findings = run("VAR01", {"known_variables": KNOWN, "valid_regions": REGIONS}, platform_aws_endpoint_url="http://x",
                   aurora__out={}, unrelated_variable=1)
    assert statuses(findings) == ["pass", "pass"], findings


@pytest.mark.parametrize("region, message", [
    ("us-east1", "platform_region: us-east1 is not an AWS region; did you mean us-east-1 or us-east-2?"),
    ("mars-1", "platform_region: mars-1 is not an AWS region Valid regions: eu-south-1, us-east-1, us-east-2, us-west-2."),
])
def test_var01_a_region_that_does_not_exist_is_refused_by_name_listing_valid_ones(region, message):
    finding = [f for f in run("VAR01", {"valid_regions": REGIONS}, platform_region=region) if f["variable"] == "platform_region"][0]
    assert finding["status"] == "fail" and finding["message"].startswith(message.split(" Valid")[0]), finding["message"]
    assert "Valid regions: eu-south-1, us-east-1, us-east-2, us-west-2." in finding["message"]


def test_var01_without_known_variables_or_regions_is_skipped():
    assert statuses(run("VAR01")) == ["skip"]


# ---------------------------------------------------------------- what each rule reads
class Recorder(dict):
    """A configuration that notes which keys a rule reads ("*" when it walks every key)."""

    def __init__(self, values):
        super().__init__(values)
        self.read = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def items(self):
        self.read.add("*")
        return super().items()

    def keys(self):
        self.read.add("*")
        return super().keys()

    def __iter__(self):
        self.read.add("*")
        return super().__iter__()


BRANCHES = [
    {},
    {"platform_env": "dev", "ecs_subnet_tier": "public", "ecs_assign_public_ip": True, "network_nat_mode": "none"},
    {"ecs_subnet_tier": "isolated", "network_nat_mode": "none", "ecs_image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"},
    {"dms_enabled": True, "dms_source_secret_id": "payments/onprem/source", "dms_source_host": "10.99.0.10",
     "network_dms_source_cidrs": ["10.99.0.0/24"], "network_dms_source_route_target": "tgw-0123456789abcdef0",
     "security_create_dms_roles": False},
    {"dms_enabled": True, "dms_source_username": "m", "dms_source_password": "from-vault-xyz", "dms_source_host": "db.example.com",
     "dms_ssl_mode": "verify-full", "dms_source_certificate_arn": "arn:aws:dms:us-east-1:123456789012:cert:X"},
    {"security_db_password_mode": "generated", "aurora_master_password": "x", "network_flow_logs_enabled": False},
    {"aurora_engine": "aurora-mysql", "aurora_backtrack_window_hours": 24, "aurora_serverless_v2": False, "aurora_instance_class": "db.r6g.large"},
    {"storage_replicate_to": [{"suffix": "stg", "region": "us-east-2"}], "backup_copy_to_region": "us-west-2",
     "backup_weekly_copy_to": [{"region": "us-east-2", "vault": "payments-stg-vault"}, {"region": "us-east-1", "vault": "payments-x-vault"}],
     "backup_vault_lock_min_retention_days": 7},
    {"platform_env_regions": {"prod": "us-east-1"}, "platform_required_tags": ["Owner"], "platform_required_tag_values": {"Owner": "payments"},
     "network_subnet_cidrs": {"public": ["10.40.0.0/24", "10.40.1.0/24"]}, "aurora_deletion_protection": False,
     "alb_deletion_protection": False, "platform_accept_unprotected_prod": True},
]


def _reads(rule, overrides):
    config = Recorder(effective(dict(GOOD, **overrides)))
    rule.check(rule, config, dict(pr.DEFAULT_PARAMS, availability_zones=["us-east-1a", "us-east-1b"], known_variables=KNOWN))
    return config.read


@pytest.mark.parametrize("rule", pr.RULES, ids=lambda rule: rule.id)
def test_each_rule_reads_only_the_variables_it_declares_and_reads_each_of_them(rule):
    read = set()
    for overrides in BRANCHES:
        read |= _reads(rule, overrides)
    declared = set(rule.reads)
    if "*" not in declared:
        assert read <= declared, f"{rule.id} reads {sorted(read - declared)} without declaring them in RULES"
    assert declared - {"*"} <= read, f"{rule.id} declares {sorted(declared - {'*'} - read)} but no branch reads them"


# ---------------------------------------------------------------- check names
def test_every_rule_has_a_unique_descriptive_check_name_carried_by_its_findings():
    rules = pr.RULES + (pr.VERSION_RULE,)
    names = [rule.name for rule in rules]
    assert len(set(names)) == len(names) and set(pr.CHECK_NAMES) == {rule.id for rule in rules}
    assert all(re.match(r"^[a-z0-9]+(-[a-z0-9]+)+$|^sizing$", name) for name in names), names
    finding = only(run("F12", aurora_backup_window="03:00-04:00", aurora_maintenance_window="sun:03:30-sun:04:30"))
    assert (finding["rule"], finding["check"], finding["status"]) == ("F12", "aurora-window-overlap", "fail")
