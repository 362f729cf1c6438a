# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests of payments.aws_platform.dms_engine_version: the API path (botocore Stubber) and the catalog fallback."""

from __future__ import annotations

import datetime
import runpy

import boto3
import botocore
import pytest
from botocore.stub import Stubber

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


from ansible_collections.payments.aws_platform.plugins.module_utils.engine_catalog import CATALOG_DATE
from ansible_collections.payments.aws_platform.plugins.module_utils import version_resolution
from ansible_collections.payments.aws_platform.plugins.modules import dms_engine_version

TODAY = "2026-11-22"


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
    return botocore.exceptions.EndpointConnectionError(endpoint_url="https://dms.us-east-1.amazonaws.com")


@pytest.fixture(name="dms")
def fixture_dms(monkeypatch):
    client = boto3.client("dms", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
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
            dms_engine_version.main()
    result = excinfo.value.args[0]
    result["_failed"] = isinstance(excinfo.value, AnsibleFailJson)
    return result


ENGINE_VERSIONS = [
    {"Version": "3.4.7", "Lifecycle": "deprecated", "ReleaseStatus": "prod", "DeprecationDate": datetime.datetime(2025, 3, 31)},
    {"Version": "3.5.3", "Lifecycle": "available", "ReleaseStatus": "prod", "DeprecationDate": datetime.datetime(2027, 3, 31),
     "ForceUpgradeDate": datetime.datetime(2027, 6, 30)},
    {"Version": "3.6.1", "Lifecycle": "available", "ReleaseStatus": "prod"},
]


def stub_engine_versions(stubber):
    stubber.add_response("describe_engine_versions", {"EngineVersions": ENGINE_VERSIONS[:1], "Marker": "next"}, {})
    stubber.add_response("describe_engine_versions", {"EngineVersions": ENGINE_VERSIONS[1:]}, {"Marker": "next"})


def stub_orderable(stubber, pairs):
    options = [{"EngineVersion": v, "ReplicationInstanceClass": c} for v, c in pairs]
    stubber.add_response("describe_orderable_replication_instances", {"OrderableReplicationInstances": options}, {})


# --- F04: deprecated replication engine version -------------------------------------------------------


def test_f04_dms_3_4_7_refused_from_the_api(dms):
    stub_engine_versions(dms)
    result = run_module(dict(version="3.4.7", today=TODAY))
    assert result["_failed"]
    assert result["msg"] == (
        "dms_engine_version: 3.4.7 is deprecated for DMS in us-east-1 (Lifecycle deprecated, ReleaseStatus prod);"
        " nearest valid: 3.6.1, 3.5.3 (F04);"
        " dms_engine_version: 3.4.7 is past its DeprecationDate 2025-03-31 (today 2026-11-22) (F04)"
    )
    assert (result["version"], result["source"], result["catalog_date"], result["alternatives"]) == ("3.4.7", "api", None, ["3.6.1", "3.5.3"])


def test_f04_dms_3_6_1_accepted_from_the_api(dms):
    stub_engine_versions(dms)
    stub_orderable(dms, [("3.6.1", "dms.t3.medium"), ("3.5.3", "dms.t3.medium")])
    result = run_module(dict(version="3.6.1", instance_class="dms.t3.medium", today=TODAY))
    assert (result["_failed"], result["changed"], result["version"]) == (False, False, "3.6.1")
    assert result["msg"] == "DMS 3.6.1 in us-east-1 passes all checks (source: api)"


def test_f04_dms_past_force_upgrade_date(dms):
    stub_engine_versions(dms)
    result = run_module(dict(version="3.5.3", today="2027-07-01"))
    assert result["msg"] == (
        "dms_engine_version: 3.5.3 is past its DeprecationDate 2027-03-31 (today 2027-07-01); nearest valid: 3.6.1 (F04);"
        " dms_engine_version: 3.5.3 is past its ForceUpgradeDate 2027-06-30 (today 2027-07-01) (F04)"
    )


def test_f04_dms_instance_class_not_orderable_for_the_version(dms):
    stub_engine_versions(dms)
    stub_orderable(dms, [("3.6.1", "dms.t3.medium"), ("3.5.3", "dms.r5.large")])
    result = run_module(dict(version="3.6.1", instance_class="dms.r5.large", today=TODAY))
    assert result["msg"] == (
        "dms_instance_class: dms.r5.large is not orderable for DMS 3.6.1 in us-east-1; orderable: dms.t3.medium; nearest valid: 3.5.3 (F04)"
    )
    stub_engine_versions(dms)
    stub_orderable(dms, [("3.6.1", "dms.t3.medium"), ("3.5.3", "dms.r5.large")])
    fixed = run_module(dict(policy="latest", instance_class="dms.r5.large", today=TODAY))
    assert (fixed["_failed"], fixed["version"]) == (False, "3.5.3")


def test_f04_dms_catalog_fallback_refuses_3_4_7_and_latest_picks_3_6_1(monkeypatch, warnings):
    fail_with(monkeypatch, unreachable())
    result = run_module(dict(version="3.4.7", today=TODAY))
    assert result["_failed"] and (result["source"], result["catalog_date"]) == ("catalog", CATALOG_DATE)
    # The AWS DMS release notes: 3.4.7 no new instance after 2024-09-30; 3.6.0 and 3.5.3 past theirs by 2026-11-22.
    assert result["msg"] == "dms_engine_version: 3.4.7 is past its DeprecationDate 2024-09-30 (today 2026-11-22); nearest valid: 3.6.1, 3.5.4 (F04)"
    assert f"using the DMS versions of the catalog dated {CATALOG_DATE} for us-east-1" in warnings[0]
    warnings.clear()
    fixed = run_module(dict(today=TODAY, instance_class="dms.t3.medium"))
    assert (fixed["_failed"], fixed["version"], fixed["source"]) == (False, "3.6.1", "catalog")
    assert [c["status"] for c in fixed["checks"]] == ["unknown", "pass", "unknown"]
    assert warnings[1:] == fixed["unconfirmed"] and len(fixed["unconfirmed"]) == 2
    assert fixed["unconfirmed"][0].startswith("dms_engine_version: 3.6.1 is not confirmed to be offered for DMS in us-east-1: aws-docs https://")
    assert fixed["unconfirmed"][1].startswith("dms_instance_class: dms.t3.medium is not confirmed orderable for DMS 3.6.1 in us-east-1")
    assert "could not be confirmed" in fixed["msg"]


def test_f04_dms_check_mode_without_credentials_uses_the_catalog(monkeypatch):
    fail_with(monkeypatch, botocore.exceptions.NoCredentialsError())
    result = run_module(dict(policy="latest-in-major:3.5", today=TODAY), check_mode=True)
    assert (result["_failed"], result["version"], result["source"]) == (False, "3.5.4", "catalog")


def test_f04_dms_region_missing_from_catalog_is_a_warning(monkeypatch, warnings):
    fail_with(monkeypatch, unreachable())
    result = run_module(dict(version="3.6.1", region="xx-west-9", today=TODAY))
    assert not result["_failed"] and result["source"] == "catalog"
    assert "but the catalog does not cover xx-west-9" in result["unconfirmed"][0] and result["unconfirmed"][0] in warnings


def test_f04_dms_catalog_without_dms_versions(monkeypatch):
    fail_with(monkeypatch, unreachable())
    monkeypatch.setattr(version_resolution, "load_catalog", lambda: {"catalog_date": "2026-12-02", "engines": {}, "regions": {}})
    result = run_module(dict(version="3.6.1"))
    assert result["_failed"] and result["msg"].endswith("the catalog dated 2026-12-02 has no DMS versions for us-east-1")


def test_access_denied_falls_back_to_the_catalog_with_a_warning(dms, warnings):
    dms.add_client_error("describe_engine_versions", service_error_code="AccessDeniedFault", http_status_code=403)
    result = run_module(dict(version="3.6.1", today=TODAY))
    assert (result["_failed"], result["source"]) == (False, "catalog")
    assert warnings[0].startswith("The API could not be asked (An error occurred (AccessDeniedFault)")


@pytest.mark.parametrize("code, status", [("InternalFailure", 500), ("Throttling", 400), ("UnknownOperationException", 400)])
def test_server_errors_and_throttling_fail_and_never_use_the_catalog(monkeypatch, code, status):
    fail_with(monkeypatch, botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "DescribeEngineVersions"))
    result = run_module(dict(version="3.6.1"))
    assert result["_failed"] and result["msg"].startswith("Unable to describe the DMS replication engine versions in us-east-1")


@pytest.mark.parametrize(
    "args, message",
    [
        (dict(policy="latest-in-major:x"), "dms_engine_version: latest-in-major:x does not name a major version"),
        (dict(today="22/11/2026"), "today: '22/11/2026' is not an ISO date (YYYY-MM-DD)"),
    ],
)
def test_invalid_options(args, message):
    result = run_module(args)
    assert result["_failed"] and message in result["msg"]


def test_runs_as_a_script(monkeypatch):
    fail_with(monkeypatch, unreachable())
    with patch_module_args(dict(version="3.6.1", region="us-east-1")):
        with pytest.raises(AnsibleExitJson):
            runpy.run_path(dms_engine_version.__file__, run_name="__main__")
