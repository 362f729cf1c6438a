# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module test needs: exit_json / fail_json replaced by exceptions that carry the result."""

from __future__ import annotations


class AnsibleExitJson(Exception):
    """exit_json was called; ``args[0]`` is the result."""


class AnsibleFailJson(Exception):
    """fail_json was called; ``args[0]`` is the result, with ``failed`` and ``msg`` set."""


def exit_json(self, **kwargs):  # pylint: disable=unused-argument
    kwargs.setdefault("changed", False)
    raise AnsibleExitJson(kwargs)


def fail_json(self, msg=None, **kwargs):  # pylint: disable=unused-argument
    kwargs["failed"] = True
    kwargs["msg"] = msg
    raise AnsibleFailJson(kwargs)


class FailingClient:
    """A client whose every call (and every paginator) raises the given error."""

    def __init__(self, error):
        self.error = error

    def _raise(self, *args, **kwargs):
        raise self.error

    def get_paginator(self, operation):  # pylint: disable=unused-argument
        return self

    def paginate(self, **params):  # pylint: disable=unused-argument
        return self

    def build_full_result(self):
        raise self.error

    def __getattr__(self, name):
        return self._raise


def use_client(monkeypatch, client):
    """Make every AnsibleAWSModule.client() call return ``client``."""
    from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # pylint: disable=import-outside-toplevel

    monkeypatch.setattr(AnsibleAWSModule, "client", lambda self, service, retry_decorator=None: client)


def fail_with(monkeypatch, error):
    """Make every AWS call of the module raise ``error``."""
    use_client(monkeypatch, FailingClient(error))
