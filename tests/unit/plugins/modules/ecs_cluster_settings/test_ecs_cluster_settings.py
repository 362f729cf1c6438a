# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""payments.aws_platform.ecs_cluster_settings against moto (Container Insights and tags)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from ansible_collections.payments.aws_platform.plugins.modules import ecs_cluster_settings as module

NAME = "payments-test-cluster"


@pytest.fixture(name="ecs")
def fixture_ecs(aws_credentials):  # pylint: disable=unused-argument
    with mock_aws():
        client = boto3.client("ecs", region_name="us-east-1")
        client.create_cluster(clusterName=NAME, tags=[{"key": "Old", "value": "1"}])
        yield client


def _described(client):
    return client.describe_clusters(clusters=[NAME], include=["SETTINGS", "TAGS"])["clusters"][0]


def test_enables_container_insights_and_tags_then_changes_nothing(ecs, run_module):
    args = {"name": NAME, "settings": {"containerInsights": "enabled"}, "tags": {"Environment": "test"}}
    first = run_module(module, args, diff=True)
    assert first["changed"] is True
    assert first["diff"]["before"]["tags"] == {"Old": "1"} and first["diff"]["after"]["tags"] == {"Environment": "test"}
    cluster = _described(ecs)
    assert {s["name"]: s["value"] for s in cluster["settings"]}["containerInsights"] == "enabled"
    assert cluster["tags"] == [{"key": "Environment", "value": "test"}]
    assert run_module(module, args)["changed"] is False


def test_purge_tags_false_keeps_other_tags(ecs, run_module):
    result = run_module(module, {"name": NAME, "tags": {"Environment": "test"}, "purge_tags": False})
    assert result["changed"] is True and result["tags"] == {"Old": "1", "Environment": "test"}
    assert {t["key"] for t in _described(ecs)["tags"]} == {"Old", "Environment"}


def test_check_mode_changes_nothing(ecs, run_module):
    result = run_module(module, {"name": NAME, "settings": {"containerInsights": "enabled"}, "tags": {"Old": "1"}}, check_mode=True)
    assert result["changed"] is True
    assert {s["name"]: s["value"] for s in _described(ecs).get("settings", [])}.get("containerInsights") != "enabled"


def test_missing_cluster_is_refused_clearly(ecs, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {"name": "nope"})
    assert result["failed"] and "ECS cluster nope does not exist or is not ACTIVE" in result["msg"]


def test_api_errors_fail_with_a_sentence(ecs, run_module, monkeypatch):  # pylint: disable=unused-argument
    real_client = module.AnsibleAWSModule.client

    def client(self, service, retry_decorator=None):
        made = real_client(self, service, retry_decorator=retry_decorator)
        stubber = Stubber(made)
        stubber.add_client_error("describe_clusters", service_error_code="AccessDeniedException", http_status_code=400)
        stubber.activate()
        return made

    monkeypatch.setattr(module.AnsibleAWSModule, "client", client)
    result = run_module(module, {"name": NAME})
    assert result["failed"] and result["msg"].startswith(f"Could not read or update the settings and tags of ECS cluster {NAME}")


def test_enhanced_container_insights_is_not_downgraded_to_enabled(ecs, run_module):
    ecs.update_cluster(cluster=NAME, settings=[{"name": "containerInsights", "value": "enhanced"}])
    result = run_module(module, {"name": NAME, "settings": {"containerInsights": "enabled"}}, diff=True)
    assert result["changed"] is False
    assert result["settings"]["containerInsights"] == "enhanced"
    assert {s["name"]: s["value"] for s in _described(ecs)["settings"]}["containerInsights"] == "enhanced"


@pytest.mark.parametrize("current, wanted, changes", [
    ({}, {"containerInsights": "enabled"}, {"containerInsights": "enabled"}),
    ({"containerInsights": "enabled"}, {"containerInsights": "enhanced"}, {"containerInsights": "enhanced"}),
    ({"containerInsights": "enhanced"}, {"containerInsights": "enabled"}, {}),
    ({"containerInsights": "enhanced"}, {"containerInsights": "disabled"}, {"containerInsights": "disabled"}),
    ({"containerInsights": "disabled"}, {"containerInsights": "enabled"}, {"containerInsights": "enabled"}),
])
def test_setting_changes_only_what_is_neither_set_nor_satisfied(current, wanted, changes):
    assert module.setting_changes(current, wanted) == changes


def test_enabled_on_a_cluster_with_insights_disabled_is_updated(ecs, run_module):
    ecs.update_cluster(cluster=NAME, settings=[{"name": "containerInsights", "value": "disabled"}])
    assert run_module(module, {"name": NAME, "settings": {"containerInsights": "enabled"}})["changed"] is True
    assert {s["name"]: s["value"] for s in _described(ecs)["settings"]}["containerInsights"] == "enabled"


def test_tags_unset_leaves_the_cluster_tags_alone(ecs, run_module):
    result = run_module(module, {"name": NAME, "settings": {"containerInsights": "enabled"}})
    assert result["tags"] == {"Old": "1"}
    assert _described(ecs)["tags"] == [{"key": "Old", "value": "1"}]
    assert run_module(module, {"name": NAME, "purge_tags": True})["changed"] is False


def test_empty_tags_with_purge_removes_them(ecs, run_module):
    result = run_module(module, {"name": NAME, "tags": {}})
    assert result["changed"] is True and result["tags"] == {}
    assert not _described(ecs).get("tags")


def test_purge_tags_defaults_to_true_as_in_amazon_aws(ecs, run_module):  # pylint: disable=unused-argument
    result = run_module(module, {"name": NAME, "resource_tags": {"Environment": "test"}})
    assert result["changed"] is True and result["tags"] == {"Environment": "test"}
