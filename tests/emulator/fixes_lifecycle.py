# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Intermediate states of slow resources, on a clock (picked up by fixes.all_fixes()).

moto makes a new Aurora cluster ``available`` at the first read after CreateDBCluster, so a
client that creates the cluster and its instances back to back never meets the window in which
AWS still says ``creating`` and refuses to add instances. Here the cluster stays ``creating``
for ``EMULATOR_RDS_CLUSTER_CREATE_SECONDS`` seconds of wall clock (default 1; real AWS takes
minutes), and CreateDBInstance into a cluster that is not ``available`` answers AWS's error.

Latency mode (opt-in, ``EMULATOR_LATENCY=<scale>``, e.g. ``1/60``: a minute of AWS is a second
here; ``on`` means 1/60). Every slow resource of DURATIONS stays in AWS's intermediate state for
its real creation time times the scale, then reports its ready state: NAT gateways ``pending``,
Aurora clusters and instances ``creating``, DMS replication instances ``creating``, load
balancers ``provisioning``, ECS deployments ``IN_PROGRESS``. A product that reads the state
before using a resource works unchanged; one that assumes moto's instant answers fails here as
it would on AWS.

``EMULATOR_FAST_FORWARD=1`` (with the latency mode, used by benchmarks/real_aws_model) keeps
every intermediate state, but a read that answers one moves the stand-in's clock to the moment
that resource becomes ready, as if the client had slept until then: the next read finds it
ready, and every other resource has aged by the same amount. Run at scale 1, the clock's total
(``GET /_emulator/clock``: real seconds plus the seconds skipped) is the wall time the same run
would take on AWS, with Ansible's own time counted at its real speed, never scaled.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from fractions import Fraction

from fixes import Fix  # pylint: disable=import-error

CLUSTER_CREATE_SECONDS_VARIABLE = "EMULATOR_RDS_CLUSTER_CREATE_SECONDS"
LATENCY_VARIABLE = "EMULATOR_LATENCY"
FAST_FORWARD_VARIABLE = "EMULATOR_FAST_FORWARD"
DEFAULT_SCALE = Fraction(1, 60)
# Fast-forward: the least gap between two polls of one resource that makes them a wait.
POLL_GAP_SECONDS = 0.5


@dataclasses.dataclass(frozen=True)
class Duration:
    """How long AWS keeps one kind of resource in its intermediate state after the create call."""

    kind: str
    seconds: int
    pending: str
    ready: str
    source: str


# The one table of modelled durations (seconds of real AWS). Figures: issue 16 (terraform-provider-aws
# acceptance runs), within the ranges AWS documents at each source.
DURATIONS = {d.kind: d for d in (
    Duration("nat_gateway", 180, "pending", "available",
             "about 3 min; https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html "
             "(State pending until the NAT gateway is ready to use)"),
    Duration("rds_cluster", 360, "creating", "available",
             "cluster plus instances 15-30 min; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/"
             "Aurora.CreateInstance.html (the cluster is creating, then available)"),
    Duration("rds_instance", 600, "creating", "available",
             "the instances of a new cluster, counted from their CreateDBInstance; "
             "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html#Overview.DBInstance.Status"),
    Duration("dms_replication_instance", 660, "creating", "available",
             "about 11 min; https://docs.aws.amazon.com/dms/latest/userguide/CHAP_ReplicationInstance.Creating.html"),
    Duration("load_balancer", 210, "provisioning", "active",
             "3-4 min; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html"),
    Duration("ecs_deployment", 150, "IN_PROGRESS", "COMPLETED",
             "2-3 min to steady state; https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html "
             "(rolloutState IN_PROGRESS, then COMPLETED)"),
)}


def scale() -> float:
    """The latency scale from EMULATOR_LATENCY (0 when off), read at each call so a test can change it."""
    raw = (os.environ.get(LATENCY_VARIABLE) or "").strip().lower()
    if raw in ("", "0", "off", "false", "no"):
        return 0.0
    if raw in ("on", "true", "yes"):
        return float(DEFAULT_SCALE)
    value = float(Fraction(raw))
    if value < 0:
        raise ValueError(f"{LATENCY_VARIABLE}={raw}: the scale must be 0 or more (1/60: a minute of AWS is a second)")
    return value


