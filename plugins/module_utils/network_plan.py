# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Subnet planning for the network role: derive per-tier, per-AZ CIDRs and refuse bad input.

Pure Python (``ipaddress``), no AWS call: used by the ``network_subnet_plan`` filter before
the network role touches anything, and by the preflight rules.
"""

from __future__ import annotations

import ipaddress

TIERS = ("public", "private", "isolated")
AZ_COUNTS = (2, 3)
# Each tier gets a block of SLOTS_PER_TIER subnets so that adding an AZ never renumbers another.
SLOTS_PER_TIER = 4
MIN_VPC_PREFIX = 16
MAX_VPC_PREFIX = 24


class PlanError(ValueError):
    """Bad network input. The message names the variable, the value and what is valid."""


def parse_vpc_cidr(value, variable="network_vpc_cidr"):
    try:
        network = ipaddress.IPv4Network(str(value), strict=True)
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError) as exc:
        raise PlanError(
            f"{variable}: {value!r} is not a valid IPv4 network CIDR ({exc}); "
            f"expected something like '10.20.0.0/16' (host bits zero, prefix /{MIN_VPC_PREFIX} to /{MAX_VPC_PREFIX})"
        ) from None
    if not MIN_VPC_PREFIX <= network.prefixlen <= MAX_VPC_PREFIX:
        raise PlanError(
            f"{variable}: {value!r} has prefix /{network.prefixlen}; AWS VPCs accept /{MIN_VPC_PREFIX} to /{MAX_VPC_PREFIX}"
        )
    return network


def derive_subnets(vpc, az_count, newbits):
    """Carve ``3 tiers x SLOTS_PER_TIER`` subnets of ``vpc.prefixlen + newbits`` and take ``az_count`` per tier."""
    prefix = vpc.prefixlen + newbits
    if prefix > 28:
        raise PlanError(
            f"network_subnet_newbits: {newbits} gives /{prefix} subnets from {vpc}; AWS subnets must be /16 to /28"
        )
    if 2 ** newbits < len(TIERS) * SLOTS_PER_TIER:
        raise PlanError(
            f"network_subnet_newbits: {newbits} leaves {2 ** newbits} subnets in {vpc}; "
            f"at least {len(TIERS) * SLOTS_PER_TIER} are needed (newbits >= 4)"
        )
    subnets = list(vpc.subnets(new_prefix=prefix))
    return {
        tier: [str(subnets[index * SLOTS_PER_TIER + az]) for az in range(az_count)]
        for index, tier in enumerate(TIERS)
    }


def subnet_plan(vpc_cidr, az_count, newbits=8, explicit=None):
    """Return ``{"public": [...], "private": [...], "isolated": [...]}`` or raise PlanError.

    ``explicit`` (``network_subnet_cidrs``) overrides any tier; every CIDR must be valid, inside
    the VPC, and not overlap any other subnet.
    """
    try:
        az_count = int(az_count)
    except (TypeError, ValueError):
        az_count = None
    if az_count not in AZ_COUNTS:
        raise PlanError(f"network_az_count: {az_count!r} is not supported; choose one of {list(AZ_COUNTS)}")
    vpc = parse_vpc_cidr(vpc_cidr)
    plan = derive_subnets(vpc, az_count, int(newbits))
    for tier, cidrs in (explicit or {}).items():
        if tier not in TIERS:
            raise PlanError(f"network_subnet_cidrs: unknown tier {tier!r}; valid tiers are {list(TIERS)}")
        if not cidrs:
            continue
        if len(cidrs) != az_count:
            raise PlanError(
                f"network_subnet_cidrs.{tier}: {len(cidrs)} CIDRs given for network_az_count {az_count}; give exactly one per AZ"
            )
        plan[tier] = [str(cidr) for cidr in cidrs]
    seen = []
    for tier in TIERS:
        for az, cidr in enumerate(plan[tier]):
            where = f"network_subnet_cidrs.{tier}[{az}]"
            network = _parse_subnet(cidr, where)
            if not network.subnet_of(vpc):
                raise PlanError(f"{where}: {cidr} is outside network_vpc_cidr {vpc}; every subnet must lie inside the VPC")
            for other_where, other in seen:
                if network.overlaps(other):
                    raise PlanError(
                        f"{where}: {cidr} overlaps {other_where} {other}; every subnet CIDR must be distinct"
                    )
            seen.append((where, network))
    return plan


def _parse_subnet(value, where):
    try:
        network = ipaddress.IPv4Network(str(value), strict=True)
    except (ipaddress.AddressValueError, ipaddress.NetmaskValueError, ValueError) as exc:
        raise PlanError(f"{where}: {value!r} is not a valid IPv4 network CIDR ({exc}); expected e.g. '10.20.1.0/24'") from None
    if not 16 <= network.prefixlen <= 28:
        raise PlanError(f"{where}: {value!r} has prefix /{network.prefixlen}; AWS subnets accept /16 to /28")
    return network
