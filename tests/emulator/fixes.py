# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the local AWS stand-in (moto server).

Each fix restores one documented AWS behaviour that moto deviates from, so
that the product code can stay exactly what runs against real AWS. A fix has:

* ``fix_id``: a stable name used in tests and in ``/_emulator/health``;
* ``aws_behaviour``: the AWS behaviour it restores, with the API reference;
* ``apply()``: an idempotent patch of moto's in-process models/responses.

Nothing outside ``tests/emulator/`` imports this module.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from typing import Callable


@dataclasses.dataclass(frozen=True)
class Fix:
    fix_id: str
    aws_behaviour: str
    reference: str
    apply: Callable[[], None]


# --- EC2 DescribeTags resource types ----------------------------------------
#
# AWS's DescribeTags reports (and filters on) ``resource-type`` values such as
# ``natgateway``, ``elastic-ip`` and ``vpc-flow-log``. moto derives the type
# from its internal id-prefix table, which says ``nat-gateway``, ``vpc-elastic-ip``
# and ``flow-logs``. amazon.aws.ec2_vpc_nat_gateway filters its tag look-up on
# ``resource-type=natgateway``, finds nothing, and re-tags on every run.

AWS_TAG_RESOURCE_TYPES = {
    "nat": "natgateway",
    "eipalloc": "elastic-ip",
    "fl": "vpc-flow-log",
}


def _apply_ec2_tag_resource_types() -> None:
    from moto.ec2.models import tags as ec2_tags

    ec2_tags.EC2_PREFIX_TO_RESOURCE.update(AWS_TAG_RESOURCE_TYPES)


# --- Engine versions from the stand-in's own fixture ------------------------------------------------------
#
# moto implements neither RDS DescribeDBEngineVersions nor DMS DescribeEngineVersions /
# DescribeOrderableReplicationInstances, and its DescribeOrderableDBInstanceOptions answers from
# old, us-east-1-only data without filtering DBInstanceClass. AWS answers all four per region from
# its current engine data. The stand-in answers from tests/emulator/engine_fixture.json, a small set of
# regions and versions derived once from real AWS data (its "about" says how), never from the
# collection's catalog: the modules' API path is then not tested against the data of their own fallback.

PROVISIONED_AURORA_CLASSES = ("db.r6g.large", "db.r6g.xlarge", "db.r7g.large", "db.r7g.xlarge", "db.t4g.medium")
ENGINE_FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "engine_fixture.json")
_MYSQL_VERSION = re.compile(r"^\d+\.\d+\.mysql_aurora\.(.+)$")


def _version_key(version):
    match = _MYSQL_VERSION.match(str(version))
    return tuple(int(part) for part in (match.group(1) if match else str(version)).split("."))


def _same_version(left, right):
    try:
        return _version_key(left) == _version_key(right)
    except ValueError:
        return False


def engine_fixture():
    with open(ENGINE_FIXTURE, encoding="utf-8") as handle:
        return json.load(handle)


def _fixture_records(region, engine):
    """{version: record} of an engine in a region (empty for a region the fixture does not list)."""
    fixture = engine_fixture()
    if region not in fixture["regions"]:
        return {}
    excluded = set(fixture.get("exclude", {}).get(region, {}).get(engine, []))
    return {v: r for v, r in fixture[engine].items() if v not in excluded}


def _param(response, name):
    value = response._get_param(name)  # pylint: disable=protected-access
    return value if value not in ("", None) else None


def _truthy(value):
    return str(value).lower() == "true" if value is not None else False


def _rds_shape(engine, version, record):
    answer = {
        "Engine": engine,
        "EngineVersion": version,
        "MajorEngineVersion": str(_version_key(version)[0]) if engine == "aurora-postgresql" else version.split(".mysql_aurora.")[0],
        "Status": record["status"],
        "ExportableLogTypes": list(record["exportable_log_types"]),
        "SupportsLogExportsToCloudwatchLogs": True,
        "SupportedEngineModes": ["provisioned"],
    }
    if record.get("serverless_v2"):
        answer["ServerlessV2FeaturesSupport"] = {
            "MinCapacity": record["serverless_v2_min_capacity"], "MaxCapacity": record["serverless_v2_max_capacity"]}
    return answer


def rds_engine_versions(region, engine=None, version=None, include_all=False):
    """What DescribeDBEngineVersions returns: deprecated versions only with IncludeAll."""
    answer = []
    for name in [engine] if engine else ["aurora-postgresql", "aurora-mysql"]:
        if name not in ("aurora-postgresql", "aurora-mysql"):
            continue
        for number, record in _fixture_records(region, name).items():
            if version and not _same_version(number, version):
                continue
            if record["status"] != "available" and not include_all:
                continue
            answer.append(_rds_shape(name, number, record))
    return answer


