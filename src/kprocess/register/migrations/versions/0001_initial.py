"""The register's first schema: pack revisions, cases (derived state) and events (the audit log).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three tables and their indexes."""
    op.create_table(
        "pack_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pack_id", sa.String(200), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("git_commit", sa.String(40)),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pack_id", sa.String(200), nullable=False),
        sa.Column("revision_id", sa.Integer, sa.ForeignKey("pack_revisions.id"), nullable=False),
        sa.Column("flow", sa.String(200)),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("waiting_step", sa.String(200)),
        sa.Column("waiting_actor", sa.String(200)),
        sa.Column("waiting_since", sa.Date, nullable=False),
        sa.Column("due", sa.Date),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cases_due", "cases", ["status", "due"])
    op.create_index("ix_cases_actor", "cases", ["waiting_actor", "waiting_since"])
    op.create_index("ix_cases_pack", "cases", ["pack_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("mandate", sa.Text),
        sa.Column("revision_id", sa.Integer, sa.ForeignKey("pack_revisions.id"), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("idempotency_key", sa.String(200), unique=True),
        sa.UniqueConstraint("case_id", "seq", name="uq_events_case_seq"),
    )


def downgrade() -> None:
    """Drop everything (only for development: the register is append-only)."""
    op.drop_table("events")
    op.drop_index("ix_cases_pack", "cases")
    op.drop_index("ix_cases_actor", "cases")
    op.drop_index("ix_cases_due", "cases")
    op.drop_table("cases")
    op.drop_table("pack_revisions")
