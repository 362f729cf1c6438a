#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start, reuse, check and stop the local AWS stand-in.

    ctl.py start    start one (or reuse the running one); prints its URL
    ctl.py stop     stop it cleanly (SIGTERM, then SIGKILL after 10 s)
    ctl.py status   exit 0 and print the URL when healthy, exit 1 otherwise
    ctl.py url      print the URL of the running stand-in
    ctl.py calls    print the recorded AWS calls as JSON ([--mutating] for mutating only)
    ctl.py reset-calls

State lives in ``$EMULATOR_STATE_DIR`` (default ``<repo>/.emulator``): ``pid``,
``endpoint`` and ``server.log``. The port is a free loopback port picked at start,
never a well-known one (another process could reset a shared server).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
STATE_DIR = os.environ.get("EMULATOR_STATE_DIR", os.path.join(ROOT, ".emulator"))
PID_FILE = os.path.join(STATE_DIR, "pid")
ENDPOINT_FILE = os.path.join(STATE_DIR, "endpoint")
LOG_FILE = os.path.join(STATE_DIR, "server.log")
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip() or None
    except FileNotFoundError:
        return None


def _get(url: str, timeout: float = 2.0, method: str = "GET"):
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec: loopback only
        return json.loads(response.read().decode())


def healthy(endpoint: str | None, pid: int | None = None) -> bool:
    """The stand-in at endpoint answers its health check (and, with pid, is that very process)."""
    if not endpoint:
        return False
    try:
        health = _get(endpoint + "/_emulator/health")
    except (OSError, ValueError, urllib.error.URLError):
        return False
    return health.get("status") == "ok" and (pid is None or health.get("pid") == pid)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_endpoint() -> str | None:
    endpoint = _read(ENDPOINT_FILE)
    pid = _read(PID_FILE)
    if endpoint and pid and pid_alive(int(pid)) and healthy(endpoint):
        return endpoint
    return None


def start() -> str:
    endpoint = running_endpoint()
    if endpoint:
        print(f"Reusing the running stand-in at {endpoint}", file=sys.stderr)
        return endpoint
    os.makedirs(STATE_DIR, exist_ok=True)
    for _attempt in range(3):
        endpoint = _launch(free_port())
        if endpoint:
            return endpoint
    raise SystemExit(f"The stand-in exited at start three times; see {LOG_FILE}")


def _launch(port: int) -> str | None:
    """Start the server on port; its endpoint once healthy, None if it exited (port taken)."""
    endpoint = f"http://127.0.0.1:{port}"
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
    with open(LOG_FILE, "ab") as log:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, os.path.join(HERE, "server.py"), "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, start_new_session=True, close_fds=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            print(f"The stand-in exited with code {proc.returncode} on port {port}; see {LOG_FILE}", file=sys.stderr)
            return None
        # The pid must be ours: stand-ins started at the same moment (make test runs the
        # integration tests and molecule side by side) could pick the same free port, and the
        # one that lost the port must not take the other's server for its own.
        if healthy(endpoint, proc.pid):
            with open(PID_FILE, "w", encoding="utf-8") as handle:
                handle.write(str(proc.pid))
            with open(ENDPOINT_FILE, "w", encoding="utf-8") as handle:
                handle.write(endpoint)
            print(f"Started the stand-in at {endpoint} (pid {proc.pid})", file=sys.stderr)
            return endpoint
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"The stand-in did not become healthy within {START_TIMEOUT:.0f} s; see {LOG_FILE}")


def stop() -> None:
    pid = _read(PID_FILE)
    if pid and pid_alive(int(pid)):
        os.kill(int(pid), signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and pid_alive(int(pid)):
            time.sleep(0.1)
        if pid_alive(int(pid)):
            os.kill(int(pid), signal.SIGKILL)
        print(f"Stopped the stand-in (pid {pid})", file=sys.stderr)
    for path in (PID_FILE, ENDPOINT_FILE):
        if os.path.exists(path):
            os.remove(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status", "url", "calls", "reset-calls"])
    parser.add_argument("--mutating", action="store_true", help="with 'calls': only mutating calls")
    args = parser.parse_args(argv)
    if args.command == "start":
        print(start())
        return 0
    if args.command == "stop":
        stop()
        return 0
    endpoint = running_endpoint()
    if not endpoint:
        print("The stand-in is not running (start it with: make emulator)", file=sys.stderr)
        return 1
    if args.command in ("status", "url"):
        print(endpoint)
    elif args.command == "calls":
        calls = _get(endpoint + "/_emulator/calls")
        if args.mutating:
            calls = [call for call in calls if call["mutating"]]
        print(json.dumps(calls, indent=1))
    else:
        _get(endpoint + "/_emulator/calls/reset", method="POST")
    return 0


if __name__ == "__main__":
    sys.exit(main())
