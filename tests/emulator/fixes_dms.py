# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the DMS tier of the stand-in (picked up by fixes.all_fixes()).

Each fix is shown by ``tests/unit/emulator/test_fixes_dms.py``. DescribeEngineVersions is served
by the ``engine-versions-from-catalog`` fix in fixes.py.
"""

from __future__ import annotations

import ipaddress
import json
import os
import random
import string
import time

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
# The settings block of each engine (as plugins/module_utils/dms_endpoint.py sends it).
_SETTINGS_OF = {
    "postgres": "PostgreSQLSettings", "aurora-postgresql": "PostgreSQLSettings", "mysql": "MySQLSettings", "mariadb": "MySQLSettings",
    "aurora": "MySQLSettings", "oracle": "OracleSettings", "sqlserver": "MicrosoftSQLServerSettings",
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


# --- MySQL-compatible endpoints take no DatabaseName ---------------------------------------------
# The engines whose endpoints use MySQLSettings (the DMS names of MySQL, MariaDB and Aurora MySQL).
MYSQL_ENGINES = ("mysql", "mariadb", "aurora", "aurora-serverless")
MYSQL_DATABASE_NAME_MESSAGE = (
    "DatabaseName is not used for a MySQL-compatible endpoint (engine {engine}): DMS replicates every task table into "
    "that single database. Do not specify DatabaseName on CreateEndpoint or ModifyEndpoint; select the schema in the "
    "task's table mappings."
)


def _invalid_parameter(message):
    from moto.dms.exceptions import DmsClientError

    return DmsClientError("InvalidParameterValueException", message)


def _apply_mysql_database_name() -> None:
    from moto.dms import models
    from moto.dms.responses import DatabaseMigrationServiceResponse

    backend_cls = models.DatabaseMigrationServiceBackend
    create_endpoint = backend_cls.create_endpoint
    modify_endpoint = DatabaseMigrationServiceResponse.modify_endpoint
    if getattr(create_endpoint, "payments_mysql_database_name", False):
        return

    def create(self, *args, **kwargs):
        engine = kwargs.get("engine_name")
        if engine in MYSQL_ENGINES and kwargs.get("database_name"):
            raise _invalid_parameter(MYSQL_DATABASE_NAME_MESSAGE.format(engine=engine))
        return create_endpoint(self, *args, **kwargs)

    def modify(self):
        params = _params(self)
        if params.get("DatabaseName"):
            endpoint = next((item for item in self.dms_backend.endpoints.values() if item.endpoint_arn == params.get("EndpointArn")), None)
            engine = params.get("EngineName") or (endpoint.engine_name if endpoint is not None else None)
            if engine in MYSQL_ENGINES:
                raise _invalid_parameter(MYSQL_DATABASE_NAME_MESSAGE.format(engine=engine))
        return modify_endpoint(self)

    create.payments_mysql_database_name = True
    backend_cls.create_endpoint = create
    DatabaseMigrationServiceResponse.modify_endpoint = modify


# --- dms-vpc-role propagation -------------------------------------------------------------------
ROLE_PROPAGATION_SECONDS_VARIABLE = "EMULATOR_DMS_ROLE_PROPAGATION_SECONDS"
DMS_VPC_ROLE_MESSAGE = "The IAM Role arn:{partition}:iam::{account}:role/dms-vpc-role is not configured properly."


def role_propagation_seconds() -> float:
    """How long DMS refuses a new dms-vpc-role, read at each call so a test can change it."""
    return float(os.environ.get(ROLE_PROPAGATION_SECONDS_VARIABLE, "2"))


def _apply_dms_vpc_role_propagation() -> None:
    from moto.core.utils import utcnow
    from moto.dms import models
    from moto.iam.models import iam_backends

    backend_cls = models.DatabaseMigrationServiceBackend
    create_group = backend_cls.create_replication_subnet_group
    if getattr(create_group, "payments_role_propagation", False):
        return

    def create_replication_subnet_group(self, *args, **kwargs):
        partition = "aws-cn" if self.region_name.startswith("cn-") else "aws"
        role = next((item for item in iam_backends[self.account_id][partition].roles.values() if item.name == "dms-vpc-role"), None)
        if role is not None and (utcnow() - role.create_date).total_seconds() < role_propagation_seconds():
            from moto.dms.exceptions import DmsClientError

            raise DmsClientError("AccessDeniedFault", DMS_VPC_ROLE_MESSAGE.format(partition=partition, account=self.account_id))
        return create_group(self, *args, **kwargs)

    create_replication_subnet_group.payments_role_propagation = True
    backend_cls.create_replication_subnet_group = create_replication_subnet_group


# --- TestConnection / DescribeConnections -------------------------------------------------------
CONNECTION_TEST_SECONDS = 1.0
_ROUTED_TARGETS = ("vgw-", "tgw-", "pcx-", "eni-", "i-", "vpce-")


def _host_of(backend, endpoint):
    """The address DMS connects to: ServerName, or the host of the endpoint's Secrets Manager secret."""
    if endpoint.server_name:
        return endpoint.server_name
    settings = getattr(endpoint, _ENDPOINT_SETTINGS.get(_SETTINGS_OF.get(endpoint.engine_name, ""), ""), None) or {}
    secret_id = settings.get("SecretsManagerSecretId")
    if not secret_id:
        return None
    from moto.secretsmanager.models import secretsmanager_backends

    try:
        value = secretsmanager_backends[backend.account_id][backend.region_name].get_secret_value(secret_id, None, None)
        return json.loads(value.get("SecretString") or "{}").get("host")
    except Exception:  # pylint: disable=broad-except
        return None


