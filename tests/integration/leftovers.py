# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""List what an environment left behind, by discovering it through the AWS API.

    python tests/integration/leftovers.py --endpoint URL --environment local --suffix local \
        --region us-east-1 --region us-west-2

Prints one line per live resource and exits 1 when there is any. Resources that AWS only
schedules for deletion (KMS keys pending deletion, secrets in their recovery window), NAT
gateways in state ``deleted`` (AWS lists them for about an hour) and INACTIVE ECS clusters,
services and task definitions are reported as scheduled, not live. Discovery is by the Environment tag (Resource Groups Tagging API) plus the name suffix for
services that API does not cover here (IAM roles, DMS, Backup vaults, log groups).
"""

from __future__ import annotations

import argparse
import sys

import boto3


def _client(service, endpoint, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def _scheduled(arn, endpoint, region):
    """Why a tagged resource counts as already going away, or None when it is live."""
    if ":kms:" in arn:
        state = _client("kms", endpoint, region).describe_key(KeyId=arn)["KeyMetadata"]["KeyState"]
        return f"key {state}" if state in ("PendingDeletion", "PendingReplicaDeletion") else None
    if ":secretsmanager:" in arn:
        secret = _client("secretsmanager", endpoint, region).describe_secret(SecretId=arn)
        return "secret in its recovery window" if secret.get("DeletedDate") else None
    if ":natgateway/" in arn:
        nat_id = arn.rsplit("/", 1)[1]
        nats = _client("ec2", endpoint, region).describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"]
        return "NAT gateway deleted" if nats and nats[0]["State"] in ("deleted", "deleting") else None
    if ":ecs:" in arn:
        return _ecs_inactive(arn, _client("ecs", endpoint, region))
    return None


def _ecs_inactive(arn, ecs):
    """ECS keeps deleted clusters and services, and deregistered task definitions, visible as INACTIVE."""
    kind = arn.split(":", 5)[5].split("/", 1)[0]
    if kind == "cluster":
        status = ecs.describe_clusters(clusters=[arn])["clusters"][0]["status"]
    elif kind == "service":
        cluster = arn.split("/")[1]
        status = ecs.describe_services(cluster=cluster, services=[arn])["services"][0]["status"]
    elif kind == "task-definition":
        status = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]["status"]
    else:
        return None
    return f"ECS {kind} {status}" if status in ("INACTIVE", "DELETE_IN_PROGRESS") else None


def find(endpoint, environment, suffix, regions, prefix="payments"):
    """(live, scheduled): lists of 'region resource' strings."""
    live, scheduled = [], []
    name = f"{prefix}-{suffix}"
    for region in regions:
        tagging = _client("resourcegroupstaggingapi", endpoint, region)
        pages = tagging.get_paginator("get_resources").paginate(TagFilters=[{"Key": "Environment", "Values": [environment]}])
        for page in pages:
            for mapping in page["ResourceTagMappingList"]:
                arn = mapping["ResourceARN"]
                if arn.startswith("arn:aws:s3:::") and f":{region}:" not in arn and region != regions[0]:
                    continue  # S3 is global: report buckets once
                why = _scheduled(arn, endpoint, region)
                (scheduled if why else live).append(f"{region} {arn}" + (f" ({why})" if why else ""))
        dms = _client("dms", endpoint, region)
        for item in dms.describe_replication_instances().get("ReplicationInstances", []):
            if item["ReplicationInstanceIdentifier"].startswith(name):
                live.append(f"{region} dms instance {item['ReplicationInstanceIdentifier']}")
        for item in dms.describe_endpoints().get("Endpoints", []):
            if item["EndpointIdentifier"].startswith(name):
                live.append(f"{region} dms endpoint {item['EndpointIdentifier']}")
        for item in dms.describe_replication_tasks().get("ReplicationTasks", []):
            if item["ReplicationTaskIdentifier"].startswith(name):
                live.append(f"{region} dms task {item['ReplicationTaskIdentifier']}")
        for item in _client("backup", endpoint, region).list_backup_vaults().get("BackupVaultList", []):
            if item["BackupVaultName"].startswith(name):
                live.append(f"{region} backup vault {item['BackupVaultName']}")
        for item in _client("logs", endpoint, region).describe_log_groups().get("logGroups", []):
            if name in item["logGroupName"]:
                live.append(f"{region} log group {item['logGroupName']}")
    for role in _client("iam", endpoint, regions[0]).list_roles()["Roles"]:
        if role["RoleName"].startswith(name):
            live.append(f"iam role {role['RoleName']}")
    return live, scheduled


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--environment", required=True, help="the value of the Environment tag")
    parser.add_argument("--suffix", required=True, help="platform_name_suffix")
    parser.add_argument("--region", action="append", required=True)
    args = parser.parse_args(argv)
    live, scheduled = find(args.endpoint, args.environment, args.suffix, args.region)
    for line in scheduled:
        print(f"scheduled: {line}")
    for line in live:
        print(f"LIVE: {line}")
    print(f"{len(live)} live resource(s) tagged Environment={args.environment} / named payments-{args.suffix}-*")
    return 1 if live else 0


if __name__ == "__main__":
    sys.exit(main())
