# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One action group, group/payments.aws_platform.aws_platform, carries module_defaults to every AWS module.

meta/runtime.yml extends the collection's group with amazon.aws.aws and community.aws.aws. The play below sets the
stand-in's endpoint only through that group: a module the group did not cover would go to real AWS, which this machine
cannot reach, and fail.
"""

from __future__ import annotations

import os

from standin_support import BIN, ROOT, clean_env, run_ok

PLAY = """
- name: One group reaches every collection's modules
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/payments.aws_platform.aws_platform:
      region: us-east-1
      endpoint_url: "{endpoint}"
      access_key: testing
      secret_key: testing
  tasks:
    - name: amazon.aws
      amazon.aws.aws_caller_info:
      register: caller
    - name: community.aws
      community.aws.sns_topic_info:
      register: topics
    - name: payments.aws_platform
      payments.aws_platform.ec2_vpc_flow_log_info:
      register: flow_logs
    - name: Every module answered from the stand-in
      ansible.builtin.assert:
        that:
          - caller.account is match('^[0-9]{{12}}$')
          - topics.result is defined
          - flow_logs.flow_logs is defined
"""


def test_one_group_covers_amazon_community_and_this_collection(standin, tmp_path):
    env, endpoint = standin
    play = tmp_path / "group.yml"
    play.write_text(PLAY.format(endpoint=endpoint))
    run_env = clean_env(tmp_path, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
                        EMULATOR_STATE_DIR=env["EMULATOR_STATE_DIR"])
    out = run_ok([os.path.join(BIN, "ansible-playbook"), str(play)], run_env)
    assert "failed=0" in out
