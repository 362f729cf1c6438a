# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the integration tests: paths, a private AWS stand-in, and reading back the stand-in's secrets.

The ``standin`` fixture in conftest.py uses these; tests import the plain helpers directly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import boto3

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)
CTL = [sys.executable, os.path.join(ROOT, "tests", "emulator", "ctl.py")]
# Figures tests report (kill points survived, throttled calls...): printed in pytest's summary (conftest.py).
FIGURES: list[str] = []
# What the security role stores for inventories/local with security_db_password_mode=generated.
SECRET_NAME = "payments/local/aurora/master"


def start_standin(state_dir):
    """Start a private stand-in with its state in ``state_dir``; return (environment, endpoint)."""
    env = dict(os.environ, EMULATOR_STATE_DIR=str(state_dir))
    endpoint = subprocess.run(CTL + ["start"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    return env, endpoint


def stop_standin(env):
    subprocess.run(CTL + ["stop"], env=env, check=False, capture_output=True)


def standin_calls(env, mutating_only=False):
    """The AWS calls the stand-in of ``env`` (its EMULATOR_STATE_DIR) has recorded, or only the mutating ones."""
    out = subprocess.run(CTL + ["calls"], env=env, check=True, capture_output=True, text=True).stdout
    return [call for call in json.loads(out) if call["mutating"] or not mutating_only]


def master_secret(endpoint, secret_id=SECRET_NAME):
    """The SecretString of ``secret_id`` in the stand-in's Secrets Manager (us-east-1, as inventories/local)."""
    client = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    return client.get_secret_value(SecretId=secret_id)["SecretString"]
