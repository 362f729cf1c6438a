# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the integration tests (helpers: standin_support.py)."""

from __future__ import annotations

import pytest

from standin_support import FIGURES, deploy_local_stack, start_standin, stop_standin  # pylint: disable=import-error


def pytest_collection_modifyitems(items):
    """Under pytest-xdist --dist loadgroup, keep each module's tests in one worker (they share its stand-in and deployment).

    A test marked ``xdist_group`` (the shared ``local_stack``) keeps its group.
    """
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


def pytest_runtest_logreport(report):
    """Collect the figures tests recorded (``figure`` fixture): under pytest-xdist they reach the controller here."""
    if report.when == "call":
        FIGURES.extend(value for name, value in report.user_properties if name == "figure")


@pytest.fixture(name="figure")
def fixture_figure(record_property):
    """record a figure line (kill points survived, throttled calls...) for pytest's summary."""
    return lambda line: record_property("figure", line)


def pytest_terminal_summary(terminalreporter):
    """Print the figures the tests measured."""
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


@pytest.fixture(scope="session", name="local_stack")
def fixture_local_stack(tmp_path_factory):
    """inventories/local deployed once for the tests that only read it (standin_support.deploy_local_stack).

    Tests using it carry ``pytest.mark.xdist_group("local_stack")``, so that under pytest-xdist
    they run in one worker, on one deployment.
    """
    stack = deploy_local_stack(tmp_path_factory.mktemp("local-stack-standin"), tmp_path_factory.mktemp("local-stack-runner"))
    yield stack
    stop_standin(stack["env"])
