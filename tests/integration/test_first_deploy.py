# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The first deploy on a new account, against a stand-in as strict as AWS there.

On a new account ECS cannot assume its service-linked role until AWSServiceRoleForECS exists
(the stand-in's ``ecs-service-linked-role`` fix refuses CreateService until then): the ecs role
creates that role and Application Auto Scaling's ECS role before the cluster. The deploy then
passes playbooks/verify.yml, which checks the ALB's own 5xx alarm too. The preflight's F11 looks
the DMS roles up instead of claiming they are missing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import boto3
import pytest

from standin_support import BIN, CTL, ROOT, standin_calls, start_standin, stop_standin  # pylint: disable=import-error

SLR_MISSING = "Unable to assume the service linked role. Please verify that the ECS service linked role exists."
DMS_WITHOUT_ROLE_CREATION = ["-e", "dms_enabled=true", "-e", "security_create_dms_roles=false"]


def _playbook(env, playbook, *extra):
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook, "-i", os.path.join(ROOT, "inventories", "local"), *extra]
    run_env = dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                   ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=900, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture(scope="module", name="fresh")
def fixture_fresh(tmp_path_factory):
    """A second private stand-in on which nothing is deployed: a new account."""
    env, endpoint = start_standin(tmp_path_factory.mktemp("fresh"))
    yield env, endpoint
    stop_standin(env)


@pytest.fixture(scope="module", name="deployed")
def fixture_deployed(local_stack):
    """The shared local stack (conftest.py): its first deploy was an AWX-style job on a new stand-in."""
    first = local_stack["first"]
    return local_stack["env"], local_stack["endpoint"], first["rc"], first["stdout"] + first["output"], local_stack["extra_vars"]


def test_first_deploy_creates_the_service_linked_roles_before_the_service(deployed):
    endpoint, rc, log = deployed[1:4]
    assert rc == 0, log[-4000:]
    assert SLR_MISSING not in log
    names = {role["RoleName"] for role in _client("iam", endpoint).list_roles(PathPrefix="/aws-service-role/")["Roles"]}
    assert {"AWSServiceRoleForECS", "AWSServiceRoleForApplicationAutoScaling_ECSService"} <= names
    services = _client("ecs", endpoint).list_services(cluster="payments-local-cluster")["serviceArns"]
    assert [arn.rsplit("/", 1)[-1] for arn in services] == ["payments-local-app"]


def test_first_deploy_alarms_on_the_albs_own_5xx_and_verify_checks_it(deployed):
    env, endpoint, rc, log, extra_vars = deployed
    assert rc == 0, log[-4000:]
    alarms = _client("cloudwatch", endpoint).describe_alarms(AlarmNamePrefix="payments-local-alb-")["MetricAlarms"]
    watched = {alarm["MetricName"]: alarm["AlarmName"] for alarm in alarms}
    assert watched.get("HTTPCode_ELB_5XX_Count") == "payments-local-alb-elb-5xx"
    assert watched.get("HTTPCode_Target_5XX_Count") == "payments-local-alb-5xx"
    # verify with the job's extra vars (generated password mode), as an AWX verify template would run.
    rc, log = _playbook(env, "playbooks/verify.yml", "-e", json.dumps(extra_vars))
    assert rc == 0, log[-4000:]
    assert "Check that the generated master secret exists, encrypted with the data key" in log
    assert "Check that the 5xx alarms watch both the targets' 5xx and the ALB's own 5xx" in log


def test_verify_fails_on_a_resource_changed_out_of_band_naming_what_it_expected(deployed):
    """Verify can fail: a log group whose retention was changed behind the platform's back is refused by name."""
    env, endpoint, rc, log, extra_vars = deployed
    assert rc == 0, log[-4000:]
    logs = _client("logs", endpoint)
    group = "/payments/local/ecs/app"
    before = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["retentionInDays"]
    changed = 14 if before != 14 else 30
    logs.put_retention_policy(logGroupName=group, retentionInDays=changed)
    try:
        rc, log = _playbook(env, "playbooks/verify.yml", "-e", json.dumps(extra_vars))
    finally:
        logs.put_retention_policy(logGroupName=group, retentionInDays=before)
    assert rc != 0, log[-4000:]
    assert f"Expected log group {group} with retention {before} days" in log, log[-4000:]
    assert "payments.aws_platform.ecs : Check the log group" in log, log[-4000:]


