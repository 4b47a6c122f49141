"""The `kprocess` command's entry point: `validate` starts without the command-line framework.

`kprocess validate FILE... [--format F] [--no-cache]` is what pre-commit hooks, editors and CI
run most, so it is parsed here by hand; when every file's result is in the validate cache it
is printed without importing the checker at all. Anything else (other commands, `--help`,
folders, an unknown option or a mistake in the options) goes to the full command line
(`kprocess.cli.app`), which gives the same output and messages as before. The language
(`--lang` before the command, `KPROCESS_LANG`, the locale) is chosen here first, on both paths.
"""

from __future__ import annotations

import gc
import os
import sys

from kprocess.cli import COLLECT_THRESHOLDS

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import NoReturn

FORMATS = ("text", "json", "github")


def main() -> NoReturn:
    """Console-script entry point."""
    from kprocess.i18n import choose

    try:
        request = validate_request(choose(sys.argv[1:]))  # `--lang` and the locale, before any text is made
        if request is None:
            from kprocess.cli.app import main as full

            full()
            raise SystemExit(0)
        files, output, cache = request
        gc.set_threshold(*COLLECT_THRESHOLDS)
        sys.exit(validate(files, output, cache))
    finally:
        # The command is done and the process ends: the collector's passes at shutdown would only
        # find what exiting frees anyway (about a tenth of a cold `validate`).
        gc.freeze()


def validate_request(argv: list[str]) -> tuple[list[str], str, bool] | None:
    """`(files, format, cache)` of a plain `validate` call; None for anything else."""
    if argv[:1] != ["validate"] or "_KPROCESS_COMPLETE" in os.environ:
        return None  # shell completion (`_KPROCESS_COMPLETE`) is the framework's job
    files: list[str] = []
    output, cache = "text", True
    rest = iter(argv[1:])
    for arg in rest:
        if arg in ("--format", "-f"):
            output = next(rest, "")
        elif arg.startswith("--format="):
            output = arg.removeprefix("--format=")
        elif arg == "--no-cache":
            cache = False
        elif arg.startswith("-"):  # --help, --, -ftext, unknown options: the full command line
            return None
        else:
            files.append(arg)
    if not files or output not in FORMATS:
        return None
    return files, output, cache


def validate(files: list[str], output: str, cache: bool) -> int:
    """Print the report of `kprocess validate FILES`; return the exit code."""
    try:
        cached = cached_report(files, output) if cache else None
        if cached is not None:
            return cached
        from pathlib import Path

        from kprocess.cli import validate as command

        return command.run([Path(f) for f in files], output, cache=cache)
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as error:  # as kprocess.cli.app.main: a usage mistake exits 2, anything else 3
        from kprocess.cli.common import EXIT_USAGE, UsageError

        if isinstance(error, UsageError):
            print(f"kprocess: {error}", file=sys.stderr)
            return EXIT_USAGE
        from kprocess.cli.app import internal_error

        return internal_error(error, debug=os.environ.get("KPROCESS_DEBUG", "") not in ("", "0"))


def cached_report(files: list[str], output: str) -> int | None:
    """Print the report from the cache when every file is a regular file below the working
    directory whose result is stored; None (nothing printed) otherwise."""
    from kprocess import cache

    if os.name != "posix" or not cache.enabled():
        return None

    cwd = os.getcwd()
    prefix = cwd if cwd.endswith("/") else cwd + "/"
    shown: list[str] = []
    found: list[cache.CachedDiagnostic] = []
    for name in files:
        real = os.path.realpath(name)
        if not real.startswith(prefix):
            return None  # shown as given: pathlib's spelling of it is left to the full path
        display = real[len(prefix) :]
        key = cache.key(name, display)
        stored = cache.load(key) if key is not None else None
        if stored is None:
            return None
        shown.append(display)
        found += stored
    found.sort(key=cache.CachedDiagnostic.sort_key)
    from kprocess.report import REPORTERS
    from kprocess.severity import Severity

    REPORTERS[output](found, shown)
    return 1 if any(d.severity is Severity.error for d in found) else 0
