# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests of payments.aws_platform.aurora_engine_version: the API path (botocore Stubber) and the catalog fallback."""

from __future__ import annotations

import runpy

import boto3
import botocore
import pytest
from botocore.stub import Stubber

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


from ansible_collections.payments.aws_platform.plugins.module_utils.engine_catalog import CATALOG_DATE
from ansible_collections.payments.aws_platform.plugins.module_utils import version_resolution
from ansible_collections.payments.aws_platform.plugins.modules import aurora_engine_version

TODAY = "2026-11-22"
PG = "aurora-postgresql"


from module_harness import AnsibleExitJson  # noqa: E402  pylint: disable=import-error
from module_harness import AnsibleFailJson  # noqa: E402  pylint: disable=import-error
from module_harness import exit_json as _exit_json  # noqa: E402  pylint: disable=import-error
from module_harness import fail_json as _fail_json  # noqa: E402  pylint: disable=import-error


@pytest.fixture(name="warnings", autouse=True)
def fixture_module_exits(monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda self, warning: warnings.append(warning))
    for name in ("AWS_PROFILE", "AWS_URL", "EC2_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return warnings


from module_harness import fail_with  # noqa: E402  pylint: disable=import-error
from module_harness import use_client  # noqa: E402  pylint: disable=import-error


def unreachable():
    return botocore.exceptions.EndpointConnectionError(endpoint_url="https://rds.us-east-1.amazonaws.com")


@pytest.fixture(name="rds")
def fixture_rds(monkeypatch):
    client = boto3.client("rds", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    use_client(monkeypatch, client)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def run_module(args, check_mode=False):
    module_args = dict(args)
    module_args.setdefault("region", "us-east-1")
    if check_mode:
        module_args["_ansible_check_mode"] = True
    with patch_module_args(module_args):
        with pytest.raises((AnsibleExitJson, AnsibleFailJson)) as excinfo:
            aurora_engine_version.main()
    result = excinfo.value.args[0]
    result["_failed"] = isinstance(excinfo.value, AnsibleFailJson)
    return result


def pg_version(version, serverless=True, status="available", min_capacity=0.5):
    answer = {"Engine": PG, "EngineVersion": version, "Status": status, "ExportableLogTypes": ["postgresql"],
              "SupportsLogExportsToCloudwatchLogs": True}
    if serverless:
        answer["ServerlessV2FeaturesSupport"] = {"MinCapacity": min_capacity, "MaxCapacity": 256.0}
    return answer


# What us-east-1 answered when F01 happened: 15.5 offered, but not as db.serverless.
F01_VERSIONS = [pg_version(v) for v in ("14.9", "14.10", "15.3", "15.4", "15.6")] + [pg_version("15.5", serverless=False)]
F01_SERVERLESS = ["15.6", "15.4", "15.3", "14.10", "14.9"]


def stub_f01_api(stubber):
    stubber.add_response("describe_db_engine_versions", {"DBEngineVersions": F01_VERSIONS}, {"Engine": PG, "IncludeAll": True})
    stubber.add_response(
        "describe_orderable_db_instance_options",
        {"OrderableDBInstanceOptions": [{"Engine": PG, "EngineVersion": v, "DBInstanceClass": "db.serverless"} for v in F01_SERVERLESS]},
        {"Engine": PG, "DBInstanceClass": "db.serverless"},
    )


# --- F01: not orderable as Serverless v2 ------------------------------------------------------


def test_f01_serverless_v2_refuses_15_5_from_the_api(rds):
    stub_f01_api(rds)
    result = run_module(dict(engine=PG, version="15.5", serverless_v2=True, today=TODAY))
    assert result["_failed"]
    assert result["msg"] == (
        "aurora_engine_version: 15.5 is not orderable as Serverless v2 (db.serverless) for aurora-postgresql in us-east-1 (aurora_serverless_v2: true);"
        " nearest valid: 15.6, 15.4, 15.3, 14.10, 14.9 (F01)"
    )
    assert (result["version"], result["source"], result["catalog_date"]) == ("15.5", "api", None)
    assert result["alternatives"] == F01_SERVERLESS
    assert result["checks"][-1]["id"] == "F01" and result["checks"][-1]["status"] == "fail"


def test_f01_serverless_v2_accepts_15_6_from_the_api(rds):
    stub_f01_api(rds)
    result = run_module(dict(engine=PG, version="15.6", serverless_v2=True, min_capacity=0.5, max_capacity=64, today=TODAY))
    assert not result["_failed"] and not result["changed"]
    assert (result["version"], result["source"]) == ("15.6", "api")
    assert [c["status"] for c in result["checks"]] == ["pass"] * 4


def test_f01_acu_range_outside_serverless_v2_features_support(rds):
    stub_f01_api(rds)
    result = run_module(dict(engine=PG, version="15.6", serverless_v2=True, min_capacity=0, max_capacity=16, today=TODAY))
    assert result["msg"] == (
        "aurora_serverless_v2_min_capacity: 0 is below the minimum 0.5 ACU that Serverless v2 supports for aurora-postgresql 15.6;"
        " valid range 0.5-256 ACU (F01)"
    )


def test_f01_catalog_fallback_refuses_15_5_and_policy_fixes_it(monkeypatch, warnings):
    fail_with(monkeypatch, unreachable())
    result = run_module(dict(engine=PG, version="15.5", serverless_v2=True, today=TODAY))
    assert result["_failed"] and (result["source"], result["catalog_date"]) == ("catalog", CATALOG_DATE)
    # cfn-lint lists 15.5 as deprecated; no source says whether it was orderable as db.serverless in us-east-1.
    assert result["msg"] == (
        "aurora_engine_version: 15.5 is deprecated for aurora-postgresql in us-east-1 (Status deprecated);"
        " nearest valid: 15.19, 15.18, 15.17, 15.15, 15.14, 15.13, 15.12, 15.10 (F02)"
    )
    assert [c["status"] for c in result["checks"]] == ["unknown", "fail", "unknown"]
    assert warnings and f"using the aurora-postgresql versions of the catalog dated {CATALOG_DATE} for us-east-1" in warnings[0]

    fixed = run_module(dict(engine=PG, policy="latest-in-major:15", serverless_v2=True, today=TODAY))
    assert (fixed["_failed"], fixed["version"], fixed["source"]) == (False, "15.19", "catalog")
    assert len(fixed["unconfirmed"]) == 2 and "is not confirmed orderable as Serverless v2" in fixed["unconfirmed"][1]


# --- F02: deprecated or past end of support ------------------------------------------------


def test_f02_deprecated_13_7_refused_latest_in_major_13_picks_newest(rds):
    answer = {"DBEngineVersions": [pg_version("13.7", status="deprecated"), pg_version("13.21"), pg_version("13.23")]}
    rds.add_response("describe_db_engine_versions", answer, {"Engine": PG, "IncludeAll": True})
    result = run_module(dict(engine=PG, version="13.7", today=TODAY))
    assert result["msg"] == (
        "aurora_engine_version: 13.7 is deprecated for aurora-postgresql in us-east-1 (Status deprecated); nearest valid: 13.23, 13.21 (F02)"
    )
    rds.add_response("describe_db_engine_versions", answer, {"Engine": PG, "IncludeAll": True})
    fixed = run_module(dict(engine=PG, policy="latest-in-major:13", today=TODAY))
    assert (fixed["_failed"], fixed["version"], fixed["alternatives"]) == (False, "13.23", ["13.21"])


def test_f02_pinned_minor_rots_in_the_catalog(monkeypatch):
    fail_with(monkeypatch, botocore.exceptions.EndpointConnectionError(endpoint_url="https://rds.us-east-1.amazonaws.com"))
    for version in ("15.6", "13.21", "15.8"):
        result = run_module(dict(engine=PG, version=version, today=TODAY))
        assert result["_failed"] and f"aurora_engine_version: {version} is deprecated for aurora-postgresql in us-east-1" in result["msg"]
    assert run_module(dict(engine=PG, today=TODAY))["version"] == "18.6"


# --- F03: not offered in the region -------------------------------------------------------------


def test_f03_15_4_not_offered_in_eu_south_1(rds):
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": [pg_version("15.13"), pg_version("15.8", status="deprecated")]},
                     {"Engine": PG, "IncludeAll": True})
    result = run_module(dict(engine=PG, version="15.4", today=TODAY))
    assert result["msg"] == "aurora_engine_version: 15.4 is not offered for aurora-postgresql in us-east-1; nearest valid: 15.13 (F03)"


def test_f03_offline_a_version_is_never_confirmed_in_a_region(monkeypatch, warnings):
    """cfn-lint lists versions for all regions together: offline, being offered in eu-south-1 is a warning."""
    fail_with(monkeypatch, unreachable())
    result = run_module(dict(engine=PG, policy="latest-in-major:15", region="eu-south-1", today=TODAY))
    assert (result["_failed"], result["version"]) == (False, "15.19")
    assert result["checks"][0]["status"] == "unknown" and result["checks"][0]["detail"] in warnings
    assert "lists it for all regions together, not per region" in result["checks"][0]["detail"]


def test_f03_region_missing_from_catalog_is_a_warning(monkeypatch, warnings):
    fail_with(monkeypatch, unreachable())
    result = run_module(dict(engine=PG, region="xx-south-9", today=TODAY))
    assert (result["_failed"], result["version"]) == (False, "18.6")
    assert "but the catalog does not cover xx-south-9" in result["unconfirmed"][0] and result["unconfirmed"][0] in warnings


def test_catalog_without_the_engine_fails(monkeypatch):
    fail_with(monkeypatch, unreachable())
    monkeypatch.setattr(version_resolution, "load_catalog", lambda: {"catalog_date": "2026-12-02", "engines": {}, "regions": {}})
    result = run_module(dict(engine=PG, region="us-east-1"))
    assert result["_failed"] and result["msg"].startswith("The API could not be asked (")
    assert result["msg"].endswith("the catalog dated 2026-12-02 has no aurora-postgresql versions for us-east-1")


# --- F05: log exports ------------------------------------------------------------------------------


def test_f05_log_exports_refused_with_serverless_v1(monkeypatch):
    fail_with(monkeypatch, unreachable())
    result = run_module(dict(engine=PG, version="16.15", engine_mode="serverless", log_exports=["postgresql"], today=TODAY))
    assert result["msg"] == (
        "aurora_log_exports: postgresql cannot be exported by an Aurora Serverless v1 cluster (engine_mode serverless);"
        " set aurora_log_exports to [] or use a provisioned or Serverless v2 cluster (F05)"
    )
    fixed = run_module(dict(engine=PG, version="16.15", engine_mode="serverless", log_exports=[], today=TODAY))
    assert not fixed["_failed"]


def test_f05_log_type_the_version_cannot_export(rds):
    mysql = {"Engine": "aurora-mysql", "EngineVersion": "8.0.mysql_aurora.3.08.2", "Status": "available", "SupportsLogExportsToCloudwatchLogs": True,
             "ExportableLogTypes": ["audit", "error", "general", "iam-db-auth-error", "instance", "slowquery"]}
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": [mysql]}, {"Engine": "aurora-mysql", "IncludeAll": True})
    result = run_module(dict(engine="aurora-mysql", version="8.0.mysql_aurora.3.08.2", log_exports=["slowquery", "postgresql"], today=TODAY))
    assert result["msg"] == (
        "aurora_log_exports: postgresql cannot be exported by aurora-mysql 8.0.mysql_aurora.3.08.2;"
        " valid: audit, error, general, iam-db-auth-error, instance, slowquery (F05)"
    )
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": [mysql]}, {"Engine": "aurora-mysql", "IncludeAll": True})
    fixed = run_module(dict(engine="aurora-mysql", version="8.0.mysql_aurora.3.08.2", log_exports=["slowquery", "audit"], today=TODAY))
    assert not fixed["_failed"]


def test_f05_offline_log_types_are_not_confirmed(monkeypatch, warnings):
    fail_with(monkeypatch, unreachable())
    result = run_module(dict(engine="aurora-mysql", version="8.0.mysql_aurora.3.08.2", log_exports=["slowquery"], today=TODAY))
    assert not result["_failed"] and result["checks"][-1]["status"] == "unknown"
    assert ("aurora_log_exports: slowquery is not confirmed exportable by aurora-mysql 8.0.mysql_aurora.3.08.2:"
            " no source of the catalog gives its exportable log types (F05, not confirmed)") in warnings


def test_f05_serverless_v2_postgresql_exports_are_accepted(rds):
    stub_f01_api(rds)
    result = run_module(dict(engine=PG, version="15.6", serverless_v2=True, log_exports=["postgresql"], today=TODAY))
    assert not result["_failed"] and result["checks"][-1]["check"] == "log_exports"


# --- instance classes, errors, check mode -------------------------------------------------------------


def test_instance_class_not_orderable_from_the_api(rds):
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": [pg_version("16.14"), pg_version("16.15")]},
                     {"Engine": PG, "IncludeAll": True})
    rds.add_response("describe_orderable_db_instance_options",
                     {"OrderableDBInstanceOptions": [{"Engine": PG, "EngineVersion": "16.15", "DBInstanceClass": "db.r6g.large"}]},
                     {"Engine": PG, "DBInstanceClass": "db.r6g.large"})
    rds.add_response("describe_orderable_db_instance_options",
                     {"OrderableDBInstanceOptions": [{"Engine": PG, "EngineVersion": "16.14", "DBInstanceClass": name}
                                                     for name in ("db.r7g.large", "db.serverless", "db.r5.large", "db.r7g.large")]},
                     {"Engine": PG, "EngineVersion": "16.14"})
    result = run_module(dict(engine=PG, version="16.14", instance_class="db.r6g.large", today=TODAY))
    assert result["_failed"]
    assert result["msg"] == ("aurora_instance_class: db.r6g.large is not orderable for aurora-postgresql 16.14 in us-east-1;"
                             " orderable for 16.14: db.r5.large, db.r7g.large; nearest valid: 16.15 (F01)")
    assert result["checks"][-1]["detail"] == result["msg"]


