# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in's opt-in throttling answers each API's own throttling error, which botocore retries."""

from __future__ import annotations

import os
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, "..", "..", "emulator")


@pytest.fixture(name="throttled", scope="module")
def fixture_throttled(tmp_path_factory):
    """Start private stand-ins that throttle the given share of the calls; stop them all at the end."""
    ctl = [sys.executable, os.path.join(EMULATOR, "ctl.py")]
    envs = []

    def start(rate):
        env = dict(os.environ, EMULATOR_STATE_DIR=str(tmp_path_factory.mktemp("throttled")), EMULATOR_THROTTLE_RATE=str(rate),
                   EMULATOR_THROTTLE_SEED="7")
        envs.append(env)
        return subprocess.run(ctl + ["start"], env=env, check=True, capture_output=True, text=True).stdout.strip()

    yield start
    for env in envs:
        subprocess.run(ctl + ["stop"], env=env, check=False, capture_output=True)


@pytest.fixture(name="always", scope="module")
def fixture_always(throttled):
    return throttled(1.0)


def _client(service, endpoint, attempts):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=Config(retries={"mode": "standard", "max_attempts": attempts}))


@pytest.mark.parametrize(
    "service, call, code",
    [
        ("ec2", lambda c: c.describe_vpcs(), "RequestLimitExceeded"),
        ("iam", lambda c: c.list_roles(), "Throttling"),
        ("rds", lambda c: c.describe_db_clusters(), "Throttling"),
        ("ecs", lambda c: c.list_clusters(), "ThrottlingException"),
        ("kms", lambda c: c.list_keys(), "ThrottlingException"),
        ("s3", lambda c: c.list_buckets(), "SlowDown"),
        ("backup", lambda c: c.list_backup_vaults(), "ThrottlingException"),
    ],
)
def test_every_protocol_answers_its_throttling_error(always, service, call, code):
    with pytest.raises(ClientError) as raised:
        call(_client(service, always, attempts=1))
    assert raised.value.response["Error"]["Code"] == code


def test_a_fifth_of_the_calls_throttled_still_succeed_with_botocore_retries(throttled):
    endpoint = throttled(0.2)
    ec2 = _client("ec2", endpoint, attempts=10)
    for _attempt in range(5):
        assert ec2.describe_vpcs()["Vpcs"] is not None
