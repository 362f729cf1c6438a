# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests of payments.aws_platform.preflight: main() with injected arguments, no AWS."""

from __future__ import annotations

import json
import runpy

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import REDACTED
from ansible_collections.payments.aws_platform.plugins.modules import preflight

PASSWORD = "Sup3r-Secret-Pw"
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


from module_harness import AnsibleExitJson  # noqa: E402  pylint: disable=import-error
from module_harness import AnsibleFailJson  # noqa: E402  pylint: disable=import-error
from module_harness import exit_json as _exit_json  # noqa: E402  pylint: disable=import-error
from module_harness import fail_json as _fail_json  # noqa: E402  pylint: disable=import-error
from role_declarations import effective  # noqa: E402  pylint: disable=import-error


@pytest.fixture(autouse=True)
def module_exits(monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)


def run_module(args, check_mode=False):
    module_args = dict(args)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    with patch_module_args(module_args):
        with pytest.raises((AnsibleExitJson, AnsibleFailJson)) as excinfo:
            preflight.main()
    result = excinfo.value.args[0]
    result["_failed"] = isinstance(excinfo.value, AnsibleFailJson)
    return result


def in_region(region):
    """GOOD's ARNs in another region (F07 refuses a foreign region literal)."""
    return {key: GOOD[key].replace(":us-east-1:", f":{region}:") for key in ("alb_certificate_arn", "db_users_rotation_lambda_arn")}


def config(**overrides):
    """GOOD over the roles' defaults, as playbooks/preflight.yml passes the environment."""
    values = effective(GOOD)
    values.update(overrides)
    return values


@pytest.mark.parametrize("check_mode", [False, True])
def test_valid_environment_exits_with_table(check_mode):
    result = run_module({"config": config(), "resolved_versions": {"aurora": {"version": "16.4", "source": "catalog"}}},
                        check_mode=check_mode)
    assert not result["_failed"]
    assert result["changed"] is False
    assert (result["errors"], result["warning_count"]) == (0, 0)
    assert result["table_lines"][0] == "rule   | status | variable                       | message"
    assert result["table"] == "\n".join(result["table_lines"])
    assert result["findings"][-1]["rule"] == "VER01"
    assert result["findings"][-1]["message"] == "aurora engine version 16.4 (source: catalog)"


@pytest.mark.parametrize(
    "overrides, rule, message",
    [
        ({"network_nat_mode": "none", "network_vpc_endpoints": ["ecr.api", "ecr.dkr", "logs"],
          "ecs_image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1"}, "F06", "network_vpc_endpoints lacks secretsmanager"),
        ({"network_nat_mode": "none"}, "F06", "ecs_image: 'public.ecr.aws/nginx/nginx-unprivileged:stable-alpine' is outside"),
        ({"ecs_log_options": {"awslogs-region": "us-west-2"}}, "F07", "ecs_log_options.awslogs-region: contains region 'us-west-2'"),
        ({"platform_name_suffix": "PROD"}, "F08", "platform_name_suffix: 'PROD' is not valid"),
        ({"platform_tags": {"Environment": "production"}}, "F09", "missing or empty required tag(s) Project, Owner and CostCenter"),
        ({"platform_region": "us-east-2", **in_region("us-east-2")}, "F10", "platform_region: us-east-2 is not the region of environment prod"),
        ({"dms_enabled": True, "dms_source_secret_id": "s", "security_create_dms_roles": False}, "F11",
         "lacks the IAM role(s) dms-vpc-role and dms-cloudwatch-logs-role"),
        ({"aurora_backup_window": "05:00-05:30"}, "F12", "overlaps aurora_maintenance_window"),
        ({"aurora_master_password": "p@ss"}, "F13", "(and the value given is 4 characters long and contains a forbidden character"),
        ({"ecs_desired_count": 1, "ecs_autoscaling_min": 1}, "SIZE", "ecs_desired_count: 1 in environment prod"),
        ({"network_az_count": 1}, "NET01", "network_az_count: 1 is not supported"),
    ],
)
def test_each_rule_error_fails_the_module(overrides, rule, message):
    result = run_module({"config": config(**overrides), "existing_iam_roles": []})
    assert result["_failed"]
    assert result["errors"] == 1
    failed = [f for f in result["findings"] if f["status"] == "fail"]
    assert [f["rule"] for f in failed] == [rule]
    assert message in failed[0]["message"]
    assert result["msg"].startswith(result["table"])
    assert result["msg"].endswith("\n1 error(s), 0 warning(s)")


