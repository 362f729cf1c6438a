# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault helpers: kill a converge at its n-th task, and find duplicated resources through the AWS API."""

from __future__ import annotations

import collections
import os
import signal
import subprocess

import boto3

from standin_support import BIN, ROOT  # pylint: disable=import-error

# Resource types that carry their own unique name (a second one cannot exist): not checked.
UNIQUE_BY_NAME = ("iam", "s3", "secretsmanager", "sns", "logs", "kms")


def playbook_command(playbook, inventory="local", *extra):
    return [os.path.join(BIN, "ansible-playbook"), playbook, "-i", os.path.join(ROOT, "inventories", inventory), *extra]


def run_env(env):
    return dict(env, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
                ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PYTHONUNBUFFERED="1")


def run_and_kill_at_task(env, task_number, playbook="site.yml"):
    """Run ``playbook`` and SIGKILL it (and its workers) when its ``task_number``-th task starts.

    Returns (killed, the name of the task it was killed in, the output so far).
    """
    proc = subprocess.Popen(  # pylint: disable=consider-using-with
        playbook_command(playbook), cwd=ROOT, env=run_env(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    seen, lines, task = 0, [], ""
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("TASK ["):
            seen += 1
            task = line.strip()
            if seen == task_number:
                os.killpg(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=120)
    proc.stdout.close()
    return seen == task_number, task, "".join(lines)


def duplicates(endpoint, environment, region="us-east-1"):
    """Live resources tagged Environment=<environment> that share a type and a Name tag with another."""
    tagging = boto3.client("resourcegroupstaggingapi", endpoint_url=endpoint, region_name=region,
                           aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
    groups = collections.defaultdict(list)
    pages = tagging.get_paginator("get_resources").paginate(TagFilters=[{"Key": "Environment", "Values": [environment]}])
    for page in pages:
        for mapping in page["ResourceTagMappingList"]:
            arn = mapping["ResourceARN"]
            service = arn.split(":")[2]
            name = {t["Key"]: t["Value"] for t in mapping.get("Tags", [])}.get("Name")
            if service in UNIQUE_BY_NAME or not name:
                continue
            kind = arn.split(":", 5)[5].split("/", 1)[0].split(":", 1)[0]
            if kind == "natgateway":
                state = ec2.describe_nat_gateways(NatGatewayIds=[arn.rsplit("/", 1)[1]])["NatGateways"][0]["State"]
                if state in ("deleted", "deleting", "failed"):
                    continue
            groups[(service, kind, name)].append(arn)
    return {key: arns for key, arns in groups.items() if len(arns) > 1}
