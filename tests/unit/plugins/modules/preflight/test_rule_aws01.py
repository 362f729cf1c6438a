# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS01, DEL01, NET02: values outside what AWS accepts, unprotected production, more zones than the region has."""

from __future__ import annotations

import pytest

from ansible_collections.payments.aws_platform.plugins.module_utils import preflight_rules as pr
from role_declarations import effective


def evaluate(config, *args):
    """The rules on ``config`` over the roles' defaults, as playbooks/preflight.yml calls them."""
    return pr.evaluate(effective(config), *args)


def failures(findings):
    return [(f["variable"], f["message"]) for f in findings if f["status"] == "fail"]


@pytest.mark.parametrize("overrides, variable, text", [
    ({"ecs_log_retention_days": 10}, "ecs_log_retention_days",
     "ecs_log_retention_days: 10 is not a retention CloudWatch Logs accepts (nearest: 7 or 14); valid: 1, 3, 5, 7, 14, 30"),
    ({"network_flow_logs_retention_days": 366}, "network_flow_logs_retention_days", "(nearest: 365 or 400)"),
    ({"aurora_log_retention_days": "a month"}, "aurora_log_retention_days", "'a month' is not a retention CloudWatch Logs accepts; valid"),
    ({"aurora_performance_insights_retention_days": 30}, "aurora_performance_insights_retention_days",
     "30 is not a Performance Insights retention; valid: 7 (free), a number of months times 31"),
    ({"aurora_backup_retention_days": 36}, "aurora_backup_retention_days", "36 is outside what RDS accepts; valid: a whole number of days, 1-35"),
    ({"aurora_backup_retention_days": 0}, "aurora_backup_retention_days", "1-35"),
    ({"aurora_serverless_v2_min_capacity": 0.3}, "aurora_serverless_v2_min_capacity",
     "0.3 is not a Serverless v2 capacity; valid: 0-256 ACUs in steps of 0.5"),
    ({"aurora_serverless_v2_max_capacity": 300}, "aurora_serverless_v2_max_capacity", "valid: 1-256 ACUs in steps of 0.5"),
    ({"aurora_serverless_v2_max_capacity": 0.5}, "aurora_serverless_v2_max_capacity", "valid: 1-256 ACUs"),
    ({"ecs_cpu": 256, "ecs_memory": 4096}, "ecs_memory",
     "ecs_memory: 4096 with ecs_cpu 256 is not a Fargate task size; with 256 cpu units Fargate offers 512-2048 MiB (512, 1024, 2048); "
     "4096 MiB goes with ecs_cpu 512 or 1024 or 2048"),
    ({"ecs_cpu": 300}, "ecs_cpu", "ecs_cpu: 300 is not a Fargate cpu value; valid: 256, 512, 1024, 2048, 4096, 8192, 16384"),
    ({"ecs_cpu": 8192, "ecs_memory": 18432}, "ecs_memory", "with 8192 cpu units Fargate offers 16384-61440 MiB"),
])
def test_aws01_refuses_values_aws_rejects(overrides, variable, text):
    found = failures(evaluate(overrides, ["AWS01"]))
    assert any(v == variable and text in m for v, m in found), found


@pytest.mark.parametrize("overrides", [
    {},
    {"ecs_log_retention_days": 30, "network_flow_logs_retention_days": "3653", "aurora_log_retention_days": 1},
    {"aurora_performance_insights_retention_days": 7}, {"aurora_performance_insights_retention_days": 713},
    {"aurora_performance_insights_retention_days": 731},
    {"aurora_backup_retention_days": 35},
    {"aurora_serverless_v2_min_capacity": 0, "aurora_serverless_v2_max_capacity": 256},
    {"aurora_serverless_v2_min_capacity": 0.5, "aurora_serverless_v2_max_capacity": 1.5},
    {"aurora_serverless_v2": False, "aurora_serverless_v2_min_capacity": 0.3},
    {"ecs_cpu": 256, "ecs_memory": 512}, {"ecs_cpu": 4096, "ecs_memory": 30720}, {"ecs_cpu": 16384, "ecs_memory": 122880},
    {"ecs_memory": 2048},
])
def test_aws01_corrected_twins_pass(overrides):
    assert [f["status"] for f in evaluate(overrides, ["AWS01"])] == ["pass"]


def test_aws01_fargate_table_matches_the_published_shape():
    assert sorted(pr.FARGATE_SIZES) == [256, 512, 1024, 2048, 4096, 8192, 16384]
    assert (pr.FARGATE_SIZES[4096][0], pr.FARGATE_SIZES[4096][-1], len(pr.FARGATE_SIZES[4096])) == (8192, 30720, 23)
    assert len(pr.PI_RETENTION_DAYS) == 25 and pr.PI_RETENTION_DAYS[-2] == 713


@pytest.mark.parametrize("name", ["aurora_deletion_protection", "alb_deletion_protection"])
def test_del01_prod_without_protection_refused_unless_accepted(name):
    found = failures(evaluate({"platform_env": "prod", name: False}, ["DEL01"]))
    assert found == [(name, f"{name}: False in environment prod turns deletion protection off; a mistaken delete or teardown "
                            f"would then remove it. Keep it true, or set platform_accept_unprotected_prod: true to accept that")]
    accepted = evaluate({"platform_env": "prod", name: "false", "platform_accept_unprotected_prod": True}, ["DEL01"])
    assert [(f["status"], f["variable"]) for f in accepted] == [("warn", name)]


@pytest.mark.parametrize("config, status", [
    ({"platform_env": "prod", "aurora_deletion_protection": True, "alb_deletion_protection": "True"}, "pass"),
    ({"platform_env": "prod"}, "pass"),
    ({"platform_env": "dev", "aurora_deletion_protection": False}, "skip"),
])
def test_del01_protected_prod_and_other_environments_pass(config, status):
    assert [f["status"] for f in evaluate(config, ["DEL01"])] == [status]


def test_net02_more_zones_than_the_region_has_refused():
    zones = ["eu-south-1a", "eu-south-1b", "eu-south-1c"]
    found = failures(evaluate({"platform_region": "eu-south-1", "network_az_count": 4}, ["NET02"], {"availability_zones": zones}))
    assert found == [("network_az_count", "network_az_count: 4 is more than the 3 available zones of eu-south-1 "
                                          "(eu-south-1a, eu-south-1b, eu-south-1c); valid: 1-3")]
    passed = evaluate({"platform_region": "eu-south-1", "network_az_count": "3"}, ["NET02"], {"availability_zones": zones})
    assert [f["status"] for f in passed] == ["pass"]
    assert [f["status"] for f in evaluate({"network_az_count": 9}, ["NET02"])] == ["skip"]
    assert failures(evaluate({"network_az_count": "two"}, ["NET02"], {"availability_zones": zones}))[0][1].startswith(
        "network_az_count: 'two' is not a whole number")
