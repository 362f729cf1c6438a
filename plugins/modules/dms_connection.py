#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dms_connection
short_description: Test whether an AWS DMS replication instance can connect to an endpoint
version_added: 0.3.0
description:
  - Runs the AWS Database Migration Service connection test (TestConnection) of one endpoint from one replication
    instance and waits, at most O(wait_timeout) seconds, until DescribeConnections reports it V(successful) or V(failed).
  - A failed test is not a module failure; the result carries the status and the message DMS gave, so the caller decides.
    The module fails when AWS refuses the test (for example an instance that is not available) or the wait times out.
  - The test changes nothing in the migration and is reported as not changed. In check mode nothing is tested; the
    status of the last test, if any, is returned.
author:
  - Payments Platform Team (@payments-platform)
options:
  replication_instance_arn:
    description: The ARN of the replication instance the test connects from. It must be available.
    type: str
    required: true
  endpoint_arn:
    description: The ARN of the endpoint to connect to.
    type: str
    required: true
  wait_timeout:
    description: How long to wait for the outcome, in seconds.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Test the source endpoint from the replication instance
  payments.aws_platform.dms_connection:
    replication_instance_arn: "{{ dms_instance.replication_instance.replication_instance_arn }}"
    endpoint_arn: "{{ dms_source.endpoint.endpoint_arn }}"
    wait_timeout: 300
  register: dms_source_test

- name: Stop when DMS cannot reach the source
  ansible.builtin.assert:
    that: dms_source_test.connection.status == 'successful'
    fail_msg: "{{ dms_source_test.connection.last_failure_message }}"
"""

RETURN = r"""
connection:
  description: The outcome of the test.
  returned: always
  type: dict
  contains:
    endpoint_arn:
      description: The endpoint tested.
      returned: always
      type: str
      sample: arn:aws:dms:us-west-2:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ
    endpoint_identifier:
      description: Its identifier.
      returned: always
      type: str
      sample: payments-dev-source
    replication_instance_arn:
      description: The replication instance the test connected from.
      returned: always
      type: str
      sample: arn:aws:dms:us-west-2:123456789012:rep:ABCDEFGHIJKLMNOPQRSTUVWXYZ
    replication_instance_identifier:
      description: Its identifier.
      returned: always
      type: str
      sample: payments-dev-dms
    status:
      description: V(successful) or V(failed); in check mode the status of the last test, or null.
      returned: always
      type: str
      sample: successful
    last_failure_message:
      description: Why DMS could not connect (empty when the test succeeded).
      returned: always
      type: str
      sample: ""
"""

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.payments.aws_platform.plugins.module_utils.dms_connection import DmsConnectionError
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_connection import describe_connection
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_connection import normalize
from ansible_collections.payments.aws_platform.plugins.module_utils.dms_connection import test_and_wait


def main() -> None:
    argument_spec = dict(
        replication_instance_arn=dict(type="str", required=True),
        endpoint_arn=dict(type="str", required=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("dms", retry_decorator=AWSRetry.jittered_backoff())
    instance_arn, endpoint_arn = module.params["replication_instance_arn"], module.params["endpoint_arn"]
    try:
        if module.check_mode:
            connection = normalize(describe_connection(client, instance_arn, endpoint_arn))
        else:
            connection = test_and_wait(client, instance_arn, endpoint_arn, module.params["wait_timeout"])
    except DmsConnectionError as e:
        module.fail_json(msg=e.message)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg=f"Unable to test the connection of DMS endpoint {endpoint_arn}")
    module.exit_json(changed=False, connection=connection)


if __name__ == "__main__":
    main()
