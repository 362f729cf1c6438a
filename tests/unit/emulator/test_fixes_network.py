# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The network fixes of the stand-in: managed services' network interfaces linger and hold their network."""

from __future__ import annotations

import os
import sys
import time

import boto3
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "emulator"))

import fixes  # noqa: E402  pylint: disable=wrong-import-position

moto = pytest.importorskip("moto")
# Long enough that a loaded 2-core machine makes the refused call before the interfaces go (0.5 s was not, once).
LINGER = 1.5


@pytest.fixture(name="aws")
def fixture_aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("EMULATOR_RDS_CLUSTER_CREATE_SECONDS", "0")
    monkeypatch.setenv("EMULATOR_ENI_LINGER_SECONDS", str(LINGER))
    fixes.apply_all()
    fixes.apply_all()  # applying twice wraps once
    with moto.mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
                   for i, z in ((1, "a"), (2, "b"))]
        group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc)["GroupId"]
        yield ec2, vpc, subnets, group


def _enis(ec2, vpc):
    return ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkInterfaces"]


def _refused(call):
    with pytest.raises(Exception) as refused:  # noqa: B017  botocore ClientError of any client
        call()
    return refused.value.response["Error"]["Code"], refused.value.response["Error"]["Message"]


def _network_deletes_refused_then_allowed(ec2, vpc, subnets, group):
    assert _refused(lambda: ec2.delete_security_group(GroupId=group)) == ("DependencyViolation", f"resource {group} has a dependent object")
    assert _refused(lambda: ec2.delete_subnet(SubnetId=subnets[0])) == (
        "DependencyViolation", f"The subnet '{subnets[0]}' has dependencies and cannot be deleted.")
    time.sleep(LINGER + 0.1)
    assert _enis(ec2, vpc) == []
    ec2.delete_security_group(GroupId=group)
    for subnet in subnets:
        ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_vpc(VpcId=vpc)


def test_load_balancer_interfaces_linger_after_deletion(aws):
    ec2, vpc, subnets, group = aws
    elb = boto3.client("elbv2", region_name="us-east-1")
    arn = elb.create_load_balancer(Name="payments-alb", Subnets=subnets, SecurityGroups=[group])["LoadBalancers"][0]["LoadBalancerArn"]
    enis = _enis(ec2, vpc)
    assert sorted(e["SubnetId"] for e in enis) == sorted(subnets)
    assert {(e["Description"], e["RequesterManaged"], e["RequesterId"], e["InterfaceType"]) for e in enis} == {
        (f"ELB app/payments-alb/{arn.split('/')[-1]}", True, "amazon-elb", "interface")}
    assert _refused(lambda: ec2.delete_vpc(VpcId=vpc))[0] == "DependencyViolation"
    elb.delete_load_balancer(LoadBalancerArn=arn)
    assert len(_enis(ec2, vpc)) == 2  # still there right after the deletion
    _network_deletes_refused_then_allowed(ec2, vpc, subnets, group)


def test_db_instance_interface_holds_its_subnet_group(aws):
    ec2, vpc, subnets, group = aws
    rds = boto3.client("rds", region_name="us-east-1")
    rds.create_db_subnet_group(DBSubnetGroupName="payments-db", DBSubnetGroupDescription="d", SubnetIds=subnets)
    rds.create_db_cluster(DBClusterIdentifier="c", Engine="aurora-postgresql", MasterUsername="u", MasterUserPassword="password1234",
                          DBSubnetGroupName="payments-db", VpcSecurityGroupIds=[group])
    rds.create_db_instance(DBInstanceIdentifier="c-1", DBClusterIdentifier="c", Engine="aurora-postgresql", DBInstanceClass="db.serverless")
    assert [(e["Description"], e["RequesterId"]) for e in _enis(ec2, vpc)] == [("RDSNetworkInterface", "amazon-rds")]
    rds.delete_db_instance(DBInstanceIdentifier="c-1", SkipFinalSnapshot=True)
    rds.delete_db_cluster(DBClusterIdentifier="c", SkipFinalSnapshot=True)
    assert _refused(lambda: rds.delete_db_subnet_group(DBSubnetGroupName="payments-db"))[0] == "InvalidDBSubnetGroupStateFault"
    time.sleep(LINGER + 0.1)
    rds.delete_db_subnet_group(DBSubnetGroupName="payments-db")
    assert _enis(ec2, vpc) == []


def test_replication_instance_interface_holds_its_subnet_group(aws, monkeypatch):
    ec2, vpc, subnets, group = aws
    monkeypatch.setenv("EMULATOR_DMS_ROLE_PROPAGATION_SECONDS", "0")
    iam = boto3.client("iam", region_name="us-east-1")
    iam.create_role(RoleName="dms-vpc-role", AssumeRolePolicyDocument="{}")
    dms = boto3.client("dms", region_name="us-east-1")
    dms.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="payments-dms", ReplicationSubnetGroupDescription="d",
                                        SubnetIds=subnets)
    arn = dms.create_replication_instance(ReplicationInstanceIdentifier="payments-dms", ReplicationInstanceClass="dms.t3.medium",
                                          ReplicationSubnetGroupIdentifier="payments-dms",
                                          VpcSecurityGroupIds=[group])["ReplicationInstance"]["ReplicationInstanceArn"]
    assert [e["Description"] for e in _enis(ec2, vpc)] == ["DMSNetworkInterface"]
    dms.delete_replication_instance(ReplicationInstanceArn=arn)
    assert _refused(lambda: dms.delete_replication_subnet_group(ReplicationSubnetGroupIdentifier="payments-dms"))[0] == "InvalidResourceStateFault"
    time.sleep(LINGER + 0.1)
    dms.delete_replication_subnet_group(ReplicationSubnetGroupIdentifier="payments-dms")


