# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Engine-version intelligence shared by aurora_engine_version and dms_engine_version.

Refuse before deploying what AWS would reject: a version not offered in the region (F03),
deprecated or past end of support (F02, F04), not orderable as Serverless v2 (F01), an ACU
range outside what the version supports, or log types it cannot export (F05).

Versions come either from the live API (the ``describe_*`` helpers below, which expect a
client created with a retry decorator and use paginators) or from the dated catalog in
``engine_catalog``. Both are normalised to the same record shape:

Aurora (``aurora-postgresql``, ``aurora-mysql``)::

    {"engine": str, "version": str, "status": "available" | "deprecated",
     "serverless_v2": bool | None (None: unknown), "serverless_v2_min_capacity": float | None,
     "serverless_v2_max_capacity": float | None, "serverless_v2_evidence": str (catalog records),
     "exportable_log_types": [str] | None (None: unknown), "supports_log_exports": bool,
     "end_of_support_date": "YYYY-MM-DD" | None, "offered_in_region": bool | None (None: unknown),
     "source": str, "date": "YYYY-MM-DD" | None, "evidence": str}

DMS (``dms``)::

    {"engine": "dms", "version": str, "lifecycle": str | None, "deprecation_date": "YYYY-MM-DD" | None,
     "force_upgrade_date": "YYYY-MM-DD" | None, "release_status": str | None,
     "instance_classes": [str] | None (None: unknown), "offered_in_region": bool | None,
     "source": str, "date": "YYYY-MM-DD" | None, "evidence": str}

A fact the source does not state is None, and the check that needs it has status "unknown": the
modules report it as a warning with the evidence, never as a pass.

Nothing here imports boto3 or botocore: API errors are recognised by class name.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

AURORA_ENGINES = ["aurora-postgresql", "aurora-mysql"]
DMS_ENGINE = "dms"
SERVERLESS_INSTANCE_CLASS = "db.serverless"
MAX_ALTERNATIVES = 8

# Throttling and server errors are retried a few times (botocore retries 5xx too), then fail: an API that
# answers badly is never replaced by the catalog.
_RETRY_CODES = ["ThrottlingException", "RequestThrottled", "RequestThrottledException", "SlowDown", "BadGateway",
                "GatewayTimeout", "InternalServerError", "ServiceUnavailableException"]
API_RETRY = AWSRetry.jittered_backoff(retries=3, delay=1, max_delay=4, catch_extra_error_codes=_RETRY_CODES)

