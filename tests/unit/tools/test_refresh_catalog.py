# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests of tools/refresh_catalog.py with botocore Stubber: the catalog it writes is what the modules load."""

from __future__ import annotations

import datetime
import importlib.util
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
    assert catalog["catalog_date"] == "2026-12-01" and "aws-api 2026-12-01" in catalog["provenance"]
    assert catalog["provenance"]["errors"]["eu-south-1/dms"].startswith("An error occurred (AccessDeniedFault)")
    us = catalog["regions"]["us-east-1"]
    assert us[PG]["15.5"] == {"status": "deprecated", "serverless_v2": False, "exportable_log_types": ["instance", "postgresql"],
                              "source": "aws-api 2026-12-01"}
    assert us[PG]["15.6"]["serverless_v2"] is True and us[PG]["15.6"]["serverless_v2_min_capacity"] == 0.0
    assert us[MYSQL]["8.0.mysql_aurora.3.08.2"]["exportable_log_types"] == []
    assert us["dms"]["3.4.7"]["deprecation_date"] == "2025-03-31" and us["dms"]["3.6.1"]["instance_classes"] == ["dms.t3.medium"]
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
    assert catalog["regions"] == {} and list(catalog["provenance"]["errors"]) == ["us-west-1/aurora-postgresql"]


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
    result = ev.evaluate_aurora(records, PG, "us-east-1", "15.5", serverless_v2=True, source="catalog", catalog_date=catalog["catalog_date"])
    assert result["failed"] and "nearest valid: 15.6" in result["msg"]


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
