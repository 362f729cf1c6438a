# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in's latency mode (EMULATOR_LATENCY): slow resources stay in AWS's intermediate states on a clock."""

from __future__ import annotations

import os
import sys
import time

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position
import fixes_lifecycle  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")

REGION = "us-east-1"
SCALE = "1/200"
# Each test scales its kind's duration to this many seconds of wall clock.
WINDOW = 2


@pytest.fixture(name="latency")
def fixture_latency(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv(fixes_lifecycle.LATENCY_VARIABLE, SCALE)
    monkeypatch.delenv(fixes_lifecycle.FAST_FORWARD_VARIABLE, raising=False)
    fixes.apply_all()
    with moto.mock_aws():
        yield


def _seconds(kind):
    return fixes_lifecycle.DURATIONS[kind].seconds * fixes_lifecycle.scale()


def _window(monkeypatch, kind):
    """Scale so that ``kind`` stays in its intermediate state for WINDOW seconds."""
    monkeypatch.setenv(fixes_lifecycle.LATENCY_VARIABLE, f"{WINDOW}/{fixes_lifecycle.DURATIONS[kind].seconds}")


def _await(read, want, kind):
    """``read()`` answers the pending state now and ``want`` once the kind's scaled duration has passed."""
    deadline = time.time() + _seconds(kind) + 2
    first = read()
    assert first == fixes_lifecycle.DURATIONS[kind].pending, first
    while time.time() < deadline:
        if read() == want:
            return
        time.sleep(0.1)
    raise AssertionError(f"{kind} still {read()} after {_seconds(kind) + 2:.1f} s")


def test_the_scale_reads_fractions_and_on_and_refuses_a_negative(monkeypatch):
    for raw, want in (("1/60", 1 / 60), ("on", 1 / 60), ("0.5", 0.5), ("off", 0.0), ("", 0.0)):
        monkeypatch.setenv(fixes_lifecycle.LATENCY_VARIABLE, raw)
        assert fixes_lifecycle.scale() == pytest.approx(want)
    monkeypatch.setenv(fixes_lifecycle.LATENCY_VARIABLE, "-1")
    with pytest.raises(ValueError, match="EMULATOR_LATENCY=-1"):
        fixes_lifecycle.scale()


def test_every_duration_names_its_source_and_states():
    for kind, duration in fixes_lifecycle.DURATIONS.items():
        assert duration.kind == kind and duration.seconds > 0 and duration.pending != duration.ready
        assert "https://docs.aws.amazon.com/" in duration.source


def test_a_nat_gateway_is_pending_then_available(latency, monkeypatch):
    _window(monkeypatch, "nat_gateway")
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    _await(lambda: ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"][0]["State"], "available", "nat_gateway")


def test_an_aurora_instance_is_creating_then_available(latency, monkeypatch):
    _window(monkeypatch, "rds_cluster")
    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password1234")
    _await(lambda: rds.describe_db_clusters(DBClusterIdentifier="c")["DBClusters"][0]["Status"], "available", "rds_cluster")
    _window(monkeypatch, "rds_instance")
    rds.create_db_instance(DBInstanceIdentifier="i", DBClusterIdentifier="c", Engine="aurora-postgresql", DBInstanceClass="db.serverless")
    _await(lambda: rds.describe_db_instances(DBInstanceIdentifier="i")["DBInstances"][0]["DBInstanceStatus"], "available", "rds_instance")


def test_a_load_balancer_is_provisioning_then_active(latency, monkeypatch):
    _window(monkeypatch, "load_balancer")
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"]
               for i, z in ((1, "a"), (2, "b"))]
    elb = boto3.client("elbv2", region_name=REGION)
    arn = elb.create_load_balancer(Name="lb", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    _await(lambda: elb.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]["State"]["Code"], "active", "load_balancer")


def test_a_dms_replication_instance_is_creating_then_available(latency, monkeypatch):
    _window(monkeypatch, "dms_replication_instance")
    dms = boto3.client("dms", region_name=REGION)
    dms.create_replication_instance(ReplicationInstanceIdentifier="ri", ReplicationInstanceClass="dms.t3.medium")

    def status():
        return dms.describe_replication_instances(Filters=[{"Name": "replication-instance-id", "Values": ["ri"]}])[
            "ReplicationInstances"][0]["ReplicationInstanceStatus"]

    _await(status, "available", "dms_replication_instance")


def test_an_ecs_deployment_is_in_progress_then_completed(latency, monkeypatch):
    _window(monkeypatch, "ecs_deployment")
    boto3.client("iam", region_name=REGION).create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="f", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="f", desiredCount=1)

    def rollout():
        return ecs.describe_services(cluster="c", services=["s"])["services"][0]["deployments"][0]["rolloutState"]

    _await(rollout, "COMPLETED", "ecs_deployment")


def test_fast_forward_skips_to_ready_only_when_the_same_read_repeats(latency, monkeypatch):
    """One read answering pending is not a wait; the same read again, with nothing in between, is."""
    monkeypatch.setenv(fixes_lifecycle.FAST_FORWARD_VARIABLE, "1")
    monkeypatch.setenv(fixes_lifecycle.LATENCY_VARIABLE, "1")
    clock = fixes_lifecycle.CLOCK
    born = clock.born("nat_gateway", "nat-0ff")
    skipped = clock.skipped

    def read(action, body=b"nat-0ff pending", pause=True, state=True):
        if pause:
            time.sleep(fixes_lifecycle.POLL_GAP_SECONDS)
        clock.begin_call()
        answer = state and clock.pending("nat_gateway", born, "nat-0ff")
        clock.end_call(action, False, body)
        return answer

    assert read("DescribeNatGateways") is True
    clock.begin_call()
    clock.end_call("CreateRouteTable", True, b"rtb-1")  # a change in between: the next read is a first read again
    assert clock.skipped == skipped
    assert read("DescribeNatGateways") is True
    assert read("DescribeNatGateways", pause=False) is True  # back to back: a module comparing, not a waiter polling
    assert clock.skipped == skipped
    read("DescribeTags", b"nat-0ff", state=False)  # a read that answers nothing pending may come between two polls
    assert read("DescribeNatGateways") is True
    assert clock.skipped == pytest.approx(skipped + 180, abs=4)  # less the seconds the pauses took
    assert read("DescribeNatGateways") is False
    report = clock.report()
    assert report["fast_forward"] and report["skipped"] == clock.skipped
    assert any(item["id"] == "nat-0ff" for item in report["resources"])


def test_off_by_default_moto_answers_at_once(monkeypatch):
    monkeypatch.delenv(fixes_lifecycle.LATENCY_VARIABLE, raising=False)
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    fixes.apply_all()
    with moto.mock_aws():
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
        eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
        nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip)["NatGateway"]["NatGatewayId"]
        assert ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"][0]["State"] == "available"
