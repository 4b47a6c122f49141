"""Where the register lives and how to connect: SQLite by default, PostgreSQL through a URL.

SQLite runs in WAL mode with `synchronous=FULL` (a commit survives power loss) and every write
transaction starts with `BEGIN IMMEDIATE`, so two writers queue for the lock instead of failing
half-way. The schema is created and upgraded by Alembic on first use; every other use only
reads the stored revision (one query) and never imports Alembic.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

ENV = "KPROCESS_DB"
HEAD = "0002"  # the newest migration in migrations/versions/
WRITE = "kprocess_write"  # execution option: this connection writes (BEGIN IMMEDIATE on SQLite)
BUSY_SECONDS = 30.0
_LOCK_ID = 0x6B70726F  # PostgreSQL advisory lock taken while the schema is upgraded


def default_path() -> Path:
    """The default SQLite file: `register.db` in the user's data folder (platformdirs)."""
    from platformdirs import user_data_path

    return user_data_path("kprocess", appauthor=False) / "register.db"


def resolve_url(db: str | None) -> str:
    """`--db`, else `KPROCESS_DB`, else the default file; a plain path means a SQLite file."""
    chosen = db or os.environ.get(ENV) or ""
    if not chosen:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" not in chosen:
        path = Path(chosen).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    url = make_url(chosen)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def connect(db: str | None) -> Engine:
    """An engine for the register at `db`, with the schema created or upgraded."""
    url = resolve_url(db)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    ensure_schema(engine)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Connection:
    """A connection whose transactions write: `BEGIN IMMEDIATE` on SQLite."""
    return engine.connect().execution_options(**{WRITE: True})


def current_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision (read from its table, without Alembic), or None for an empty database."""
    with engine.connect() as connection:
        try:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DatabaseError:  # no table yet
            return None
    return found[0] if len(found) == 1 else None


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the tables (Alembic, under a lock so two first uses do not collide)."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    with writer(engine) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
