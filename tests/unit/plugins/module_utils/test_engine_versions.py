# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests of the engine-version intelligence (engine_versions) and the shipped catalog (engine_catalog).

The evaluation tests use what an API answers: records normalised from the stand-in's engine fixture
(tests/emulator/engine_fixture.json, derived from real AWS data), not the catalog.
"""

from __future__ import annotations

import datetime
import json
import os

import boto3
import botocore
import pytest
from botocore.stub import Stubber

from ansible_collections.payments.aws_platform.plugins.module_utils import engine_catalog
from ansible_collections.payments.aws_platform.plugins.module_utils import engine_versions as ev

TODAY = "2026-11-22"
FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "emulator", "engine_fixture.json")


@pytest.fixture(name="catalog")
def fixture_catalog():
    return engine_catalog.load_catalog()


def api(engine="aurora-postgresql", region="us-east-1"):
    """Records as the API path builds them, from the stand-in's fixture (real-data derived)."""
    with open(FIXTURE, encoding="utf-8") as handle:
        fixture = json.load(handle)
    excluded = fixture["exclude"].get(region, {}).get(engine, [])
    records = []
    for version, entry in fixture[engine].items():
        if version in excluded:
            continue
        if engine == "dms":
            raw = dict({k: v for k, v in entry.items() if v is not None}, Version=version)
            records.append(ev.normalise_dms_engine_version(raw, fixture["dms_instance_classes"]))
            continue
        raw = {"Engine": engine, "EngineVersion": version, "Status": entry["status"], "ExportableLogTypes": entry["exportable_log_types"],
               "SupportsLogExportsToCloudwatchLogs": True}
        if entry["serverless_v2"]:
            raw["ServerlessV2FeaturesSupport"] = {"MinCapacity": entry["serverless_v2_min_capacity"], "MaxCapacity": entry["serverless_v2_max_capacity"]}
        orderable = [v for v, e in fixture[engine].items() if e["serverless_v2"] and e["status"] == "available"]
        records.append(ev.normalise_rds_engine_version(raw, orderable))
    return ev.sort_newest_first(records)


def pg(region="us-east-1"):
    return api("aurora-postgresql", region)


def client_error(code, status=400):
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "DescribeDBEngineVersions"
    )


# --- versions and policies ------------------------------------------------------------


@pytest.mark.parametrize(
    "version, key",
    [("15.8", (15, 8)), ("13.23", (13, 23)), ("8.0.mysql_aurora.3.08.1", (3, 8, 1)), ("3.6.1", (3, 6, 1)), (" 16.10 ", (16, 10))],
)
def test_version_key(version, key):
    assert ev.version_key(version) == key


@pytest.mark.parametrize("version", ["", "15.x", "16.6-limitless", None, "latest"])
def test_version_key_refuses_non_versions(version):
    with pytest.raises(ev.EngineVersionError):
        ev.version_key(version)
    assert not ev.is_version(version)


def test_versions_compare_numerically_not_as_text():
    assert ev.version_key("15.10") > ev.version_key("15.9")
    assert ev.same_version("3.08.1", "8.0.mysql_aurora.3.08.1")
    assert ev.in_major("15.19", "15") and not ev.in_major("16.1", "15")
    assert ev.in_major("8.0.mysql_aurora.3.08.2", "3.08") and not ev.in_major("8.0.mysql_aurora.3.10.0", "3.08")


def test_parse_policy():
    assert ev.parse_policy("latest", "v") == ("latest", None)
    assert ev.parse_policy(None, "v") == ("latest", None)
    assert ev.parse_policy("latest-in-major:13", "v") == ("latest-in-major", "13")
    assert ev.parse_policy("15.19", "v") == ("exact", "15.19")


