# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The app and DMS connect as their own database users, never with the master password (issue 13, item 5).

Reads the shared local stack (conftest.local_stack: inventories/local deployed by an AWX-style job,
generated master password, then re-run). RDS rotates a master secret every 7 days; a copy of the
master password in DMS's endpoint secret or an ECS task's environment breaks at the next rotation.
"""

from __future__ import annotations

import json

import boto3

REGION = "us-east-1"
APP_SECRET, DMS_SECRET = "payments/local/aurora/app", "payments/local/aurora/dms"


def _client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")


def _secret(endpoint, name):
    return json.loads(_client("secretsmanager", endpoint).get_secret_value(SecretId=name)["SecretString"])


def _master_arn(endpoint):
    cluster = _client("rds", endpoint).describe_db_clusters(DBClusterIdentifier="payments-local-aurora")["DBClusters"][0]
    return cluster.get("MasterUserSecret", {}).get("SecretArn") or _client("secretsmanager", endpoint).describe_secret(
        SecretId="payments/local/aurora/master")["ARN"]


def test_each_user_has_its_own_secret_in_the_rotation_format_never_the_master_password(local_stack):
    endpoint = local_stack["endpoint"]
    assert local_stack["first"]["rc"] == 0
    master = _secret(endpoint, "payments/local/aurora/master")
    cluster = _client("rds", endpoint).describe_db_clusters(DBClusterIdentifier="payments-local-aurora")["DBClusters"][0]
    for name, username in ((APP_SECRET, "payments_app"), (DMS_SECRET, "payments_dms")):
        value = _secret(endpoint, name)
        assert value["username"] == username and value["password"] != master["password"]
        assert {k: value[k] for k in ("engine", "host", "port", "dbname")} == {
            "engine": "postgres", "host": cluster["Endpoint"], "port": cluster["Port"], "dbname": "payments"}
        assert value["masterarn"] == _master_arn(endpoint)
        described = _client("secretsmanager", endpoint).describe_secret(SecretId=name)
        assert described["KmsKeyId"].endswith(local_stack_data_key(endpoint)), described["KmsKeyId"]


def local_stack_data_key(endpoint):
    aliases = _client("kms", endpoint).list_aliases()["Aliases"]
    return next(a["TargetKeyId"] for a in aliases if a["AliasName"] == "alias/payments-local-data")


def test_a_second_run_keeps_both_users_passwords(local_stack):
    assert local_stack["second"]["rc"] == 0
    assert local_stack["user_passwords_after_second"] == local_stack["user_passwords"], "a re-run replaced a user's password"


def test_the_app_reads_only_its_own_secret(local_stack):
    endpoint = local_stack["endpoint"]
    ecs = _client("ecs", endpoint)
    service = ecs.describe_services(cluster="payments-local-cluster", services=["payments-local-app"])["services"][0]
    container = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]["containerDefinitions"][0]
    app_arn = _client("secretsmanager", endpoint).describe_secret(SecretId=APP_SECRET)["ARN"]
    assert {s["name"]: s["valueFrom"] for s in container["secrets"]} == {
        "DB_PASSWORD": f"{app_arn}:password::", "DB_USERNAME": f"{app_arn}:username::"}
    assert {"name": "DB_SECRET_ARN", "value": app_arn} in container["environment"]
    iam = _client("iam", endpoint)
    for role in ("payments-local-ecs-task", "payments-local-ecs-execution"):
        policy = json.dumps(iam.get_role_policy(RoleName=role, PolicyName="read-db-secret")["PolicyDocument"])
        assert "aurora/app-??????" in policy and "master" not in policy and "rds!cluster" not in policy, policy


def test_dms_signs_in_as_its_own_user_and_no_copy_of_the_master_password_is_left(local_stack):
    endpoint = local_stack["endpoint"]
    dms = _client("dms", endpoint)
    target = next(e for e in dms.describe_endpoints()["Endpoints"] if e["EndpointType"].lower() == "target")
    settings = target.get("PostgreSQLSettings") or target.get("MySQLSettings") or {}
    secrets = _client("secretsmanager", endpoint)
    assert settings["SecretsManagerSecretId"] in (DMS_SECRET, secrets.describe_secret(SecretId=DMS_SECRET)["ARN"]), settings
    names = [s["Name"] for s in secrets.list_secrets()["SecretList"]]
    assert "payments/local/dms/target" not in names, names


def test_the_bootstrap_ran_once_and_is_recorded_on_the_app_secret(local_stack):
    endpoint = local_stack["endpoint"]
    ecs = _client("ecs", endpoint)
    stopped = ecs.list_tasks(cluster="payments-local-cluster", startedBy="payments-db-bootstrap", desiredStatus="STOPPED")["taskArns"]
    running = ecs.list_tasks(cluster="payments-local-cluster", startedBy="payments-db-bootstrap")["taskArns"]
    assert len(set(stopped + running)) == 1, (stopped, running)
    task = ecs.describe_tasks(cluster="payments-local-cluster", tasks=stopped + running)["tasks"][0]
    assert task["taskDefinitionArn"].split("/")[-1].startswith("payments-local-db-bootstrap:")
    definition = ecs.describe_task_definition(taskDefinition=task["taskDefinitionArn"])["taskDefinition"]
    assert definition["executionRoleArn"].endswith("role/payments-local-db-bootstrap")
    injected = {s["name"] for s in definition["containerDefinitions"][0]["secrets"]}
    assert injected == {"MASTER_USERNAME", "MASTER_PASSWORD", "APP_USERNAME", "APP_PASSWORD", "DMS_USERNAME", "DMS_PASSWORD"}
    tags = {t["Key"]: t["Value"] for t in _client("secretsmanager", endpoint).describe_secret(SecretId=APP_SECRET)["Tags"]}
    assert tags["PaymentsBootstrap"] == "payments_app+payments_dms"
    assert "Run the bootstrap task" not in "".join(
        line for line in local_stack["second"]["stdout"].splitlines() if line.startswith("changed:")), "the re-run bootstrapped again"