def test_suffix_collision_and_existing_dms_roles_come_from_options():
    result = run_module({"config": config(dms_enabled=True, dms_source_secret_id="s", security_create_dms_roles=False),
                         "existing_iam_roles": ["dms-vpc-role", "dms-cloudwatch-logs-role"],
                         "other_suffixes": {"staging (payments_staging)": "prod"}})
    assert result["_failed"]
    assert [f["rule"] for f in result["findings"] if f["status"] == "fail"] == ["F08"]
    assert [f["status"] for f in result["findings"] if f["rule"] == "F11"] == ["pass"]


def test_dms_roles_not_looked_up_are_not_claimed_missing():
    result = run_module({"config": config(dms_enabled=True, dms_source_secret_id="s", security_create_dms_roles=False), "rules": ["F11"]})
    assert not result["_failed"]
    assert [(f["status"], "not looked up" in f["message"]) for f in result["findings"]] == [("skip", True)]


def test_region_allowlist_option():
    args = {"config": config(dr_region="us-west-2"), "rules": ["F07"]}
    assert run_module(args)["_failed"]
    assert not run_module(dict(args, region_allowlist=["dr_region"]))["_failed"]


def test_unresolved_version_fails():
    result = run_module({"config": config(), "resolved_versions": {"dms": {"failed": True, "msg": "no 3.4.7 in us-east-1"}}})
    assert result["_failed"]
    assert "dms_engine_version: no 3.4.7 in us-east-1" in result["msg"]


def test_warnings_exit_unless_fail_on_warning():
    args = {"config": config(network_flow_logs_enabled=False)}
    result = run_module(args)
    assert not result["_failed"]
    assert (result["errors"], result["warning_count"]) == (0, 1)
    result = run_module(dict(args, fail_on_warning=True))
    assert result["_failed"]
    assert result["msg"].endswith("\n0 error(s), 1 warning(s)")


def test_rules_and_skip_rules_select_what_runs():
    result = run_module({"config": config(platform_region="us-east-2", ecs_desired_count=1),
                         "rules": ["F10", "SIZE", "VER01"], "skip_rules": ["F10"]})
    assert {f["rule"] for f in result["findings"]} == {"SIZE"}
    assert result["_failed"]
    result = run_module({"config": config(platform_region="us-east-2"), "skip_rules": ["F10", "F07"]})
    assert not result["_failed"]


def test_unknown_rule_id_refused():
    result = run_module({"config": config(), "skip_rules": ["F99"]})
    assert result["_failed"]
    assert result["msg"].startswith("rules/skip_rules: unknown rule id(s) F99; valid ids are F06, F07")


def test_a_rule_is_selected_or_skipped_by_its_check_name_as_by_its_id():
    by_name = run_module({"config": config(), "rules": ["names-valid-unique", "F09"], "skip_rules": ["required-tags"]})
    assert not by_name["_failed"], by_name
    assert {(f["rule"], f["check"]) for f in by_name["findings"]} == {("F08", "names-valid-unique")}
    unknown = run_module({"config": config(), "rules": ["aurora-windows"]})
    assert unknown["_failed"] and "(or their check names: ecs-registry-reachability, region-literals" in unknown["msg"]