@pytest.mark.parametrize(
    "policy, message",
    [
        ("latest-in-major:", "aurora_engine_version: latest-in-major: does not name a major version"),
        ("newest", "aurora_engine_version: newest is neither a version nor a policy; use 'latest', 'latest-in-major:<major>' or an exact version"),
    ],
)
def test_parse_policy_refuses_unknown_policies(policy, message):
    with pytest.raises(ev.EngineVersionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ev.parse_policy(policy, "aurora_engine_version")


def test_parse_date():
    assert ev.parse_date(None) is None
    assert ev.parse_date("") is None
    assert ev.parse_date("2026-11-22") == datetime.date(2026, 11, 22)
    assert ev.parse_date(datetime.datetime(2026, 1, 2, 3, 4)) == datetime.date(2026, 1, 2)
    assert ev.parse_date(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
    with pytest.raises(ev.EngineVersionError, match="today: 'tomorrow' is not an ISO date"):
        ev.parse_date("tomorrow")


def test_nearest_lists_same_major_then_nearest_majors_newest_first():
    records = [{"version": v} for v in ("13.23", "14.9", "14.10", "15.3", "15.4", "15.6", "16.15", "17.11")]
    assert ev.nearest(records, "15.5", exclude="15.5") == ["15.6", "15.4", "15.3", "14.10", "14.9", "16.15", "13.23", "17.11"]
    assert ev.nearest(records, None, limit=2) == ["17.11", "16.15"]


# --- the shipped catalog: real data only, every record with its source and date --------------------------


def test_catalog_is_dated_and_every_record_names_a_real_source(catalog):
    assert catalog["catalog_date"] == engine_catalog.CATALOG_DATE
    sources = catalog["sources"]
    assert sources and all(s == "api" or s.startswith(("cfn-lint ", "aws-docs https://docs.aws.amazon.com/")) for s in sources)
    assert all(fact["date"] for fact in sources.values())
    for engine, table in catalog["engines"].items():
        assert table, engine
        for version, entry in table.items():
            assert entry["source"] in sources and entry["date"], (engine, version)
    for region, areas in catalog["regions"].items():
        for engine, area in areas.items():
            assert area["source"] in sources and area["date"], (region, engine)
    for fact in catalog.get("serverless_v2_from", {}).values():
        assert fact["source"] in sources and fact["date"]
    assert "inferred" not in json.dumps(catalog).lower()


def test_catalog_covers_every_commercial_aurora_region_or_says_unknown(catalog):
    covered = set(catalog["regions"]) | set(catalog["unknown_regions"])
    assert {"us-east-1", "us-east-2", "us-west-2", "eu-south-1", "ap-southeast-7", "il-central-1", "mx-central-1"} <= covered
    assert not any(r.startswith(("cn-", "us-gov-", "us-iso")) for r in covered)


def test_catalog_facts_are_those_of_the_sources(catalog):
    table = catalog["engines"]["aurora-postgresql"]
    assert table["15.5"]["status"] == "deprecated" and "serverless_v2" not in table["15.5"]
    assert table["15.19"]["status"] == "available" and table["15.19"]["serverless_v2"] is True
    assert not any("exportable_log_types" in e or "serverless_v2_min_capacity" in e for e in table.values())
    assert catalog["engines"]["dms"]["3.4.7"]["deprecation_date"] == "2024-09-30"
    assert catalog["engines"]["dms"]["3.6.1"]["deprecation_date"] is None


def test_catalog_records_say_what_they_do_not_know(catalog):
    records = {r["version"]: r for r in ev.catalog_records(catalog, "us-east-1", "aurora-postgresql")}
    assert records["16.15"]["offered_in_region"] is None and "not per region" in records["16.15"]["evidence"]
    assert records["16.15"]["serverless_v2"] is None and records["16.15"]["exportable_log_types"] is None
    mysql = {r["version"]: r for r in ev.catalog_records(catalog, "us-east-1", "aurora-mysql")}
    assert mysql["8.0.mysql_aurora.3.10.0"]["serverless_v2"] is True and mysql["8.0.mysql_aurora.3.01.0"]["serverless_v2"] is False
    assert "from 3.02.0 on in us-east-1" in mysql["8.0.mysql_aurora.3.10.0"]["serverless_v2_evidence"]
    milan = {r["version"]: r for r in ev.catalog_records(catalog, "eu-south-1", "aurora-mysql")}
    assert milan["8.0.mysql_aurora.3.10.0"]["serverless_v2"] is None


def test_catalog_records_for_unknown_region_or_engine(catalog):
    records = ev.catalog_records(catalog, "ap-east-9", "aurora-postgresql")
    assert records and "the catalog does not cover ap-east-9" in records[0]["evidence"]
    assert ev.catalog_records(catalog, "us-east-1", "neptune") is None
    dms = ev.catalog_records(catalog, "us-east-1", "dms")
    assert dms[0]["version"] == "3.6.1" and dms[0]["engine"] == "dms" and dms[0]["instance_classes"] is None
    assert "no source of the catalog gives dms data per region" in dms[0]["evidence"]


SMALL = {
    "catalog_date": "2026-12-01", "sources": {"api": {"date": "2026-12-01", "what": []}, "cfn-lint 9": {"date": "2026-10-20", "what": []}},
    "engines": {"aurora-postgresql": {"16.15": {"status": "available", "source": "cfn-lint 9", "date": "2026-10-20"}}},
    "regions": {
        "r-api-1": {"aurora-postgresql": {"offered": True, "source": "api", "date": "2026-12-01", "versions": {
            "16.14": {"status": "available", "serverless_v2": True, "exportable_log_types": ["postgresql"], "source": "api", "date": "2026-12-01"}}}},
        "r-none-1": {"aurora-postgresql": {"offered": False, "source": "cfn-lint 9", "date": "2026-10-20"}},
        "r-nosv2-1": {"aurora-postgresql": {"offered": True, "serverless_v2": False, "source": "cfn-lint 9", "date": "2026-10-20"}},
    },
    "unknown_regions": {"r-new-1": "cfn-lint 9 lists the region but has no RDS instance class data for it"},
}


def test_catalog_records_per_region_from_the_api_are_confirmed():
    records = ev.catalog_records(SMALL, "r-api-1", "aurora-postgresql")
    assert [(r["version"], r["offered_in_region"], r["serverless_v2"]) for r in records] == [("16.14", True, True)]
    result = ev.evaluate_aurora(records, "aurora-postgresql", "r-api-1", "16.14", serverless_v2=True, log_exports=["postgresql"], today=TODAY)
    assert not result["failed"] and result["unconfirmed"] == []


def test_catalog_records_of_a_region_without_the_engine_or_db_serverless():
    assert ev.catalog_records(SMALL, "r-none-1", "aurora-postgresql") == []
    refused = ev.evaluate_aurora(ev.catalog_records(SMALL, "r-nosv2-1", "aurora-postgresql"), "aurora-postgresql", "r-nosv2-1", "16.15",
                                 serverless_v2=True, today=TODAY)
    assert "16.15 is not orderable as Serverless v2 (db.serverless) for aurora-postgresql in r-nosv2-1" in refused["msg"]
    unknown = ev.catalog_records(SMALL, "r-new-1", "aurora-postgresql")
    assert "the catalog does not cover r-new-1: cfn-lint 9 lists the region" in unknown[0]["evidence"]
    assert unknown[0]["serverless_v2_evidence"] == "no source of the catalog says whether it is orderable as db.serverless in r-new-1"


def test_unknown_facts_are_warnings_with_their_evidence(catalog):
    records = ev.catalog_records(catalog, "us-east-1", "aurora-postgresql")
    result = ev.evaluate_aurora(records, "aurora-postgresql", "us-east-1", "latest-in-major:16", today=TODAY, serverless_v2=True,
                                min_capacity=0.5, max_capacity=4.0, log_exports=["postgresql"])
    assert not result["failed"] and result["version"] == "16.15"
    assert [c["status"] for c in result["checks"]] == ["unknown", "pass", "unknown", "unknown", "unknown"]
    assert result["unconfirmed"][0].startswith("aurora_engine_version: 16.15 is not confirmed to be offered for aurora-postgresql in us-east-1: cfn-lint")
    assert result["unconfirmed"][0].endswith("(F03, not confirmed)")
    assert "the ACU range 0.5-4 ACU is not confirmed for aurora-postgresql 16.15" in result["unconfirmed"][2]
    assert "aurora_log_exports: postgresql is not confirmed exportable by aurora-postgresql 16.15" in result["unconfirmed"][3]
    assert result["msg"].startswith("aurora-postgresql 16.15 in us-east-1 fails no check, but 4 could not be confirmed (source: api): ")
    dms = ev.evaluate_dms(ev.catalog_records(catalog, "us-east-1", "dms"), "us-east-1", "latest", today=TODAY, instance_class="dms.t3.medium")
    assert dms["version"] == "3.6.1" and "dms_instance_class: dms.t3.medium is not confirmed orderable for DMS 3.6.1" in dms["unconfirmed"][1]


def test_normalise_rds_without_serverless_data():
    record = ev.normalise_rds_engine_version({"Engine": "aurora-postgresql", "EngineVersion": "12.9"})
    assert record["serverless_v2"] is None and record["status"] == "available" and record["supports_log_exports"] is False


# --- evaluation ---------------------------------------------------------------------------------


def test_f01_serverless_v2_refuses_15_5_in_us_east_1():
    records = [r for r in pg() if r["version"] != "15.5"] + [dict(r, status="available") for r in pg() if r["version"] == "15.5"]
    result = ev.evaluate_aurora(records, "aurora-postgresql", "us-east-1", "15.5", today=TODAY, serverless_v2=True)
    assert result["failed"]
    assert result["msg"] == (
        "aurora_engine_version: 15.5 is not orderable as Serverless v2 (db.serverless) for aurora-postgresql in us-east-1 (aurora_serverless_v2: true);"
        " nearest valid: 15.19, 15.18, 15.17, 15.15, 15.14, 15.13, 15.12, 15.10 (F01)"
    )
    fixed = ev.evaluate_aurora(records, "aurora-postgresql", "us-east-1", "15.19", today=TODAY, serverless_v2=True)
    assert not fixed["failed"] and fixed["version"] == "15.19"


def test_f01_capacity_outside_serverless_v2_range():
    result = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "14.6", today=TODAY, serverless_v2=True,
                                min_capacity=0.0, max_capacity=300.0)
    assert result["msg"] == (
        "aurora_serverless_v2_min_capacity: 0 is below the minimum 0.5 ACU; aurora_serverless_v2_max_capacity: 300 is above the maximum 256 ACU"
        " that Serverless v2 supports for aurora-postgresql 14.6; valid range 0.5-256 ACU (F01)"
    )
    swapped = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "14.24", today=TODAY, serverless_v2=True,
                                 min_capacity=8.0, max_capacity=2.0)
    assert "aurora_serverless_v2_min_capacity: 8 is greater than aurora_serverless_v2_max_capacity 2" in swapped["msg"]
    fixed = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "14.24", today=TODAY, serverless_v2=True,
                               min_capacity=0.0, max_capacity=256.0)
    assert not fixed["failed"]
    assert fixed["checks"][-1] == {"id": "F01", "check": "serverless_v2_capacity", "status": "pass",
                                   "detail": "the ACU range is within 0-256 ACU for aurora-postgresql 14.24"}


