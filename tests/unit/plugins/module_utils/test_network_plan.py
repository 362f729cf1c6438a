# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.payments.aws_platform.plugins.module_utils.network_plan import PlanError
from ansible_collections.payments.aws_platform.plugins.module_utils.network_plan import subnet_plan


def test_two_az_plan_gives_one_subnet_per_tier_per_az():
    assert subnet_plan("10.40.0.0/16", 2) == {
        "public": ["10.40.0.0/24", "10.40.1.0/24"],
        "private": ["10.40.4.0/24", "10.40.5.0/24"],
        "isolated": ["10.40.8.0/24", "10.40.9.0/24"],
    }


def test_growing_to_three_azs_never_renumbers_existing_subnets():
    two, three = subnet_plan("10.40.0.0/16", 2), subnet_plan("10.40.0.0/16", "3")
    for tier, cidrs in two.items():
        assert three[tier][:2] == cidrs
        assert len(three[tier]) == 3


def test_explicit_cidrs_replace_a_tier():
    plan = subnet_plan("10.40.0.0/16", 2, explicit={"private": ["10.40.100.0/24", "10.40.101.0/24"], "public": []})
    assert plan["private"] == ["10.40.100.0/24", "10.40.101.0/24"]
    assert plan["public"] == ["10.40.0.0/24", "10.40.1.0/24"]


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("10.0.0.0/33", 2), {}, "network_vpc_cidr: '10.0.0.0/33' is not a valid IPv4 network CIDR"),
        (("banana", 2), {}, "network_vpc_cidr: 'banana' is not a valid IPv4 network CIDR"),
        (("10.0.0.1/16", 2), {}, "has host bits set"),
        (("10.0.0.0/8", 2), {}, "network_vpc_cidr: '10.0.0.0/8' has prefix /8; AWS VPCs accept /16 to /24"),
        (("10.0.0.0/16", 5), {}, "network_az_count: 5 is not supported; choose one of [2, 3]"),
        (("10.0.0.0/16", "many"), {}, "network_az_count: None is not supported"),
        (("10.0.0.0/16", 2), {"newbits": 3}, "network_subnet_newbits: 3 leaves 8 subnets"),
        (("10.0.0.0/24", 2), {"newbits": 8}, "network_subnet_newbits: 8 gives /32 subnets"),
        (("10.0.0.0/16", 2), {"explicit": {"data": ["10.0.0.0/24"]}}, "network_subnet_cidrs: unknown tier 'data'"),
        (("10.0.0.0/16", 2), {"explicit": {"private": ["10.0.40.0/24"]}}, "network_subnet_cidrs.private: 1 CIDRs given for network_az_count 2"),
        (
            ("10.0.0.0/16", 2),
            {"explicit": {"private": ["10.0.0.0/24", "10.0.41.0/24"]}},
            "network_subnet_cidrs.private[0]: 10.0.0.0/24 overlaps network_subnet_cidrs.public[0] 10.0.0.0/24",
        ),
        (("10.0.0.0/16", 2), {"explicit": {"private": ["10.1.0.0/24", "10.0.41.0/24"]}}, "10.1.0.0/24 is outside network_vpc_cidr 10.0.0.0/16"),
        (("10.0.0.0/16", 2), {"explicit": {"private": ["10.0.0.0/29x", "10.0.41.0/24"]}}, "network_subnet_cidrs.private[0]: '10.0.0.0/29x' is not a valid"),
        (("10.0.0.0/16", 2), {"explicit": {"private": ["10.0.64.0/30", "10.0.41.0/24"]}}, "has prefix /30; AWS subnets accept /16 to /28"),
    ],
)
def test_bad_network_input_is_refused_with_the_variable_named(args, kwargs, message):
    with pytest.raises(PlanError) as err:
        subnet_plan(*args, **kwargs)
    assert message in str(err.value)
