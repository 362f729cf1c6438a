# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.dms_replication_task against moto, and with botocore Stubber where moto deviates.

moto 5.2.5 deviations handled here (never in the module):
- a created task stays ``creating`` forever; AWS moves it to ``ready``: the ``moto_ready`` fixture restores that.
- ModifyReplicationTask, AddTagsToResource and RemoveTagsFromResource are not implemented: Stubber.
- StartReplicationTask makes a task ``running`` at once and full-load tasks never finish: Stubber for
  ``FULL_LOAD_ONLY_FINISHED``.
"""

from __future__ import annotations

import datetime
import json

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from moto.dms.models import FakeReplicationTask

from ansible_collections.payments.aws_platform.plugins.module_utils import dms_task
from ansible_collections.payments.aws_platform.plugins.modules import dms_replication_task as module

IDENTIFIER = "payments-test-ledger"
SOURCE = "arn:aws:dms:us-east-1:123456789012:endpoint:SOURCE"
TARGET = "arn:aws:dms:us-east-1:123456789012:endpoint:TARGET"
INSTANCE = "arn:aws:dms:us-east-1:123456789012:rep:INSTANCE"
ARN = "arn:aws:dms:us-east-1:123456789012:task:RANDOMID"
MAPPINGS = {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "all",
                       "object-locator": {"schema-name": "ledger", "table-name": "%"}, "rule-action": "include"}]}
BASE = {
    "replication_task_identifier": IDENTIFIER,
    "source_endpoint_arn": SOURCE,
    "target_endpoint_arn": TARGET,
    "replication_instance_arn": INSTANCE,
    "migration_type": "full-load-and-cdc",
    "table_mappings": MAPPINGS,
}


@pytest.fixture(autouse=True)
def fast_polls(monkeypatch):
    monkeypatch.setattr(dms_task, "POLL_DELAY", 0)
    monkeypatch.setattr(dms_task.time, "sleep", lambda seconds: None)


@pytest.fixture(name="moto_ready")
def fixture_moto_ready(monkeypatch):
    """AWS moves a new task from creating to ready; moto never does. Here the first describe after creation does."""
    original = FakeReplicationTask.to_dict

    def to_dict(self):
        described = original(self)
        if self.status == "creating":
            self.status = "ready"
        return described

    monkeypatch.setattr(FakeReplicationTask, "to_dict", to_dict)


@pytest.fixture(name="dms")
def fixture_dms(aws_credentials, moto_ready):  # pylint: disable=unused-argument
    with mock_aws():
        yield boto3.client("dms", region_name="us-east-1")


def _task(dms):
    tasks = dms.describe_replication_tasks(Filters=[{"Name": "replication-task-id", "Values": [IDENTIFIER]}])["ReplicationTasks"]
    return tasks[0] if tasks else None


def test_creates_then_changes_nothing_with_reordered_mappings(dms, run_module):
    first = run_module(module, dict(BASE, tags={"Team": "payments"}), diff=True)
    assert first["changed"] is True
    task = first["replication_task"]
    assert task["status"] == "ready" and task["table_mappings"] == MAPPINGS and task["tags"] == {"Team": "payments"}
    assert task["replication_task_arn"] == _task(dms)["ReplicationTaskArn"]
    assert first["diff"]["before"] == {} and first["diff"]["after"]["migration_type"] == "full-load-and-cdc"
    reordered = {"rules": [dict(reversed(list(MAPPINGS["rules"][0].items())))]}
    again = run_module(module, dict(BASE, table_mappings=reordered, tags={"Team": "payments"}))
    assert again["changed"] is False


def test_check_mode_predicts_creation_and_changes_nothing(dms, run_module):
    result = run_module(module, dict(BASE, state="running"), check_mode=True)
    assert result["changed"] is True
    assert result["replication_task"]["replication_task_arn"] is None
    assert result["replication_task"]["status"] == "running"
    assert _task(dms) is None


def test_missing_creation_options_are_named(dms, run_module):
    result = run_module(module, {"replication_task_identifier": IDENTIFIER, "table_mappings": MAPPINGS})
    assert result["failed"]
    assert "does not exist; to create it, set source_endpoint_arn, target_endpoint_arn, replication_instance_arn, migration_type" in result["msg"]


def test_running_starts_then_is_idempotent_and_stopped_stops(dms, run_module):
    started = run_module(module, dict(BASE, state="running", cdc_start_time="2025-01-31T12:00:00Z"))
    assert started["changed"] is True and started["replication_task"]["status"] == "running"
    assert run_module(module, dict(BASE, state="running"))["changed"] is False
    checked = run_module(module, dict(BASE, state="stopped"), check_mode=True)
    assert checked["changed"] is True and checked["replication_task"]["status"] == "stopped"
    assert _task(dms)["Status"] == "running"
    stopped = run_module(module, dict(BASE, state="stopped"))
    assert stopped["changed"] is True and stopped["replication_task"]["status"] == "stopped"
    assert run_module(module, {"replication_task_identifier": IDENTIFIER, "state": "stopped"})["changed"] is False


def test_running_without_wait_does_not_poll(dms, run_module):
    result = run_module(module, dict(BASE, state="running", wait=False))
    assert result["changed"] is True and _task(dms)["Status"] == "running"


def test_endpoint_change_is_refused_as_needing_replacement(dms, run_module):
    run_module(module, BASE)
    result = run_module(module, dict(BASE, target_endpoint_arn=TARGET + "2"))
    assert result["failed"] and "target_endpoint_arn is" in result["msg"] and "delete it (state: absent)" in result["msg"]


def test_modifying_a_running_task_is_refused_without_allow_stop_for_modify(dms, run_module):
    run_module(module, dict(BASE, state="running"))
    result = run_module(module, dict(BASE, migration_type="cdc"))
    assert result["failed"]
    assert result["msg"].startswith(
        f"replication task {IDENTIFIER} is running; stop it first (state: stopped) or set allow_stop_for_modify: true"
    )
    assert _task(dms)["Status"] == "running"


def test_absent_stops_and_deletes_then_changes_nothing(dms, run_module):
    run_module(module, dict(BASE, state="running"))
    checked = run_module(module, {"replication_task_identifier": IDENTIFIER, "state": "absent"}, check_mode=True)
    assert checked["changed"] is True and _task(dms) is not None
    deleted = run_module(module, {"replication_task_identifier": IDENTIFIER, "state": "absent"}, diff=True)
    assert deleted["changed"] is True and deleted["replication_task"] == {}
    assert deleted["diff"]["after"] == {} and deleted["diff"]["before"]["status"] == "running"
    assert _task(dms) is None
    assert run_module(module, {"replication_task_identifier": IDENTIFIER, "state": "absent"})["changed"] is False


def test_invalid_cdc_start_time_is_refused_before_any_change(dms, run_module):
    result = run_module(module, dict(BASE, cdc_start_time="yesterday"))
    assert result["failed"] and "is not an ISO 8601 time" in result["msg"]
    assert _task(dms) is None


def test_create_wait_times_out_with_a_clear_message(aws_credentials, run_module, monkeypatch):  # pylint: disable=unused-argument
    # The task stays creating, like a slow AWS creation: moto's own describe, without the stand-in's
    # creating -> ready fix (which other tests in the session may have applied).
    from moto.dms import models  # pylint: disable=import-outside-toplevel
    from moto.dms.utils import filter_tasks  # pylint: disable=import-outside-toplevel

    def describe_without_progress(self, filters, max_records):  # pylint: disable=unused-argument
        return filter_tasks(list(self.replication_tasks.values()), filters)

    monkeypatch.setattr(models.DatabaseMigrationServiceBackend, "describe_replication_tasks", describe_without_progress)
    with mock_aws():
        result = run_module(module, dict(BASE, wait_timeout=0))
    assert result["failed"]
    assert result["msg"].startswith(f"Timed out after 0 seconds waiting for replication task {IDENTIFIER} to be created")
    assert "its status is creating" in result["msg"]


# Stubber: ModifyReplicationTask, the tagging API and full-load completion.


def _raw(status="ready", **extra):
    task = {
        "ReplicationTaskIdentifier": IDENTIFIER,
        "ReplicationTaskArn": ARN,
        "SourceEndpointArn": SOURCE,
        "TargetEndpointArn": TARGET,
        "ReplicationInstanceArn": INSTANCE,
        "MigrationType": "full-load-and-cdc",
        "TableMappings": json.dumps(MAPPINGS),
        "ReplicationTaskSettings": json.dumps({"Logging": {"EnableLogging": False}, "TargetMetadata": {"LobMaxSize": 32}}),
        "Status": status,
    }
    task.update(extra)
    return task


FILTER = {"Filters": [{"Name": "replication-task-id", "Values": [IDENTIFIER]}]}


class Script:
    """A stubbed DMS client whose calls are declared in order."""

    def __init__(self, monkeypatch):
        self.stubber = None
        self.calls = []
        real_client = module.AnsibleAWSModule.client

        def client(this, service, retry_decorator=None):
            made = real_client(this, service, retry_decorator=retry_decorator)
            self.stubber = Stubber(made)
            for method, response, params in self.calls:
                if isinstance(response, str):
                    self.stubber.add_client_error(method, service_error_code=response, http_status_code=400)
                else:
                    self.stubber.add_response(method, response, params)
            self.stubber.activate()
            return made

        monkeypatch.setattr(module.AnsibleAWSModule, "client", client)

    def describe(self, *tasks):
        self.calls.append(("describe_replication_tasks", {"ReplicationTasks": list(tasks)}, FILTER))
        return self

    def tags(self, tags=None):
        tag_list = [{"Key": k, "Value": v} for k, v in (tags or {}).items()]
        self.calls.append(("list_tags_for_resource", {"TagList": tag_list}, {"ResourceArn": ARN}))
        return self

    def call(self, method, response, params=None):
        self.calls.append((method, response, params))
        return self


@pytest.fixture(name="script")
def fixture_script(aws_credentials, monkeypatch):  # pylint: disable=unused-argument
    return Script(monkeypatch)


def test_settings_compare_only_given_keys_and_modify_sends_the_difference(script, run_module):
    settings = {"Logging": {"EnableLogging": True}}
    modified = _raw(ReplicationTaskSettings=json.dumps({"Logging": {"EnableLogging": True}, "TargetMetadata": {"LobMaxSize": 32}}))
    expected = {"ReplicationTaskArn": ARN, "ReplicationTaskSettings": json.dumps(settings, sort_keys=True)}
    script.describe(_raw()).tags()
    script.call("modify_replication_task", {"ReplicationTask": _raw("modifying")}, expected)
    script.describe(_raw("modifying")).describe(modified).describe(modified).tags()
    result = run_module(module, {"replication_task_identifier": IDENTIFIER, "replication_task_settings": settings}, diff=True)
    assert result["changed"] is True
    assert result["replication_task"]["replication_task_settings"]["Logging"] == {"EnableLogging": True}
    assert result["diff"]["before"]["replication_task_settings"]["Logging"] == {"EnableLogging": False}
    script.stubber.assert_no_pending_responses()


def test_unchanged_settings_subset_is_not_modified(script, run_module):
    script.describe(_raw()).tags().describe(_raw()).tags()
    result = run_module(module, {"replication_task_identifier": IDENTIFIER, "replication_task_settings": {"TargetMetadata": {"LobMaxSize": 32}}})
    assert result["changed"] is False


def test_check_mode_predicts_the_modification(script, run_module):
    script.describe(_raw("stopped")).tags()
    result = run_module(module, dict(BASE, migration_type="cdc", replication_task_settings={"Logging": {"EnableLogging": True}}), check_mode=True)
    assert result["changed"] is True
    task = result["replication_task"]
    assert task["migration_type"] == "cdc" and task["replication_task_settings"]["TargetMetadata"] == {"LobMaxSize": 32}
    script.stubber.assert_no_pending_responses()


def test_allow_stop_for_modify_stops_modifies_and_resumes(script, run_module):
    started = datetime.datetime(2025, 1, 31, 12, tzinfo=datetime.timezone.utc)
    running = _raw("running", ReplicationTaskStartDate=started)
    stopped = _raw("stopped", ReplicationTaskStartDate=started)
    script.describe(running).tags()
    script.call("stop_replication_task", {"ReplicationTask": _raw("stopping")}, {"ReplicationTaskArn": ARN})
    script.describe(stopped)
    script.call("modify_replication_task", {"ReplicationTask": _raw("modifying")}, {"ReplicationTaskArn": ARN, "MigrationType": "cdc"})
    script.describe(_raw("stopped", MigrationType="cdc", ReplicationTaskStartDate=started))
    script.call("start_replication_task", {"ReplicationTask": _raw("starting", MigrationType="cdc")},
                {"ReplicationTaskArn": ARN, "StartReplicationTaskType": "resume-processing"})
    script.describe(_raw("running", MigrationType="cdc"))
    script.describe(_raw("running", MigrationType="cdc")).tags()
    result = run_module(module, dict(BASE, migration_type="cdc", allow_stop_for_modify=True, state="running"))
    assert result["changed"] is True and result["replication_task"]["status"] == "running"
    script.stubber.assert_no_pending_responses()


def test_check_mode_allow_stop_for_modify_predicts_running(script, run_module):
    script.describe(_raw("running")).tags()
    result = run_module(module, dict(BASE, migration_type="cdc", allow_stop_for_modify=True), check_mode=True)
    assert result["changed"] is True and result["replication_task"]["status"] == "running"


def test_full_load_finished_counts_as_running(script, run_module):
    finished = _raw("stopped", MigrationType="full-load", StopReason="Stop Reason FULL_LOAD_ONLY_FINISHED",
                    ReplicationTaskStartDate=datetime.datetime(2025, 1, 31, tzinfo=datetime.timezone.utc))
    script.describe(finished).tags().describe(finished).tags()
    result = run_module(module, dict(BASE, migration_type="full-load", state="running"))
    assert result["changed"] is False and result["replication_task"]["stop_reason"].endswith("FULL_LOAD_ONLY_FINISHED")


def test_full_load_start_waits_until_the_load_finished(script, run_module):
    finished = _raw("stopped", MigrationType="full-load", StopReason="Stop Reason FULL_LOAD_ONLY_FINISHED")
    script.describe(_raw(MigrationType="full-load")).tags()
    script.call("start_replication_task", {"ReplicationTask": _raw("starting", MigrationType="full-load")},
                {"ReplicationTaskArn": ARN, "StartReplicationTaskType": "start-replication", "CdcStartPosition": "mysql-bin.000024:373"})
    script.describe(_raw("starting", MigrationType="full-load")).describe(finished).describe(finished).tags()
    result = run_module(module, dict(BASE, migration_type="full-load", state="running", cdc_start_position="mysql-bin.000024:373"))
    assert result["changed"] is True and result["replication_task"]["status"] == "stopped"
    script.stubber.assert_no_pending_responses()


def test_failed_start_reports_the_dms_reason(script, run_module):
    script.describe(_raw()).tags()
    script.call("start_replication_task", {"ReplicationTask": _raw("starting")})
    script.describe(_raw("failed", LastFailureMessage="Error connecting to source"))
    result = run_module(module, dict(BASE, state="running"))
    assert result["failed"] and result["msg"] == f"replication task {IDENTIFIER} failed to start: Error connecting to source"


def test_starting_task_is_waited_for_and_transient_status_settles(script, run_module):
    script.describe(_raw("starting")).tags().describe(_raw("running")).describe(_raw("running")).tags()
    assert run_module(module, dict(BASE, state="running"))["changed"] is False
    script.calls.clear()
    script.describe(_raw("modifying")).tags().describe(_raw("running")).describe(_raw("running")).tags()
    assert run_module(module, dict(BASE, state="running"))["changed"] is False


def test_starting_task_without_wait(script, run_module):
    script.describe(_raw("starting")).tags().describe(_raw("starting")).tags()
    assert run_module(module, dict(BASE, state="running", wait=False))["changed"] is False


def test_stopping_a_starting_task_waits_for_it_first(script, run_module):
    script.describe(_raw("starting")).tags().describe(_raw("running"))
    script.call("stop_replication_task", {"ReplicationTask": _raw("stopping")}, {"ReplicationTaskArn": ARN})
    script.describe(_raw("stopped")).describe(_raw("stopped")).tags()
    assert run_module(module, dict(BASE, state="stopped"))["changed"] is True
    script.stubber.assert_no_pending_responses()


def test_tags_are_added_and_purged(script, run_module):
    script.describe(_raw()).tags({"Old": "x", "Team": "payments"})
    script.call("remove_tags_from_resource", {}, {"ResourceArn": ARN, "TagKeys": ["Old"]})
    script.call("add_tags_to_resource", {}, {"ResourceArn": ARN, "Tags": [{"Key": "Env", "Value": "test"}]})
    script.describe(_raw()).tags({"Team": "payments", "Env": "test"})
    result = run_module(module, {"replication_task_identifier": IDENTIFIER, "tags": {"Team": "payments", "Env": "test"}})
    assert result["changed"] is True and result["replication_task"]["tags"] == {"Team": "payments", "Env": "test"}
    script.stubber.assert_no_pending_responses()


def test_check_mode_predicts_tags_without_calls(script, run_module):
    script.describe(_raw()).tags({"Old": "x"})
    result = run_module(module, {"replication_task_identifier": IDENTIFIER, "tags": {"New": "y"}, "purge_tags": False}, check_mode=True)
    assert result["changed"] is True and result["replication_task"]["tags"] == {"Old": "x", "New": "y"}


def test_deleting_task_is_waited_for(script, run_module):
    script.describe(_raw("deleting")).tags()
    script.call("describe_replication_tasks", "ResourceNotFoundFault", FILTER)
    assert run_module(module, {"replication_task_identifier": IDENTIFIER, "state": "absent"})["changed"] is True
    script.stubber.assert_no_pending_responses()


def test_delete_of_vanished_task_and_no_wait(script, run_module):
    script.describe(_raw()).tags()
    script.call("delete_replication_task", "ResourceNotFoundFault", {"ReplicationTaskArn": ARN})
    assert run_module(module, {"replication_task_identifier": IDENTIFIER, "state": "absent"})["changed"] is True
    script.calls.clear()
    script.describe(_raw()).tags()
    script.call("delete_replication_task", {"ReplicationTask": _raw("deleting")}, {"ReplicationTaskArn": ARN})
    assert run_module(module, {"replication_task_identifier": IDENTIFIER, "state": "absent", "wait": False})["changed"] is True


def test_api_errors_fail_with_a_sentence(script, run_module):
    script.call("describe_replication_tasks", "AccessDeniedFault", FILTER)
    result = run_module(module, {"replication_task_identifier": IDENTIFIER})
    assert result["failed"] and result["msg"].startswith(f"Unable to look up replication task {IDENTIFIER}")
