"""Make ``ansible_collections.payments.aws_platform`` importable in unit tests.

``make setup`` links the repo at ``.collections/ansible_collections/payments/aws_platform``;
the bundled collections (amazon.aws, community.aws) live in the venv's site-packages,
and both ``ansible_collections`` folders are namespace packages, so Python merges them.
"""

import os
import sys

_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_COLLECTIONS = os.path.join(_ROOT, ".collections")
for _path in (_COLLECTIONS, os.path.dirname(os.path.abspath(__file__))):  # the collection; module_harness.py
    if _path not in sys.path:
        sys.path.insert(0, _path)
