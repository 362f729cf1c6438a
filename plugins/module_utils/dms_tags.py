# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tag reads and writes shared by the DMS modules (replication instances, tasks and endpoints).

DMS tags every resource through the same three calls, keyed by the resource's ARN:
ListTagsForResource, AddTagsToResource and RemoveTagsFromResource. The client must be wrapped
with AWSRetry (``module.client(..., retry_decorator=...)``): every call passes ``aws_retry=True``.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict


def get_tags(client, arn: str) -> Dict[str, str]:
    """Return the tags of a DMS resource as a dictionary."""
    response = client.list_tags_for_resource(aws_retry=True, ResourceArn=arn)
    return boto3_tag_list_to_ansible_dict(response.get("TagList") or [])


def update_tags(client, arn: str, to_set: Dict[str, Any], to_unset: List[str]) -> bool:
    """Apply a change computed by tags.tag_changes(): removals first, then additions.

    Returns True if anything was sent.
    """
    if to_unset:
        client.remove_tags_from_resource(aws_retry=True, ResourceArn=arn, TagKeys=list(to_unset))
    if to_set:
        client.add_tags_to_resource(aws_retry=True, ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(to_set))
    return bool(to_set or to_unset)
