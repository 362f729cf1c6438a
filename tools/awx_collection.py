#!/usr/bin/env python
"""Put the awx.awx collection beside the bundled ones in the running venv, when it is missing.

playbooks/awx/configure.yml configures AWX with awx.awx. The `ansible` package bundled awx.awx
up to ansible 12 (awx.awx 24.6.1, still the newest release on Galaxy); ansible 13 and newer no
longer do. Galaxy is not reachable from these machines, PyPI is: this copies awx.awx 24.6.1 out
of the ansible 12.3.0 wheel on PyPI into site-packages/ansible_collections/awx/awx, where the
bundled collections live. With Galaxy at hand, `ansible-galaxy collection install awx.awx:24.6.1`
does the same. It does nothing when awx.awx is already there (ansible 12.3 bundles it).

Run with the venv's python: .venv/bin/python tools/awx_collection.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

SOURCE = "ansible==12.3.0"
PREFIX = "ansible_collections/awx/awx/"


def main():
    import ansible_collections  # the bundle of the `ansible` package

    site = os.path.dirname(list(ansible_collections.__path__)[0])
    target = os.path.join(site, "ansible_collections", "awx", "awx")
    if os.path.isfile(os.path.join(target, "MANIFEST.json")):
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.check_call(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", tmp, SOURCE]
        )
        (wheel,) = [os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".whl")]
        staging = target + ".partial"
        shutil.rmtree(staging, ignore_errors=True)
        with zipfile.ZipFile(wheel) as zf:
            for name in zf.namelist():
                if name.startswith(PREFIX) and not name.endswith("/"):
                    dest = os.path.join(staging, name[len(PREFIX):])
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                    with zf.open(name) as src, open(dest, "wb") as out:
                        shutil.copyfileobj(src, out)
        if not os.path.isfile(os.path.join(staging, "MANIFEST.json")):
            sys.exit("%s holds no awx.awx collection" % SOURCE)
        os.replace(staging, target)
    print("awx.awx copied from the %s wheel into %s" % (SOURCE, target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