def test_f01_capacity_unknown_bounds_are_a_warning_not_a_pass():
    record = ev.normalise_rds_engine_version({"Engine": "aurora-postgresql", "EngineVersion": "16.1"}, ["16.1"])
    result = ev.evaluate_aurora([record], "aurora-postgresql", "r", "16.1", serverless_v2=True, min_capacity=0.5)
    assert not result["failed"] and result["checks"][-1]["status"] == "unknown"
    assert result["unconfirmed"] == [
        "the ACU range 0.5-? ACU is not confirmed for aurora-postgresql 16.1: no source of the catalog gives its Serverless v2 capacity (F01, not confirmed)"]


def test_f02_deprecated_13_7_refused_and_latest_in_major_picks_13_23():
    result = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "13.7", today=TODAY)
    assert result["msg"] == (
        "aurora_engine_version: 13.7 is deprecated for aurora-postgresql in us-east-1 (Status deprecated);"
        " nearest valid: 13.23, 13.9, 14.24, 14.23, 14.22, 14.20, 14.19, 14.18 (F02)"
    )
    fixed = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "latest-in-major:13", today=TODAY)
    assert (fixed["failed"], fixed["version"], fixed["alternatives"][:2]) == (False, "13.23", ["13.9", "14.24"])


def test_f02_past_end_of_support():
    record = {"engine": "aurora-postgresql", "version": "12.22", "status": "available", "exportable_log_types": [],
              "end_of_support_date": "2025-02-28", "source": "x"}
    refused = ev.evaluate_aurora([record], "aurora-postgresql", "eu-south-1", "12.22", today=TODAY)
    assert refused["msg"] == (
        "aurora_engine_version: 12.22 of aurora-postgresql is past end of support (2025-02-28, today 2026-11-22); no valid version in eu-south-1 (F02)"
    )
    fixed = ev.evaluate_aurora([record], "aurora-postgresql", "eu-south-1", "12.22", today="2025-01-01")
    assert not fixed["failed"] and fixed["checks"][-1]["detail"] == "aurora-postgresql 12.22 is supported until 2025-02-28"


