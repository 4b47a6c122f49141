"""The case register: real cases over weeks and months, with an audit trail.

A case is an append-only list of events (started, answered, parked, resumed, migrated, followed
up) under a pinned pack revision; its state is derived from the events by running the engine
with the answers recorded so far. The `cases` table holds that derived state for fast lists
and can always be rebuilt from the events.
"""

from kprocess.register.store import ConflictError, Register, RegisterError

__all__ = ["ConflictError", "Register", "RegisterError"]
