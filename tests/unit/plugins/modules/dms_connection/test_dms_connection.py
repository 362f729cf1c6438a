# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.dms_connection and module_utils/dms_connection.py, against a scripted DMS client."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from module_harness import fail_with  # pylint: disable=import-error
from module_harness import use_client  # pylint: disable=import-error

from ansible_collections.payments.aws_platform.plugins.module_utils import dms_connection as utils
from ansible_collections.payments.aws_platform.plugins.modules import dms_connection as module

INSTANCE = "arn:aws:dms:us-east-1:123456789012:rep:INSTANCE"
ENDPOINT = "arn:aws:dms:us-east-1:123456789012:endpoint:SOURCE"
ARGS = {"replication_instance_arn": INSTANCE, "endpoint_arn": ENDPOINT, "wait_timeout": 30}


def _connection(status, message=""):
    return {"ReplicationInstanceArn": INSTANCE, "EndpointArn": ENDPOINT, "Status": status, "LastFailureMessage": message,
            "EndpointIdentifier": "payments-test-source", "ReplicationInstanceIdentifier": "payments-test-dms"}


class ScriptedDms:
    """TestConnection answers testing; each DescribeConnections answers the next status of ``script``."""

    def __init__(self, script, test_error=None, describe_error=None):
        self.script = list(script)
        self.test_error = test_error
        self.describe_error = describe_error
        self.calls = []

    def test_connection(self, aws_retry=False, **params):  # pylint: disable=unused-argument
        self.calls.append(("test_connection", params))
        if self.test_error:
            raise self.test_error
        return {"Connection": _connection("testing")}

    def get_paginator(self, operation):
        self.calls.append((operation, None))
        return self

    def paginate(self, **params):
        self.calls[-1] = (self.calls[-1][0], params)
        return self

    def build_full_result(self):
        if self.describe_error:
            raise self.describe_error
        if not self.script:
            return {"Connections": []}
        item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return {"Connections": [] if item is None else [_connection(*item)]}


def _error(code):
    return ClientError({"Error": {"Code": code, "Message": f"{code} happened"}}, "TestConnection")


@pytest.fixture(name="no_sleep")
def fixture_no_sleep(monkeypatch):
    slept = []
    monkeypatch.setattr(utils.time, "sleep", slept.append)
    return slept


def test_a_successful_test_is_awaited_and_reported_not_changed(aws_credentials, run_module, monkeypatch, no_sleep):  # pylint: disable=unused-argument
    client = ScriptedDms([("testing",), ("successful",)])
    use_client(monkeypatch, client)
    result = run_module(module, ARGS)
    assert result["changed"] is False
    assert result["connection"] == {"endpoint_arn": ENDPOINT, "endpoint_identifier": "payments-test-source", "replication_instance_arn": INSTANCE,
                                    "replication_instance_identifier": "payments-test-dms", "status": "successful", "last_failure_message": ""}
    assert client.calls[0] == ("test_connection", {"ReplicationInstanceArn": INSTANCE, "EndpointArn": ENDPOINT})
    assert client.calls[1] == ("describe_connections", {"Filters": [{"Name": "endpoint-arn", "Values": [ENDPOINT]},
                                                                    {"Name": "replication-instance-arn", "Values": [INSTANCE]}]})
    assert len(no_sleep) == 2


def test_a_failed_test_is_a_result_with_the_message_not_a_module_failure(aws_credentials, run_module, monkeypatch, no_sleep):  # pylint: disable=unused-argument
    use_client(monkeypatch, ScriptedDms([("failed", "Cannot connect to ODBC provider Network error has occurred")]))
    result = run_module(module, ARGS)
    assert "failed" not in result
    assert result["connection"]["status"] == "failed"
    assert result["connection"]["last_failure_message"] == "Cannot connect to ODBC provider Network error has occurred"


def test_the_wait_is_bounded(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    use_client(monkeypatch, ScriptedDms([("testing",)]))
    now = [0.0]
    monkeypatch.setattr(utils.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(utils.time, "sleep", lambda seconds: now.__setitem__(0, now[0] + seconds))
    result = run_module(module, dict(ARGS, wait_timeout=12))
    assert result["failed"] is True
    assert result["msg"].startswith("timed out after 12 s waiting for the connection test of endpoint payments-test-source "
                                    "from replication instance payments-test-dms (status testing).")


def test_an_instance_that_is_not_available_is_refused_with_the_reason(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    use_client(monkeypatch, ScriptedDms([], test_error=_error("InvalidResourceStateFault")))
    result = run_module(module, ARGS)
    assert result["failed"] is True
    assert result["msg"].startswith(f"DMS cannot test endpoint {ENDPOINT} from replication instance {INSTANCE} now")
    assert "InvalidResourceStateFault happened" in result["msg"]


def test_other_aws_errors_fail_the_module(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    fail_with(monkeypatch, _error("AccessDeniedFault"))
    result = run_module(module, ARGS)
    assert result["failed"] is True and result["msg"].startswith(f"Unable to test the connection of DMS endpoint {ENDPOINT}")


def test_check_mode_tests_nothing_and_reports_the_last_test(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    client = ScriptedDms([("successful",)])
    use_client(monkeypatch, client)
    result = run_module(module, ARGS, check_mode=True)
    assert result["connection"]["status"] == "successful" and result["changed"] is False
    assert [name for name, _params in client.calls] == ["describe_connections"]


def test_check_mode_without_any_test(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    use_client(monkeypatch, ScriptedDms([], describe_error=_error("ResourceNotFoundFault")))
    result = run_module(module, ARGS, check_mode=True)
    assert result["connection"]["status"] is None and result["connection"]["last_failure_message"] == ""


def test_a_connection_missing_from_the_describe_keeps_the_last_known_state(no_sleep):  # pylint: disable=unused-argument
    client = ScriptedDms([None, ("successful",)])
    assert utils.test_and_wait(client, INSTANCE, ENDPOINT, 30)["status"] == "successful"
