"""The register's tables (SQLAlchemy 2). Alembic migrations in `migrations/` create them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the register."""


class PackRevision(Base):
    """One exact text of a pack, stored so cases keep running under it when the file changes."""

    __tablename__ = "pack_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    git_commit: Mapped[str | None] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Case(Base):
    """A case and its derived state (a projection of its events; `version` counts them)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(200))
    revision_id: Mapped[int] = mapped_column(ForeignKey("pack_revisions.id"))
    flow: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    start: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    waiting_step: Mapped[str | None] = mapped_column(String(200))
    waiting_actor: Mapped[str | None] = mapped_column(String(200))
    waiting_actor_name: Mapped[str | None] = mapped_column(String(200))
    waiting_since: Mapped[date] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    todo_from: Mapped[date | None] = mapped_column(Date)  # on the worklist from this day (open cases only)
    open_due: Mapped[date | None] = mapped_column(Date)  # `due` while the case is open, for --overdue
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_cases_todo", "todo_from", "id"),
        Index("ix_cases_todo_actor", "waiting_actor", "todo_from", "id"),
        Index("ix_cases_open_due", "open_due", "id"),
        Index("ix_cases_status", "status", "id"),
        Index("ix_cases_pack", "pack_id", "id"),
    )


class Event(Base):
    """One thing that happened to a case: never updated, never deleted."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(String(200))
    mandate: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int] = mapped_column(ForeignKey("pack_revisions.id"))
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_events_case_seq"),)
