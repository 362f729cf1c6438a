# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the dms_connection module: start a DMS connection test and await its outcome, bounded.

TestConnection answers ``testing`` at once; DescribeConnections reports ``successful`` or ``failed``
(with ``LastFailureMessage``) when DMS has tried. Every function that talks to AWS expects a client
created with ``module.client("dms", retry_decorator=AWSRetry.jittered_backoff())``.
"""

from __future__ import annotations

import time
from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

FINAL_STATUSES = ("successful", "failed")


class DmsConnectionError(Exception):
    """A refusal or a timeout with a message for the user (not an AWS error)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@AWSRetry.jittered_backoff()
def _describe_pages(client, **params):
    paginator = client.get_paginator("describe_connections")
    return paginator.paginate(**params).build_full_result().get("Connections", [])


def describe_connection(client, instance_arn: str, endpoint_arn: str) -> Optional[Dict[str, Any]]:
    """The connection of this endpoint from this instance, or None when none was ever tested."""
    filters = [{"Name": "endpoint-arn", "Values": [endpoint_arn]}, {"Name": "replication-instance-arn", "Values": [instance_arn]}]
    try:
        connections = _describe_pages(client, Filters=filters)
    except is_boto3_error_code("ResourceNotFoundFault"):
        return None
    return next((item for item in connections
                 if item.get("EndpointArn") == endpoint_arn and item.get("ReplicationInstanceArn") == instance_arn), None)


def normalize(connection: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    connection = connection or {}
    return {
        "endpoint_arn": connection.get("EndpointArn"),
        "endpoint_identifier": connection.get("EndpointIdentifier"),
        "replication_instance_arn": connection.get("ReplicationInstanceArn"),
        "replication_instance_identifier": connection.get("ReplicationInstanceIdentifier"),
        "status": connection.get("Status"),
        "last_failure_message": connection.get("LastFailureMessage") or "",
    }


def test_and_wait(client, instance_arn: str, endpoint_arn: str, wait_timeout: int, delay: float = 5.0) -> Dict[str, Any]:
    """Start a connection test and poll DescribeConnections until it is successful or failed, at most ``wait_timeout`` s."""
    try:
        started = client.test_connection(aws_retry=True, ReplicationInstanceArn=instance_arn, EndpointArn=endpoint_arn)["Connection"]
    except is_boto3_error_code("InvalidResourceStateFault") as e:
        raise DmsConnectionError(
            f"DMS cannot test endpoint {endpoint_arn} from replication instance {instance_arn} now (the instance must be "
            f"available and the endpoint active, and no other test of it running): {e}"
        ) from e
    connection = started
    deadline = time.monotonic() + wait_timeout
    while connection.get("Status") not in FINAL_STATUSES:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DmsConnectionError(
                f"timed out after {wait_timeout} s waiting for the connection test of endpoint "
                f"{started.get('EndpointIdentifier') or endpoint_arn} from replication instance "
                f"{started.get('ReplicationInstanceIdentifier') or instance_arn} (status {connection.get('Status')}). "
                "Raise wait_timeout, or look at the endpoint's connections in the DMS console."
            )
        time.sleep(min(delay, remaining))
        connection = describe_connection(client, instance_arn, endpoint_arn) or connection
    return normalize(connection)