def test_secrets_are_redacted_from_findings_config_and_messages():
    result = run_module({"config": config(aurora_master_password=PASSWORD, db={"api_token": "tok-123"},
                                          security_db_password_mode="managed",
                                          aurora_secret_arn="arn:aws:secretsmanager:eu-west-1:1:secret:x")})
    assert result["_failed"]
    dumped = json.dumps(result)
    assert PASSWORD not in dumped
    assert "tok-123" not in dumped
    assert result["config"]["aurora_master_password"] == REDACTED
    assert result["config"]["db"] == {"api_token": REDACTED}
    assert result["config"]["security_secret_rotation_days"] == 30
    f07 = [f for f in result["findings"] if f["rule"] == "F07"]
    # An ARN or a password *mode* is not a secret: shown, and never masked elsewhere in the output.
    assert [(f["variable"], f["value"]) for f in f07] == [("aurora_secret_arn", "arn:aws:secretsmanager:eu-west-1:1:secret:x")]
    assert result["config"]["security_db_password_mode"] == "managed"
    assert [f["status"] for f in result["findings"] if f["rule"] == "F13"] == ["fail"]


def test_secret_values_are_registered_as_no_log(monkeypatch):
    seen = {}

    def capture(self, **kwargs):
        seen["values"] = set(self.no_log_values)
        raise AnsibleExitJson(kwargs)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", capture)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", capture)
    run_module({"config": config(aurora_master_password=PASSWORD, db={"token": "abc"})})
    assert PASSWORD in seen["values"]
    assert "abc" not in seen["values"]


@pytest.mark.filterwarnings("ignore:.*found in sys.modules:RuntimeWarning")
def test_module_runs_as_a_script():
    with patch_module_args({"config": config()}):
        with pytest.raises(AnsibleExitJson):
            runpy.run_module(preflight.__name__, run_name="__main__")


def test_f08_suffix_compared_with_every_inventory_under_inventories_path(tmp_path):
    for env, suffix in (("dev", "dev"), ("staging", "stg"), ("local", "local")):
        folder = tmp_path / env / "group_vars" / f"payments_{env}"
        folder.mkdir(parents=True)
        (folder / "platform.yml").write_text(f"platform_env: {env}\nplatform_name_suffix: {suffix}\n")
    (tmp_path / "broken" / "group_vars" / "x").mkdir(parents=True)
    (tmp_path / "broken" / "group_vars" / "x" / "platform.yml").write_text("- not a mapping\n")
    values = {"platform_env": "local", "platform_name_suffix": "stg"}
    own = {"inventories_path": str(tmp_path), "inventory_dir": str(tmp_path / "local"), "group_names": ["payments_local"]}
    refused = run_module(dict(own, config=values, rules=["F08"]))
    assert refused["_failed"]
    messages = [finding["message"] for finding in refused["findings"]]
    assert "platform_name_suffix: 'stg' of environment local is also the suffix of staging (payments_staging)" in messages[0]
    passed = run_module(dict(own, config=dict(values, platform_name_suffix="local"), rules=["F08"]))
    assert not passed["_failed"]
    # platform_env=prod given on the command line: still this host's own inventory, not a collision with itself.
    passed = run_module(dict(own, config=dict(values, platform_env="prod", platform_name_suffix="local"), rules=["F08"]))
    assert not passed["_failed"]
    # Without inventory_dir every inventory is compared, also the one the suffix comes from.
    refused = run_module({"config": dict(values, platform_name_suffix="local"), "rules": ["F08"], "inventories_path": str(tmp_path)})
    assert "is also the suffix of local (payments_local)" in refused["findings"][0]["message"]


def test_f08_two_inventories_of_one_environment_are_both_compared(tmp_path):
    for inventory, suffix in (("prod", "prod"), ("prod-eu", "prod"), ("dev", "dev")):
        folder = tmp_path / inventory / "group_vars" / "payments_prod"
        folder.mkdir(parents=True)
        (folder / "platform.yml").write_text(f"platform_env: prod\nplatform_name_suffix: {suffix}\n")
    result = run_module({"config": {"platform_env": "dev", "platform_name_suffix": "dev"}, "rules": ["F08"],
                         "inventories_path": str(tmp_path), "inventory_dir": str(tmp_path / "dev"), "group_names": ["payments_prod"]})
    assert result["_failed"]
    assert [f["message"].split(";")[0] for f in result["findings"]] == [
        "platform_name_suffix: 'prod' is used by each of prod (payments_prod) and prod-eu (payments_prod)"]