def test_instance_class_orderable_for_nothing_says_none_and_a_listing_error_fails_clearly(rds):
    versions = {"DBEngineVersions": [pg_version("16.14")]}
    for answer in ({"OrderableDBInstanceOptions": []}, None):
        rds.add_response("describe_db_engine_versions", versions, {"Engine": PG, "IncludeAll": True})
        rds.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": []},
                         {"Engine": PG, "DBInstanceClass": "db.x9.huge"})
        if answer is None:
            rds.add_client_error("describe_orderable_db_instance_options", "AccessDenied", "not authorized", 403)
        else:
            rds.add_response("describe_orderable_db_instance_options", answer, {"Engine": PG, "EngineVersion": "16.14"})
        result = run_module(dict(engine=PG, version="16.14", instance_class="db.x9.huge", today=TODAY))
        assert result["_failed"]
        if answer is None:
            assert result["msg"].startswith("Unable to list the instance classes orderable for aurora-postgresql 16.14 in us-east-1")
        else:
            assert "db.x9.huge is not orderable for aurora-postgresql 16.14 in us-east-1; orderable for 16.14: none" in result["msg"]


def test_instance_class_is_not_checked_from_the_catalog(monkeypatch, warnings):
    fail_with(monkeypatch, unreachable())
    result = run_module(dict(engine=PG, version="16.15", instance_class="db.r6g.large", today=TODAY))
    assert not result["_failed"]
    assert "instance_class db.r6g.large was not checked: the catalog has no instance class data." in warnings


