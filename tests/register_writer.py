"""A writer process for the register's concurrency and crash tests (run as a script).

`register_writer.py URL CASE COUNT PREFIX` appends COUNT answers to CASE, each with the
idempotency key PREFIX-n, retrying on conflict, and prints each key once its commit is acknowledged.
"""

from __future__ import annotations

import sys
from datetime import date

from kprocess.register.store import ConflictError, Register, Who


def main() -> None:
    """Write and acknowledge."""
    url, case_id, count, prefix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    register = Register.open(url)
    register.load(case_id)
    print("ready", flush=True)
    conflicts = 0
    for n in range(count):
        key = f"{prefix}-{n}"
        while True:
            try:
                register.append(
                    case_id, "answered", {"answers": {"storre_process": ["ja"]}}, Who(prefix, date(2026, 3, 1), key)
                )
                break
            except ConflictError:
                conflicts += 1
        print(key, flush=True)
    print(f"conflicts {conflicts}", flush=True)


if __name__ == "__main__":
    main()