def test_f08_compares_the_other_hosts_of_the_inventory_without_any_file():
    """An AWX inventory has no files beside it: the run's other hosts (hostvars) are compared."""
    hosts = [{"name": "payments-staging", "suffix": "stg", "groups": ["payments_staging"]},
             {"name": "payments-dev", "suffix": "dev"}]
    refused = run_module({"config": {"platform_env": "prod", "platform_name_suffix": "stg"}, "rules": ["F08"],
                          "inventories_path": "/nonexistent/inventories", "inventory_hosts": hosts})
    assert refused["_failed"]
    assert "is also the suffix of payments-staging (host)" in refused["findings"][0]["message"]
    passed = run_module({"config": {"platform_env": "prod", "platform_name_suffix": "prod"}, "rules": ["F08"], "inventory_hosts": hosts})
    assert not passed["_failed"]
    twice = run_module({"config": {"platform_env": "prod", "platform_name_suffix": "prod"}, "rules": ["F08"],
                        "inventory_hosts": hosts + [{"name": "payments-qa", "suffix": "dev"}]})
    assert "is used by each of payments-dev (host) and payments-qa (host)" in twice["findings"][0]["message"]


def test_f08_a_host_of_the_run_is_compared_once_not_again_as_its_inventory_file(tmp_path):
    """-i inventories/examples/multi-env: staging is a host of the run and a platform.yml beside it; one entry, no self-clash."""
    for env, suffix in (("prod", "prod"), ("staging", "stg")):
        folder = tmp_path / "multi" / "group_vars" / f"payments_{env}"
        folder.mkdir(parents=True)
        (folder / "platform.yml").write_text(f"platform_env: {env}\nplatform_name_suffix: {suffix}\n")
    hosts = [{"name": "payments-staging", "suffix": "stg", "inventory_dir": str(tmp_path / "multi"), "groups": ["payments_staging"]}]
    result = run_module({"config": {"platform_env": "prod", "platform_name_suffix": "prod"}, "rules": ["F08"],
                         "inventories_path": str(tmp_path), "inventory_dir": str(tmp_path / "multi"), "group_names": ["payments_prod"],
                         "inventory_hosts": hosts})
    assert not result["_failed"], result["findings"]
    clash = run_module({"config": {"platform_env": "prod", "platform_name_suffix": "stg"}, "rules": ["F08"],
                        "inventories_path": str(tmp_path), "inventory_dir": str(tmp_path / "multi"), "group_names": ["payments_prod"],
                        "inventory_hosts": hosts})
    message = clash["findings"][0]["message"]
    assert "is also the suffix of payments-staging (host)" in message and "multi (payments_staging)" not in message, message
    # Without the run's hosts the file is what is compared (the command-line case of one inventory).
    alone = run_module({"config": {"platform_env": "prod", "platform_name_suffix": "stg"}, "rules": ["F08"],
                        "inventories_path": str(tmp_path), "inventory_dir": str(tmp_path / "multi"), "group_names": ["payments_prod"]})
    assert "is also the suffix of multi (payments_staging)" in alone["findings"][0]["message"]


# ---------------------------------------------------------------- read-only look-ups in the same process

import boto3  # noqa: E402
import botocore  # noqa: E402
from botocore.stub import Stubber  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402

PG = "aurora-postgresql"


@pytest.fixture(name="aws")
def fixture_aws(monkeypatch):
    """One stubbed client per service; every AnsibleAWSModule.client() call gets its service's."""
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    clients = {service: boto3.client(service, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
               for service in ("sts", "ec2", "iam", "rds", "dms")}
    asked = []

    def client(self, service, retry_decorator=None):
        asked.append(service)
        return clients[service]

    monkeypatch.setattr(AnsibleAWSModule, "client", client)
    stubbers = {service: Stubber(c) for service, c in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    stubbers["asked"] = asked
    yield stubbers
    for service, stubber in stubbers.items():
        if service != "asked":
            stubber.assert_no_pending_responses()
            stubber.deactivate()


def stub_caller(aws):
    aws["sts"].add_response("get_caller_identity", {"Account": "123456789012", "UserId": "AIDA",
                                                    "Arn": "arn:aws:iam::123456789012:user/deployer"})


def stub_zones(aws, names):
    aws["ec2"].add_response("describe_availability_zones", {"AvailabilityZones": [
        {"ZoneName": name, "State": "available", "ZoneType": "availability-zone"} for name in names]},
        {"Filters": [{"Name": "state", "Values": ["available"]}, {"Name": "zone-type", "Values": ["availability-zone"]}]})


def stub_aurora(aws, versions, serverless=True):
    aws["rds"].add_response("describe_db_engine_versions", {"DBEngineVersions": [
        {"Engine": PG, "EngineVersion": v, "Status": "available", "ExportableLogTypes": ["postgresql"],
         "SupportsLogExportsToCloudwatchLogs": True, "ServerlessV2FeaturesSupport": {"MinCapacity": 0.5, "MaxCapacity": 256.0}}
        for v in versions]})
    if serverless:
        aws["rds"].add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": [
            {"Engine": PG, "EngineVersion": v, "DBInstanceClass": "db.serverless"} for v in versions]})