def test_no_credentials_in_check_mode_uses_the_catalog(monkeypatch):
    fail_with(monkeypatch, botocore.exceptions.NoCredentialsError())
    result = run_module(dict(engine=PG, policy="latest", today=TODAY), check_mode=True)
    assert (result["_failed"], result["changed"], result["source"], result["version"]) == (False, False, "catalog", "18.6")


def test_no_credentials_outside_check_mode_uses_the_catalog_with_a_warning(monkeypatch, warnings):
    fail_with(monkeypatch, botocore.exceptions.NoCredentialsError())
    result = run_module(dict(engine=PG, policy="latest", today=TODAY))
    assert (result["_failed"], result["source"], result["version"]) == (False, "catalog", "18.6")
    assert warnings[0].startswith("The API could not be asked (Unable to locate credentials)")


def test_access_denied_uses_the_catalog_with_a_warning(rds, warnings):
    rds.add_client_error("describe_db_engine_versions", service_error_code="AccessDenied", http_status_code=403)
    result = run_module(dict(engine=PG, version="16.15", today=TODAY))
    assert (result["_failed"], result["source"]) == (False, "catalog")
    assert warnings[0].startswith("The API could not be asked (An error occurred (AccessDenied)")


@pytest.mark.parametrize("code, status", [("InternalFailure", 500), ("BadGateway", 502), ("NotImplemented", 501), ("Throttling", 400)])
def test_server_errors_and_throttling_fail_and_never_use_the_catalog(monkeypatch, code, status):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    fail_with(monkeypatch, botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "DescribeDBEngineVersions"))
    result = run_module(dict(engine=PG, version="16.15"), check_mode=True)
    assert result["_failed"] and result["msg"].startswith("Unable to describe the aurora-postgresql engine versions in us-east-1")


