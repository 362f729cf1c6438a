#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_cluster_settings
short_description: Set an ECS cluster's settings (Container Insights) and tags
description:
  - Fills a gap of C(community.aws.ecs_cluster), which manages neither cluster settings nor tags.
  - Calls C(UpdateCluster) when a setting differs and C(TagResource)/C(UntagResource) when the tags differ.
  - "A wanted C(containerInsights=enabled) is satisfied by a cluster that already has C(containerInsights=enhanced)
    (enhanced observability includes what enabled gives): the module never downgrades enhanced to enabled."
  - Idempotent; supports check mode and diff.
version_added: 0.1.0
author: Payments Platform Team (@payments-platform)
options:
  name:
    description: Name of an existing cluster.
    type: str
    required: true
  settings:
    description: Cluster settings, name to value (for example C(containerInsights=enabled)).
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Enable Container Insights and tag the cluster
  payments.aws_platform.ecs_cluster_settings:
    name: payments-dev-cluster
    settings:
      containerInsights: enabled
    tags:
      Environment: dev

- name: Enable Container Insights only, leaving the cluster's tags as they are
  payments.aws_platform.ecs_cluster_settings:
    name: payments-dev-cluster
    settings:
      containerInsights: enabled

- name: Add a tag, keeping the cluster's other tags
  payments.aws_platform.ecs_cluster_settings:
    name: payments-dev-cluster
    tags:
      CostCenter: payments
    purge_tags: false
"""

RETURN = r"""
cluster_arn:
  description: The cluster's ARN.
  returned: always
  type: str
  sample: "arn:aws:ecs:us-east-1:123456789012:cluster/payments-dev-cluster"
settings:
  description:
    - The cluster's settings after the call.
    - A cluster with C(containerInsights=enhanced) keeps it when C(enabled) was asked for.
  returned: always
  type: dict
  sample: {"containerInsights": "enabled"}
tags:
  description: The cluster's tags after the call.
  returned: always
  type: dict
  sample: {"Environment": "dev"}
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


# A wanted setting value that a current value already satisfies: Container Insights "enhanced"
# includes everything "enabled" gives, so asking for "enabled" never downgrades it.
SATISFIED_BY = {("containerInsights", "enabled"): ("enhanced",)}


def setting_changes(current, wanted):
    """The settings of ``wanted`` (name to value) that ``current`` neither has nor satisfies."""
    return {
        name: value
        for name, value in wanted.items()
        if current.get(name) != value and current.get(name) not in SATISFIED_BY.get((name, value), ())
    }


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            settings=dict(type="dict", default={}),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("ecs", retry_decorator=AWSRetry.jittered_backoff())
    name = module.params["name"]
    try:
        clusters = client.describe_clusters(clusters=[name], include=["SETTINGS", "TAGS"], aws_retry=True)["clusters"]
        cluster = next((c for c in clusters if c.get("status") == "ACTIVE"), None)
        if cluster is None:
            module.fail_json(msg=f"ECS cluster {name} does not exist or is not ACTIVE; create it first.")
        current = {s["name"]: s["value"] for s in cluster.get("settings", [])}
        changed_settings = setting_changes(current, {k: str(v) for k, v in module.params["settings"].items()})
        current_tags = boto3_tag_list_to_ansible_dict(cluster.get("tags", []), "key", "value")
        to_set, to_remove = {}, []
        if module.params["tags"] is not None:  # tags unset: the cluster's tags are left alone
            wanted_tags = {k: str(v) for k, v in module.params["tags"].items()}
            to_set, to_remove = compare_aws_tags(current_tags, wanted_tags, module.params["purge_tags"])
        changed = bool(changed_settings or to_set or to_remove)
        if changed and not module.check_mode:
            if changed_settings:
                client.update_cluster(cluster=name, settings=[{"name": k, "value": v} for k, v in changed_settings.items()], aws_retry=True)
            if to_remove:
                client.untag_resource(resourceArn=cluster["clusterArn"], tagKeys=to_remove, aws_retry=True)
            if to_set:
                client.tag_resource(resourceArn=cluster["clusterArn"], tags=ansible_dict_to_boto3_tag_list(to_set, "key", "value"), aws_retry=True)
        after_settings = dict(current, **changed_settings)
        after_tags = {k: v for k, v in dict(current_tags, **to_set).items() if k not in to_remove}
        result = dict(changed=changed, cluster_arn=cluster["clusterArn"], settings=after_settings, tags=after_tags)
        if module._diff:
            result["diff"] = {"before": {"settings": current, "tags": current_tags}, "after": {"settings": after_settings, "tags": after_tags}}
        module.exit_json(**result)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
        module.fail_json_aws(e, msg=f"Could not read or update the settings and tags of ECS cluster {name}")


if __name__ == "__main__":
    main()
