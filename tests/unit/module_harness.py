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