def test_preflight_without_dms_looks_up_no_iam_role(fresh):
    env = fresh[0]
    subprocess.run(CTL + ["reset-calls"], env=env, check=True)
    rc, log = _playbook(env, "playbooks/preflight.yml")
    assert rc == 0, log[-4000:]
    assert ("iam", "GetRole") not in {(call["service"], call["action"]) for call in standin_calls(env)}


def test_preflight_with_dms_off_makes_no_dms_call(fresh):
    """dms_enabled false: the DMS version and class are not checked, so no DMS read permission is needed."""
    env = fresh[0]
    subprocess.run(CTL + ["reset-calls"], env=env, check=True)
    rc, log = _playbook(env, "playbooks/preflight.yml", "-e", "dms_enabled=false")
    assert rc == 0, log[-4000:]
    assert "DMS off (dms_enabled false)" in log
    services = {call["service"] for call in standin_calls(env)}
    assert "dms" not in services and "rds" in services, services


def test_preflight_f11_refuses_dms_roles_it_looked_up_and_did_not_find(fresh):
    env = fresh[0]
    subprocess.run(CTL + ["reset-calls"], env=env, check=True)
    rc, log = _playbook(env, "playbooks/preflight.yml", *DMS_WITHOUT_ROLE_CREATION)
    assert rc != 0
    assert "the account lacks the IAM role(s) dms-vpc-role and dms-cloudwatch-logs-role" in log, log[-4000:]
    assert ("iam", "GetRole") in {(call["service"], call["action"]) for call in standin_calls(env)}
    assert standin_calls(env, mutating_only=True) == []


