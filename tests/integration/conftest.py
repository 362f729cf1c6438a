# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the integration tests (helpers: standin_support.py)."""

from __future__ import annotations

import pytest

from standin_support import FIGURES, deploy_local_stack, start_standin, stop_standin  # pylint: disable=import-error


# Work units for pytest-xdist (make integration: -n 3 --dist loadscope). A module's tests share
# its module-scoped stand-in and deployment, so a module is one unit; the modules reading the
# session-scoped local_stack are one unit together, so that it is deployed once. The longest
# units are collected first, so that no worker starts a long one last. (xdist's loadgroup does
# not group under pytest 9: its worker rewrites Item._nodeid, which pytest 9's nodeid no longer
# reads; seen here as one module's tests split over two workers, each deploying the same examples.)
LOCAL_STACK_MODULES = ("test_awx.py", "test_secret_leak.py", "test_first_deploy.py", "test_db_users.py")
LONGEST_FIRST = ("test_faults.py", "test_examples.py", *LOCAL_STACK_MODULES, "test_day_two.py", "test_latency.py", "test_teardown.py")


def _work_unit(nodeid):
    module = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
    return "local_stack" if module in LOCAL_STACK_MODULES else module


def pytest_collection_modifyitems(items):
    """Collect the longest work units first (a stable sort: each module keeps its own order)."""
    def rank(item):
        module = item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=rank)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadscope with one work unit per module, the local_stack modules together (see above)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling  # pylint: disable=import-outside-toplevel

    class ModuleUnits(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return _work_unit(nodeid)

    return ModuleUnits(config, log)


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

    The modules using it are one pytest-xdist work unit (LOCAL_STACK_MODULES): one worker, one deployment.
    """
    stack = deploy_local_stack(tmp_path_factory.mktemp("local-stack-standin"), tmp_path_factory.mktemp("local-stack-runner"))
    yield stack
    stop_standin(stack["env"])