class Clock:
    """The stand-in's clock for intermediate states: wall time plus what fast-forward skipped."""

    def __init__(self):
        self.lock = threading.Lock()
        self.skipped = 0.0
        self.timeline = []
        self.skips = []
        self.answered = threading.local()
        self.last_poll = None

    def now(self) -> float:
        return time.time() + self.skipped

    def born(self, kind: str, resource_id: str) -> float:
        """Record a new slow resource; return its creation time on this clock."""
        at = self.now()
        with self.lock:
            self.timeline.append({"kind": kind, "id": str(resource_id), "created": at,
                                  "ready": at + DURATIONS[kind].seconds * scale()})
        return at

    def pending(self, kind: str, born_at: float, resource_id: str = "") -> bool:
        """Whether a resource of ``kind`` created at ``born_at`` is still in its intermediate state (noted for fast-forward)."""
        ready = born_at + DURATIONS[kind].seconds * scale()
        if ready <= self.now():
            return False
        if resource_id:
            getattr(self.answered, "items", []).append((str(resource_id), ready))
        return True

    def begin_call(self) -> None:
        """A call reaches the stand-in: forget the intermediate states answered to the one before."""
        self.answered.items = []

    def end_call(self, action: str, mutating: bool, body: bytes) -> None:
        """Fast-forward: a read that answers a resource still pending, when the last read that answered a pending
        resource was the same read answering it too, with no change made in between (reads that answer nothing
        pending, such as the tag look-up of an *_info module, may come between), is a client waiting for it: a
        waiter or an until loop. Move the clock to its ready time.

        A single read is not waiting: a module reads back what it created, another task lists it, neither waits.
        Nor are two reads back to back: a waiter sleeps between polls (POLL_GAP_SECONDS at least), a module that
        reads a resource twice to compare does not.
        """
        if os.environ.get(FAST_FORWARD_VARIABLE) != "1":
            return
        text = body.decode("utf-8", "replace")
        seen = {(rid, ready) for rid, ready in getattr(self.answered, "items", []) if rid in text}
        with self.lock:
            wall = time.time()
            if mutating:
                self.last_poll = None
                return
            if not seen:
                return
            ids = frozenset(item[0] for item in seen)
            last, self.last_poll = self.last_poll, (action, ids, wall)
            if last and last[0] == action and last[1] & ids and wall - last[2] >= POLL_GAP_SECONDS:
                rid, ready = min(seen, key=lambda item: item[1])
                gap = ready - self.now()
                if gap > 0:
                    self.skips.append({"action": action, "id": rid, "at": self.now(), "seconds": gap})
                    self.skipped += gap

    def report(self) -> dict:
        with self.lock:
            return {"scale": scale(), "fast_forward": os.environ.get(FAST_FORWARD_VARIABLE) == "1", "now": self.now(),
                    "skipped": self.skipped, "resources": list(self.timeline), "skips": list(self.skips),
                    "durations": {k: dataclasses.asdict(v) for k, v in DURATIONS.items()}}


CLOCK = Clock()


def cluster_create_seconds() -> float:
    """How long a new cluster stays ``creating``, read at each call so a test can change it."""
    if scale() > 0:
        return DURATIONS["rds_cluster"].seconds * scale()
    return float(os.environ.get(CLUSTER_CREATE_SECONDS_VARIABLE, "1"))


def _apply_cluster_creating_window() -> None:
    from moto.rds.exceptions import InvalidDBClusterStateFault
    from moto.rds.models import DBCluster
    from moto.rds.models import RDSBackend

    # Other fixes re-wrap moto's originals on every apply: wrap whatever is current, once.
    original_init = DBCluster.__init__
    original_create_instance = RDSBackend.create_db_instance
    if getattr(original_create_instance, "payments_lifecycle", False):
        return

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self._payments_born = CLOCK.born("rds_cluster", self.db_cluster_identifier)  # pylint: disable=protected-access

    def _status(self):
        if self._status == "creating":  # pylint: disable=protected-access
            born = getattr(self, "_payments_born", 0.0)
            if scale() > 0 and CLOCK.pending("rds_cluster", born, self.db_cluster_identifier):
                return "creating"
            if scale() == 0 and CLOCK.now() - born < cluster_create_seconds():
                return "creating"
            self._status = "available"  # pylint: disable=protected-access
        return self._status  # pylint: disable=protected-access

    def _set_status(self, value):
        self._status = value  # pylint: disable=protected-access

    def create_db_instance(self, db_kwargs):
        cluster = self.clusters.get(db_kwargs.get("DBClusterIdentifier") or db_kwargs.get("db_cluster_identifier") or "")
        if cluster is not None and cluster.status != "available":
            raise InvalidDBClusterStateFault(
                f"The requested operation can't be performed while the cluster {cluster.db_cluster_identifier} is in this state: "
                f"{cluster.status}."
            )
        return original_create_instance(self, db_kwargs)

    create_db_instance.payments_lifecycle = True
    if not getattr(original_init, "payments_lifecycle", False):
        __init__.payments_lifecycle = True
        DBCluster.__init__ = __init__
    DBCluster.status = property(_status, _set_status)
    RDSBackend.create_db_instance = create_db_instance


class _LatencyState(property):
    """A state attribute this module made time-dependent (marks the patch, so a re-apply keeps one)."""

    payments_latency = True


def _timed_state(cls, attribute: str, kind: str, identifier) -> None:
    """Make ``cls.<attribute>`` answer DURATIONS[kind].pending while a new object is younger than its duration.

    The object's own value is kept as moto sets it; only a read of the ready value is held back, so any
    other state moto gives it (deleting, failed, modifying...) is answered as it is.
    """
    stored = f"_payments_{attribute}"
    original_init = cls.__init__
    duration = DURATIONS[kind]

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.__dict__["_payments_born"] = CLOCK.born(kind, identifier(self)) if scale() > 0 else 0.0

    # Other fixes re-wrap a class's __init__ on every apply: wrap whatever is current, once.
    if not getattr(original_init, "payments_latency", False):
        __init__.payments_latency = True
        cls.__init__ = __init__
    if getattr(cls.__dict__.get(attribute), "payments_latency", False):
        return

    def get(self):
        value = self.__dict__.get(stored)
        if value == duration.ready and scale() > 0 and CLOCK.pending(kind, self.__dict__.get("_payments_born", 0.0), identifier(self)):
            return duration.pending
        return value

    def set_(self, value):
        self.__dict__[stored] = value

    setattr(cls, attribute, _LatencyState(get, set_))