def test_f03_15_4_not_offered_in_eu_south_1():
    result = ev.evaluate_aurora(pg("eu-south-1"), "aurora-postgresql", "eu-south-1", "15.4", today=TODAY)
    assert result["checks"] == [{
        "id": "F03", "check": "offered_in_region", "status": "fail",
        "detail": "aurora_engine_version: 15.4 is not offered for aurora-postgresql in eu-south-1;"
                  " nearest valid: 15.19, 15.18, 15.17, 15.15, 15.14, 15.13, 15.12, 15.10 (F03)",
    }]
    assert result["version"] == "15.4" and result["source"] == "api"
    fixed = ev.evaluate_aurora(pg("eu-south-1"), "aurora-postgresql", "eu-south-1", "latest-in-major:15", today=TODAY)
    assert (fixed["failed"], fixed["version"]) == (False, "15.19")


def test_f03_latest_in_major_not_offered_in_region():
    records = [r for r in pg("eu-south-1") if not r["version"].startswith("17.")]
    result = ev.evaluate_aurora(records, "aurora-postgresql", "eu-south-1", "latest-in-major:17", today=TODAY)
    assert result["version"] is None
    assert result["msg"] == (
        "aurora_engine_version: latest-in-major:17 finds no version in major 17 of aurora-postgresql offered in eu-south-1;"
        " nearest valid: 16.15, 16.14, 16.13, 16.11, 16.10, 16.9, 16.8, 18.6 (F03)"
    )


