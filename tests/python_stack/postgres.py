"""A private PostgreSQL server for tests: ``initdb`` and ``pg_ctl`` in a temporary directory.

The server listens only on a unix socket in that directory. As root, it runs as the
``postgres`` user (``initdb`` refuses root). Without the server binaries the tests that need it
skip, unless ``SLICEGEN_REQUIRE_POSTGRES`` is set (CI sets it), which makes their absence fail.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE = "SLICEGEN_REQUIRE_POSTGRES"


def binaries() -> Path | None:
    """The folder of ``initdb``, ``pg_ctl`` and ``postgres``, if installed."""
    found = shutil.which("pg_ctl")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


@dataclass
class PostgresServer:
    socket_dir: Path

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def new_database(self) -> str:
        """Create an empty database; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def postgres_server() -> Iterator[PostgresServer | None]:
    """Start a server for the duration of the fixture; ``None`` (skip) if it cannot exist here."""
    folder = binaries()
    if folder is None:
        if os.environ.get(REQUIRE):
            pytest.fail(f"{REQUIRE} is set but the PostgreSQL server binaries are not installed")
        yield None
        return
    # under /tmp: pytest's own temporary folders are private to root, and unix socket paths
    # are limited to about 100 bytes
    root = Path(tempfile.mkdtemp(prefix="sgpg_"))
    socket_dir = root
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "data"
    initdb = [str(folder / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
    options = f"-k {socket_dir} -c listen_addresses='' -c fsync=off -c max_connections=200"
    pg_ctl = [str(folder / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log")]
    try:
        subprocess.run(_as_server_user(initdb), check=True, capture_output=True)
        subprocess.run(_as_server_user([*pg_ctl, "-w", "start"]), check=True, capture_output=True)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        yield PostgresServer(socket_dir)
    finally:
        subprocess.run(
            _as_server_user([str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
