"""Find or start a real PostgreSQL server for the test suite.

Order: `KALKAN_TEST_POSTGRES_URL`; the local service on 127.0.0.1:5432 (developer and CI
machines run one); otherwise a throwaway cluster made with `initdb`/`pg_ctl` in a temporary
directory. Only when none of these is possible do PostgreSQL tests skip, saying why.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def reachable(url: str) -> bool:
    """True when a server answers at `url`."""
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """initdb + pg_ctl into a temp dir (as the `postgres` user when running as root)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) are installed")
    prefix: list[str] = []
    workdir = tempfile.mkdtemp(prefix="kalkan-pg-")
    if os.geteuid() == 0:
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(workdir, "postgres")
    data, port = os.path.join(workdir, "data"), _free_port()
    run = subprocess.run
    run(
        [*prefix, initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        [*prefix, pg_ctl, "-D", data, "-o", opts, "-w", "-l", f"{workdir}/log", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


def create_database(server_url: str, *, template: str | None = None) -> str:
    """Create a uniquely named database and return its URL."""
    name = f"kalkan_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
        clause = f" TEMPLATE {template}" if template else ""
        conn.execute(f"CREATE DATABASE {name}{clause}")  # name is generated, not user input
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, database_url: str) -> None:
    """Drop a database made by `create_database`, disconnecting stragglers."""
    name = database_url.rsplit("/", 1)[1]
    for _ in range(3):
        try:
            with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except psycopg.Error:
            time.sleep(0.5)
