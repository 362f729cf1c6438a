# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the DMS replication task helpers."""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.payments.aws_platform.plugins.module_utils import dms_task


@pytest.mark.parametrize("left, right, equal", [
    ('{"a": 1, "b": [1, 2]}', {"b": [1, 2], "a": 1}, True),
    ({"a": {"x": 1, "y": 2}}, '{"a": {"y": 2, "x": 1}}', True),
    ({"a": [1, 2]}, {"a": [2, 1]}, False),
    ("not json", "not json", True),
    (None, {}, False),
])
def test_json_compared_by_meaning(left, right, equal):
    assert dms_task.json_equal(left, right) is equal


@pytest.mark.parametrize("desired, current, paths", [
    ({"Logging": {"EnableLogging": True}}, {"Logging": {"EnableLogging": True, "LogComponents": []}, "Other": 1}, []),
    ({"Logging": {"EnableLogging": True}}, {"Logging": {"EnableLogging": False}}, ["Logging.EnableLogging"]),
    ({"Logging": {"EnableLogging": True}}, {"Logging": None}, ["Logging"]),
    ({"A": 1}, None, ["."]),
    (5, 6, ["."]),
])
def test_settings_compare_only_the_keys_given(desired, current, paths):
    assert dms_task.subset_differences(desired, current) == paths


def test_f18_task_found_by_identifier_not_by_arn():
    class Client:
        calls = []

        def get_paginator(self, name):
            assert name == "describe_replication_tasks"
            return self

        def paginate(self, **params):
            Client.calls.append(params)
            return self

        def build_full_result(self):
            return {"ReplicationTasks": [{"ReplicationTaskIdentifier": "other-prefix-x"}, {"ReplicationTaskIdentifier": "x"}]}

    assert dms_task.find_task(Client(), "x") == {"ReplicationTaskIdentifier": "x"}
    assert Client.calls == [{"Filters": [{"Name": "replication-task-id", "Values": ["x"]}]}]
    assert dms_task.find_task(Client(), "y") is None


def test_normalize_parses_documents_keeps_their_keys_and_task_data():
    raw = {"ReplicationTaskIdentifier": "t", "TableMappings": '{"rules": [{"rule-id": "1"}]}',
           "ReplicationTaskSettings": "broken{", "TaskData": '{"CamelKey": 1}', "ReplicationTaskStats": {"TablesLoaded": 2}}
    task = dms_task.normalize_task(raw, {"Team": "payments"})
    assert task["table_mappings"] == {"rules": [{"rule-id": "1"}]}
    assert task["replication_task_settings"] == "broken{"
    assert task["task_data"] == {"CamelKey": 1}
    assert task["replication_task_stats"] == {"tables_loaded": 2}
    assert task["tags"] == {"Team": "payments"} and task["replication_task_arn"] is None
    assert dms_task.task_summary(None) == {}
    assert dms_task.parse_json(3) == 3


