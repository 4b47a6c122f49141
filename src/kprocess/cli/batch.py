"""`kprocess simulate PACK --batch cases.jsonl`: many cases, streamed, one JSON result per line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, load_or_report


def run(pack_path: Path, batch: str) -> int:
    """Stream every case of `batch` (a file, or `-` for standard input); exit 1 if any case failed."""
    from kprocess.engine.batch import read_jsonl, run_batch

    pack = load_or_report(pack_path)
    source: IO[str]
    if batch == "-":
        source = sys.stdin
    else:
        try:
            source = Path(batch).open(encoding="utf-8")  # noqa: SIM115 - closed below, streamed meanwhile
        except OSError as error:
            raise UsageError(f"{batch} kan inte läsas: {error.strerror}") from None
    failed = 0
    try:
        write = sys.stdout.write
        for result in _with_progress(run_batch(pack, read_jsonl(source)), batch):
            failed += "error" in result
            write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if source is not sys.stdin:
            source.close()
    if failed:
        print(f'kprocess: {failed} ärenden kunde inte köras (se "error" i utdata)', file=sys.stderr)
    return EXIT_FINDINGS if failed else EXIT_OK


def _with_progress(results: Iterator[dict[str, Any]], name: str) -> Iterator[dict[str, Any]]:
    """Show a progress counter on a terminal (standard error); stay silent otherwise."""
    if not sys.stderr.isatty():
        yield from results
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}: {task.completed} ärenden"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(name)
        for result in results:
            progress.advance(task)
            yield result
