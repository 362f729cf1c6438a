# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.payments.aws_platform.plugins.filter.network import FilterModule


def test_filter_is_registered_and_plans():
    plan = FilterModule().filters()["network_subnet_plan"]("10.40.0.0/16", 3, newbits=8, explicit=None)
    assert plan["isolated"] == ["10.40.8.0/24", "10.40.9.0/24", "10.40.10.0/24"]


def test_filter_turns_plan_errors_into_filter_errors():
    with pytest.raises(AnsibleFilterError, match="network_nat|network_az_count: 4 is not supported"):
        FilterModule().filters()["network_subnet_plan"]("10.40.0.0/16", 4)
