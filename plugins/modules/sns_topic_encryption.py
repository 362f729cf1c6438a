#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: sns_topic_encryption
short_description: Encrypt an SNS topic at rest with a KMS key (KmsMasterKeyId)
version_added: 0.1.0
author: Payments Platform Team (@payments-platform)
description:
  - Sets or removes server-side encryption of an existing SNS topic, with a customer-managed KMS key.
  - Why this module exists - M(community.aws.sns_topic) (10.x; still so in 11.x) has no option for the C(KmsMasterKeyId) topic
    attribute, so a topic it creates is not encrypted at rest. Create the topic with M(community.aws.sns_topic),
    then run this module.
  - CloudWatch alarms can publish to an encrypted topic only when the key policy lets C(cloudwatch.amazonaws.com)
    use the key; the AWS-managed C(alias/aws/sns) key does not.
  - Idempotent; supports check mode and diff.
options:
  topic_arn:
    description: The ARN of the topic.
    type: str
    required: true
  kms_key_id:
    description:
      - The KMS key (ARN, ID, alias name or alias ARN) that encrypts the topic. An empty string removes encryption.
    type: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Encrypt the alerts topic with the environment's logs key
  payments.aws_platform.sns_topic_encryption:
    topic_arn: "{{ monitoring__topic.sns_arn }}"
    kms_key_id: "{{ security__out.logs_key_arn }}"
"""

RETURN = r"""
kms_key_id:
  description: The KMS key of the topic after the change, as its ARN; empty when the topic is not encrypted.
  returned: always
  type: str
  sample: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.kms import key_change
from ansible_collections.payments.aws_platform.plugins.module_utils.kms import resolve_key_arn


def main():
    argument_spec = dict(
        topic_arn=dict(type="str", required=True),
        kms_key_id=dict(type="str", required=True, no_log=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("sns", retry_decorator=AWSRetry.jittered_backoff())
    topic_arn = module.params["topic_arn"]
    try:
        wanted = resolve_key_arn(module, module.params["kms_key_id"], "kms_key_id")
        try:
            attributes = client.get_topic_attributes(TopicArn=topic_arn, aws_retry=True)["Attributes"]
        except is_boto3_error_code("NotFound"):
            module.fail_json(msg=f"topic_arn: topic {topic_arn!r} does not exist; create it first (community.aws.sns_topic)")
        current = attributes.get("KmsMasterKeyId", "")
        current_arn = resolve_key_arn(module, current, "kms_key_id") if current else ""
        changed, result = key_change(module, current_arn, wanted)
        if changed and not module.check_mode:
            client.set_topic_attributes(TopicArn=topic_arn, AttributeName="KmsMasterKeyId", AttributeValue=wanted, aws_retry=True)
        module.exit_json(**result)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to set the encryption of SNS topic {topic_arn}")


if __name__ == "__main__":
    main()
