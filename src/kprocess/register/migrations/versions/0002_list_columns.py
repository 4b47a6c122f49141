"""Derived columns and indexes for fast lists: who the case waits for by name, from when it is on
the worklist (`todo_from`) and its due date while open (`open_due`).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN = "status IN ('waiting', 'ongoing')"


def upgrade() -> None:
    """Add the columns, fill them from the existing derived state, and index the lists."""
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("waiting_actor_name", sa.String(200)))
        batch.add_column(sa.Column("todo_from", sa.Date))
        batch.add_column(sa.Column("open_due", sa.Date))
    op.execute(
        "UPDATE cases SET waiting_actor_name = waiting_actor, "
        f"todo_from = CASE WHEN {OPEN} THEN waiting_since END, open_due = CASE WHEN {OPEN} THEN due END"
    )
    op.drop_index("ix_cases_due", "cases")
    op.drop_index("ix_cases_actor", "cases")
    op.drop_index("ix_cases_pack", "cases")
    op.create_index("ix_cases_todo", "cases", ["todo_from", "id"])
    op.create_index("ix_cases_todo_actor", "cases", ["waiting_actor", "todo_from", "id"])
    op.create_index("ix_cases_open_due", "cases", ["open_due", "id"])
    op.create_index("ix_cases_status", "cases", ["status", "id"])
    op.create_index("ix_cases_pack", "cases", ["pack_id", "id"])


def downgrade() -> None:
    """Back to the first schema."""
    for name in ("ix_cases_pack", "ix_cases_status", "ix_cases_open_due", "ix_cases_todo_actor", "ix_cases_todo"):
        op.drop_index(name, "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("open_due")
        batch.drop_column("todo_from")
        batch.drop_column("waiting_actor_name")
    op.create_index("ix_cases_due", "cases", ["status", "due"])
    op.create_index("ix_cases_actor", "cases", ["waiting_actor", "waiting_since"])
    op.create_index("ix_cases_pack", "cases", ["pack_id"])
