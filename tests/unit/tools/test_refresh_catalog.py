# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests of tools/refresh_catalog.py with botocore Stubber: the catalog it writes is what the modules load."""

from __future__ import annotations

import datetime
import importlib.util
import json
import os

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.payments.aws_platform.plugins.module_utils import engine_catalog
from ansible_collections.payments.aws_platform.plugins.module_utils import engine_versions as ev

TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "refresh_catalog.py")
PG = "aurora-postgresql"
MYSQL = "aurora-mysql"


@pytest.fixture(name="tool", scope="module")
def fixture_tool():
    spec = importlib.util.spec_from_file_location("refresh_catalog", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeSession:
    """Hands out stubbed clients, one per (service, region), and checks that every stubbed answer was used."""

    def __init__(self):
        self.stubs = {}
        self.clients = {}

    def stub(self, service, region):
        key = (service, region)
        if key not in self.clients:
            self.clients[key] = boto3.client(service, region_name=region, aws_access_key_id="a", aws_secret_access_key="b")
            self.stubs[key] = Stubber(self.clients[key])
            self.stubs[key].activate()
        return self.stubs[key]

    def client(self, service, region_name=None):
        self.stub(service, region_name)
        return self.clients[(service, region_name)]

    def verify(self):
        for stubber in self.stubs.values():
            stubber.assert_no_pending_responses()


def stub_region(session, region, pg_versions=("15.5", "15.6"), serverless=("15.6",), fail_dms=False):
    rds = session.stub("rds", region)
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": [
        {"Engine": PG, "EngineVersion": v, "Status": "deprecated" if v == "15.5" else "available",
         "ExportableLogTypes": ["postgresql", "instance"], "SupportsLogExportsToCloudwatchLogs": True,
         **({"ServerlessV2FeaturesSupport": {"MinCapacity": 0.0, "MaxCapacity": 256.0}} if v in serverless else {})}
        for v in pg_versions
    ] + [{"Engine": PG, "EngineVersion": "16.6-limitless"}]}, {"Engine": PG, "IncludeAll": True})
    if pg_versions:
        rds.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": [
            {"Engine": PG, "EngineVersion": v, "DBInstanceClass": "db.serverless"} for v in serverless
        ]}, {"Engine": PG, "DBInstanceClass": "db.serverless"})
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": [
        {"Engine": MYSQL, "EngineVersion": "8.0.mysql_aurora.3.08.2", "Status": "available",
         "ExportableLogTypes": ["audit", "error"], "SupportsLogExportsToCloudwatchLogs": False},
    ]}, {"Engine": MYSQL, "IncludeAll": True})
    rds.add_response("describe_orderable_db_instance_options", {"OrderableDBInstanceOptions": []},
                     {"Engine": MYSQL, "DBInstanceClass": "db.serverless"})
    dms = session.stub("dms", region)
    if fail_dms:
        dms.add_client_error("describe_orderable_replication_instances", service_error_code="AccessDeniedFault", http_status_code=403)
        return
    dms.add_response("describe_orderable_replication_instances", {"OrderableReplicationInstances": [
        {"EngineVersion": "3.6.1", "ReplicationInstanceClass": "dms.t3.medium"}]}, {})
    dms.add_response("describe_engine_versions", {"EngineVersions": [
        {"Version": "3.4.7", "Lifecycle": "deprecated", "ReleaseStatus": "prod", "DeprecationDate": datetime.datetime(2025, 3, 31)},
        {"Version": "3.6.1", "Lifecycle": "available", "ReleaseStatus": "prod"},
        {"Version": "bad"},
    ]}, {})