@pytest.mark.parametrize("value, expected", [
    ("2025-01-31T12:00:00Z", datetime.datetime(2025, 1, 31, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-31T12:00:00", datetime.datetime(2025, 1, 31, 12, tzinfo=datetime.timezone.utc)),
    ("2025-01-31T14:00:00+02:00", datetime.datetime(2025, 1, 31, 12, tzinfo=datetime.timezone.utc)),
    (None, None),
])
def test_cdc_start_time_parsed(value, expected):
    assert dms_task.parse_cdc_start_time(value) == expected


def test_cdc_start_time_refused_clearly():
    with pytest.raises(dms_task.DmsTaskError, match="not an ISO 8601 time"):
        dms_task.parse_cdc_start_time("31/01/2025")


def test_create_and_modify_params_serialise_dicts():
    params = {"replication_task_identifier": "t", "source_endpoint_arn": "s", "target_endpoint_arn": "d",
              "replication_instance_arn": "i", "migration_type": "cdc", "table_mappings": {"b": 1, "a": 2},
              "replication_task_settings": {"Logging": {}}, "cdc_start_position": "pos", "cdc_start_time": None}
    create = dms_task.build_create_params(params, {"Team": "payments"})
    assert create["TableMappings"] == '{"a": 2, "b": 1}' and create["ReplicationTaskSettings"] == '{"Logging": {}}'
    assert create["CdcStartPosition"] == "pos" and create["Tags"] == [{"Key": "Team", "Value": "payments"}]
    modify = dms_task.build_modify_params("arn", params, ["migration_type", "table_mappings"])
    assert modify == {"ReplicationTaskArn": "arn", "MigrationType": "cdc", "TableMappings": '{"a": 2, "b": 1}'}
    assert "Tags" not in dms_task.build_create_params(dict(params, replication_task_settings=None), {})


def test_differences():
    current = {"migration_type": "cdc", "table_mappings": {"rules": []}, "replication_task_settings": None,
               "source_endpoint_arn": "s", "target_endpoint_arn": "d", "replication_instance_arn": "i"}
    assert dms_task.immutable_differences(current, {"source_endpoint_arn": "s", "replication_instance_arn": "j"}) == ["replication_instance_arn"]
    params = {"migration_type": "full-load", "table_mappings": {"rules": [1]}, "replication_task_settings": {"A": 1}}
    assert dms_task.modifiable_differences(current, params) == ["migration_type", "table_mappings", "replication_task_settings"]
    assert dms_task.modifiable_differences(current, {}) == []


def test_predict_merges_settings():
    current = {"ReplicationTaskSettings": json.dumps({"Logging": {"EnableLogging": False, "Level": 1}}), "Status": "stopped"}
    predicted = dms_task.predict_task(current, {"replication_task_settings": {"Logging": {"EnableLogging": True}}})
    assert json.loads(predicted["ReplicationTaskSettings"]) == {"Logging": {"EnableLogging": True, "Level": 1}}
    new = dms_task.predict_task(None, {"replication_task_identifier": "t", "table_mappings": {"rules": []}})
    assert new["Status"] == "ready" and new["ReplicationTaskArn"] is None and new["TableMappings"] == '{"rules": []}'


@pytest.mark.parametrize("task, expected", [
    ({"Status": "ready"}, "start-replication"),
    ({"Status": "stopped", "ReplicationTaskStartDate": "2025-01-31"}, "resume-processing"),
    ({"Status": "failed", "ReplicationTaskStartDate": "2025-01-31"}, "resume-processing"),
    ({"Status": "stopped"}, "start-replication"),
])
def test_default_start_type(task, expected):
    assert dms_task.default_start_type(task) == expected


def test_conditions():
    assert dms_task.is_gone(None) and not dms_task.is_gone({"Status": "deleting"})
    assert dms_task.is_settled({"Status": "ready"}) and not dms_task.is_settled({"Status": "creating"})
    assert dms_task.is_stopped({"Status": "stopped"}) and not dms_task.is_stopped({"Status": "running"})
    assert dms_task.is_running({"Status": "running"})
    assert dms_task.is_running({"Status": "stopped", "StopReason": "Stop Reason FULL_LOAD_ONLY_FINISHED"})
    assert not dms_task.is_running({"Status": "stopped", "StopReason": "Stop Reason NORMAL"})
    for condition in (dms_task.is_settled, dms_task.is_running):
        with pytest.raises(dms_task.DmsTaskError, match="disappeared"):
            condition(None)
    with pytest.raises(dms_task.DmsTaskError, match="failed to start: DMS gave no reason"):
        dms_task.is_running({"Status": "failed", "ReplicationTaskIdentifier": "t"})


def test_wait_polls_until_done_then_times_out_with_the_status(monkeypatch):
    answers = iter([{"ReplicationTaskIdentifier": "t", "Status": "starting"}, {"ReplicationTaskIdentifier": "t", "Status": "running"}])
    monkeypatch.setattr(dms_task, "find_task", lambda client, identifier: next(answers))
    slept = []
    monkeypatch.setattr(dms_task.time, "sleep", slept.append)
    assert dms_task.wait_for_task(None, "t", dms_task.is_running, 60, "run", delay=1)["Status"] == "running"
    assert slept == [1]
    stuck = {"ReplicationTaskIdentifier": "t", "Status": "stopped", "StopReason": "Stop Reason NORMAL"}
    monkeypatch.setattr(dms_task, "find_task", lambda client, identifier: stuck)
    with pytest.raises(dms_task.DmsTaskError) as error:
        dms_task.wait_for_task(None, "t", dms_task.is_running, 0, "run")
    assert error.value.message.startswith("Timed out after 0 seconds waiting for replication task t to run (its status is stopped")
    monkeypatch.setattr(dms_task, "find_task", lambda client, identifier: None)
    with pytest.raises(dms_task.DmsTaskError, match="its status is gone"):
        dms_task.wait_for_task(None, "t", lambda task: False, 0, "appear")
