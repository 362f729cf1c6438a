# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugins/module_utils/tags.py: tag comparison and prediction shared by the modules."""

from __future__ import annotations

from ansible_collections.payments.aws_platform.plugins.module_utils.tags import merge_tags
from ansible_collections.payments.aws_platform.plugins.module_utils.tags import tag_changes


def test_unmanaged_tags_change_nothing():
    assert tag_changes({"a": "1"}, None) == ({}, [])


def test_purge_removes_unlisted_keys_and_keep_leaves_them():
    assert tag_changes({"a": "1"}, {"b": 2}, True) == ({"b": 2}, ["a"])
    assert tag_changes({"a": "1"}, {"b": 2}, False) == ({"b": 2}, [])
    assert tag_changes(None, {"a": "1"}) == ({"a": "1"}, [])


def test_merge_predicts_the_tags_after_a_change_as_strings():
    assert merge_tags({"a": "1"}, {"b": 2}, ["a"]) == {"b": "2"}
    assert merge_tags(None, {}, ["missing"]) == {}