def test_build_catalog_for_every_region(tool):
    session = FakeSession()
    session.stub("ec2", "us-east-1").add_response(
        "describe_regions", {"Regions": [{"RegionName": "us-east-1"}, {"RegionName": "eu-south-1"}]}, {})
    stub_region(session, "eu-south-1", fail_dms=True)
    stub_region(session, "us-east-1")
    lines = []
    catalog = tool.build_catalog(session, "2026-12-01", log=lines.append)
    session.verify()
    assert catalog["catalog_date"] == "2026-12-01" and catalog["sources"]["api"]["date"] == "2026-12-01"
    assert catalog["unknown_regions"]["eu-south-1"].startswith("the API answered with errors: dms: An error occurred (AccessDeniedFault)")
    us = catalog["regions"]["us-east-1"]
    assert us[PG]["offered"] is True and (us[PG]["source"], us[PG]["date"]) == ("api", "2026-12-01")
    assert us[PG]["versions"]["15.5"] == {"status": "deprecated", "serverless_v2": False, "exportable_log_types": ["instance", "postgresql"],
                                          "source": "api", "date": "2026-12-01"}
    assert us[PG]["versions"]["15.6"]["serverless_v2"] is True and us[PG]["versions"]["15.6"]["serverless_v2_min_capacity"] == 0.0
    assert us[MYSQL]["versions"]["8.0.mysql_aurora.3.08.2"]["exportable_log_types"] == []
    assert us["dms"]["versions"]["3.4.7"]["deprecation_date"] == "2025-03-31"
    assert us["dms"]["versions"]["3.6.1"]["instance_classes"] == ["dms.t3.medium"]
    assert "dms" not in catalog["regions"]["eu-south-1"]
    assert lines == ["eu-south-1: aurora-postgresql 2, aurora-mysql 1", "us-east-1: aurora-postgresql 2, aurora-mysql 1, dms 2"]


def test_build_catalog_records_errors_and_skips_silent_regions(tool):
    session = FakeSession()
    rds = session.stub("rds", "us-west-1")
    rds.add_client_error("describe_db_engine_versions", service_error_code="AccessDenied", http_status_code=403)
    rds.add_response("describe_db_engine_versions", {"DBEngineVersions": []}, {"Engine": MYSQL, "IncludeAll": True})
    session.stub("dms", "us-west-1").add_response("describe_orderable_replication_instances", {"OrderableReplicationInstances": []}, {})
    session.stub("dms", "us-west-1").add_response("describe_engine_versions", {"EngineVersions": []}, {})
    catalog = tool.build_catalog(session, "2026-12-01", ["us-west-1"])
    session.verify()
    assert catalog["regions"] == {} and catalog["unknown_regions"]["us-west-1"].startswith("the API answered with errors: aurora-postgresql:")


def test_rendered_module_loads_and_feeds_the_checks(tool, tmp_path):
    session = FakeSession()
    stub_region(session, "us-east-1")
    output = tmp_path / "engine_catalog.py"
    assert tool.main(["--regions", "us-east-1", "--date", "2026-12-01", "--output", str(output)], session=session) == 0
    source = output.read_text()
    assert source.startswith("# -*- coding: utf-8 -*-") and 'CATALOG_DATE = "2026-12-01"' in source
    assert max(len(line) for line in source.splitlines()) <= 160
    namespace = {}
    exec(compile(source, str(output), "exec"), namespace)  # pylint: disable=exec-used
    catalog = namespace["load_catalog"]()
    records = ev.catalog_records(catalog, "us-east-1", PG)
    assert all(r["offered_in_region"] is True for r in records)
    result = ev.evaluate_aurora(records, PG, "us-east-1", "15.5", serverless_v2=True, source="catalog", catalog_date=catalog["catalog_date"])
    assert result["failed"] and "nearest valid: 15.6" in result["msg"]
    assert ev.catalog_records(catalog, "us-east-1", "dms")[0]["instance_classes"] == ["dms.t3.medium"]


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def _allof(engine_key, items):
    return {"allOf": [{"if": {"properties": {"Engine": {"const": e}, **({engine_key: {"enum": v}} if engine_key == "EngineVersion" else {})}},
                       "then": False if engine_key == "EngineVersion" else {"properties": {"DBInstanceClass": {"enum": v}}}}
                      for e, v in items]}