def _route_for(route_table, address):
    """The most specific IPv4 route of ``route_table`` that covers ``address`` (None without one)."""
    best = None
    for route in route_table.routes:
        if not route.destination_cidr_block:
            continue
        network = ipaddress.ip_network(route.destination_cidr_block, strict=False)
        if address in network and (best is None or network.prefixlen > ipaddress.ip_network(best.destination_cidr_block).prefixlen):
            best = route
    return best


def _route_target(route):
    if route.local:
        return "local"
    for item in (route.gateway, route.nat_gateway, route.transit_gateway, route.vpc_pcx, route.interface, route.instance):
        if item is not None:
            return item.id
    return route.vpc_endpoint_id or "none"


def _subnet_route_table(ec2, subnet):
    tables = [table for table in ec2.route_tables.values() if table.vpc_id == subnet.vpc_id]
    for table in tables:
        if subnet.id in table._associations.values():  # pylint: disable=protected-access
            return table
    return next((table for table in tables if table.main_association_id), None)


def reachability(dms_backend, instance, endpoint):
    """(reachable, why) of ``endpoint`` from the subnets of ``instance``: the stand-in's model of the network."""
    from moto.ec2.models import ec2_backends

    host = _host_of(dms_backend, endpoint)
    if not host:
        return False, "the endpoint has no server name and its secret no host"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True, f"{host} is a DNS name (the stand-in does not resolve names)"
    group = dms_backend.replication_subnet_groups.get(instance.replication_subnet_group_identifier or "")
    subnet_ids = list(getattr(group, "subnetIds", None) or [])
    if not subnet_ids or getattr(group, "account_id", None) is None:
        return True, "the instance has no subnet group with real subnets (not modelled)"
    ec2 = ec2_backends[dms_backend.account_id][dms_backend.region_name]
    for subnet_id in subnet_ids:
        subnet = ec2.get_subnet(subnet_id)
        table = _subnet_route_table(ec2, subnet)
        route = _route_for(table, address) if table is not None else None
        target = _route_target(route) if route is not None else "none"
        if target == "local":
            continue
        if address.is_private and not target.startswith(_ROUTED_TARGETS):
            return False, (f"subnet {subnet_id} routes {host} via {target}: a private address is not reachable through a NAT "
                           "gateway or an internet gateway (it needs a route to a VPN gateway or transit gateway)")
        if not address.is_private and target == "none":
            return False, f"subnet {subnet_id} has no route to {host}"
    return True, f"every subnet of the instance routes {host}"