def stub_dms(aws, versions):
    aws["dms"].add_response("describe_engine_versions", {"EngineVersions": [
        {"Version": v, "Lifecycle": "recommended" if i == 0 else "available", "ReleaseStatus": "prod"} for i, v in enumerate(versions)]})


def lookups(**extra):
    args = {"config": config(network_az_count=2, dms_enabled=True, dms_source_secret_id="s", security_create_dms_roles=False),
            "region": "us-east-1", "check_credentials": True, "lookup_availability_zones": True,
            "lookup_iam_roles": ["dms-vpc-role", "dms-cloudwatch-logs-role"],
            "aurora_version": {"engine": PG, "policy": "latest-in-major:16", "serverless_v2": True, "max_capacity": 8},
            "dms_version": {"policy": "latest"}, "today": "2026-11-22"}
    args.update(extra)
    return args


def test_lookups_pass_and_publish_account_zones_and_versions(aws):
    stub_caller(aws)
    stub_zones(aws, ["us-east-1b", "us-east-1a", "us-east-1c"])
    aws["iam"].add_response("get_role", {"Role": {"Path": "/", "RoleName": "dms-vpc-role", "RoleId": "AROAEXAMPLEID1234567",
                                                  "Arn": "arn:aws:iam::123456789012:role/dms-vpc-role",
                                                  "CreateDate": "2026-01-01T00:00:00Z"}}, {"RoleName": "dms-vpc-role"})
    aws["iam"].add_response("get_role", {"Role": {"Path": "/", "RoleName": "dms-cloudwatch-logs-role", "RoleId": "AROAEXAMPLEID7654321",
                                                  "Arn": "arn:aws:iam::123456789012:role/dms-cloudwatch-logs-role",
                                                  "CreateDate": "2026-01-01T00:00:00Z"}}, {"RoleName": "dms-cloudwatch-logs-role"})
    stub_aurora(aws, ["16.15", "16.4", "15.19"])
    stub_dms(aws, ["3.6.1", "3.5.4"])
    result = run_module(lookups())
    assert not result["_failed"], result["msg"] if "msg" in result else result["table"]
    assert (result["account"], result["partition"]) == ("123456789012", "aws")
    assert result["availability_zones"] == ["us-east-1a", "us-east-1b", "us-east-1c"]
    assert (result["versions"]["aurora"]["version"], result["versions"]["dms"]["version"]) == ("16.15", "3.6.1")
    assert "failed" not in result["versions"]["aurora"]
    by_rule = {f["rule"]: f for f in result["findings"] if f["rule"] in ("NET02", "F11")}
    assert (by_rule["NET02"]["status"], by_rule["F11"]["status"]) == ("pass", "pass")
    assert [f["message"] for f in result["findings"] if f["rule"] == "VER01"] == [
        "aurora engine version 16.15 (source: api)", "dms engine version 3.6.1 (source: api)"]
    assert aws["asked"][0] == "sts", "the credentials are asked first"