def rds_orderable_options(region, engine, version=None, instance_class=None):
    """What DescribeOrderableDBInstanceOptions returns for Aurora: available versions only."""
    answer = []
    for number, record in _fixture_records(region, engine).items():
        if record["status"] != "available" or (version and not _same_version(number, version)):
            continue
        classes = list(PROVISIONED_AURORA_CLASSES) + (["db.serverless"] if record.get("serverless_v2") else [])
        for name in classes:
            if instance_class and name != instance_class:
                continue
            answer.append({
                "Engine": engine, "EngineVersion": number, "DBInstanceClass": name,
                "AvailabilityZones": [{"Name": region + zone} for zone in "abc"],
                "SupportsStorageEncryption": True, "SupportsClusters": True, "StorageType": "aurora",
            })
    return answer


def dms_engine_versions(region):
    return [dict({k: v for k, v in record.items() if v is not None}, Version=number)
            for number, record in _fixture_records(region, "dms").items()]


def dms_orderable_instances(region):
    classes = engine_fixture()["dms_instance_classes"]
    answer = []
    for number in _fixture_records(region, "dms"):
        for name in classes:
            answer.append({
                "EngineVersion": number, "ReplicationInstanceClass": name, "StorageType": "gp2",
                "MinAllocatedStorage": 5, "MaxAllocatedStorage": 6144, "DefaultAllocatedStorage": 50,
                "IncludedAllocatedStorage": 50, "AvailabilityZones": [region + zone for zone in "abc"],
            })
    return answer


def _apply_engine_versions() -> None:
    from moto.core.responses import ActionResult
    from moto.dms.responses import DatabaseMigrationServiceResponse
    from moto.rds.responses import RDSResponse

    original_orderable = getattr(RDSResponse, "_moto_describe_orderable_db_instance_options", None) or RDSResponse.describe_orderable_db_instance_options

    def describe_db_engine_versions(self):
        versions = rds_engine_versions(
            self.region, _param(self, "Engine"), _param(self, "EngineVersion"), _truthy(_param(self, "IncludeAll"))
        )
        return ActionResult({"DBEngineVersions": versions})

    def describe_orderable_db_instance_options(self):
        engine = _param(self, "Engine")
        if not str(engine).startswith("aurora"):
            return original_orderable(self)
        options = rds_orderable_options(self.region, engine, _param(self, "EngineVersion"), _param(self, "DBInstanceClass"))
        return ActionResult({"OrderableDBInstanceOptions": options})

    def describe_engine_versions(self):
        return ActionResult({"EngineVersions": dms_engine_versions(self.region)})

    def describe_orderable_replication_instances(self):
        return ActionResult({"OrderableReplicationInstances": dms_orderable_instances(self.region)})

    RDSResponse._moto_describe_orderable_db_instance_options = original_orderable  # pylint: disable=protected-access
    RDSResponse.describe_db_engine_versions = describe_db_engine_versions
    RDSResponse.describe_orderable_db_instance_options = describe_orderable_db_instance_options
    DatabaseMigrationServiceResponse.describe_engine_versions = describe_engine_versions
    DatabaseMigrationServiceResponse.describe_orderable_replication_instances = describe_orderable_replication_instances


FIXES: list[Fix] = [
    Fix(
        fix_id="ec2-describe-tags-resource-type",
        aws_behaviour=(
            "EC2 DescribeTags returns ResourceType natgateway / elastic-ip / vpc-flow-log "
            "and accepts those values in the resource-type filter."
        ),
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html",
        apply=_apply_ec2_tag_resource_types,
    ),
    Fix(
        fix_id="engine-versions-from-fixture",
        aws_behaviour=(
            "RDS DescribeDBEngineVersions (deprecated versions only with IncludeAll), DescribeOrderableDBInstanceOptions "
            "(per region, filtered by DBInstanceClass, db.serverless only where Serverless v2 is offered), and DMS "
            "DescribeEngineVersions / DescribeOrderableReplicationInstances answer from the region's current engine data"
            " (here: tests/emulator/engine_fixture.json, derived from real AWS data)."
        ),
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html",
        apply=_apply_engine_versions,
    ),
]


def all_fixes() -> list[Fix]:
    """This module's fixes plus those of every ``fixes_<tier>.py`` beside it (each exports FIXES)."""
    import importlib  # pylint: disable=import-outside-toplevel

    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    found = list(FIXES)
    for name in sorted(os.listdir(here)):
        if name.startswith("fixes_") and name.endswith(".py"):
            found.extend(importlib.import_module(name[:-3]).FIXES)
    return found


def apply_all() -> list[str]:
    """Apply every fix; return their ids."""
    applied = all_fixes()
    for fix in applied:
        fix.apply()
    return [fix.fix_id for fix in applied]
