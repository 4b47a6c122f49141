"""The case register: real cases over weeks and months, with an audit trail.

A case is an append-only list of events (started, answered, parked, resumed, migrated, followed
up) under a pinned pack revision; its state is derived from the events by running the engine
with the answers recorded so far. The `cases` table holds that derived state for fast lists
and can always be rebuilt from the events.

Importing this package imports nothing heavy: `case list` and `case todo` use only `db` and
`lists` (SQLAlchemy Core), the rest is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kprocess.register.store import ConflictError, Register, RegisterError

__all__ = ["ConflictError", "Register", "RegisterError"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kprocess.register import store

        return getattr(store, name)
    raise AttributeError(name)