@pytest.fixture(name="cfn_data")
def fixture_cfn_data(tmp_path):
    """A small cfn-lint data directory of the same layout as cfnlint/data/schemas."""
    root = tmp_path / "schemas"
    _write(root / "version.json", {"schema_date": "2026-10-20T22:11:15Z"})
    for region in ("us-east-1", "eu-south-1", "ap-new-1", "cn-north-1", "us-gov-west-1"):
        _write(root / "providers" / f"{region}.json", {})
    _write(root / "providers" / "sam.json", {})
    cluster = root / "extensions" / "aws_rds_dbcluster"
    _write(cluster / "engine_version.json", {"allOf": [
        {"if": {"properties": {"Engine": {"type": "string"}}}, "then": {"properties": {"Engine": {"enum": [PG, MYSQL]}}}},
        {"if": {"properties": {"Engine": {"const": PG}}}, "then": {"properties": {"EngineVersion": {"enum": ["15", "15.5", "15.19", "16.4-limitless"]}}}},
        {"if": {"properties": {"Engine": {"const": MYSQL}}}, "then": {"properties": {"EngineVersion": {"enum": [
            "8.0", "5.7.mysql_aurora.2.11.2", "8.0.mysql_aurora.3.01.0", "8.0.mysql_aurora.3.10.0"]}}}},
    ]})
    _write(cluster / "engine_version_deprecated.json", {"allOf": [
        {"if": {"properties": {"Engine": {"const": PG}, "EngineVersion": {"enum": ["15", "15.5"]}}}, "then": False},
        {"if": {"properties": {"Engine": {"const": MYSQL}, "EngineVersion": {"enum": ["8.0.mysql_aurora.3.01.0"]}}}, "then": False},
    ]})
    instance = root / "extensions" / "aws_rds_dbinstance"
    _write(instance / "db_instance_class.json", {"allOf": [
        {"if": {"properties": {"Engine": {"const": PG}, "EngineVersion": {"pattern": "^(15\\.19\\..+|15\\.19)$"}}},
         "then": {"properties": {"DBInstanceClass": {"enum": ["db.r6g.large", "db.serverless"]}}}},
        {"if": {"properties": {"Engine": {"const": PG}, "EngineVersion": {"pattern": "^(15\\.5\\..+|15\\.5)$"}}},
         "then": {"properties": {"DBInstanceClass": {"enum": ["db.r6g.large"]}}}},
        {"if": {"properties": {"Engine": {"const": MYSQL}, "EngineVersion": {"pattern": "^(8\\.0\\..+|8\\.0)$"}}},
         "then": {"properties": {"DBInstanceClass": {"enum": ["db.serverless"]}}}},
    ]})
    _write(instance / "dbinstanceclass_enum.json", {
        "us-east-1": _allof("DBInstanceClass", [(PG, ["db.r6g.large", "db.serverless"]), (MYSQL, ["db.r6g.large", "db.serverless"])]),
        "eu-south-1": _allof("DBInstanceClass", [(PG, ["db.r6g.large"]), ("mysql", ["db.m5.large"])]),
        "cn-north-1": _allof("DBInstanceClass", [(PG, ["db.r6g.large"])]),
    })
    return root


