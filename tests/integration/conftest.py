# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the integration tests (helpers: standin_support.py)."""

from __future__ import annotations

import pytest

from standin_support import FIGURES, start_standin, stop_standin  # pylint: disable=import-error


def pytest_terminal_summary(terminalreporter):
    """Print the figures the fault and day-two tests measured."""
    if FIGURES:
        terminalreporter.section("measured figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module", name="standin")
def fixture_standin(tmp_path_factory):
    """A private AWS stand-in for one test module: yields (environment with EMULATOR_STATE_DIR, endpoint)."""
    env, endpoint = start_standin(tmp_path_factory.mktemp("standin"))
    yield env, endpoint
    stop_standin(env)
