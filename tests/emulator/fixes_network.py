# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the network tier of the stand-in: the network interfaces of managed services.

Each fix is shown by ``tests/unit/emulator/test_fixes_network.py``. On AWS an application load balancer,
an RDS/Aurora DB instance, a DMS replication instance and a Fargate (awsvpc) task each have
requester-managed network interfaces in their subnets, and those interfaces stay for minutes after
their owner is deleted. Meanwhile DeleteSecurityGroup, DeleteSubnet and DeleteVpc answer
DependencyViolation, and DeleteDBSubnetGroup / DeleteReplicationSubnetGroup refuse the group.
moto 5.2.5 creates no interface for ELBv2, RDS or DMS (only for ECS RunTask, and never removes it),
never removes a deleted NAT gateway's interface, and deletes subnets, groups and VPCs regardless of
interfaces.

The stand-in creates such interfaces (with AWS-like descriptions and requester ids) and removes them
EMULATOR_ENI_LINGER_SECONDS (default 3) after their owner is deleted. Only these interfaces are
counted as dependents, so moto's own bookkeeping of other interfaces is left as it is.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

from fixes import Fix  # pylint: disable=import-error

LINGER_SECONDS_ENV = "EMULATOR_ENI_LINGER_SECONDS"
MAX_TASK_ENIS = 4
# eni_id -> {"backend": EC2 backend, "owner": (service, id), "group": subnet group or None, "expires": None | monotonic seconds}
_MANAGED: dict[str, dict] = {}
_LOCK = threading.RLock()


def linger_seconds() -> float:
    return float(os.environ.get(LINGER_SECONDS_ENV, "3"))


def _ec2(account_id, region):
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region]


def add_managed_eni(ec2, subnet_id, group_ids, description, requester_id, owner, subnet_group=None):
    """Create a requester-managed interface of ``owner`` in ``subnet_id``, as AWS does for a managed service."""
    eni = ec2.create_network_interface(subnet=subnet_id, private_ip_address=None, group_ids=list(group_ids or []), description=description)
    eni.requester_managed = True
    eni.requester_id = requester_id
    eni.status = "in-use"
    with _LOCK:
        _MANAGED[eni.id] = {"backend": ec2, "owner": owner, "group": subnet_group, "expires": None}
    return eni


def release_owner(owner):
    """The owner is deleted: its interfaces go after the linger time (at once with 0)."""
    expires = time.monotonic() + linger_seconds()
    with _LOCK:
        for record in _MANAGED.values():
            if record["owner"] == owner and record["expires"] is None:
                record["expires"] = expires
    purge()


def purge():
    """Remove the interfaces whose linger time has passed (and forget those moto no longer has)."""
    now = time.monotonic()
    with _LOCK:
        for eni_id, record in list(_MANAGED.items()):
            if eni_id not in record["backend"].enis:
                del _MANAGED[eni_id]
                continue
            task = record.get("task")
            if task is not None and record["expires"] is None and task.last_status == "STOPPED":
                record["expires"] = now + linger_seconds()
            if record["expires"] is not None and record["expires"] <= now:
                record["backend"].enis.pop(eni_id, None)
                del _MANAGED[eni_id]


def holders(ec2, match):
    """The managed interfaces of ``ec2`` (live or lingering) for which ``match(eni, record)`` is true."""
    purge()
    with _LOCK:
        return [ec2.enis[eni_id] for eni_id, record in _MANAGED.items() if record["backend"] is ec2 and match(ec2.enis[eni_id], record)]


def _wrap(cls, name, make, tag="_payments_eni"):
    """Replace ``cls.name`` by ``make(current)`` unless it already is this wrapper (``tag``: apply_all may run again)."""
    current = getattr(cls, name)
    if getattr(current, tag, False):
        return
    wrapper = make(current)
    setattr(wrapper, tag, True)
    # A later wrapper of another tag keeps the tags of those below it, so that none is applied twice.
    for below in ("_payments_eni", "_payments_targets"):
        if getattr(current, below, False):
            setattr(wrapper, below, True)
    setattr(cls, name, wrapper)