def test_f02_latest_in_major_with_only_deprecated_versions():
    records = [r for r in pg("eu-south-1") if not (r["version"].startswith("16.") and r["status"] == "available")]
    result = ev.evaluate_aurora(records, "aurora-postgresql", "eu-south-1", "latest-in-major:16", today=TODAY)
    assert result["failed"] and result["version"] is None
    assert result["checks"][1]["detail"] == (
        "aurora_engine_version: latest-in-major:16 (newest: 16.6) is deprecated for aurora-postgresql in eu-south-1 (Status deprecated);"
        " nearest valid: 15.19, 15.18, 15.17, 15.15, 15.14, 15.13, 15.12, 15.10 (F02)"
    )


def test_latest_picks_newest_valid():
    result = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "latest", today=TODAY, serverless_v2=True)
    assert (result["version"], result["msg"]) == ("18.6", "aurora-postgresql 18.6 in us-east-1 passes all checks (source: api)")
    mysql = api("aurora-mysql")
    assert ev.evaluate_aurora(mysql, "aurora-mysql", "us-east-1", "latest-in-major:3.08", today=TODAY)["version"] == "8.0.mysql_aurora.3.08.2"


def test_f05_log_exports():
    mysql = api("aurora-mysql")
    refused = ev.evaluate_aurora(mysql, "aurora-mysql", "us-east-1", "8.0.mysql_aurora.3.08.2", today=TODAY, log_exports=["postgresql", "audit"])
    assert refused["msg"] == (
        "aurora_log_exports: postgresql cannot be exported by aurora-mysql 8.0.mysql_aurora.3.08.2;"
        " valid: audit, error, general, iam-db-auth-error, instance, slowquery (F05)"
    )
    v1 = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "16.15", today=TODAY, log_exports=["postgresql"], engine_mode="serverless")
    assert v1["msg"] == (
        "aurora_log_exports: postgresql cannot be exported by an Aurora Serverless v1 cluster (engine_mode serverless);"
        " set aurora_log_exports to [] or use a provisioned or Serverless v2 cluster (F05)"
    )
    assert v1["alternatives"] == []
    no_exports = dict(pg()[0], supports_log_exports=False)
    assert "valid: none" in ev.evaluate_aurora([no_exports], "aurora-postgresql", "r", "latest", log_exports=["postgresql"])["msg"]
    fixed = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "16.15", today=TODAY, log_exports=["postgresql"])
    assert not fixed["failed"]


