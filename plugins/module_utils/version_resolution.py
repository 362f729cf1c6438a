# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Resolve and check an engine version with an AnsibleAWSModule: the API first, the dated catalog when it cannot be asked.

One home for what aurora_engine_version and dms_engine_version do, so that the preflight module can resolve both
versions in the process that evaluates its rules (one module start-up instead of three) with the same answers,
warnings and messages as the two modules.

Each ``resolve_*`` returns the result dictionary of its module, ``failed`` and ``msg`` included. API errors that are
not a reason to fall back to the catalog end the module with ``fail_json_aws``, as the modules always did.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Optional

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.payments.aws_platform.plugins.module_utils.engine_catalog import load_catalog
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import API_RETRY
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import DMS_ENGINE
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import api_aurora_records
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import api_dms_records
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import api_unavailable
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import catalog_records
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import describe_orderable_instance_classes
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import describe_orderable_versions
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import evaluate_aurora
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import evaluate_dms
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import name_orderable_classes
from ansible_collections.payments.aws_platform.plugins.module_utils.engine_versions import refused_class_version


def _catalog(module, engine: str, label: str, error: BaseException):
    """The catalog's records of ``engine`` for the module's region, with the warning that says so."""
    catalog = load_catalog()
    catalog_date = catalog["catalog_date"]
    records = catalog_records(catalog, module.region, engine)
    if records is None:
        module.fail_json(
            msg=f"The API could not be asked ({error}) and the catalog dated {catalog_date} has no {label} versions for {module.region}",
            version=None, source="catalog", catalog_date=catalog_date, checks=[], alternatives=[], unconfirmed=[],
        )
    module.warn(f"The API could not be asked ({error}); using the {label} versions of the catalog dated {catalog_date} for {module.region}.")
    return records, catalog_date


def _finish(module, result: Dict[str, Any]) -> Dict[str, Any]:
    for detail in result["unconfirmed"]:
        module.warn(detail)
    return result


def resolve_aurora(module, engine: str, requested: str, today, serverless_v2: bool = False, min_capacity: Optional[float] = None,
                   max_capacity: Optional[float] = None, instance_class: Optional[str] = None, log_exports=None,
                   engine_mode: str = "provisioned") -> Dict[str, Any]:
    """The aurora_engine_version result for ``requested`` (a version or a policy, already parsed once)."""
    region = module.region
    source, catalog_date, instance_versions = "api", None, None
    class_checked = bool(instance_class) and not serverless_v2
    try:
        client = module.client("rds", retry_decorator=API_RETRY)
        records = api_aurora_records(client, engine, serverless_v2=serverless_v2)
        if class_checked:
            instance_versions = describe_orderable_versions(client, engine, instance_class)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
        if not api_unavailable(e, module.check_mode):
            module.fail_json_aws(e, msg=f"Unable to describe the {engine} engine versions in {region}")
        records, catalog_date = _catalog(module, engine, engine, e)
        source, instance_versions = "catalog", None
        if class_checked:
            module.warn(f"instance_class {instance_class} was not checked: the catalog has no instance class data.")

    result = evaluate_aurora(
        records, engine, region, requested, today=today, source=source, catalog_date=catalog_date,
        serverless_v2=serverless_v2, min_capacity=min_capacity, max_capacity=max_capacity,
        log_exports=log_exports or [], engine_mode=engine_mode, instance_class=instance_class,
        instance_class_versions=instance_versions,
    )
    refused = refused_class_version(result) if result["failed"] and source == "api" else None
    if refused:
        try:
            name_orderable_classes(result, refused, describe_orderable_instance_classes(client, engine, refused))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
            module.fail_json_aws(e, msg=f"Unable to list the instance classes orderable for {engine} {refused} in {region}")
    return _finish(module, result)


def resolve_dms(module, requested: str, today, instance_class: Optional[str] = None) -> Dict[str, Any]:
    """The dms_engine_version result for ``requested`` (a version or a policy, already parsed once)."""
    region = module.region
    source, catalog_date = "api", None
    try:
        client = module.client("dms", retry_decorator=API_RETRY)
        records = api_dms_records(client, with_instance_classes=bool(instance_class))
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
        if not api_unavailable(e, module.check_mode):
            module.fail_json_aws(e, msg=f"Unable to describe the DMS replication engine versions in {region}")
        records, catalog_date = _catalog(module, DMS_ENGINE, "DMS", e)
        source = "catalog"
    result = evaluate_dms(records, region, requested, today=today, instance_class=instance_class,
                          source=source, catalog_date=catalog_date)
    return _finish(module, result)


def exit_with(module, result: Dict[str, Any]) -> None:
    """End a version module with its result: fail on a refusal, else exit unchanged."""
    result = dict(result)
    failed = result.pop("failed")
    msg = result.pop("msg")
    if failed:
        module.fail_json(msg=msg, **result)
    module.exit_json(changed=False, msg=msg, **result)
