# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/emulator/ctl.py: a stand-in starts on a port of its own, even when another holds the one it picked."""

from __future__ import annotations

import importlib
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, "..", "..", "emulator")


@pytest.fixture(name="ctl_in")
def fixture_ctl_in(monkeypatch):
    """ctl.py loaded for a given private state directory (its paths are read at import)."""
    monkeypatch.syspath_prepend(EMULATOR)
    started = []

    def load(state_dir):
        monkeypatch.setenv("EMULATOR_STATE_DIR", str(state_dir))
        sys.modules.pop("ctl", None)
        module = importlib.import_module("ctl")
        started.append(module)
        return module

    yield load
    for module in started:
        module.stop()
    sys.modules.pop("ctl", None)


def test_a_port_already_served_by_another_stand_in_is_not_taken_for_ours(ctl_in, tmp_path, monkeypatch):
    first = ctl_in(tmp_path / "first")
    endpoint = first.start()
    port = int(endpoint.rsplit(":", 1)[1])
    assert first.healthy(endpoint)

    second = ctl_in(tmp_path / "second")
    os.makedirs(second.STATE_DIR, exist_ok=True)
    # The first server answers healthy on that port, but it is not the process just started.
    assert second._launch(port) is None  # pylint: disable=protected-access
    assert "in use" in (tmp_path / "second" / "server.log").read_text(encoding="utf-8")

    # start() then picks another port: the collision costs one attempt, never a shared server.
    picks = iter([port, second.free_port()])
    monkeypatch.setattr(second, "free_port", lambda: next(picks))
    other = second.start()
    assert other != endpoint
    assert second.healthy(other) and not second.healthy(other, pid=-1)
    assert first.running_endpoint() == endpoint