def test_instance_class_orderability():
    refused = ev.evaluate_aurora(pg(), "aurora-postgresql", "us-east-1", "16.14", today=TODAY, instance_class="db.r6g.large",
                                 instance_class_versions=["16.15"])
    assert refused["msg"] == (
        "aurora_instance_class: db.r6g.large is not orderable for aurora-postgresql 16.14 in us-east-1; nearest valid: 16.15 (F01)"
    )


# --- DMS ------------------------------------------------------------------------------------------


def test_f04_dms_3_4_7_refused_and_3_6_1_passes():
    records = api("dms")
    refused = ev.evaluate_dms(records, "us-east-1", "3.4.7", today=TODAY)
    # AWS DMS release notes: 3.4.7 no new instance after 2024-09-30; 3.6.0 and 3.5.3 are past theirs by 2026-11-22.
    assert refused["msg"] == "dms_engine_version: 3.4.7 is past its DeprecationDate 2024-09-30 (today 2026-11-22); nearest valid: 3.6.1, 3.5.4 (F04)"
    fixed = ev.evaluate_dms(records, "us-east-1", "3.6.1", today=TODAY, instance_class="dms.t3.medium")
    assert not fixed["failed"] and [c["check"] for c in fixed["checks"]] == ["offered_in_region", "not_deprecated", "instance_class_orderable"]


def test_f04_dms_past_deprecation_date_even_if_available():
    records = api("dms")
    refused = ev.evaluate_dms(records, "us-east-1", "3.5.4", today="2027-04-01")
    assert refused["failed"] and "3.5.4 is past its DeprecationDate 2027-01-31 (today 2027-04-01); nearest valid: 3.6.1 (F04)" in refused["msg"]
    assert ev.evaluate_dms(records, "us-east-1", "latest-in-major:3.5", today=TODAY)["version"] == "3.5.4"


def test_f04_dms_beta_is_not_picked_by_policy():
    records = [{"engine": "dms", "version": "3.7.0", "lifecycle": "available", "release_status": "beta", "source": "x"},
               {"engine": "dms", "version": "3.6.1", "lifecycle": "available", "release_status": "prod", "source": "x"}]
    assert ev.evaluate_dms(records, "r", "latest", today=TODAY)["version"] == "3.6.1"
    only_beta = ev.evaluate_dms(records[:1], "r", "latest-in-major:3.7", today=TODAY)
    assert only_beta["msg"] == "dms_engine_version: latest-in-major:3.7 finds only pre-release versions in major 3.7 of DMS; nearest valid: 3.7.0 (F04)"


