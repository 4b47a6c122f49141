"""`kprocess actors PACK [ID]`: who takes part, and who sits in a forum."""

from __future__ import annotations

from pathlib import Path

from kprocess.cli.common import EXIT_OK, UsageError, load_or_report
from kprocess.cli.style import PRINCIPAL_LABEL, who


def run(pack_path: Path, actor_id: str | None) -> int:
    """List the actors, or the composition of one forum."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    pack = load_or_report(pack_path)
    console = Console()
    if actor_id is None:
        table = Table(title=f"Aktörer i {escape(pack.model.name)}")
        for column in ("Id", "Namn", "Kort", "Huvudman", "Nivå", "Ledamöter"):
            table.add_column(column)
        for a in pack.model.actors:
            table.add_row(
                a.id,
                who(a.name, a.principal.value),
                escape(a.short or ""),
                PRINCIPAL_LABEL[a.principal.value],
                a.level.value if a.level else "",
                str(len(a.members)) if a.members else "",
            )
        console.print(table)
        return EXIT_OK
    actor = pack.actors.get(actor_id)
    if actor is None:
        from difflib import get_close_matches

        close = get_close_matches(actor_id, list(pack.actors), n=1)
        raise UsageError(f"aktören `{actor_id}` finns inte" + (f" (menade du `{close[0]}`?)" if close else ""))
    console.print(f"[bold]{who(actor.name, actor.principal.value)}[/] ({PRINCIPAL_LABEL[actor.principal.value]})")
    if actor.description:
        console.print(escape(actor.description))
    if not actor.members:
        console.print("[dim]Dokumenten anger ingen sammansättning.[/]")
    for member in actor.members:
        line = f"  • {escape(member.role)}"
        if member.actor:
            line += f" [dim]({member.actor})[/]"
        console.print(line)
    return EXIT_OK
