"""`kprocess actors PACK [ID]`: who takes part, and who sits in a forum."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kprocess import packtext
from kprocess.cli.common import EXIT_OK, UsageError, load_or_report
from kprocess.cli.style import who
from kprocess.i18n import _, pick
from kprocess.labels import principal_label
from kprocess.model import Actor
from kprocess.pack import RulePack


def _as_dict(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "short": actor.short,
        "principal": actor.principal.value,
        "level": actor.level.value if actor.level else None,
        "description": actor.description,
        "members": [
            {"role": m.role, "actor": m.actor, "principal": m.principal.value if m.principal else None}
            for m in actor.members
        ],
        "source": actor.source,
    }


def run(pack_path: Path, actor_id: str | None, as_json: bool = False) -> int:
    """List the actors, or the composition of one forum."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    pack = load_or_report(pack_path)
    console = Console()
    if as_json:
        chosen = pack.model.actors if actor_id is None else [_find(pack, actor_id)]
        print(json.dumps([_as_dict(a) for a in chosen], ensure_ascii=False, indent=2))
        return EXIT_OK
    if actor_id is None:
        table = Table(title=_("Aktörer i {pack}").format(pack=escape(packtext.pack_name(pack))))
        for column in (_("Id"), _("Namn"), _("Kort"), _("Huvudman"), _("Nivå"), _("Ledamöter")):
            table.add_column(column)
        for a in pack.model.actors:
            table.add_row(
                a.id,
                who(pick(a.name, a.name_en), a.principal.value),
                escape(pick(a.short, a.short_en) if a.short else ""),
                principal_label(a.principal.value),
                a.level.value if a.level else "",
                str(len(a.members)) if a.members else "",
            )
        console.print(table)
        return EXIT_OK
    actor = _find(pack, actor_id)
    name = pick(actor.name, actor.name_en)
    console.print(f"[bold]{who(name, actor.principal.value)}[/] ({principal_label(actor.principal.value)})")
    if actor.description:
        console.print(escape(actor.description))
    if not actor.members:
        console.print(_("[dim]Dokumenten anger ingen sammansättning.[/]"))
    for member in actor.members:
        line = f"  • {escape(member.role)}"
        if member.actor:
            line += f" [dim]({member.actor})[/]"
        console.print(line)
    return EXIT_OK


def _find(pack: RulePack, actor_id: str) -> Actor:
    actor = pack.actors.get(actor_id)
    if actor is None:
        from difflib import get_close_matches

        close = get_close_matches(actor_id, list(pack.actors), n=1)
        raise UsageError(
            _("aktören `{actor}` finns inte").format(actor=actor_id)
            + (_(" (menade du `{match}`?)").format(match=close[0]) if close else "")
        )
    return actor
