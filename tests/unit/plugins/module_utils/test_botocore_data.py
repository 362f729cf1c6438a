# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""share_data_loader: the sessions made after it share one botocore data loader, and clients still work."""

from __future__ import annotations

import boto3
import botocore.session
import pytest
from botocore.stub import Stubber

from ansible_collections.payments.aws_platform.plugins.module_utils import botocore_data


@pytest.fixture(autouse=True, name="restore")
def fixture_restore(monkeypatch):
    monkeypatch.setattr(botocore.session, "create_loader", botocore.session.create_loader)


def test_sessions_share_one_loader_after_it():
    before = [botocore.session.Session().get_component("data_loader") for unused in range(2)]
    assert before[0] is not before[1]
    assert botocore_data.share_data_loader() is True
    after = [botocore.session.Session().get_component("data_loader") for unused in range(2)]
    assert after[0] is after[1]
    assert botocore_data.share_data_loader() is True, "calling it twice keeps the one shared loader"
    assert botocore.session.Session().get_component("data_loader") is after[0]


def test_clients_of_separate_sessions_still_answer_with_their_own_settings():
    botocore_data.share_data_loader()
    east = boto3.session.Session().client("sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    west = boto3.session.Session().client("ec2", region_name="us-west-2", aws_access_key_id="a", aws_secret_access_key="b",
                                          endpoint_url="http://127.0.0.1:1")
    assert (east.meta.region_name, west.meta.region_name) == ("us-east-1", "us-west-2")
    assert west.meta.endpoint_url == "http://127.0.0.1:1"
    with Stubber(east) as stubber:
        stubber.add_response("get_caller_identity", {"Account": "123456789012", "UserId": "AIDA", "Arn": "arn:aws:iam::123456789012:user/x"})
        assert east.get_caller_identity()["Account"] == "123456789012"


def test_an_unknown_botocore_layout_is_left_alone(monkeypatch):
    monkeypatch.delattr(botocore.session, "create_loader")
    assert botocore_data.share_data_loader() is False