def test_from_cfn_lint_keeps_only_what_the_sources_say(tool, cfn_data):
    catalog = tool.build_catalog_from_cfn_lint(str(cfn_data), "9.9.9", docs_read="2026-12-02")
    assert catalog["catalog_date"] == "2026-12-02" and catalog["sources"]["cfn-lint 9.9.9"]["date"] == "2026-10-20"
    assert set(catalog["regions"]) == {"us-east-1", "eu-south-1"}
    assert catalog["unknown_regions"] == {"ap-new-1": "cfn-lint 9.9.9 lists the region but has no RDS instance class data for it"}
    pg = catalog["engines"][PG]
    assert pg == {"15.5": {"status": "deprecated", "serverless_v2": False, "source": "cfn-lint 9.9.9", "date": "2026-10-20"},
                  "15.19": {"status": "available", "serverless_v2": True, "source": "cfn-lint 9.9.9", "date": "2026-10-20"}}
    mysql = catalog["engines"][MYSQL]
    assert set(mysql) == {"5.7.mysql_aurora.2.11.2", "8.0.mysql_aurora.3.01.0", "8.0.mysql_aurora.3.10.0"}
    assert not any("serverless_v2" in entry for entry in mysql.values()), "a coarse 8.0 pattern says nothing of a minor"
    assert catalog["regions"]["eu-south-1"] == {
        PG: {"offered": True, "serverless_v2": False, "source": "cfn-lint 9.9.9", "date": "2026-10-20"},
        MYSQL: {"offered": False, "serverless_v2": False, "source": "cfn-lint 9.9.9", "date": "2026-10-20"}}
    dms = catalog["engines"]["dms"]
    assert dms["3.4.7"] == {"deprecation_date": "2024-09-30", "force_upgrade_date": None, "date": "2026-12-02",
                            "source": "aws-docs https://docs.aws.amazon.com/dms/latest/userguide/CHAP_ReleaseNotes.html"}
    assert all(entry["source"].startswith("aws-docs https://docs.aws.amazon.com/") for entry in dms.values())
    assert catalog["serverless_v2_from"][MYSQL]["regions"]["us-east-1"] == {"3": "3.02.0"}
    assert ev.catalog_records(catalog, "eu-south-1", MYSQL) == []
    records = {r["version"]: r for r in ev.catalog_records(catalog, "us-east-1", MYSQL)}
    assert records["8.0.mysql_aurora.3.10.0"]["serverless_v2"] is True and records["8.0.mysql_aurora.3.01.0"]["serverless_v2"] is False
    assert records["5.7.mysql_aurora.2.11.2"]["serverless_v2"] is None


def test_main_from_cfn_lint_writes_a_loadable_module(tool, cfn_data, tmp_path):
    output = tmp_path / "engine_catalog.py"
    assert tool.main(["--from-cfn-lint", str(cfn_data), "--output", str(output)]) == 0
    namespace = {}
    exec(compile(output.read_text(), str(output), "exec"), namespace)  # pylint: disable=exec-used
    catalog = namespace["load_catalog"]()
    assert catalog["engines"][PG]["15.19"]["source"].startswith("cfn-lint ")
    assert max(len(line) for line in output.read_text().splitlines()) <= 160


def test_shipped_catalog_is_regenerated_from_the_installed_cfn_lint(tool):
    root, version = tool.cfn_lint_data()
    catalog = engine_catalog.load_catalog()
    if f"cfn-lint {version}" not in catalog["sources"]:
        pytest.skip(f"the shipped catalog was built from another cfn-lint than the installed {version}")
    with open(engine_catalog.__file__, encoding="utf-8") as handle:
        assert tool.render_module(tool.build_catalog_from_cfn_lint(root, version)) == handle.read()


def test_main_writes_nothing_when_no_region_answers(tool, tmp_path):
    session = FakeSession()
    session.stub("ec2", "us-east-1").add_response("describe_regions", {"Regions": []}, {})
    output = tmp_path / "engine_catalog.py"
    assert tool.main(["--output", str(output)], session=session) == 1
    assert not output.exists()


def test_shipped_catalog_is_what_the_tool_renders(tool):
    catalog = engine_catalog.load_catalog()
    with open(engine_catalog.__file__, encoding="utf-8") as handle:
        assert tool.render_module(catalog) == handle.read()


def test_engine_versions_import_finds_the_collection(tool):
    assert tool.engine_versions() is ev
