# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: network_subnet_plan
short_description: Derive and validate per-tier, per-AZ subnet CIDRs
version_added: 0.1.0
author: Payments Platform Team (@payments-platform)
description:
  - Splits O(_input) (the VPC CIDR) into public, private (app) and isolated (data) subnets, one per AZ.
  - Each tier owns a block of four subnet slots, so growing from 2 to 3 AZs never renumbers a subnet.
  - Explicit CIDRs given in O(explicit) replace the derived ones for that tier.
  - Fails, before any AWS call, with a message naming the variable, the bad value and what is valid, for
    an invalid VPC CIDR, an unsupported AZ count, a CIDR outside the VPC, or overlapping subnets.
options:
  _input:
    description: The VPC CIDR (C(network_vpc_cidr)).
    type: str
    required: true
  az_count:
    description: Number of AZs (C(network_az_count)), 2 or 3.
    type: int
    required: true
  newbits:
    description: Bits added to the VPC prefix for each subnet (C(network_subnet_newbits)).
    type: int
    default: 8
  explicit:
    description: Per-tier CIDR lists that override the derived ones (C(network_subnet_cidrs)).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Plan subnets
  ansible.builtin.set_fact:
    network__plan: "{{ '10.40.0.0/16' | payments.aws_platform.network_subnet_plan(2) }}"
  # network__plan.public == ['10.40.0.0/24', '10.40.1.0/24']
"""

RETURN = r"""
_value:
  description: A dict with keys C(public), C(private) and C(isolated), each a list of CIDRs, one per AZ.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.payments.aws_platform.plugins.module_utils.network_plan import PlanError
from ansible_collections.payments.aws_platform.plugins.module_utils.network_plan import subnet_plan


def network_subnet_plan(vpc_cidr, az_count, newbits=8, explicit=None):
    try:
        return subnet_plan(vpc_cidr, az_count, newbits=newbits, explicit=explicit or {})
    except PlanError as exc:
        raise AnsibleFilterError(str(exc)) from None


class FilterModule:
    """Network planning filters."""

    def filters(self):
        return {"network_subnet_plan": network_subnet_plan}
