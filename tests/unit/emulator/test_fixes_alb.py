# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ALB fixes of the stand-in restore these AWS behaviours."""

from __future__ import annotations

import os
import sys

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")


@pytest.fixture(name="elbv2")
def fixture_elbv2(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
                   for i, z in enumerate("ab")]
        yield boto3.client("elbv2", region_name="us-east-1"), subnets


def _attributes(client, arn):
    return {a["Key"]: a["Value"] for a in client.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}


def test_new_application_lb_reports_every_default_attribute(elbv2):
    client, subnets = elbv2
    arn = client.create_load_balancer(Name="alb", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    attributes = _attributes(client, arn)
    assert attributes["access_logs.s3.enabled"] == "false"
    assert attributes["idle_timeout.timeout_seconds"] == "60"
    assert attributes["routing.http.desync_mitigation_mode"] == "defensive"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "false"
    assert attributes["routing.http2.enabled"] == "true"
    assert attributes["load_balancing.cross_zone.enabled"] == "true"


def test_modified_application_lb_attributes_are_reported(elbv2):
    client, subnets = elbv2
    arn = client.create_load_balancer(Name="alb", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    client.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[
        {"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "access_logs.s3.bucket", "Value": "logs"},
        {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
    ])
    attributes = _attributes(client, arn)
    assert (attributes["access_logs.s3.enabled"], attributes["access_logs.s3.bucket"], attributes["idle_timeout.timeout_seconds"]) == (
        "true", "logs", "120")
    assert attributes["routing.http2.enabled"] == "true"


def test_network_lb_attributes_are_left_alone(elbv2):
    client, subnets = elbv2
    arn = client.create_load_balancer(Name="nlb", Subnets=subnets, Type="network")["LoadBalancers"][0]["LoadBalancerArn"]
    attributes = _attributes(client, arn)
    assert "routing.http2.enabled" not in attributes
    assert attributes["load_balancing.cross_zone.enabled"] == "false"
