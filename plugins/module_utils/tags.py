# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tag comparison shared by this collection's modules."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def tag_changes(
    current_tags: Optional[Dict[str, str]],
    desired_tags: Optional[Dict[str, Any]],
    purge_tags: bool = True,
) -> Tuple[Dict[str, Any], List[str]]:
    """Return (tags to set, tag keys to remove); nothing when tags are not managed."""
    if desired_tags is None:
        return {}, []
    return compare_aws_tags(current_tags or {}, desired_tags, purge_tags)


def merge_tags(current_tags: Optional[Dict[str, str]], to_set: Dict[str, Any], to_unset: List[str]) -> Dict[str, str]:
    """Apply a tag change to a tag dictionary (used to predict the result)."""
    merged = dict(current_tags or {})
    for key in to_unset:
        merged.pop(key, None)
    merged.update({key: str(value) for key, value in to_set.items()})
    return merged
