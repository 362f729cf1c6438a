# -*- coding: utf-8 -*-

# Copyright: Contributors to the payments.aws_platform collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One botocore data loader for every client of a short-lived module process.

``AnsibleAWSModule.client()`` starts a new boto3 session for every client, and each session gets a new botocore
data loader, which parses botocore's ``endpoints.json`` (about 1 MB) and lists the installed service models again.
A module that asks four services (the preflight: STS, EC2, RDS, DMS) spends about 0.3 s of its 0.9 s on that
here. The loader is a read-only cache of the files botocore ships, so sharing one changes no answer; clients are
still made by ``module.client()``, with the module's credentials, endpoint, region and retry configuration.
"""

from __future__ import annotations

try:
    import botocore.loaders
    import botocore.session
except ImportError:
    pass  # Handled by AnsibleAWSModule


def share_data_loader() -> bool:
    """Make the botocore sessions this process creates from now on share one data loader per data path.

    Returns whether it could (an unknown botocore layout is left alone: the clients are then only slower).
    """
    session_module = getattr(botocore, "session", None)
    original = getattr(session_module, "create_loader", None)
    if original is None or getattr(original, "_payments_shared", False):
        return original is not None
    loaders = {}

    def create_loader(search_path_string=None):
        if search_path_string not in loaders:
            loaders[search_path_string] = original(search_path_string)
        return loaders[search_path_string]

    create_loader._payments_shared = True  # pylint: disable=protected-access
    session_module.create_loader = create_loader
    return True