def test_fargate_service_tasks_have_interfaces_until_the_service_is_deleted(aws):
    ec2, vpc, subnets, group = aws
    boto3.client("iam", region_name="us-east-1").create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    ecs = boto3.client("ecs", region_name="us-east-1")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="t", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                 containerDefinitions=[{"name": "app", "image": "nginx"}])
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=2, launchType="FARGATE",
                       networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group]}})
    enis = _enis(ec2, vpc)
    assert len(enis) == 2 and all(e["Description"].startswith("arn:aws:ecs:us-east-1:") for e in enis)
    ecs.update_service(cluster="c", service="s", desiredCount=1)
    time.sleep(LINGER + 0.1)
    assert len(_enis(ec2, vpc)) == 1
    ecs.update_service(cluster="c", service="s", desiredCount=0)
    ecs.delete_service(cluster="c", service="s")
    assert len(_enis(ec2, vpc)) == 1  # the last task's interface lingers
    _network_deletes_refused_then_allowed(ec2, vpc, subnets, group)


def test_a_load_balanced_service_registers_its_running_tasks_as_healthy_targets(aws):
    ec2, vpc, subnets, group = aws
    boto3.client("iam", region_name="us-east-1").create_service_linked_role(AWSServiceName="ecs.amazonaws.com")
    elbv2, ecs = boto3.client("elbv2", region_name="us-east-1"), boto3.client("ecs", region_name="us-east-1")
    target_group = elbv2.create_target_group(Name="tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="t", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                 containerDefinitions=[{"name": "app", "image": "nginx", "portMappings": [{"containerPort": 8080}]}])

    def targets():
        health = elbv2.describe_target_health(TargetGroupArn=target_group)["TargetHealthDescriptions"]
        return sorted((t["Target"]["Id"], t["Target"]["Port"], t["TargetHealth"]["State"]) for t in health)

    def task_addresses():
        return sorted(e["PrivateIpAddress"] for e in _enis(ec2, vpc) if e["Status"] == "in-use")

    assert targets() == []
    ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=2, launchType="FARGATE",
                       loadBalancers=[{"targetGroupArn": target_group, "containerName": "app", "containerPort": 8080}],
                       networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group]}})
    addresses = task_addresses()
    assert len(addresses) == 2
    assert targets() == [(address, 8080, "healthy") for address in addresses]
    ecs.update_service(cluster="c", service="s", desiredCount=1)
    kept = targets()
    assert len(kept) == 1 and kept[0][0] in addresses and kept[0][2] == "healthy"
    ecs.update_service(cluster="c", service="s", desiredCount=0)
    ecs.delete_service(cluster="c", service="s")
    assert targets() == []


def test_a_one_off_task_releases_its_interface_once_stopped(aws):
    ec2, vpc, subnets, group = aws
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # moto's RunTask needs the interface's DNS name
    ecs = boto3.client("ecs", region_name="us-east-1")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="t", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                 containerDefinitions=[{"name": "app", "image": "nginx", "memory": 512}])
    task = ecs.run_task(cluster="c", taskDefinition="t", launchType="FARGATE",
                        networkConfiguration={"awsvpcConfiguration": {"subnets": subnets[:1], "securityGroups": [group]}})["tasks"][0]
    enis = _enis(ec2, vpc)
    assert [(e["RequesterManaged"], e["Description"].startswith("arn:aws:ecs:us-east-1:")) for e in enis] == [(True, True)]
    time.sleep(LINGER + 0.1)
    assert len(_enis(ec2, vpc)) == 1  # a running task keeps its interface
    for _attempt in range(10):
        if ecs.describe_tasks(cluster="c", tasks=[task["taskArn"]])["tasks"][0]["lastStatus"] == "STOPPED":
            break
    assert ecs.describe_tasks(cluster="c", tasks=[task["taskArn"]])["tasks"][0]["lastStatus"] == "STOPPED"
    assert len(_enis(ec2, vpc)) == 1  # it lingers a while after the task stopped
    _network_deletes_refused_then_allowed(ec2, vpc, subnets, group)


def test_other_interfaces_keep_moto_bookkeeping(aws):
    ec2, vpc, subnets, group = aws
    eni = ec2.create_network_interface(SubnetId=subnets[0], Groups=[group])["NetworkInterface"]["NetworkInterfaceId"]
    assert [e["NetworkInterfaceId"] for e in _enis(ec2, vpc)] == [eni]
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnets[0])


def test_a_deleted_nat_gateway_releases_its_interface(aws):
    ec2, vpc, subnets, group = aws
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnets[0], AllocationId=allocation)["NatGateway"]["NatGatewayId"]
    assert [(e["Description"], e["RequesterManaged"]) for e in _enis(ec2, vpc)] == [(f"Interface for NAT Gateway {nat}", True)]
    ec2.delete_nat_gateway(NatGatewayId=nat)
    assert _refused(lambda: ec2.delete_subnet(SubnetId=subnets[0]))[0] == "DependencyViolation"
    time.sleep(LINGER + 0.1)
    assert _enis(ec2, vpc) == []
    ec2.release_address(AllocationId=allocation)
    ec2.delete_subnet(SubnetId=subnets[0])