def _apply_test_connection() -> None:
    from moto.dms import models
    from moto.dms.exceptions import InvalidResourceStateFault
    from moto.dms.exceptions import ResourceNotFoundFault

    backend_cls = models.DatabaseMigrationServiceBackend
    if getattr(backend_cls.test_connection, "payments_connections", False):
        return

    def test_connection(self, replication_instance_arn, endpoint_arn):  # pylint: disable=too-many-locals
        instance = self.replication_instances.get(replication_instance_arn)
        if instance is None:
            raise ResourceNotFoundFault("Replication instance could not be found.")
        endpoint = next((item for item in self.endpoints.values() if item.endpoint_arn == endpoint_arn), None)
        if endpoint is None:
            raise ResourceNotFoundFault("Endpoint could not be found.")
        if instance.status != "available":
            raise InvalidResourceStateFault(f"Replication instance {instance.id} is {instance.status}; it must be available.")
        connection = next((item for item in self.connections
                           if item.replication_instance_arn == instance.arn and item.endpoint_arn == endpoint_arn), None)
        if connection is None:
            connection = models.FakeConnection(replication_instance_arn=instance.arn, endpoint_arn=endpoint_arn,
                                               replication_instance_identifier=instance.id,
                                               endpoint_identifier=endpoint.endpoint_identifier)
            self.connections.append(connection)
        reachable, why = reachability(self, instance, endpoint)
        connection.payments_started = time.monotonic()
        connection.payments_result = ("successful", "") if reachable else (
            "failed",
            "Test connection failed for endpoint '{}' and replication instance '{}'. Application-Status: 1020912, "
            "Application-Message: Cannot connect to ODBC provider Network error has occurred (stand-in: {})".format(
                endpoint.endpoint_identifier, instance.id, why),
        )
        return connection

    def describe_connections(self, filters, max_records=None, marker=None):  # pylint: disable=unused-argument
        names = {"endpoint-arn": "endpoint_arn", "replication-instance-arn": "replication_instance_arn"}
        connections = list(self.connections)
        for item in filters or []:
            if item.get("Name") not in names:
                raise _invalid_parameter(f"Invalid filter name: {item.get('Name')}")
            connections = [c for c in connections if getattr(c, names[item["Name"]]) in item.get("Values", [])]
        return connections

    to_dict = models.FakeConnection.to_dict

    def connection_to_dict(self):
        result = to_dict(self)
        started = getattr(self, "payments_started", None)
        if started is not None:
            # "testing" for CONNECTION_TEST_SECONDS after TestConnection, then the outcome.
            done = time.monotonic() - started >= CONNECTION_TEST_SECONDS
            result["Status"] = self.payments_result[0] if done else "testing"
            result["LastFailureMessage"] = self.payments_result[1] if done else ""
        return result

    test_connection.payments_connections = True
    backend_cls.test_connection = test_connection
    backend_cls.describe_connections = describe_connections
    models.FakeConnection.to_dict = connection_to_dict


# --- The account's on-premises link ----------------------------------------------------------------
ONPREM_TRANSIT_GATEWAY_ID = "tgw-0123456789abcdef0"
ONPREM_VPN_GATEWAY_ID = "vgw-0123456789abcdef0"


def _apply_onprem_link() -> None:
    from moto.ec2 import models as ec2_models
    from moto.ec2.models.transit_gateway import TransitGateway
    from moto.ec2.models.vpn_gateway import VpnGateway

    backend_cls = ec2_models.EC2Backend
    original_init = backend_cls.__init__
    if getattr(original_init, "payments_onprem_link", False):
        return

    def __init__(self, region_name, account_id):
        original_init(self, region_name, account_id)
        tags = {"Name": "onprem-link (stand-in: the network team's link to the data centre)"}
        gateway = TransitGateway(self, "On-premises link (stand-in)")
        gateway.id = ONPREM_TRANSIT_GATEWAY_ID
        gateway.add_tags(tags)
        self.transit_gateways[gateway.id] = gateway
        self.vpn_gateways[ONPREM_VPN_GATEWAY_ID] = VpnGateway(self, ONPREM_VPN_GATEWAY_ID, "ipsec.1", None, None, tags)

    __init__.payments_onprem_link = True
    backend_cls.__init__ = __init__


