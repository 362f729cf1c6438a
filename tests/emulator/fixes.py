# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the local AWS stand-in (moto server).

Each fix restores one documented AWS behaviour that moto deviates from, so
that the product code can stay exactly what runs against real AWS. A fix has:

* ``fix_id``: a stable name used in tests and in ``/_emulator/health``;
* ``aws_behaviour``: the AWS behaviour it restores, with the API reference;
* ``apply()``: an idempotent patch of moto's in-process models/responses.

Nothing outside ``tests/emulator/`` imports this module.
"""

from __future__ import annotations

import dataclasses
from typing import Callable


@dataclasses.dataclass(frozen=True)
class Fix:
    fix_id: str
    aws_behaviour: str
    reference: str
    apply: Callable[[], None]


# --- EC2 DescribeTags resource types ----------------------------------------
#
# AWS's DescribeTags reports (and filters on) ``resource-type`` values such as
# ``natgateway``, ``elastic-ip`` and ``vpc-flow-log``. moto derives the type
# from its internal id-prefix table, which says ``nat-gateway``, ``vpc-elastic-ip``
# and ``flow-logs``. amazon.aws.ec2_vpc_nat_gateway filters its tag look-up on
# ``resource-type=natgateway``, finds nothing, and re-tags on every run.

AWS_TAG_RESOURCE_TYPES = {
    "nat": "natgateway",
    "eipalloc": "elastic-ip",
    "fl": "vpc-flow-log",
}


def _apply_ec2_tag_resource_types() -> None:
    from moto.ec2.models import tags as ec2_tags

    ec2_tags.EC2_PREFIX_TO_RESOURCE.update(AWS_TAG_RESOURCE_TYPES)


FIXES: list[Fix] = [
    Fix(
        fix_id="ec2-describe-tags-resource-type",
        aws_behaviour=(
            "EC2 DescribeTags returns ResourceType natgateway / elastic-ip / vpc-flow-log "
            "and accepts those values in the resource-type filter."
        ),
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html",
        apply=_apply_ec2_tag_resource_types,
    ),
]


def apply_all() -> list[str]:
    """Apply every fix; return their ids."""
    for fix in FIXES:
        fix.apply()
    return [fix.fix_id for fix in FIXES]
