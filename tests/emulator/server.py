# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local AWS stand-in: a moto server with the fidelity fixes applied.

Run by ``tests/emulator/ctl.py start``; not meant to be started by hand. On top
of moto it adds two test-only endpoints:

* ``GET /_emulator/health``: ``{"status": "ok", "fixes": [...]}``;
* ``GET /_emulator/calls`` / ``POST /_emulator/calls/reset``: every AWS API call
  received (service, action, mutating, throttled), so tests can prove that a refused
  run made no mutating call;
* ``GET /_emulator/clock``: the latency mode's clock (``EMULATOR_LATENCY``, fixes_lifecycle):
  scale, now, seconds skipped by fast-forward, and every slow resource created with its
  creation and ready times.

Fault injection (opt-in): with ``EMULATOR_THROTTLE_RATE=0.2`` a fifth of the AWS calls,
chosen at random (``EMULATOR_THROTTLE_SEED`` makes the choice repeatable), are refused the
way each service throttles: ``RequestLimitExceeded`` (EC2, HTTP 503), ``Throttling``
(query APIs such as IAM, RDS, ELBv2, SNS, STS, CloudWatch), ``ThrottlingException``
(JSON APIs such as ECS, KMS, Logs, Secrets Manager, DMS, Backup) and ``SlowDown`` (S3, 503).
The call is not passed to moto. Real AWS throttles any API under load; a product that does
not retry fails there.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import sys
import threading
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fixes  # noqa: E402  pylint: disable=wrong-import-position
import fixes_lifecycle  # noqa: E402  pylint: disable=wrong-import-position

MUTATING_PREFIXES = (
    "Add", "Allocate", "Apply", "Associate", "Attach", "Authorize", "Cancel", "Copy", "Create",
    "Delete", "Deregister", "Detach", "Disable", "Disassociate", "Enable", "Import", "Modify",
    "Put", "Reboot", "Register", "Release", "Remove", "Replace", "Reset", "Restore", "Revoke",
    "Rotate", "Run", "Schedule", "Set", "Start", "Stop", "Tag", "Terminate", "Untag", "Update",
)
_SERVICE_RE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/")


def is_mutating(action: str | None, method: str) -> bool:
    """A call mutates when its action name says so, or, for REST APIs without an action, by method."""
    if action:
        return action.startswith(MUTATING_PREFIXES)
    return method.upper() in ("PUT", "POST", "DELETE", "PATCH")


def describe_call(environ: dict, body: bytes) -> dict:
    """Name the service and action of one AWS request (query, JSON and REST protocols)."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    match = _SERVICE_RE.search(auth)
    service = match.group(1) if match else None
    action = None
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        action = target.rsplit(".", 1)[-1]
    else:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if "Action" in query:
            action = query["Action"][0]
        elif body and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            form = parse_qs(body.decode("utf-8", "replace"))
            if "Action" in form:
                action = form["Action"][0]
    method = environ.get("REQUEST_METHOD", "GET")
    return {
        "service": service,
        "action": action,
        "method": method,
        "path": environ.get("PATH_INFO", ""),
        "mutating": is_mutating(action, method),
    }


def throttle_response(service: str | None, environ: dict) -> tuple[str, list, bytes]:
    """The answer AWS gives a throttled call of ``service``: (status, headers, body), by the API's protocol."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        return "400 Bad Request", [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", "ThrottlingException")], body
    if service == "ec2":
        body = (b"<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error><Code>RequestLimitExceeded</Code>"
                b"<Message>Request limit exceeded.</Message></Error></Errors><RequestID>throttled</RequestID></Response>")
        return "503 Service Unavailable", [("Content-Type", "text/xml")], body
    if service == "s3":
        body = b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
        return "503 Service Unavailable", [("Content-Type", "application/xml")], body
    query = "Action=" in environ.get("QUERY_STRING", "") or environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded")
    if query:
        body = (b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                b"<RequestId>throttled</RequestId></ErrorResponse>")
        return "400 Bad Request", [("Content-Type", "text/xml")], body
    body = json.dumps({"message": "Rate exceeded"}).encode()
    return "429 Too Many Requests", [("Content-Type", "application/json"), ("x-amzn-ErrorType", "ThrottlingException")], body


class CallRecorder:
    """WSGI middleware that records every AWS call and serves the /_emulator endpoints."""

    def __init__(self, app, fix_ids: list[str]):
        self.app = app
        self.fix_ids = fix_ids
        self.calls: list[dict] = []
        self.lock = threading.Lock()
        self.throttle_rate = float(os.environ.get("EMULATOR_THROTTLE_RATE") or 0)
        seed = os.environ.get("EMULATOR_THROTTLE_SEED")
        self.random = random.Random(int(seed) if seed else None)

    def _json(self, start_response, payload, status="200 OK"):
        data = json.dumps(payload).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_emulator/health":
            return self._json(start_response, {"status": "ok", "fixes": self.fix_ids, "pid": os.getpid()})
        if path == "/_emulator/calls":
            with self.lock:
                return self._json(start_response, list(self.calls))
        if path == "/_emulator/clock":
            return self._json(start_response, fixes_lifecycle.CLOCK.report())
        if path == "/_emulator/calls/reset":
            with self.lock:
                self.calls.clear()
            return self._json(start_response, {"reset": True})
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if not path.startswith("/moto-api"):
            call = describe_call(environ, body)
            with self.lock:
                call["throttled"] = self.throttle_rate > 0 and self.random.random() < self.throttle_rate
                self.calls.append(call)
            if call["throttled"]:
                status, headers, data = throttle_response(call["service"], environ)
                start_response(status, headers + [("Content-Length", str(len(data)))])
                return [data]
            if os.environ.get(fixes_lifecycle.FAST_FORWARD_VARIABLE) == "1":
                fixes_lifecycle.CLOCK.begin_call()
                data = b"".join(self.app(environ, start_response))
                fixes_lifecycle.CLOCK.end_call(call["action"] or "", call["mutating"], data)
                return [data]
        return self.app(environ, start_response)


def build_app():
    """moto's dispatcher with the fixes applied, wrapped in the call recorder."""
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    fix_ids = fixes.apply_all()
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return CallRecorder(DomainDispatcherApplication(create_backend_app), fix_ids)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("MOTO_PORT", str(args.port))
    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import make_server

    server = make_server(args.host, args.port, build_app(), threaded=True, request_handler=MotoRequestHandler)
    server.serve_forever()


if __name__ == "__main__":
    main()