def _subnet_vpc(eni):
    return getattr(eni.subnet, "vpc_id", None)


def _group_ids(eni):
    return {getattr(group, "id", group) for group in getattr(eni, "_group_set", [])}


# --- EC2: interfaces of deleted owners hold their security groups, subnets and VPC ---------------

def _apply_ec2_dependents() -> None:
    from moto.ec2.exceptions import DependencyViolationError
    from moto.ec2.models import EC2Backend

    def delete_security_group(original):
        def wrapper(self, name=None, group_id=None):
            if group_id and holders(self, lambda eni, record: group_id in _group_ids(eni)):
                raise DependencyViolationError(f"resource {group_id} has a dependent object")
            return original(self, name=name, group_id=group_id)
        return wrapper

    def delete_subnet(original):
        def wrapper(self, subnet_id):
            if holders(self, lambda eni, record: eni.subnet.id == subnet_id):
                raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
            return original(self, subnet_id)
        return wrapper

    def delete_vpc(original):
        def wrapper(self, vpc_id):
            if holders(self, lambda eni, record: _subnet_vpc(eni) == vpc_id):
                raise DependencyViolationError(f"The vpc '{vpc_id}' has dependencies and cannot be deleted.")
            return original(self, vpc_id)
        return wrapper

    def get_all_network_interfaces(original):
        def wrapper(self, eni_ids=None, filters=None):
            purge()
            return original(self, eni_ids, filters)
        return wrapper

    _wrap(EC2Backend, "delete_security_group", delete_security_group)
    _wrap(EC2Backend, "delete_subnet", delete_subnet)
    _wrap(EC2Backend, "delete_vpc", delete_vpc)
    _wrap(EC2Backend, "get_all_network_interfaces", get_all_network_interfaces)


def _apply_nat_gateway_eni() -> None:
    from moto.ec2.models import EC2Backend

    def create_nat_gateway(original):
        def wrapper(self, *args, **kwargs):
            gateway = original(self, *args, **kwargs)
            eni = gateway._eni  # pylint: disable=protected-access
            eni.description, eni.requester_managed, eni.requester_id, eni.status = f"Interface for NAT Gateway {gateway.id}", True, "amazon-nat", "in-use"
            with _LOCK:
                _MANAGED[eni.id] = {"backend": self, "owner": ("nat", gateway.id), "group": None, "expires": None}
            return gateway
        return wrapper

    _wrap(EC2Backend, "create_nat_gateway", create_nat_gateway)
    _wrap(EC2Backend, "delete_nat_gateway", _releasing(lambda self, result, *a, **kw: ("nat", result.id)))