# --- Transit gateway VPC attachments keep the tags they are created with ---------------------------
def _apply_tgw_attachment_tags() -> None:
    from moto.ec2.responses.transit_gateway_attachments import TransitGatewayAttachment

    create = TransitGatewayAttachment.create_transit_gateway_vpc_attachment
    if getattr(create, "payments_tags", False):
        return

    def create_transit_gateway_vpc_attachment(self):
        result = create(self)
        # moto reads the tags of resource type transit-gateway-route-table; AWS applies transit-gateway-attachment's.
        tags = self._parse_tag_specification().get("transit-gateway-attachment", {})  # pylint: disable=protected-access
        if tags:
            attachment = result.result["TransitGatewayVpcAttachment"]
            self.ec2_backend.create_tags([attachment.id], tags)
        return result

    create_transit_gateway_vpc_attachment.payments_tags = True
    TransitGatewayAttachment.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment


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
    Fix(
        fix_id="dms-mysql-endpoint-no-database-name",
        aws_behaviour=(
            "DatabaseName is not used for MySQL, MariaDB and Aurora MySQL endpoints: AWS says not to specify it on "
            "CreateEndpoint or ModifyEndpoint (with it, DMS replicates every task table into that single database) and "
            "to select schemas in the table mappings. AWS publishes no error text for it; the stand-in refuses it with "
            "InvalidParameterValueException and a message saying so."
        ),
        reference="https://docs.aws.amazon.com/dms/latest/APIReference/API_MySQLSettings.html",
        apply=_apply_mysql_database_name,
    ),
    Fix(
        fix_id="dms-vpc-role-propagation",
        aws_behaviour=(
            "IAM is eventually consistent: for a few seconds after CreateRole, DMS CreateReplicationSubnetGroup answers "
            "AccessDeniedFault 'The IAM Role arn:aws:iam::<account>:role/dms-vpc-role is not configured properly.' although "
            "GetRole already returns the role. The stand-in refuses for EMULATOR_DMS_ROLE_PROPAGATION_SECONDS (default 2) "
            "after the role's creation."
        ),
        reference="https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency",
        apply=_apply_dms_vpc_role_propagation,
    ),
    Fix(
        fix_id="dms-test-connection-reachability",
        aws_behaviour=(
            "TestConnection answers status testing; DescribeConnections then reports successful, or failed with a "
            "LastFailureMessage when the replication instance cannot reach the endpoint. Stand-in model: an IP address is "
            "reachable when every subnet of the instance's subnet group routes it locally or, for a private (RFC 1918) "
            "address, to a VPN gateway, transit gateway, peering connection or interface (not a NAT gateway or internet "
            "gateway); DNS names are reachable. TestConnection on an instance that is not available is refused."
        ),
        reference="https://docs.aws.amazon.com/dms/latest/APIReference/API_TestConnection.html",
        apply=_apply_test_connection,
    ),
    Fix(
        fix_id="ec2-onprem-link-exists",
        aws_behaviour=(
            "An account that migrates from a data centre already has its link there, owned by its network team (a transit "
            "gateway or a VPN gateway with a Site-to-Site VPN or Direct Connect). The stand-in's accounts have one in every "
            "region: transit gateway tgw-0123456789abcdef0 and VPN gateway vgw-0123456789abcdef0 (detached), which "
            "network_dms_source_route_target of inventories/local and the examples names."
        ),
        reference="https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpn-attachments.html",
        apply=_apply_onprem_link,
    ),
    Fix(
        fix_id="ec2-tgw-attachment-creation-tags",
        aws_behaviour=(
            "CreateTransitGatewayVpcAttachment applies the TagSpecifications of resource type transit-gateway-attachment "
            "to the new attachment; moto reads those of transit-gateway-route-table and creates it untagged, so "
            "amazon.aws.ec2_transit_gateway_vpc_attachment re-tags it on the next run (changed=1)."
        ),
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTransitGatewayVpcAttachment.html",
        apply=_apply_tgw_attachment_tags,
    ),
]