def test_f04_dms_instance_class_not_orderable():
    records = api("dms")
    refused = ev.evaluate_dms(records, "us-east-1", "3.6.1", today=TODAY, instance_class="dms.x9.huge")
    assert refused["msg"].startswith("dms_instance_class: dms.x9.huge is not orderable for DMS 3.6.1 in us-east-1; orderable: dms.c5.large,")
    assert refused["alternatives"] == []


# --- API helpers ---------------------------------------------------------------------------------


@pytest.fixture(name="rds")
def fixture_rds():
    client = boto3.client("rds", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_api_aurora_records_with_serverless(rds):
    client, stubber = rds
    stubber.add_response("describe_db_engine_versions", {"DBEngineVersions": [
        {"Engine": "aurora-postgresql", "EngineVersion": "15.5", "Status": "available", "ExportableLogTypes": ["postgresql"],
         "SupportsLogExportsToCloudwatchLogs": True},
        {"Engine": "aurora-postgresql", "EngineVersion": "16.6-limitless", "Status": "available"},
    ], "Marker": "m"}, {"Engine": "aurora-postgresql", "IncludeAll": True})
    stubber.add_response("describe_db_engine_versions", {"DBEngineVersions": [
        {"Engine": "aurora-postgresql", "EngineVersion": "15.6", "Status": "available", "ExportableLogTypes": ["postgresql"],
         "SupportsLogExportsToCloudwatchLogs": True, "ServerlessV2FeaturesSupport": {"MinCapacity": 0.5, "MaxCapacity": 256.0}},
    ]}, {"Engine": "aurora-postgresql", "IncludeAll": True, "Marker": "m"})
    stubber.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": [
        {"Engine": "aurora-postgresql", "EngineVersion": "15.6", "DBInstanceClass": "db.serverless"},
        {"Engine": "aurora-postgresql", "EngineVersion": "15.6", "DBInstanceClass": "db.serverless"},
    ]}, {"Engine": "aurora-postgresql", "DBInstanceClass": "db.serverless"})
    records = ev.api_aurora_records(client, "aurora-postgresql", serverless_v2=True)
    assert [(r["version"], r["serverless_v2"], r["serverless_v2_min_capacity"]) for r in records] == [("15.6", True, 0.5), ("15.5", False, None)]


def test_api_aurora_records_empty_answers_mean_nothing_offered(rds):
    """An empty answer is an answer (the region offers nothing), never a reason to use the catalog."""
    client, stubber = rds
    stubber.add_response("describe_db_engine_versions", {"DBEngineVersions": []}, {"Engine": "aurora-mysql", "IncludeAll": True})
    assert ev.api_aurora_records(client, "aurora-mysql", serverless_v2=True) == []
    stubber.add_response("describe_db_engine_versions", {"DBEngineVersions": [{"Engine": "aurora-mysql", "EngineVersion": "8.0.mysql_aurora.3.08.2"}]},
                         {"Engine": "aurora-mysql", "IncludeAll": True})
    stubber.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": []},
                         {"Engine": "aurora-mysql", "DBInstanceClass": "db.serverless"})
    records = ev.api_aurora_records(client, "aurora-mysql", serverless_v2=True)
    assert [(r["version"], r["serverless_v2"]) for r in records] == [("8.0.mysql_aurora.3.08.2", False)]
    refused = ev.evaluate_aurora([], "aurora-mysql", "us-east-1", "latest", today=TODAY)
    assert refused["msg"] == "aurora_engine_version: latest finds no version in aurora-mysql offered in us-east-1; no valid version in us-east-1 (F03)"


def test_describe_exact_version_and_class(rds):
    client, stubber = rds
    stubber.add_response("describe_db_engine_versions", {"DBEngineVersions": []},
                         {"Engine": "aurora-postgresql", "IncludeAll": True, "EngineVersion": "15.4"})
    stubber.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": []},
                         {"Engine": "aurora-postgresql", "DBInstanceClass": "db.serverless", "EngineVersion": "15.5"})
    assert ev.describe_db_engine_versions(client, "aurora-postgresql", "15.4") == []
    assert ev.describe_orderable_versions(client, "aurora-postgresql", "db.serverless", "15.5") == []