def test_a_refused_version_is_a_finding_per_failed_check_naming_its_variable(aws):
    stub_caller(aws)
    stub_zones(aws, ["us-east-1a", "us-east-1b"])
    aws["iam"].add_client_error("get_role", "NoSuchEntity", http_status_code=404)
    aws["iam"].add_client_error("get_role", "NoSuchEntity", http_status_code=404)
    stub_aurora(aws, ["16.15"])
    stub_dms(aws, ["3.6.1"])
    result = run_module(lookups(aurora_version={"engine": PG, "policy": "15.5", "serverless_v2": True}))
    assert result["_failed"]
    failed = [f for f in result["findings"] if f["status"] == "fail"]
    assert [f["rule"] for f in failed] == ["F11", "VER01"]
    assert "lacks the IAM role(s) dms-vpc-role and dms-cloudwatch-logs-role" in failed[0]["message"]
    assert failed[1]["variable"] == "aurora_engine_version"
    assert failed[1]["message"].startswith("aurora_engine_version: 15.5 is not offered for aurora-postgresql in us-east-1")
    assert "nearest valid: 16.15" in failed[1]["message"] and failed[1]["message"].endswith("(F03)")
    assert result["msg"].endswith("\n2 error(s), 0 warning(s)")


def test_net02_refuses_more_zones_than_the_region_has(aws):
    stub_caller(aws)
    stub_zones(aws, ["us-west-1a", "us-west-1b"])
    result = run_module(lookups(config=config(platform_region="us-west-1", platform_env="qa", platform_name_suffix="qa",
                                              network_az_count=3, **in_region("us-west-1")),
                                lookup_iam_roles=[], aurora_version=None, dms_version=None))
    assert result["_failed"]
    net02 = [f for f in result["findings"] if f["rule"] == "NET02"][0]
    assert net02["status"] == "fail"
    assert "network_az_count: 3 is more than the 2 available zones of us-west-1 (us-west-1a, us-west-1b); valid: 1-2" in net02["message"]


def test_a_rule_refusal_asks_aws_nothing(aws):
    result = run_module(lookups(config=config(aurora_backup_window="05:00-05:30")))
    assert result["_failed"]
    assert aws["asked"] == [], "a refusal by the rules reached the AWS API"
    assert result["versions"] == {} and "account" not in result
    assert result["msg"].endswith("the AWS look-ups (credentials, zones, roles, versions) were not made: fix the errors above first")


def test_no_credentials_fail_at_once_with_guidance(aws):
    aws["sts"].add_client_error("get_caller_identity", "InvalidClientTokenId", "The security token included in the request is invalid.",
                                http_status_code=403)
    result = run_module(lookups())
    assert result["_failed"]
    assert result["msg"].startswith("No usable AWS credentials for environment prod (region us-east-1): ")
    assert "AWS_PROFILE" in result["msg"] and "Amazon Web Services" in result["msg"]
    assert aws["asked"] == ["sts"]


def test_unreachable_aws_says_so_not_credentials(monkeypatch):
    error = botocore.exceptions.EndpointConnectionError(endpoint_url="https://sts.us-east-1.amazonaws.com/")
    from module_harness import fail_with  # noqa: E402  pylint: disable=import-error,import-outside-toplevel

    fail_with(monkeypatch, error)
    result = run_module(lookups())
    assert result["_failed"]
    assert result["msg"].startswith("AWS cannot be reached for environment prod (region us-east-1): Could not connect")
    assert "platform_aws_endpoint_url" in result["msg"]


def test_versions_fall_back_to_the_catalog_when_the_api_cannot_be_asked(aws, monkeypatch):
    stub_caller(aws)
    stub_zones(aws, ["us-east-1a", "us-east-1b"])
    aws["rds"].add_client_error("describe_db_engine_versions", "AccessDenied", http_status_code=403)
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, warning: warnings.append(warning))
    result = run_module(lookups(lookup_iam_roles=[], dms_version=None,
                                config=config(network_az_count=2)))
    assert not result["_failed"], result.get("msg")
    assert result["versions"]["aurora"]["source"] == "catalog"
    assert any("using the aurora-postgresql versions of the catalog dated" in w for w in warnings)


def test_a_bad_policy_is_refused_by_name(aws):
    stub_caller(aws)
    stub_zones(aws, ["us-east-1a", "us-east-1b"])
    result = run_module(lookups(lookup_iam_roles=[], dms_version={"policy": "newest"}))
    assert result["_failed"]
    assert result["msg"].startswith("dms_engine_version: ")


