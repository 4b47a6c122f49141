"""The command-line framework's own words in Swedish: help headings, usage and error messages.

typer has no translations of its own, so its constants are set and its few English messages
are replaced when the app is built, in the chosen language (`kprocess.i18n`: in English the
catalogue gives the words back). Everything here is defensive: with another typer version
a missing attribute leaves that text in English instead of failing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from kprocess.i18n import N_, _

HELP_TEXT = N_("Visa den här hjälpen och avsluta.")
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Missing argument '(.+)'\.?$"), N_(r"argumentet \1 saknas")),
    (re.compile(r"^Missing option '(.+)'\.?$"), N_(r"flaggan \1 saknas")),
    (re.compile(r"^No such option: (\S+?)\.? Did you mean (\S+?)\?$"), N_(r"okänd flagga \1; menade du \2?")),
    (re.compile(r"^No such option: (\S+?)\.?$"), N_(r"okänd flagga \1")),
    (re.compile(r"^No such command '(.+)'\.?$"), N_(r"okänt kommando '\1'")),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), N_(r"för många argument: \1")),
    (re.compile(r"^Option '(.+)' requires an argument\.?$"), N_(r"flaggan \1 behöver ett värde")),
    (re.compile(r"^Option '(.+)' does not take a value\.?$"), N_(r"flaggan \1 tar inget värde")),
    (re.compile(r"^Invalid value for (.+?): '(.*)' is not one of (.+)\.$"), N_(r"\1: '\2' är inte ett av \3")),
    (re.compile(r"^Invalid value for (.+?): (.+)$"), N_(r"ogiltigt värde för \1: \2")),
]


def translate(message: str) -> str:
    """A framework error message in Swedish (unknown ones are kept as they are)."""
    for pattern, swedish in _MESSAGES:
        if pattern.match(message):
            return pattern.sub(_(swedish), message)
    return message


def _format_error(error: Any) -> None:
    """A usage error as three plain lines on stderr: usage, the error, where to get help."""
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        print(ctx.get_usage(), file=sys.stderr)
        print(_("Skriv '{command} --help' för hjälp.").format(command=ctx.command_path), file=sys.stderr)
    print(f"kprocess: {translate(error.format_message())}", file=sys.stderr)


def _swedish_usage(original: Callable[..., None]) -> Callable[..., None]:
    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, _("Användning: ") if prefix is None else prefix)

    return write_usage


def _swedish_help_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = _(HELP_TEXT)
        return option

    return get_help_option


def _usage_name(self: Any) -> str:
    """`PAKET` when required, `[AKTÖR]` when not; the metavar says `...` itself when repeated."""
    name = str(self.display_name_raw)
    if self.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if self.required else f"[{name}]"


def _type_words(original: Callable[..., str | None]) -> Callable[..., str | None]:
    """No `<bool>` beside a flag and no `<path>` beside a named argument: the name says it."""

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) or getattr(self, "param_type_name", "") == "argument":
            return None
        return original(self, ctx)

    return display_type_rich


def _usage_pieces(original: Callable[..., list[str]]) -> Callable[..., list[str]]:
    def collect_usage_pieces(self: Any, ctx: Any) -> list[str]:
        words = {"[OPTIONS]": _("[FLAGGOR]"), "COMMAND": _("KOMMANDO"), "[ARGS]...": _("[ARGUMENT]...")}
        return [words.get(p, p) for p in original(self, ctx)]

    return collect_usage_pieces


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """`--install-completion`: typer's installation, told in Swedish."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import install as install_script

    shell, path = install_script(shell=value) if isinstance(value, str) else install_script()
    print(_("Kompletteringen för {shell} är installerad i {path}.").format(shell=shell, path=path))
    print(_("Den gäller när du har startat om terminalen."))
    raise SystemExit(0)


def _swedish_completion() -> None:
    """Swedish help for `--install-completion` and `--show-completion`."""
    import inspect

    from typer import completion

    texts = {
        "install_completion": _("Installera tabbkomplettering för ditt skal."),
        "show_completion": _("Visa kompletteringsskriptet för ditt skal, för att kopiera eller anpassa det."),
    }
    for function in (
        completion._install_completion_placeholder_function,
        completion._install_completion_no_auto_placeholder_function,
    ):
        for name, parameter in inspect.signature(function).parameters.items():
            if name in texts:
                parameter.default.help = texts[name]
            if name == "install_completion":
                parameter.default.callback = _install_completion


def install() -> None:
    """Put the Swedish texts in place (idempotent)."""
    try:
        from typer import rich_utils
        from typer._click import formatting
        from typer._click.core import Command
        from typer.core import TyperArgument, TyperOption
    except ImportError:  # another typer layout: keep its English
        return
    texts = {
        "ARGUMENTS_PANEL_TITLE": _("Argument"),
        "OPTIONS_PANEL_TITLE": _("Flaggor"),
        "COMMANDS_PANEL_TITLE": _("Kommandon"),
        "ERRORS_PANEL_TITLE": _("Fel"),
        "ABORTED_TEXT": _("Avbrutet."),
        "RICH_HELP": _("Skriv [blue]'{command_path} {help_option}'[/] för hjälp."),
        "DEFAULT_STRING": _("[standard: {}]"),
        "REQUIRED_LONG_STRING": _("[krävs]"),
        "DEPRECATED_STRING": _("(utgår) "),
    }
    for name, text in texts.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    if getattr(formatting.HelpFormatter.write_usage, "__name__", "") == "write_usage" and not getattr(
        formatting.HelpFormatter, "_kprocess", False
    ):
        formatting.HelpFormatter.write_usage = _swedish_usage(formatting.HelpFormatter.write_usage)  # type: ignore[method-assign]
        formatting.HelpFormatter._kprocess = True  # type: ignore[attr-defined]
        Command.get_help_option = _swedish_help_option(Command.get_help_option)  # type: ignore[method-assign]
        Command.collect_usage_pieces = _usage_pieces(Command.collect_usage_pieces)  # type: ignore[method-assign]
        TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
        TyperArgument.display_type_rich = _type_words(TyperArgument.display_type_rich)  # type: ignore[method-assign]
        TyperOption.display_type_rich = _type_words(TyperOption.display_type_rich)  # type: ignore[method-assign]
        rich_utils.rich_format_error = _format_error  # type: ignore[assignment]
        _swedish_completion()
        if hasattr(rich_utils, "highlighter") and hasattr(rich_utils.highlighter, "highlights"):
            rich_utils.highlighter.highlights = [  # type: ignore[misc]
                h.replace("(?P<usage>Usage: )", f"(?P<usage>{_('Användning: ')})")
                for h in rich_utils.highlighter.highlights
            ]