@pytest.fixture(name="dms")
def fixture_dms():
    client = boto3.client("dms", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_api_dms_records_follow_marker(dms):
    client, stubber = dms
    first = {"Version": "3.4.7", "Lifecycle": "deprecated", "DeprecationDate": datetime.datetime(2025, 3, 31)}
    stubber.add_response("describe_engine_versions", {"EngineVersions": [first], "Marker": "m"}, {})
    stubber.add_response("describe_engine_versions", {"EngineVersions": [{"Version": "3.6.1", "ReleaseStatus": "prod"}, {"Version": "x"}]},
                         {"Marker": "m"})
    stubber.add_response("describe_orderable_replication_instances", {"OrderableReplicationInstances": [
        {"EngineVersion": "3.6.1", "ReplicationInstanceClass": "dms.t3.medium"},
        {"EngineVersion": "3.6.1", "ReplicationInstanceClass": "dms.t3.small"},
        {"ReplicationInstanceClass": "dms.t3.large"},
    ]}, {})
    records = ev.api_dms_records(client, with_instance_classes=True)
    assert records == [
        {"engine": "dms", "version": "3.6.1", "lifecycle": None, "deprecation_date": None, "force_upgrade_date": None,
         "release_status": "prod", "instance_classes": ["dms.t3.medium", "dms.t3.small"], "offered_in_region": True, "source": "api",
         "date": None, "evidence": "DMS describe_engine_versions"},
        {"engine": "dms", "version": "3.4.7", "lifecycle": "deprecated", "deprecation_date": "2025-03-31", "force_upgrade_date": None,
         "release_status": None, "instance_classes": [], "offered_in_region": True, "source": "api",
         "date": None, "evidence": "DMS describe_engine_versions"},
    ]


def test_api_dms_records_empty_answers_mean_nothing_offered(dms):
    client, stubber = dms
    stubber.add_response("describe_engine_versions", {"EngineVersions": []}, {})
    assert ev.api_dms_records(client, with_instance_classes=True) == []
    stubber.add_response("describe_engine_versions", {"EngineVersions": [{"Version": "3.6.1"}]}, {})
    stubber.add_response("describe_orderable_replication_instances", {"OrderableReplicationInstances": []}, {})
    assert ev.api_dms_records(client, with_instance_classes=True)[0]["instance_classes"] == []


@pytest.mark.parametrize(
    "error, check_mode, expected",
    [
        (botocore.exceptions.NoCredentialsError(), False, True),
        (botocore.exceptions.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"), False, True),
        (botocore.exceptions.EndpointConnectionError(endpoint_url="http://x"), False, True),
        (botocore.exceptions.ConnectTimeoutError(endpoint_url="http://x"), False, True),
        (client_error("AccessDenied", 403), False, True),
        (client_error("AccessDeniedException", 400), False, True),
        (client_error("ExpiredToken", 400), False, True),
        (client_error("NotImplemented", 501), False, False),
        (client_error("NotImplemented", 501), True, False),
        (client_error("Weird", 503), True, False),
        (client_error("InternalFailure", 500), False, False),
        (client_error("Throttling", 400), True, False),
        (client_error("ThrottlingException", 400), True, False),
        (client_error("InvalidParameterValue", 400), False, False),
        (client_error("InvalidParameterValue", 400), True, True),
        (botocore.exceptions.ReadTimeoutError(endpoint_url="http://x"), True, False),
        (botocore.exceptions.ClientError({"Error": {"Code": "X"}}, "Op"), False, False),
        (ValueError("x"), True, False),
    ],
)
def test_api_unavailable(error, check_mode, expected):
    assert ev.api_unavailable(error, check_mode) is expected