def _releasing(owner_of):
    """A wrapper maker: call the original, then release the interfaces of ``owner_of(self, result, *args)``."""
    def make(original):
        def wrapper(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            release_owner(owner_of(self, result, *args, **kwargs))
            return result
        return wrapper
    return make


# --- ELBv2: one interface per subnet of a load balancer --------------------------------------------

def _apply_elbv2_enis() -> None:
    from moto.elbv2.models import ELBv2Backend

    def create_load_balancer(original):
        def wrapper(self, *args, **kwargs):
            balancer = original(self, *args, **kwargs)
            kind = {"application": "app", "network": "net", "gateway": "gwy"}.get(balancer.type, "app")
            for subnet in balancer.subnets:
                add_managed_eni(self.ec2_backend, subnet.id, balancer.security_groups,
                                f"ELB {kind}/{balancer.name}/{balancer.arn.split('/')[-1]}", "amazon-elb", ("elbv2", balancer.arn))
            return balancer
        return wrapper

    _wrap(ELBv2Backend, "create_load_balancer", create_load_balancer)
    _wrap(ELBv2Backend, "delete_load_balancer", _releasing(lambda self, result, *a, **kw: ("elbv2", a[0] if a else kw.get("arn"))))


# --- RDS: one interface per DB instance; its subnet group is refused meanwhile ---------------------

def _rds_subnet_group(backend, instance):
    group = getattr(instance, "db_subnet_group", None)
    cluster = backend.clusters.get(getattr(instance, "db_cluster_identifier", None) or "")
    if group is None and cluster is not None:
        name = getattr(cluster, "_db_subnet_group_name", None) or getattr(cluster, "db_subnet_group", None)
        group = backend.subnet_groups.get(name) if isinstance(name, str) else None
    return group, cluster


def _apply_rds_enis() -> None:
    from moto.rds.exceptions import RDSClientError
    from moto.rds.models import RDSBackend

    def create_db_instance(original):
        def wrapper(self, db_kwargs):
            instance = original(self, db_kwargs)
            group, cluster = _rds_subnet_group(self, instance)
            subnets = getattr(group, "_subnets", None) or []
            if subnets:
                security_groups = list(getattr(instance, "vpc_security_group_ids", None) or getattr(cluster, "vpc_security_group_ids", None) or [])
                add_managed_eni(_ec2(self.account_id, self.region_name), subnets[0].id, security_groups, "RDSNetworkInterface",
                                "amazon-rds", ("rds", instance.db_instance_identifier), subnet_group=("rds", group.name))
            return instance
        return wrapper

    def delete_subnet_group(original):
        def wrapper(self, subnet_name):
            if holders(_ec2(self.account_id, self.region_name), lambda eni, record: record["group"] == ("rds", subnet_name.lower())):
                raise RDSClientError(
                    "InvalidDBSubnetGroupStateFault",
                    f"Cannot delete the subnet group '{subnet_name}' because at least one database instance is still using it.",
                )
            return original(self, subnet_name)
        return wrapper

    _wrap(RDSBackend, "create_db_instance", create_db_instance)
    _wrap(RDSBackend, "delete_db_instance", _releasing(lambda self, result, *a, **kw: ("rds", result.db_instance_identifier)))
    _wrap(RDSBackend, "delete_subnet_group", delete_subnet_group)


# --- DMS: one interface per replication instance; its subnet group is refused meanwhile -----------

def _apply_dms_enis() -> None:
    from moto.dms.exceptions import InvalidResourceStateFault
    from moto.dms.models import DatabaseMigrationServiceBackend as DMSBackend

    def create_replication_instance(original):
        def wrapper(self, *args, **kwargs):
            instance = original(self, *args, **kwargs)
            group_id = getattr(instance, "replication_subnet_group_identifier", None)
            group = self.replication_subnet_groups.get(group_id) if group_id else None
            if group is not None and group.subnetIds:
                groups = [g.get("VpcSecurityGroupId") if isinstance(g, dict) else g for g in (getattr(instance, "vpc_security_groups", None) or [])]
                add_managed_eni(_ec2(self.account_id, self.region_name), group.subnetIds[0], [g for g in groups if g],
                                "DMSNetworkInterface", "amazon-dms", ("dms", instance.arn), subnet_group=("dms", group_id))
            return instance
        return wrapper

    def delete_replication_subnet_group(original):
        def wrapper(self, replication_subnet_group_identifier):
            if holders(_ec2(self.account_id, self.region_name), lambda eni, record: record["group"] == ("dms", replication_subnet_group_identifier)):
                raise InvalidResourceStateFault(
                    f"Cannot delete the replication subnet group {replication_subnet_group_identifier}: a replication instance still uses it."
                )
            return original(self, replication_subnet_group_identifier)
        return wrapper

    _wrap(DMSBackend, "create_replication_instance", create_replication_instance)
    _wrap(DMSBackend, "delete_replication_instance", _releasing(lambda self, result, *a, **kw: ("dms", result.arn)))
    _wrap(DMSBackend, "delete_replication_subnet_group", delete_replication_subnet_group)


# --- ECS: one interface per running awsvpc task of a service ---------------------------------------

def _service_owner(service):
    return ("ecs", service.arn)


def _sync_task_enis(backend, service):
    """As many task interfaces as the service's desired count (at most MAX_TASK_ENIS); extra ones are released."""
    config = (getattr(service, "network_configuration", None) or {}).get("awsvpcConfiguration") or {}
    subnets = config.get("subnets") or []
    if not subnets:
        return
    owner = _service_owner(service)
    ec2 = _ec2(backend.account_id, backend.region_name)
    live = holders(ec2, lambda eni, record: record["owner"] == owner and record["expires"] is None)
    wanted = min(int(service.desired_count or 0), MAX_TASK_ENIS)
    for index in range(len(live), wanted):
        add_managed_eni(ec2, subnets[index % len(subnets)], config.get("securityGroups") or [],
                        f"arn:aws:ecs:{backend.region_name}:{backend.account_id}:attachment/{uuid.uuid4()}", "amazon-ecs", owner)
    expires = time.monotonic() + linger_seconds()
    with _LOCK:
        for eni in live[wanted:]:
            _MANAGED[eni.id]["expires"] = expires


def _apply_ecs_enis() -> None:
    from moto.ecs.models import EC2ContainerServiceBackend as ECSBackend

    def syncing(original):
        def wrapper(self, *args, **kwargs):
            service = original(self, *args, **kwargs)
            _sync_task_enis(self, service)
            return service
        return wrapper

    _wrap(ECSBackend, "create_service", syncing)
    _wrap(ECSBackend, "update_service", syncing)
    _wrap(ECSBackend, "delete_service", _releasing(lambda self, service, *a, **kw: _service_owner(service)))


# --- ELBv2 target groups: a service's running tasks are its targets ------------------------------

def _service_target_groups(backend, service):
    """The target groups named by the service's loadBalancers, in its region."""
    from moto.elbv2.models import elbv2_backends  # pylint: disable=import-outside-toplevel

    elbv2 = elbv2_backends[backend.account_id][backend.region_name]
    for entry in getattr(service, "load_balancers", None) or []:
        group = elbv2.target_groups.get(entry.get("targetGroupArn") or "")
        if group is not None and group.target_type == "ip":
            yield group, int(entry.get("containerPort") or group.port or 80)


def _sync_task_targets(backend, service):
    """Register the private address of each running task interface of the service, deregister the others."""
    owner = _service_owner(service)
    ec2 = _ec2(backend.account_id, backend.region_name)
    running = service.status == "ACTIVE" and int(service.desired_count or 0) > 0
    addresses = [eni.private_ip_address for eni in holders(ec2, lambda eni, record: record["owner"] == owner and record["expires"] is None)
                 ] if running else []
    for group, port in _service_target_groups(backend, service):
        gone = [{"Id": target_id} for target_id in list(group.targets) if target_id not in addresses]
        if gone:
            group.deregister(gone)
        group.register([{"Id": address, "Port": port} for address in addresses if address not in group.targets])


def _apply_ecs_targets() -> None:
    from moto.ecs.models import EC2ContainerServiceBackend as ECSBackend

    def registering(original):
        def wrapper(self, *args, **kwargs):
            service = original(self, *args, **kwargs)
            _sync_task_targets(self, service)
            return service
        return wrapper

    for name in ("create_service", "update_service", "delete_service"):
        _wrap(ECSBackend, name, registering, tag="_payments_targets")


def _apply_run_task_enis() -> None:
    """A RunTask task's interface (created by moto) becomes managed; purge() releases it once the task is STOPPED."""
    from moto.ecs.models import EC2ContainerServiceBackend as ECSBackend

    def run_task(original):
        def wrapper(self, *args, **kwargs):
            tasks = original(self, *args, **kwargs)
            ec2 = _ec2(self.account_id, self.region_name)
            for task in tasks:
                for attachment in getattr(task, "attachments", None) or []:
                    details = {item["name"]: item["value"] for item in attachment.get("details") or []}
                    eni = ec2.enis.get(details.get("networkInterfaceId", ""))
                    if eni is None:
                        continue
                    eni.description = f"arn:aws:ecs:{self.region_name}:{self.account_id}:attachment/{attachment['id']}"
                    eni.requester_managed, eni.requester_id = True, "amazon-ecs"
                    with _LOCK:
                        _MANAGED[eni.id] = {"backend": ec2, "owner": ("ecs-task", task.task_arn), "group": None,
                                            "expires": None, "task": task}
            return tasks
        return wrapper

    _wrap(ECSBackend, "run_task", run_task)


FIXES = [
    Fix(
        fix_id="ec2-managed-enis-hold-their-network",
        aws_behaviour=(
            "While a network interface exists in them (also one of a deleted load balancer, DB instance, DMS instance or Fargate "
            "task, for minutes after its owner is gone), DeleteSecurityGroup answers DependencyViolation 'resource sg-... has a "
            "dependent object', DeleteSubnet 'The subnet 'subnet-...' has dependencies and cannot be deleted.' and DeleteVpc "
            "'The vpc 'vpc-...' has dependencies and cannot be deleted.'; moto deletes them regardless."
        ),
        reference="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSubnet.html",
        apply=_apply_ec2_dependents,
    ),
    Fix(
        fix_id="ec2-nat-gateway-eni-released",
        aws_behaviour=(
            "A NAT gateway's network interface (Description 'Interface for NAT Gateway nat-...', requester-managed) is "
            "released shortly after DeleteNatGateway; moto keeps it for ever, so the subnet and VPC could never be deleted."
        ),
        reference="https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html",
        apply=_apply_nat_gateway_eni,
    ),
    Fix(
        fix_id="elbv2-load-balancer-enis",
        aws_behaviour=(
            "An application load balancer has a requester-managed interface (RequesterId amazon-elb, Description "
            "'ELB app/<name>/<id>') in each of its subnets, released some time after DeleteLoadBalancer; moto creates none."
        ),
        reference="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones",
        apply=_apply_elbv2_enis,
    ),
    Fix(
        fix_id="rds-instance-enis",
        aws_behaviour=(
            "A DB instance has a requester-managed interface (Description RDSNetworkInterface, RequesterId amazon-rds) in its DB "
            "subnet group, released some time after DeleteDBInstance; meanwhile DeleteDBSubnetGroup answers "
            "InvalidDBSubnetGroupStateFault. moto creates no interface and deletes the group at once."
        ),
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSubnetGroup.html",
        apply=_apply_rds_enis,
    ),
    Fix(
        fix_id="dms-replication-instance-enis",
        aws_behaviour=(
            "A DMS replication instance has a requester-managed interface (Description DMSNetworkInterface) in its replication "
            "subnet group, released some time after DeleteReplicationInstance; meanwhile DeleteReplicationSubnetGroup answers "
            "InvalidResourceStateFault. moto creates no interface and deletes the group at once."
        ),
        reference="https://docs.aws.amazon.com/dms/latest/APIReference/API_DeleteReplicationSubnetGroup.html",
        apply=_apply_dms_enis,
    ),
    Fix(
        fix_id="ecs-awsvpc-task-enis",
        aws_behaviour=(
            "Each running task of an awsvpc (Fargate) service has a requester-managed interface (Description "
            "'arn:aws:ecs:<region>:<account>:attachment/<id>') in one of the service's subnets, released some time after the "
            "task stops (DeleteService); moto creates interfaces only for RunTask and never removes them."
        ),
        reference="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
        apply=_apply_ecs_enis,
    ),
    Fix(
        fix_id="ecs-service-task-targets",
        aws_behaviour=(
            "A service with loadBalancers registers each running task's private address (awsvpc, target type ip) with the "
            "target group on the container port, and deregisters it when the task stops (scale-in, DeleteService); "
            "DescribeTargetHealth then reports the running tasks, healthy once their health checks pass. moto registers "
            "nothing, so a target group behind a running service reports no targets."
        ),
        reference=(
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html; "
            "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetHealth.html"
        ),
        apply=_apply_ecs_targets,
    ),
    Fix(
        fix_id="ecs-run-task-eni-released",
        aws_behaviour=(
            "The interface of a task started by RunTask in awsvpc mode (Fargate) is requester-managed (Description "
            "'arn:aws:ecs:<region>:<account>:attachment/<id>') and is detached and deleted while the task goes through "
            "DEPROVISIONING to STOPPED; moto names it 'moto ECS' and keeps it in-use for ever, so the task's subnet, security "
            "group and VPC could never be deleted after a one-off task."
        ),
        reference="https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
        apply=_apply_run_task_enis,
    ),
]
