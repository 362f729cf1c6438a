# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Intermediate states of slow resources (picked up by fixes.all_fixes()).

moto makes a new Aurora cluster ``available`` at the first read after CreateDBCluster, so a
client that creates the cluster and its instances back to back never meets the window in which
AWS still says ``creating`` and refuses to add instances. Here the cluster stays ``creating``
for ``EMULATOR_RDS_CLUSTER_CREATE_SECONDS`` seconds of wall clock (default 1; real AWS takes
minutes), and CreateDBInstance into a cluster that is not ``available`` answers AWS's error.
"""

from __future__ import annotations

import os
import time

from fixes import Fix  # pylint: disable=import-error

CLUSTER_CREATE_SECONDS_VARIABLE = "EMULATOR_RDS_CLUSTER_CREATE_SECONDS"


def cluster_create_seconds() -> float:
    """How long a new cluster stays ``creating``, read at each call so a test can change it."""
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
        self._payments_born = time.monotonic()  # pylint: disable=protected-access

    def _status(self):
        if self._status == "creating":  # pylint: disable=protected-access
            if time.monotonic() - getattr(self, "_payments_born", 0.0) < cluster_create_seconds():
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
]