# The API cannot be asked: no endpoint, no credentials, or the credentials may not call it. Only then does the catalog answer.
_UNREACHABLE_EXCEPTIONS = frozenset(
    [
        "EndpointConnectionError",
        "ConnectionClosedError",
        "ConnectTimeoutError",
        "UnknownEndpointError",
        "EndpointResolutionError",
        "UnknownServiceError",
        "NoCredentialsError",
        "PartialCredentialsError",
        "NoRegionError",
    ]
)
_DENIED_CODES = frozenset(
    [
        "AccessDenied",
        "AccessDeniedException",
        "AccessDeniedFault",
        "UnauthorizedOperation",
        "UnauthorizedException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "ExpiredToken",
        "ExpiredTokenException",
        "AuthFailure",
    ]
)
_THROTTLING_CODES = frozenset(["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                               "RequestThrottled", "RequestThrottledException", "SlowDown"])

_MYSQL_PREFIX = re.compile(r"^\d+\.\d+\.mysql_aurora\.(.+)$")
_POLICY_MAJOR = "latest-in-major:"


class EngineVersionError(Exception):
    """A version or a policy that cannot be parsed."""


# --- versions and policies -----------------------------------------------------------


def version_key(version: Any) -> Tuple[int, ...]:
    """Sortable key of a version: "15.8" -> (15, 8), "8.0.mysql_aurora.3.08.1" -> (3, 8, 1), "3.6.1" -> (3, 6, 1)."""
    text = str(version).strip()
    match = _MYSQL_PREFIX.match(text)
    if match:
        text = match.group(1)
    parts = text.split(".")
    if not text or not all(part.isdigit() for part in parts):
        raise EngineVersionError(f"{version!r} is not a version number")
    return tuple(int(part) for part in parts)


def is_version(version: Any) -> bool:
    try:
        version_key(version)
    except EngineVersionError:
        return False
    return True


def same_version(left: Any, right: Any) -> bool:
    """Whether two spellings name one version ("15.08" and "15.8"; "3.08.1" and "8.0.mysql_aurora.3.08.1")."""
    return version_key(left) == version_key(right)


def in_major(version: str, major: str) -> bool:
    """Whether a version belongs to a major given as a prefix ("15", "3", "3.08", "3.5")."""
    prefix = version_key(major)
    return version_key(version)[: len(prefix)] == prefix


def parse_policy(policy: Any, variable: str) -> Tuple[str, Optional[str]]:
    """Parse "latest", "latest-in-major:<major>" or an exact version into (kind, value)."""
    text = str(policy).strip() if policy is not None else "latest"
    hint = "use 'latest', 'latest-in-major:<major>' or an exact version"
    if text == "latest":
        return "latest", None
    if text.startswith(_POLICY_MAJOR):
        major = text[len(_POLICY_MAJOR):].strip()
        if not is_version(major):
            raise EngineVersionError(f"{variable}: {text} does not name a major version; {hint}, for example latest-in-major:15")
        return "latest-in-major", major
    if not is_version(text):
        raise EngineVersionError(f"{variable}: {text} is neither a version nor a policy; {hint}")
    return "exact", text


def sort_newest_first(records: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return sorted(records, key=lambda r: version_key(r["version"]), reverse=True)


def nearest(records: Iterable[Dict[str, Any]], reference: Optional[str] = None, exclude: Optional[str] = None,
            limit: int = MAX_ALTERNATIVES) -> List[str]:
    """Versions newest first as AWS's errors list them: the reference's major first, then the others."""
    ordered = sort_newest_first(r for r in records if exclude is None or not same_version(r["version"], exclude))
    if reference is not None:
        # the reference's major, then the nearest majors (the lower one first on a tie), each newest first
        major = version_key(reference)[0]
        ordered.sort(key=lambda r: (abs(version_key(r["version"])[0] - major), version_key(r["version"])[0] > major))
    return [r["version"] for r in ordered][:limit]


def parse_date(value: Any, variable: str = "today") -> Optional[datetime.date]:
    """An ISO date (or datetime) as a date; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise EngineVersionError(f"{variable}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _iso(value: Any) -> Optional[str]:
    date = parse_date(value, "date")
    return date.isoformat() if date else None


# --- normalisation ---------------------------------------------------------------------


def normalise_rds_engine_version(raw: Dict[str, Any], serverless_versions: Optional[Iterable[str]] = None,
                                 source: str = "api", date: Optional[str] = None) -> Dict[str, Any]:
    """An entry of describe_db_engine_versions as a record; serverless_versions: versions orderable as db.serverless."""
    capacity = raw.get("ServerlessV2FeaturesSupport") or {}
    if serverless_versions is None:
        serverless = True if capacity else None
    else:
        serverless = any(same_version(raw["EngineVersion"], v) for v in serverless_versions)
    min_capacity = capacity.get("MinCapacity")
    max_capacity = capacity.get("MaxCapacity")
    return {
        "engine": raw.get("Engine"),
        "version": raw["EngineVersion"],
        "status": raw.get("Status") or "available",
        "serverless_v2": serverless,
        "serverless_v2_min_capacity": float(min_capacity) if min_capacity is not None else None,
        "serverless_v2_max_capacity": float(max_capacity) if max_capacity is not None else None,
        "exportable_log_types": list(raw.get("ExportableLogTypes") or []),
        "supports_log_exports": bool(raw.get("SupportsLogExportsToCloudwatchLogs", bool(raw.get("ExportableLogTypes")))),
        "end_of_support_date": None,
        "offered_in_region": True,
        "source": source,
        "date": date,
        "evidence": "describe_db_engine_versions",
    }


def normalise_dms_engine_version(raw: Dict[str, Any], instance_classes: Optional[Iterable[str]] = None,
                                 source: str = "api", date: Optional[str] = None) -> Dict[str, Any]:
    """An entry of DMS describe_engine_versions as a record."""
    return {
        "engine": DMS_ENGINE,
        "version": raw["Version"],
        "lifecycle": raw.get("Lifecycle"),
        "deprecation_date": _iso(raw.get("DeprecationDate")),
        "force_upgrade_date": _iso(raw.get("ForceUpgradeDate")),
        "release_status": raw.get("ReleaseStatus"),
        "instance_classes": sorted(instance_classes) if instance_classes is not None else None,
        "offered_in_region": True,
        "source": source,
        "date": date,
        "evidence": "DMS describe_engine_versions",
    }


def _cited(entry: Dict[str, Any], key: str = "source", date_key: str = "date") -> str:
    """ "<source> (<date>)" of a catalog entry."""
    date = entry.get(date_key)
    return f"{entry.get(key) or 'an unnamed source'}" + (f" ({date})" if date else "")


def _region_serverless(version: str, entry: Dict[str, Any], area: Optional[Dict[str, Any]], region: str,
                       first_of: Optional[Dict[str, Any]]) -> Tuple[Optional[bool], str]:
    """Whether a version is orderable as db.serverless in a region, and on what evidence; None: no source says."""
    first = ((first_of or {}).get("regions", {}).get(region) or {}).get(str(version_key(version)[0]))
    if first is not None:
        return version_key(version) >= version_key(first), f"{_cited(first_of)}: from {first} on in {region}"
    if entry.get("serverless_v2") is False:
        return False, f"{_cited(entry)}: not orderable as db.serverless in any region it lists"
    if area is not None and area.get("serverless_v2") is False:
        return False, f"{_cited(area)}: no db.serverless instance class for the engine in {region}"
    if entry.get("serverless_v2") is True:
        return None, f"{_cited(entry)} lists it as orderable as db.serverless, but not per region"
    return None, f"no source of the catalog says whether it is orderable as db.serverless in {region}"


def catalog_records(catalog: Dict[str, Any], region: str, engine: str) -> Optional[List[Dict[str, Any]]]:
    """The catalog's records of an engine in a region, normalised; None when the catalog has no version of the engine.

    A region with versions of its own (from the API) gives confirmed records. Otherwise the versions the sources list
    for all regions together apply, with offered_in_region None (unknown) and the reason in evidence; a region whose
    source says the engine is not offered gives no record.
    """
    area = ((catalog.get("regions") or {}).get(region) or {}).get(engine)
    if area is not None and area.get("versions"):
        entries, offered = area["versions"], True
    elif area is not None and area.get("offered") is False:
        return []
    else:
        entries, offered = (catalog.get("engines") or {}).get(engine), None
    if not entries:
        return None
    unknown = (catalog.get("unknown_regions") or {}).get(region)
    first_of = (catalog.get("serverless_v2_from") or {}).get(engine)
    if offered:
        scope = f"for {region}"
    elif unknown:
        scope = f"for all regions together, but the catalog does not cover {region}: {unknown}"
    elif region not in (catalog.get("regions") or {}):
        scope = f"for all regions together, but the catalog does not cover {region}"
    elif area is None:
        scope = f"for all regions together; no source of the catalog gives {engine} data per region"
    else:
        scope = f"for all regions together, not per region (it lists {engine} instance classes for {region})"
    records = []
    for version, entry in entries.items():
        record = dict(entry, engine=engine, version=version, offered_in_region=offered, evidence=f"{_cited(entry)} lists it {scope}")
        if engine == DMS_ENGINE:
            record.setdefault("instance_classes", None)
        else:
            record["serverless_v2"], record["serverless_v2_evidence"] = (
                (entry.get("serverless_v2"), _cited(entry)) if offered else _region_serverless(version, entry, area, region, first_of))
            record.setdefault("exportable_log_types", None)
            record.setdefault("supports_log_exports", bool(record.get("exportable_log_types")))
            record.setdefault("end_of_support_date", None)
        records.append(record)
    return sort_newest_first(records)


# --- API helpers ---------------------------------------------------------------------


@API_RETRY
def _paginate(client, operation: str, result_key: str, **params) -> List[Dict[str, Any]]:
    paginator = client.get_paginator(operation)
    return paginator.paginate(**params).build_full_result().get(result_key, [])


def describe_db_engine_versions(client, engine: str, version: Optional[str] = None) -> List[Dict[str, Any]]:
    """All versions of an engine in the client's region, deprecated ones included (IncludeAll)."""
    params: Dict[str, Any] = {"Engine": engine, "IncludeAll": True}
    if version:
        params["EngineVersion"] = version
    return _paginate(client, "describe_db_engine_versions", "DBEngineVersions", **params)


def describe_orderable_versions(client, engine: str, instance_class: str, version: Optional[str] = None) -> List[str]:
    """The versions of an engine orderable with an instance class (db.serverless for Serverless v2)."""
    params: Dict[str, Any] = {"Engine": engine, "DBInstanceClass": instance_class}
    if version:
        params["EngineVersion"] = version
    options = _paginate(client, "describe_orderable_db_instance_options", "OrderableDBInstanceOptions", **params)
    return sorted({o["EngineVersion"] for o in options if o.get("EngineVersion")}, key=version_key, reverse=True)


def describe_orderable_instance_classes(client, engine: str, version: str) -> List[str]:
    """The provisioned instance classes orderable for one version of an engine (db.serverless left out)."""
    options = _paginate(client, "describe_orderable_db_instance_options", "OrderableDBInstanceOptions", Engine=engine, EngineVersion=version)
    return sorted({o["DBInstanceClass"] for o in options if o.get("DBInstanceClass") not in (None, SERVERLESS_INSTANCE_CLASS)})


_CLASS_REFUSAL = re.compile(r"^aurora_instance_class: \S+ is not orderable for \S+ (\S+) in ")


def refused_class_version(result: Dict[str, Any]) -> Optional[str]:
    """The version a failed instance_class_orderable check was about (a policy's newest when none passed), else None."""
    for check in result["checks"]:
        match = _CLASS_REFUSAL.match(check["detail"]) if check["check"] == "instance_class_orderable" and check["status"] == "fail" else None
        if match:
            return match.group(1)
    return None


def name_orderable_classes(result: Dict[str, Any], version: str, classes: List[str]) -> None:
    """Name, in a failed instance_class_orderable check and the message, the classes orderable for that version."""
    listed = ", ".join(classes) if classes else "none"
    for check in result["checks"]:
        if check["check"] == "instance_class_orderable" and check["status"] == "fail":
            # Right after the refusal's own sentence, before the nearest valid versions and the rule id.
            detail = check["detail"]
            cut = min(i for i in (detail.find("; "), detail.find(" ("), len(detail)) if i >= 0)
            check["detail"] = f"{detail[:cut]}; orderable for {version}: {listed}{detail[cut:]}"
    result["msg"] = "; ".join(c["detail"] for c in result["checks"] if c["status"] == "fail")


@API_RETRY
def _dms_engine_version_page(client, **params) -> Dict[str, Any]:
    return client.describe_engine_versions(**params)


def describe_dms_engine_versions(client) -> List[Dict[str, Any]]:
    """All DMS replication engine versions (the operation has no paginator: follow Marker)."""
    versions: List[Dict[str, Any]] = []
    params: Dict[str, Any] = {}
    while True:
        page = _dms_engine_version_page(client, **params)
        versions.extend(page.get("EngineVersions", []))
        if not page.get("Marker"):
            return versions
        params["Marker"] = page["Marker"]


def describe_orderable_replication_instances(client) -> Dict[str, List[str]]:
    """DMS replication instance classes orderable in the region, by engine version."""
    options = _paginate(client, "describe_orderable_replication_instances", "OrderableReplicationInstances")
    classes: Dict[str, set] = {}
    for option in options:
        if option.get("EngineVersion") and option.get("ReplicationInstanceClass"):
            classes.setdefault(option["EngineVersion"], set()).add(option["ReplicationInstanceClass"])
    return {version: sorted(names) for version, names in classes.items()}


def api_aurora_records(client, engine: str, serverless_v2: bool = False) -> List[Dict[str, Any]]:
    """Normalised records of an engine from the API (none when the region offers none)."""
    raw = [r for r in describe_db_engine_versions(client, engine) if is_version(r.get("EngineVersion"))]
    serverless = describe_orderable_versions(client, engine, SERVERLESS_INSTANCE_CLASS) if serverless_v2 and raw else None
    return sort_newest_first(normalise_rds_engine_version(r, serverless) for r in raw)


def api_dms_records(client, with_instance_classes: bool = False) -> List[Dict[str, Any]]:
    """Normalised DMS records from the API (none when the region offers none)."""
    raw = [r for r in describe_dms_engine_versions(client) if is_version(r.get("Version"))]
    classes = describe_orderable_replication_instances(client) if with_instance_classes and raw else {}
    return sort_newest_first(
        normalise_dms_engine_version(r, classes.get(r["Version"], []) if with_instance_classes else None) for r in raw
    )


def api_unavailable(error: BaseException, check_mode: bool = False) -> bool:
    """Whether the API cannot be asked (fall back to the catalog) rather than answered with an error.

    True for an unreachable endpoint, missing credentials and a refusal of the credentials (AccessDenied...), and in
    check mode for any other client error; never for throttling or a server error (5xx), which were retried and fail.
    """
    names = {cls.__name__ for cls in type(error).__mro__}
    if names & _UNREACHABLE_EXCEPTIONS:
        return True
    response = getattr(error, "response", None)
    if "ClientError" not in names or not isinstance(response, dict):
        return False
    code = str((response.get("Error") or {}).get("Code", ""))
    status = int((response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0)
    if status >= 500 or code in _THROTTLING_CODES or AWSRetry.found(code):
        return False
    return code in _DENIED_CODES or check_mode


# --- evaluation ------------------------------------------------------------------------


def _check(check_id: str, name: str, ok: Optional[bool], detail: str, alternatives: bool = False) -> Dict[str, Any]:
    """A check; ok None means no source confirms or refutes it (status "unknown", reported as a warning)."""
    status = "unknown" if ok is None else ("pass" if ok else "fail")
    return {"id": check_id, "check": name, "status": status, "detail": detail, "_alternatives": alternatives}


def _offered_check(check_id: str, variable: str, label: str, version: str, region: str, record: Dict[str, Any]) -> Dict[str, Any]:
    if record.get("offered_in_region") is None:
        return _check(check_id, "offered_in_region", None,
                      f"{variable}: {version} is not confirmed to be offered for {label} in {region}: {record.get('evidence')}")
    return _check(check_id, "offered_in_region", True, f"{label} {version} is offered in {region}")


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def aurora_checks(record: Dict[str, Any], region: str, today: datetime.date, serverless_v2: bool = False,
                  min_capacity: Optional[float] = None, max_capacity: Optional[float] = None,
                  log_exports: Optional[List[str]] = None, engine_mode: str = "provisioned",
                  instance_class: Optional[str] = None, instance_class_versions: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """The checks of one Aurora version that exists in the region."""
    engine, version = record["engine"], record["version"]
    var = "aurora_engine_version"
    checks = [_offered_check("F03", var, engine, version, region, record)]
    deprecated = str(record.get("status")).lower() == "deprecated"
    checks.append(_check("F02", "not_deprecated", not deprecated,
                         f"{var}: {version} is deprecated for {engine} in {region} (Status deprecated)" if deprecated
                         else f"{engine} {version} has status {record.get('status')}", True))
    end = parse_date(record.get("end_of_support_date"), "end_of_support_date")
    if end is not None:
        past = today >= end
        checks.append(_check("F02", "before_end_of_support", not past,
                             f"{var}: {version} of {engine} is past end of support ({end.isoformat()}, today {today.isoformat()})" if past
                             else f"{engine} {version} is supported until {end.isoformat()}", True))
    if serverless_v2:
        orderable = record.get("serverless_v2")
        if orderable is None:
            checks.append(_check("F01", "serverless_v2_orderable", None,
                                 f"{var}: {version} is not confirmed orderable as Serverless v2 (db.serverless) for {engine} in {region}:"
                                 f" {record.get('serverless_v2_evidence') or record.get('evidence')}"))
        else:
            checks.append(_check("F01", "serverless_v2_orderable", orderable,
                                 f"{engine} {version} is orderable as Serverless v2 (db.serverless) in {region}" if orderable
                                 else f"{var}: {version} is not orderable as Serverless v2 (db.serverless) for {engine} in {region}"
                                 " (aurora_serverless_v2: true)", True))
        if orderable is not False and (min_capacity is not None or max_capacity is not None):
            checks.append(_capacity_check(record, min_capacity, max_capacity))
    if log_exports:
        checks.append(_log_check(record, log_exports, engine_mode))
    if instance_class and not serverless_v2 and instance_class_versions is not None:
        ok = any(same_version(version, v) for v in instance_class_versions)
        checks.append(_check("F01", "instance_class_orderable", ok,
                             f"{instance_class} is orderable for {engine} {version} in {region}" if ok
                             else f"aurora_instance_class: {instance_class} is not orderable for {engine} {version} in {region}", True))
    return checks


def _capacity_check(record: Dict[str, Any], min_capacity: Optional[float], max_capacity: Optional[float]) -> Dict[str, Any]:
    engine, version = record["engine"], record["version"]
    low, high = record.get("serverless_v2_min_capacity"), record.get("serverless_v2_max_capacity")
    span = f"{_fmt(low) if low is not None else '?'}-{_fmt(high) if high is not None else '?'} ACU"
    problems = []
    if min_capacity is not None and low is not None and min_capacity < low:
        problems.append(f"aurora_serverless_v2_min_capacity: {_fmt(min_capacity)} is below the minimum {_fmt(low)} ACU")
    if max_capacity is not None and high is not None and max_capacity > high:
        problems.append(f"aurora_serverless_v2_max_capacity: {_fmt(max_capacity)} is above the maximum {_fmt(high)} ACU")
    if min_capacity is not None and max_capacity is not None and min_capacity > max_capacity:
        problems.append(f"aurora_serverless_v2_min_capacity: {_fmt(min_capacity)} is greater than aurora_serverless_v2_max_capacity {_fmt(max_capacity)}")
    if problems:
        return _check("F01", "serverless_v2_capacity", False,
                      f"{'; '.join(problems)} that Serverless v2 supports for {engine} {version}; valid range {span}")
    if low is None or high is None:
        wanted = f"{_fmt(min_capacity) if min_capacity is not None else '?'}-{_fmt(max_capacity) if max_capacity is not None else '?'} ACU"
        return _check("F01", "serverless_v2_capacity", None,
                      f"the ACU range {wanted} is not confirmed for {engine} {version}: no source of the catalog gives its Serverless v2 capacity")
    return _check("F01", "serverless_v2_capacity", True, f"the ACU range is within {span} for {engine} {version}")


def _log_check(record: Dict[str, Any], log_exports: List[str], engine_mode: str) -> Dict[str, Any]:
    engine, version = record["engine"], record["version"]
    if engine_mode == "serverless":
        return _check("F05", "log_exports", False,
                      f"aurora_log_exports: {', '.join(log_exports)} cannot be exported by an Aurora Serverless v1 cluster (engine_mode serverless);"
                      " set aurora_log_exports to [] or use a provisioned or Serverless v2 cluster")
    if record.get("exportable_log_types") is None:
        return _check("F05", "log_exports", None,
                      f"aurora_log_exports: {', '.join(log_exports)} is not confirmed exportable by {engine} {version}:"
                      " no source of the catalog gives its exportable log types")
    valid = list(record.get("exportable_log_types") or []) if record.get("supports_log_exports", True) else []
    bad = [t for t in log_exports if t not in valid]
    if bad:
        return _check("F05", "log_exports", False,
                      f"aurora_log_exports: {', '.join(bad)} cannot be exported by {engine} {version}; valid: {', '.join(valid) or 'none'}")
    return _check("F05", "log_exports", True, f"{engine} {version} can export {', '.join(log_exports)}")


def dms_checks(record: Dict[str, Any], region: str, today: datetime.date, instance_class: Optional[str] = None) -> List[Dict[str, Any]]:
    """The checks of one DMS replication engine version that exists in the region."""
    version = record["version"]
    var = "dms_engine_version"
    checks = [_offered_check("F04", var, "DMS", version, region, record)]
    states = [s for s in (record.get("lifecycle"), record.get("release_status")) if s]
    deprecated = any(str(s).lower() == "deprecated" for s in states)
    checks.append(_check("F04", "not_deprecated", not deprecated,
                         f"{var}: {version} is deprecated for DMS in {region}"
                         f" (Lifecycle {record.get('lifecycle')}, ReleaseStatus {record.get('release_status')})"
                         if deprecated else f"DMS {version} is {record.get('lifecycle') or record.get('release_status') or 'offered'}", True))
    for key, label in (("deprecation_date", "DeprecationDate"), ("force_upgrade_date", "ForceUpgradeDate")):
        date = parse_date(record.get(key), key)
        if date is None:
            continue
        past = today >= date
        checks.append(_check("F04", f"before_{key}", not past,
                             f"{var}: {version} is past its {label} {date.isoformat()} (today {today.isoformat()})" if past
                             else f"DMS {version} has {label} {date.isoformat()}", True))
    if instance_class and record.get("instance_classes") is None:
        checks.append(_check("F04", "instance_class_orderable", None,
                             f"dms_instance_class: {instance_class} is not confirmed orderable for DMS {version} in {region}:"
                             f" {record.get('evidence')}, without instance classes"))
    elif instance_class:
        ok = instance_class in record["instance_classes"]
        checks.append(_check("F04", "instance_class_orderable", ok,
                             f"{instance_class} is orderable for DMS {version} in {region}" if ok
                             else f"dms_instance_class: {instance_class} is not orderable for DMS {version} in {region};"
                             f" orderable: {', '.join(record['instance_classes']) or 'none'}", True))
    return checks


def _passes(checks: List[Dict[str, Any]]) -> bool:
    return all(c["status"] != "fail" for c in checks)


def evaluate(records: List[Dict[str, Any]], requested: Any, checks_of, variable: str, engine: str, region: str,
             missing_id: str, source: str = "api", catalog_date: Optional[str] = None,
             selectable=None) -> Dict[str, Any]:
    """Resolve a version or policy against records and check it.

    checks_of(record) returns the checks of one record; selectable(record) says whether a policy may pick it.
    """
    kind, value = parse_policy(requested, variable)
    records = sort_newest_first(records)
    checked = [(r, checks_of(r)) for r in records]
    valid = [r for r, c in checked if _passes(c)]
    pickable = [r for r in valid if selectable is None or selectable(r)]
    result: Dict[str, Any] = {"version": None, "source": source, "catalog_date": catalog_date, "checks": [], "alternatives": [],
                              "unconfirmed": []}

    if kind == "exact":
        found = [(r, c) for r, c in checked if same_version(r["version"], value)]
        reference = value
        if found:
            record, checks = found[0]
            result["version"] = record["version"]
        else:
            record, checks = None, [_check(missing_id, "offered_in_region", False,
                                           f"{variable}: {value} is not offered for {engine} in {region}", True)]
            result["version"] = value
        result["alternatives"] = nearest(valid, reference, exclude=value)
    else:
        candidates = pickable if kind == "latest" else [r for r in pickable if in_major(r["version"], value)]
        reference = value
        if candidates:
            record = candidates[0]
            checks = dict((id(r), c) for r, c in checked)[id(record)]
            result["version"] = record["version"]
            result["alternatives"] = nearest(valid, record["version"], exclude=record["version"])
        else:
            scope = f"major {value} of {engine}" if value else engine
            in_scope = [(r, c) for r, c in checked if value is None or in_major(r["version"], value)]
            label = f"latest-in-major:{value}" if value else "latest"
            if in_scope:
                record, checks = in_scope[0]
                checks = [dict(c) for c in checks]
                for check in checks:
                    if check["status"] == "fail":
                        check["detail"] = check["detail"].replace(f"{variable}: {record['version']}", f"{variable}: {label} (newest: {record['version']})", 1)
            else:
                record, checks = None, [_check(missing_id, "offered_in_region", False,
                                               f"{variable}: {label} finds no version in {scope} offered in {region}", True)]
            result["alternatives"] = nearest(valid, value)
            if in_scope and _passes(checks):  # only non-selectable (e.g. beta) versions
                checks.append(_check(missing_id, "selectable", False, f"{variable}: {label} finds only pre-release versions in {scope}", True))

    alternatives = result["alternatives"]
    final = []
    for check in checks:
        check = dict(check)
        wants = check.pop("_alternatives")
        if check["status"] == "fail":
            if wants and not any(c["status"] == "fail" and "nearest valid" in c["detail"] or "no valid version in" in c["detail"] for c in final):
                check["detail"] += f"; nearest valid: {', '.join(alternatives)}" if alternatives else f"; no valid version in {region}"
            check["detail"] += f" ({check['id']})"
        elif check["status"] == "unknown":
            check["detail"] += f" ({check['id']}, not confirmed)"
        final.append(check)
    result["checks"] = final
    failures = [c["detail"] for c in final if c["status"] == "fail"]
    result["unconfirmed"] = [c["detail"] for c in final if c["status"] == "unknown"]
    result["failed"] = bool(failures)
    if failures:
        result["msg"] = "; ".join(failures)
    elif result["unconfirmed"]:
        result["msg"] = (f"{engine} {result['version']} in {region} fails no check, but {len(result['unconfirmed'])} could not be confirmed"
                         f" (source: {source}): " + "; ".join(result["unconfirmed"]))
    else:
        result["msg"] = f"{engine} {result['version']} in {region} passes all checks (source: {source})"
    return result


def evaluate_aurora(records: List[Dict[str, Any]], engine: str, region: str, requested: Any, today: Any = None,
                    source: str = "api", catalog_date: Optional[str] = None, **requirements) -> Dict[str, Any]:
    """Resolve and check an Aurora version; requirements are the keyword arguments of aurora_checks."""
    day = parse_date(today) or datetime.date.today()
    return evaluate(records, requested, lambda r: aurora_checks(r, region, day, **requirements), "aurora_engine_version",
                    engine, region, "F03", source, catalog_date)


def evaluate_dms(records: List[Dict[str, Any]], region: str, requested: Any, today: Any = None, instance_class: Optional[str] = None,
                 source: str = "api", catalog_date: Optional[str] = None) -> Dict[str, Any]:
    """Resolve and check a DMS replication engine version; policies skip beta releases."""
    day = parse_date(today) or datetime.date.today()
    return evaluate(records, requested, lambda r: dms_checks(r, region, day, instance_class), "dms_engine_version",
                    "DMS", region, "F04", source, catalog_date,
                    selectable=lambda r: str(r.get("release_status") or "prod").lower() != "beta")
