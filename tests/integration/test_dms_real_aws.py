# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the first DMS deploy meets on a real account, reproduced by the stand-in (tests/emulator/fixes_dms.py).

* The migration-mysql example's endpoints, routes and connection tests (fixes
  dms-mysql-endpoint-no-database-name, dms-test-connection-reachability) are checked on the
  examples' deployment, in test_examples.py.
* DMS refuses a dms-vpc-role for a few seconds after CreateRole (fix dms-vpc-role-propagation):
  the subnet group creation is retried on that error.
"""

from __future__ import annotations

import os
import re
import subprocess

import boto3
import pytest

from standin_support import BIN, CTL, ROOT  # pylint: disable=import-error

REGION = "us-east-2"
PROPAGATION_SECONDS = "4"


@pytest.fixture(scope="module", name="standin")
def fixture_standin(tmp_path_factory):
    """A private stand-in whose DMS refuses a new dms-vpc-role for PROPAGATION_SECONDS."""
    state = str(tmp_path_factory.mktemp("dms-real-aws"))
    env = dict(os.environ, EMULATOR_STATE_DIR=state, EMULATOR_DMS_ROLE_PROPAGATION_SECONDS=PROPAGATION_SECONDS,
               ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_HOME=os.path.join(ROOT, ".ansible"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    endpoint = subprocess.run(CTL + ["start"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    yield env, endpoint
    subprocess.run(CTL + ["stop"], env=env, check=False, capture_output=True)


def _playbook(standin, playbook, *args, inventory):
    env, endpoint = standin
    cmd = [os.path.join(BIN, "ansible-playbook"), playbook, "-i", inventory, "-e", f"platform_aws_endpoint_url={endpoint}",
           "-e", "platform_aws_access_key=testing", "-e", "platform_aws_secret_key=testing", *args]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _client(standin, service, region=REGION):
    return boto3.client(service, endpoint_url=standin[1], region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")


def _failed(output):
    """The failed tasks' names and messages, for an assertion message."""
    lines, task = [], ""
    for line in output.splitlines():
        if line.startswith("TASK ["):
            task = line
        elif line.startswith(("fatal:", "failed:")):
            lines.extend([task, line])
    return "\n".join(lines)[-3000:]


# --- IAM propagation ---------------------------------------------------------------------------------
PROPAGATION_PLAY = """
- name: Create dms-vpc-role, then the DMS subnet group at once
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/payments.aws_platform.aws_platform: {region: us-east-1, endpoint_url: "{{ endpoint }}", access_key: testing, secret_key: testing}
  vars:
    platform_env: propagation
    platform_name_suffix: prop
    platform_region: us-east-1
    platform_tags: {}
    dms_iam_propagation_delay: 1
  tasks:
    - name: Create a VPC
      amazon.aws.ec2_vpc_net: {name: prop, cidr_block: 10.61.0.0/16}
      register: vpc
    - name: Create two subnets
      amazon.aws.ec2_vpc_subnet: {vpc_id: "{{ vpc.vpc.id }}", cidr: "10.61.{{ item }}.0/24", az: "us-east-1{{ 'ab'[item] }}"}
      loop: [0, 1]
      register: subnets
    - name: Create dms-vpc-role (DMS refuses it for a few seconds)
      amazon.aws.iam_role:
        name: dms-vpc-role
        assume_role_policy_document:
          Version: "2012-10-17"
          Statement: [{Effect: Allow, Principal: {Service: dms.amazonaws.com}, Action: "sts:AssumeRole"}]
        managed_policies: []
        create_instance_profile: false
    - name: Read the inputs every tier shares (the name prefix)
      ansible.builtin.include_role:
        name: payments.aws_platform.platform
        tasks_from: inputs
        public: true
    - name: Create the subnet group as the dms role does
      ansible.builtin.include_role:
        name: payments.aws_platform.dms
        tasks_from: subnet_group.yml
      vars:
        network__out: {private_subnet_ids: "{{ subnets.results | map(attribute='subnet.id') | list }}"}
"""


def test_a_new_dms_vpc_role_is_retried_until_dms_accepts_it(standin, tmp_path):
    play = tmp_path / "propagation.yml"
    play.write_text(PROPAGATION_PLAY)
    rc, output = _playbook(standin, str(play), "-e", f"endpoint={standin[1]}", "-c", "local", "-e", "ansible_python_interpreter=" + os.path.join(BIN, "python"),
                           inventory="localhost,")
    assert rc == 0, _failed(output) or output[-3000:]
    # ansible-core 2.21 names the role in the retry line ("payments.aws_platform.dms : Create ..."); 2.19 does not.
    assert re.search(r"FAILED - RETRYING: \[localhost\]: (payments\.aws_platform\.dms : )?Create the replication subnet group", output), output[-3000:]
    groups = _client(standin, "dms", "us-east-1").describe_replication_subnet_groups()["ReplicationSubnetGroups"]
    assert [g["ReplicationSubnetGroupIdentifier"] for g in groups] == ["payments-prop-dms"]