def test_preflight_f11_passes_when_the_account_has_the_dms_roles(fresh):
    env, endpoint = fresh
    iam = _client("iam", endpoint)
    trust = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
    for name in ("dms-vpc-role", "dms-cloudwatch-logs-role"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
    try:
        rc, log = _playbook(env, "playbooks/preflight.yml", "-v", *DMS_WITHOUT_ROLE_CREATION)
    finally:
        for name in ("dms-vpc-role", "dms-cloudwatch-logs-role"):
            iam.delete_role(RoleName=name)
    assert "lacks the IAM role" not in log, log[-4000:]
    assert rc == 0, log[-4000:]
    # The preflight module looked the roles up (iam:GetRole) and F11 passed on what it found, not skipped.
    assert re.search(r'"rule": "F11", "severity": "error", "status": "pass"', log), log[-4000:]


def test_first_deploy_without_the_service_linked_role_step_fails(fresh):
    env, endpoint = fresh
    rc, log = _playbook(env, "site.yml", "-e", "ecs_create_service_linked_roles=false", "-e", "ecs__slr_retry_delay=1")
    services = _client("ecs", endpoint).list_services(cluster="payments-local-cluster")["serviceArns"]
    assert rc != 0
    assert SLR_MISSING in log, log[-4000:]
    assert "Create or update the service in the subnets of tier private" in log
    assert services == []


# --- The outputs file, read as a consumer would (roles/outputs/README.md documents its keys) ---

def _documented_output_keys():
    """Every key of the table under "## Keys" of roles/outputs/README.md (its first column)."""
    with open(os.path.join(ROOT, "roles", "outputs", "README.md"), encoding="utf-8") as handle:
        section = handle.read().split("## Keys", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return sorted({key for row in rows for key in re.findall(r"`([a-z0-9_]+)`", row)})


def test_the_outputs_file_has_every_documented_key_and_each_names_a_live_resource(local_stack):
    assert local_stack["first"]["rc"] == 0 and local_stack["second"]["rc"] == 0
    endpoint = local_stack["endpoint"]
    with open(os.path.join(local_stack["extra_vars"]["outputs_dir"], "local", "flat-outputs.json"), encoding="utf-8") as handle:
        text = handle.read()
    outputs = json.loads(text)
    documented = _documented_output_keys()
    assert len(documented) > 60, documented
    assert [key for key in documented if key not in outputs] == []
    assert local_stack["password"] and local_stack["password"] not in text
    assert outputs["environment"] == "local" and outputs["region"] == "us-east-1" and outputs["name_suffix"] == "local"

    ec2 = _client("ec2", endpoint)
    vpc = ec2.describe_vpcs(VpcIds=[outputs["vpc_id"]])["Vpcs"][0]
    assert vpc["CidrBlock"] == outputs["vpc_cidr"]
    subnets = ec2.describe_subnets(SubnetIds=outputs["public_subnet_ids"] + outputs["private_subnet_ids"] + outputs["isolated_subnet_ids"])
    assert {s["VpcId"] for s in subnets["Subnets"]} == {outputs["vpc_id"]}
    assert [next(s["AvailabilityZone"] for s in subnets["Subnets"] if s["SubnetId"] == i) for i in outputs["private_subnet_ids"]] == \
        outputs["availability_zones"]
    cluster = _client("rds", endpoint).describe_db_clusters(DBClusterIdentifier=outputs["aurora_cluster_identifier"])["DBClusters"][0]
    assert (cluster["DBClusterArn"], cluster["Endpoint"], cluster["ReaderEndpoint"], cluster["Port"], cluster["EngineVersion"]) == (
        outputs["aurora_cluster_arn"], outputs["aurora_writer_endpoint"], outputs["aurora_reader_endpoint"], outputs["aurora_port"],
        outputs["aurora_engine_version"])
    balancer = _client("elbv2", endpoint).describe_load_balancers(LoadBalancerArns=[outputs["alb_arn"]])["LoadBalancers"][0]
    assert balancer["DNSName"] == outputs["alb_dns_name"]
    service = _client("ecs", endpoint).describe_services(cluster=outputs["ecs_cluster_name"], services=[outputs["ecs_service_name"]])
    assert service["services"][0]["taskDefinition"] == outputs["ecs_task_definition_arn"]
    assert service["services"][0]["clusterArn"] == outputs["ecs_cluster_arn"]
    task = _client("dms", endpoint).describe_replication_tasks(
        Filters=[{"Name": "replication-task-arn", "Values": [outputs["dms_replication_task_arn"]]}])["ReplicationTasks"][0]
    assert (task["ReplicationInstanceArn"], task["SourceEndpointArn"], task["TargetEndpointArn"]) == (
        outputs["dms_replication_instance_arn"], outputs["dms_source_endpoint_arn"], outputs["dms_target_endpoint_arn"])
    assert _client("s3", endpoint).head_bucket(Bucket=outputs["txlog_bucket"])["ResponseMetadata"]["HTTPStatusCode"] == 200
    plan = _client("backup", endpoint).get_backup_plan(BackupPlanId=outputs["backup_plan_id"])
    assert plan["BackupPlanArn"] == outputs["backup_plan_arn"]
    kms = _client("kms", endpoint)
    assert {kms.describe_key(KeyId=outputs[key])["KeyMetadata"]["KeyState"] for key in ("data_key_arn", "logs_key_arn")} == {"Enabled"}
    assert _client("secretsmanager", endpoint).describe_secret(SecretId=outputs["aurora_secret_arn"])["ARN"] == outputs["aurora_secret_arn"]
    assert _client("sns", endpoint).get_topic_attributes(TopicArn=outputs["alerts_topic_arn"])["Attributes"]["TopicArn"] == \
        outputs["alerts_topic_arn"]
