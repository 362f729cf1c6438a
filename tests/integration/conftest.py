# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the integration tests (helpers: standin_support.py)."""

from __future__ import annotations

import pytest

from standin_support import start_standin, stop_standin  # pylint: disable=import-error


@pytest.fixture(scope="module", name="standin")
def fixture_standin(tmp_path_factory):
    """A private AWS stand-in for one test module: yields (environment with EMULATOR_STATE_DIR, endpoint)."""
    env, endpoint = start_standin(tmp_path_factory.mktemp("standin"))
    yield env, endpoint
    stop_standin(env)
