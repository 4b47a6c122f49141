"""Databases for the register's tests: a SQLite file, and a fresh PostgreSQL database per test.

PostgreSQL comes from KPROCESS_TEST_PG (a URL to a server where the user may create databases;
`.ci/start-postgres` starts one). Without it the PostgreSQL variants are skipped locally and fail
in CI (CI=true), so CI can never pass without running them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A URL to an empty register database of `backend`, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'register.db'}"
        return
    server = os.environ.get("KPROCESS_TEST_PG")
    if not server:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("KPROCESS_TEST_PG är inte satt i CI: .ci/run ska starta PostgreSQL")
        pytest.skip("KPROCESS_TEST_PG är inte satt (starta en server med .ci/start-postgres)")
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server)
    name = f"kp_{uuid.uuid4().hex[:12]}"
    params = {"host": url.query.get("host", url.host), "user": url.username, "dbname": url.database or "postgres"}
    if url.port:
        params["port"] = str(url.port)
    if url.password:
        params["password"] = url.password
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        from sqlalchemy.engine import Engine  # noqa: F401 - engines are disposed by the tests

        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