def test_a_client_error_in_check_mode_uses_the_catalog(rds):
    rds.add_client_error("describe_db_engine_versions", service_error_code="InvalidClientTokenId", http_status_code=403)
    assert run_module(dict(engine=PG, version="16.15", today=TODAY), check_mode=True)["source"] == "catalog"
    rds.add_client_error("describe_db_engine_versions", service_error_code="InvalidParameterValue", http_status_code=400)
    assert run_module(dict(engine=PG, version="16.15", today=TODAY), check_mode=True)["source"] == "catalog"
    rds.add_client_error("describe_db_engine_versions", service_error_code="InvalidParameterValue", http_status_code=400)
    assert run_module(dict(engine=PG, version="16.15", today=TODAY))["_failed"]


def test_an_empty_api_answer_is_an_answer_not_a_fallback(rds):
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": []}, {"Engine": "aurora-mysql", "IncludeAll": True})
    result = run_module(dict(engine="aurora-mysql", policy="latest-in-major:3", serverless_v2=True, min_capacity=0, today=TODAY))
    assert (result["_failed"], result["source"], result["version"]) == (True, "api", None)
    assert result["msg"] == ("aurora_engine_version: latest-in-major:3 finds no version in major 3 of aurora-mysql offered in us-east-1;"
                             " no valid version in us-east-1 (F03)")


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(policy="newest"), "aurora_engine_version: newest is neither a version nor a policy"),
        (dict(today="someday"), "today: 'someday' is not an ISO date (YYYY-MM-DD)"),
        (dict(version="15.6", policy="latest"), "parameters are mutually exclusive: version|policy"),
    ],
)
def test_invalid_options(args, message):
    result = run_module(dict(engine=PG, **args))
    assert result["_failed"] and message in result["msg"]


def test_runs_as_a_script(monkeypatch):
    fail_with(monkeypatch, unreachable())
    with patch_module_args(dict(engine=PG, version="18.6", region="us-east-1")):
        with pytest.raises(AnsibleExitJson):
            runpy.run_path(aurora_engine_version.__file__, run_name="__main__")


def test_a_policy_no_version_of_which_takes_the_class_lists_the_classes_of_its_newest(rds):
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": [pg_version("16.14"), pg_version("16.15")]},
                     {"Engine": PG, "IncludeAll": True})
    rds.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": []}, {"Engine": PG, "DBInstanceClass": "db.x9.huge"})
    rds.add_response("describe_orderable_db_instance_options",
                     {"OrderableDBInstanceOptions": [{"Engine": PG, "EngineVersion": "16.15", "DBInstanceClass": "db.r6g.large"}]},
                     {"Engine": PG, "EngineVersion": "16.15"})
    result = run_module(dict(engine=PG, policy="latest-in-major:16", instance_class="db.x9.huge", today=TODAY))
    assert result["_failed"] and result["version"] is None
    assert "aurora_instance_class: db.x9.huge is not orderable for aurora-postgresql 16.15 in us-east-1; orderable for 16.15: db.r6g.large" in result["msg"]