def _apply_latency_states() -> None:
    from moto.dms.models import FakeReplicationInstance as ReplicationInstance
    from moto.ec2.models.nat_gateways import NatGateway
    from moto.elbv2.models import FakeLoadBalancer
    from moto.moto_api._internal.managed_state_model import ManagedState
    from moto.rds.models import DBInstance

    _timed_state(NatGateway, "state", "nat_gateway", lambda nat: nat.id)
    _timed_state(DBInstance, "status", "rds_instance", lambda instance: instance.db_instance_identifier)
    _timed_state(FakeLoadBalancer, "state", "load_balancer", lambda balancer: balancer.arn)

    # DMS: moto's own state manager moves creating -> available; in latency mode the clock decides.
    original_init = ReplicationInstance.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.payments_born = CLOCK.born("dms_replication_instance", self.id) if scale() > 0 else 0.0

    if not getattr(original_init, "payments_latency", False):
        __init__.payments_latency = True
        ReplicationInstance.__init__ = __init__
    if not getattr(ReplicationInstance.__dict__.get("status"), "payments_latency", False):

        def get(self):
            if scale() == 0:
                return ManagedState.status.fget(self)
            if self._status == "creating":  # pylint: disable=protected-access
                if CLOCK.pending("dms_replication_instance", getattr(self, "payments_born", 0.0), self.id):
                    return "creating"
                self._status = "available"  # pylint: disable=protected-access
            return self._status  # pylint: disable=protected-access

        def set_(self, value):
            self._status = value  # pylint: disable=protected-access

        ReplicationInstance.status = _LatencyState(get, set_)


def _apply_latency_ecs_deployments() -> None:
    import fixes_ecs  # pylint: disable=import-error,import-outside-toplevel
    from moto.ecs.models import EC2ContainerServiceBackend

    if getattr(fixes_ecs.tasks_started, "payments_latency", False):
        return
    started = fixes_ecs.tasks_started
    original_describe = EC2ContainerServiceBackend.describe_services
    born = {}

    def tasks_started(service) -> None:
        started(service)
        if scale() == 0:
            return
        for deployment in service.deployments:
            if deployment.get("status") == "PRIMARY" and deployment.get("rolloutState") == "COMPLETED":
                born[deployment["id"]] = CLOCK.born("ecs_deployment", deployment["id"])
                deployment.update(rolloutState="IN_PROGRESS", rolloutStateReason="ECS deployment in progress.",
                                  runningCount=0, pendingCount=service.desired_count)

    def describe_services(self, cluster_str, service_names_or_arns):
        services, failures = original_describe(self, cluster_str, service_names_or_arns)
        for service in services:
            for deployment in service.deployments:
                if deployment.get("id") in born and not CLOCK.pending("ecs_deployment", born[deployment["id"]], deployment["id"]):
                    del born[deployment["id"]]
                    started(service)
        return services, failures

    tasks_started.payments_latency = True
    fixes_ecs.tasks_started = tasks_started
    EC2ContainerServiceBackend.describe_services = describe_services


FIXES = [
    Fix(
        fix_id="rds-cluster-creating-refuses-instances",
        aws_behaviour=(
            "A new DB cluster reports Status creating until it is ready (minutes on AWS; "
            "EMULATOR_RDS_CLUSTER_CREATE_SECONDS here), and CreateDBInstance into a cluster that is not available "
            "answers InvalidDBClusterStateFault ('The requested operation can't be performed while the cluster is in "
            "this state'); moto reports available at the first read and accepts the instance at once."
        ),
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html#API_CreateDBInstance_Errors",
        apply=_apply_cluster_creating_window,
    ),
    Fix(
        fix_id="latency-intermediate-states",
        aws_behaviour=(
            "With EMULATOR_LATENCY=<scale>: a new NAT gateway is pending, an Aurora cluster and its instances creating, a "
            "DMS replication instance creating and a load balancer provisioning for their real creation time (DURATIONS) "
            "times the scale, then available / active; moto answers the ready state at once."
        ),
        reference="https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html",
        apply=_apply_latency_states,
    ),
    Fix(
        fix_id="latency-ecs-deployment-in-progress",
        aws_behaviour=(
            "With EMULATOR_LATENCY=<scale>: a new ECS deployment reports rolloutState IN_PROGRESS until its tasks are "
            "running and healthy (2-3 min on AWS, times the scale), then COMPLETED; the stand-in completes it at once."
        ),
        reference="https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html",
        apply=_apply_latency_ecs_deployments,
    ),
]
