"""`kprocess simulate PACK --batch cases.jsonl`: many cases, streamed, one JSON result per line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kprocess.cli.common import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, UsageError, load_or_report
from kprocess.i18n import _
from kprocess.yamlsource import os_problem


def run(pack_path: Path, batch: str) -> int:
    """Stream every case of `batch` (a file, or `-` for standard input); exit 1 if any case failed."""
    from kprocess.engine.batch import read_jsonl, run_batch

    pack = load_or_report(pack_path)
    source: IO[bytes]
    if batch == "-":
        source = sys.stdin.buffer
    else:
        path = Path(batch)
        if path.is_dir():
            raise UsageError(_("{path}: det är en mapp, inte en fil").format(path=batch))
        try:
            source = path.open("rb")  # closed below, streamed meanwhile
        except OSError as error:
            raise UsageError(
                _("{path} kan inte läsas: {problem}").format(path=batch, problem=os_problem(error))
            ) from None
    failed = internal = 0
    try:
        write = sys.stdout.write
        for result in _with_progress(run_batch(pack, read_jsonl(source)), batch):
            failed += "error" in result
            internal += bool(result.get("internal"))
            write(json.dumps(result, ensure_ascii=False, allow_nan=False) + "\n")
    finally:
        if source is not sys.stdin.buffer:
            source.close()
    if internal:
        print(
            "kprocess: "
            + _(
                "{count} ärenden stoppades av ett internt fel i kprocess; "
                "kör ett av dem med `kprocess --debug simulate` och rapportera felet"
            ).format(count=internal),
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    if failed:
        print(
            "kprocess: " + _('{count} ärenden kunde inte köras (se "error" i utdata)').format(count=failed),
            file=sys.stderr,
        )
    return EXIT_FINDINGS if failed else EXIT_OK


def _with_progress(results: Iterator[dict[str, Any]], name: str) -> Iterator[dict[str, Any]]:
    """Show a progress counter on a terminal (standard error); stay silent otherwise."""
    if not sys.stderr.isatty():
        yield from results
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}: {task.completed} " + _("ärenden")), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(name)
        for result in results:
            progress.advance(task)
            yield result
