# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the DMS tier of the stand-in (picked up by fixes.all_fixes()).

Each fix is shown by ``tests/unit/emulator/test_fixes_dms.py``. DescribeEngineVersions is served
by the ``engine-versions-from-catalog`` fix in fixes.py.
"""

from __future__ import annotations

import json
import random
import string

from fixes import Fix  # pylint: disable=import-error

# Statuses in which AWS refuses ModifyReplicationTask ("The task must be stopped").
_TASK_ACTIVE = ("running", "starting", "stopping", "creating", "deleting", "modifying")


def _aws_resource_id() -> str:
    """The shape of the resource id AWS puts in DMS ARNs: 26 upper-case letters and digits."""
    alphabet = string.ascii_uppercase + string.digits
    return "".join(random.choice(alphabet) for _position in range(26))


def _params(response) -> dict:
    return json.loads(response.body or "{}")


def _find_arn(backend, arn):
    for collection in (backend.replication_instances.values(), backend.replication_tasks.values()):
        for item in collection:
            if item.arn == arn:
                return item
    for endpoint in backend.endpoints.values():
        if endpoint.endpoint_arn == arn:
            return endpoint
    return None


# --- Tag writes ---------------------------------------------------------------------------------
def _apply_tagging() -> None:
    from moto.dms.exceptions import ResourceNotFoundFault
    from moto.dms.responses import DatabaseMigrationServiceResponse

    def add_tags_to_resource(self):
        params = _params(self)
        arn = params.get("ResourceArn")
        if _find_arn(self.dms_backend, arn) is None:
            raise ResourceNotFoundFault(f"Resource {arn} not found.")
        self.dms_backend.tag_resource(arn, {tag["Key"]: tag.get("Value", "") for tag in params.get("Tags", [])})
        return json.dumps({})

    def remove_tags_from_resource(self):
        params = _params(self)
        arn = params.get("ResourceArn")
        if _find_arn(self.dms_backend, arn) is None:
            raise ResourceNotFoundFault(f"Resource {arn} not found.")
        self.dms_backend.untag_resource(arn, params.get("TagKeys", []))
        return json.dumps({})

    DatabaseMigrationServiceResponse.add_tags_to_resource = add_tags_to_resource
    DatabaseMigrationServiceResponse.remove_tags_from_resource = remove_tags_from_resource


# --- Random resource ids in ARNs, uniqueness by identifier ---------------------------------------
def _apply_random_arns() -> None:
    from moto.dms import models
    from moto.dms.exceptions import ResourceAlreadyExistsFault

    backend_cls = models.DatabaseMigrationServiceBackend
    if getattr(backend_cls, "_payments_random_arns", False):
        return
    instance_init = models.FakeReplicationInstance.__init__
    task_init = models.FakeReplicationTask.__init__
    create_instance = backend_cls.create_replication_instance
    create_task = backend_cls.create_replication_task

    def fake_instance_init(self, *args, **kwargs):
        instance_init(self, *args, **kwargs)
        self.arn = self.arn.rsplit(":", 1)[0] + ":" + _aws_resource_id()

    def fake_task_init(self, *args, **kwargs):
        task_init(self, *args, **kwargs)
        self.arn = self.arn.rsplit(":", 1)[0] + ":" + _aws_resource_id()

    def create_replication_instance(self, replication_instance_identifier, *args, **kwargs):
        if any(item.id == replication_instance_identifier for item in self.replication_instances.values()):
            raise ResourceAlreadyExistsFault("The resource you are attempting to create already exists.")
        return create_instance(self, replication_instance_identifier, *args, **kwargs)

    def create_replication_task(self, replication_task_identifier, *args, **kwargs):
        if any(item.id == replication_task_identifier for item in self.replication_tasks.values()):
            raise ResourceAlreadyExistsFault("The resource you are attempting to create already exists.")
        return create_task(self, replication_task_identifier, *args, **kwargs)

    models.FakeReplicationInstance.__init__ = fake_instance_init
    models.FakeReplicationTask.__init__ = fake_task_init
    backend_cls.create_replication_instance = create_replication_instance
    backend_cls.create_replication_task = create_replication_task
    backend_cls._payments_random_arns = True  # pylint: disable=protected-access


# --- Replication task lifecycle and ModifyReplicationTask ----------------------------------------
def _apply_task_lifecycle() -> None:
    from moto.dms import models
    from moto.dms.exceptions import InvalidResourceStateFault
    from moto.dms.exceptions import ResourceNotFoundFault
    from moto.dms.responses import DatabaseMigrationServiceResponse

    backend_cls = models.DatabaseMigrationServiceBackend
    if getattr(backend_cls, "_payments_task_lifecycle", False):
        return
    describe = backend_cls.describe_replication_tasks
    delete = backend_cls.delete_replication_task

    def describe_replication_tasks(self, *args, **kwargs):
        tasks = describe(self, *args, **kwargs)
        # A new task is "creating" in the CreateReplicationTask answer, then "ready".
        for task in tasks:
            if task.status == "creating":
                task.status = "ready"
        return tasks

    def modify_replication_task(self):
        params = _params(self)
        arn = params.get("ReplicationTaskArn")
        task = self.dms_backend.replication_tasks.get(arn)
        if task is None:
            raise ResourceNotFoundFault("Replication task could not be found.")
        if task.status in _TASK_ACTIVE:
            raise InvalidResourceStateFault(f"Replication task {task.id} is {task.status}; it must be stopped to be modified.")
        for key, attribute in (("MigrationType", "migration_type"), ("TableMappings", "table_mappings"),
                               ("ReplicationTaskSettings", "replication_task_settings"),
                               ("ReplicationTaskIdentifier", "id")):
            if params.get(key) is not None:
                setattr(task, attribute, params[key])
        return json.dumps({"ReplicationTask": task.to_dict()})

    def delete_replication_task(self, replication_task_arn):
        task = self.replication_tasks.get(replication_task_arn)
        if task is not None and task.status in ("running", "starting"):
            raise InvalidResourceStateFault(f"Replication task {task.id} is {task.status}; stop it before deleting it.")
        return delete(self, replication_task_arn)

    backend_cls.describe_replication_tasks = describe_replication_tasks
    backend_cls.delete_replication_task = delete_replication_task
    backend_cls._payments_task_lifecycle = True  # pylint: disable=protected-access
    DatabaseMigrationServiceResponse.modify_replication_task = modify_replication_task


# --- Endpoints: status active, ModifyEndpoint ---------------------------------------------------
# ModifyEndpoint parameters and the Endpoint attributes moto keeps them in.
_ENDPOINT_FIELDS = {
    "EndpointIdentifier": "endpoint_identifier",
    "EndpointType": "endpoint_type",
    "EngineName": "engine_name",
    "Username": "username",
    "Password": "password",
    "ServerName": "server_name",
    "Port": "port",
    "DatabaseName": "database_name",
    "ExtraConnectionAttributes": "extra_connection_attributes",
    "CertificateArn": "certificate_arn",
    "SslMode": "ssl_mode",
    "ServiceAccessRoleArn": "service_access_role_arn",
}
_ENDPOINT_SETTINGS = {
    "PostgreSQLSettings": "postgre_sql_settings",
    "MySQLSettings": "my_sql_settings",
    "OracleSettings": "oracle_settings",
    "MicrosoftSQLServerSettings": "microsoft_sql_server_settings",
}


def _apply_endpoints() -> None:
    from moto.dms import models
    from moto.dms.exceptions import InvalidResourceStateFault
    from moto.dms.exceptions import ResourceNotFoundFault
    from moto.dms.responses import DatabaseMigrationServiceResponse

    backend_cls = models.DatabaseMigrationServiceBackend
    if getattr(backend_cls, "_payments_endpoints", False):
        return
    create_endpoint = backend_cls.create_endpoint
    delete_endpoint = backend_cls.delete_endpoint

    def create(self, *args, **kwargs):
        endpoint = create_endpoint(self, *args, **kwargs)
        endpoint.status = "active"
        if endpoint.engine_display_name == "aurora-postgresql":
            endpoint.engine_display_name = "Amazon Aurora PostgreSQL"
        if not endpoint.ssl_mode:
            endpoint.ssl_mode = "none"
        return endpoint

    def modify_endpoint(self):
        params = _params(self)
        arn = params.get("EndpointArn")
        endpoint = next((item for item in self.dms_backend.endpoints.values() if item.endpoint_arn == arn), None)
        if endpoint is None:
            raise ResourceNotFoundFault("Endpoint could not be found.")
        for key, attribute in _ENDPOINT_FIELDS.items():
            if params.get(key) is not None:
                setattr(endpoint, attribute, params[key])
        for key, attribute in _ENDPOINT_SETTINGS.items():
            if params.get(key) is not None:
                merged = {} if params.get("ExactSettings") else dict(getattr(endpoint, attribute) or {})
                merged.update(params[key])
                setattr(endpoint, attribute, merged)
        if params.get("EndpointIdentifier") and params["EndpointIdentifier"] not in self.dms_backend.endpoints:
            self.dms_backend.endpoints = {
                (params["EndpointIdentifier"] if item is endpoint else name): item for name, item in self.dms_backend.endpoints.items()
            }
        return json.dumps({"Endpoint": {k: v for k, v in endpoint.to_dict().items() if v is not None}})

    def delete(self, endpoint_arn):
        users = [task.id for task in self.replication_tasks.values() if endpoint_arn in (task.source_endpoint_arn, task.target_endpoint_arn)]
        if users:
            raise InvalidResourceStateFault(f"Endpoint {endpoint_arn} is in use by replication task(s) {', '.join(users)}.")
        return delete_endpoint(self, endpoint_arn)

    backend_cls.create_endpoint = create
    backend_cls.delete_endpoint = delete
    backend_cls._payments_endpoints = True  # pylint: disable=protected-access
    DatabaseMigrationServiceResponse.modify_endpoint = modify_endpoint


# --- Replication subnet groups report their real subnets and VPC ---------------------------------
def _apply_subnet_groups() -> None:
    from moto.dms import models
    from moto.ec2.models import ec2_backends

    group_cls = models.FakeReplicationSubnetGroup
    if getattr(group_cls, "_payments_real_subnets", False):
        return
    create_group = models.DatabaseMigrationServiceBackend.create_replication_subnet_group
    to_dict = group_cls.to_dict

    def create_replication_subnet_group(self, replication_subnet_group_identifier, replication_subnet_group_description,
                                        subnet_ids, tags=None):
        group = create_group(self, replication_subnet_group_identifier, replication_subnet_group_description, subnet_ids, tags)
        # moto drops the subnet ids; AWS keeps them.
        group.subnetIds = list(subnet_ids or [])
        group.account_id, group.region_name = self.account_id, self.region_name
        return group

    def real_to_dict(self):
        result = to_dict(self)
        account_id, region = getattr(self, "account_id", None), getattr(self, "region_name", None)
        if account_id is None or not self.subnetIds:
            return result
        ec2 = ec2_backends[account_id][region]
        subnets = [ec2.get_subnet(subnet_id) for subnet_id in self.subnetIds]
        result["VpcId"] = subnets[0].vpc_id
        result["Subnets"] = [
            {"SubnetIdentifier": subnet.id, "SubnetAvailabilityZone": {"Name": subnet.availability_zone}, "SubnetStatus": "Active"}
            for subnet in subnets
        ]
        return result

    models.DatabaseMigrationServiceBackend.create_replication_subnet_group = create_replication_subnet_group
    group_cls.to_dict = real_to_dict
    group_cls._payments_real_subnets = True  # pylint: disable=protected-access


FIXES = [
    Fix(
        fix_id="dms-resource-tag-writes",
        aws_behaviour=(
            "DMS AddTagsToResource and RemoveTagsFromResource add and remove tags on a replication instance, endpoint "
            "or task (ResourceNotFoundFault for an unknown ARN); moto implements only ListTagsForResource."
        ),
        reference="https://docs.aws.amazon.com/dms/latest/APIReference/API_AddTagsToResource.html",
        apply=_apply_tagging,
    ),
    Fix(
        fix_id="dms-random-resource-ids",
        aws_behaviour=(
            "DMS ARNs of replication instances and tasks end in a random resource id "
            "(arn:aws:dms:<region>:<account>:rep:ABC...), not the identifier (failure catalogue F18); a second "
            "instance or task with an existing identifier is refused with ResourceAlreadyExistsFault."
        ),
        reference="https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Introduction.AWS.ARN.html",
        apply=_apply_random_arns,
    ),
    Fix(
        fix_id="dms-replication-task-lifecycle",
        aws_behaviour=(
            "A new replication task moves from creating to ready; ModifyReplicationTask changes the migration type, "
            "table mappings and settings of a task that is not running, and answers InvalidResourceStateFault otherwise; "
            "a running task cannot be deleted."
        ),
        reference="https://docs.aws.amazon.com/dms/latest/APIReference/API_ModifyReplicationTask.html",
        apply=_apply_task_lifecycle,
    ),
    Fix(
        fix_id="dms-endpoints-active-and-modifiable",
        aws_behaviour=(
            "A new endpoint is active, with SslMode none unless given; ModifyEndpoint changes its fields and merges "
            "engine settings (replaces them with ExactSettings); an endpoint used by a replication task cannot be deleted."
        ),
        reference="https://docs.aws.amazon.com/dms/latest/APIReference/API_ModifyEndpoint.html",
        apply=_apply_endpoints,
    ),
    Fix(
        fix_id="dms-subnet-group-real-subnets",
        aws_behaviour=(
            "DescribeReplicationSubnetGroups reports the group's own subnets, their availability zones and their VPC; "
            "moto reports a fixed vpc-12345 / subnet-12345."
        ),
        reference="https://docs.aws.amazon.com/dms/latest/APIReference/API_ReplicationSubnetGroup.html",
        apply=_apply_subnet_groups,
    ),
]