def test_every_rule_is_documented_with_what_it_reads():
    """The module's documentation lists exactly the rule table's ids, and says for each what it reads."""
    import re  # pylint: disable=import-outside-toplevel

    import yaml  # pylint: disable=import-outside-toplevel

    from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import RULE_IDS  # pylint: disable=import-outside-toplevel

    doc = yaml.safe_load(preflight.DOCUMENTATION)
    listed = re.findall(r"V\(([A-Z0-9]+)\)", " ".join(doc["options"]["rules"]["description"]))
    assert sorted(listed) == sorted(RULE_IDS + (preflight.VERSION_RULE_ID,))
    described = {line.split(" ", 1)[0] for line in doc["options"]["config"]["description"]}
    assert [rule_id for rule_id in RULE_IDS if rule_id not in described] == []


def test_each_rule_documents_every_variable_it_declares_it_reads():
    """The line of O(config) for each rule names, as V(...), every key the rule table says it reads."""
    import re  # pylint: disable=import-outside-toplevel

    import yaml  # pylint: disable=import-outside-toplevel

    from ansible_collections.payments.aws_platform.plugins.module_utils.preflight_rules import RULES  # pylint: disable=import-outside-toplevel

    lines = yaml.safe_load(preflight.DOCUMENTATION)["options"]["config"]["description"]
    undocumented = {}
    for rule in RULES:
        text = " ".join(line for line in lines if line.split(" ", 1)[0] == rule.id)
        named = set(re.findall(r"V\(([a-z0-9_]+)\)", text))
        missing = sorted(set(rule.reads) - {"*"} - named)
        if missing:
            undocumented[rule.id] = missing
    assert not undocumented, f"the config option's documentation does not name what these rules read: {undocumented}"


# ---------------------------------------------------------------- rules the roles declare (role_rules)
def test_the_rules_the_roles_declare_run_in_the_same_table_and_refuse_naming_the_variable():
    from role_declarations import role_rules  # pylint: disable=import-error,import-outside-toplevel

    result = run_module({"config": effective(dict(GOOD, alb_idle_timeout=4001, aurora_reader_count=15)), "role_rules": role_rules()})
    assert result["_failed"] is True
    by_rule = {(f["rule"], f["status"], f["variable"]) for f in result["findings"]}
    assert ("ALB01", "fail", "alb_idle_timeout") in by_rule and ("AUR01", "pass", "aurora_reader_count") in by_rule
    assert "alb_idle_timeout: 4001 seconds is outside what AWS accepts, from 1 to 4000 seconds" in [f["message"] for f in result["findings"]]
    assert "ALB01  | fail   | alb_idle_timeout" in result["msg"]
    # Selected and skipped by name as well as by id.
    only = run_module({"config": effective(dict(GOOD, alb_idle_timeout=4001)), "role_rules": role_rules(), "rules": ["alb-accepted-values"]})
    assert {f["rule"] for f in only["findings"]} == {"ALB01"} and only["_failed"] is True
    skipped = run_module({"config": effective(dict(GOOD, alb_idle_timeout=4001)), "role_rules": role_rules(),
                          "skip_rules": ["alb-accepted-values"]})
    assert "ALB01" not in {f["rule"] for f in skipped["findings"]} and "AUR01" in {f["rule"] for f in skipped["findings"]}


def test_a_role_rule_the_engine_cannot_run_fails_the_module_before_any_rule():
    bad = [{"role": "ecs", "id": "F12", "name": "ecs-limits", "title": "t", "severity": "error", "reference": "r",
            "checks": [{"kind": "range", "variable": "ecs_desired_count", "max": 10}]}]
    result = run_module({"config": effective(GOOD), "role_rules": bad})
    assert result["_failed"] is True and "findings" not in result
    assert result["msg"].startswith("role_rules: ecs__preflight_rules rule F12:")
    unknown = run_module({"config": effective(GOOD), "rules": ["alb-accepted-values"]})
    assert unknown["_failed"] is True and "unknown rule id(s) alb-accepted-values" in unknown["msg"]
