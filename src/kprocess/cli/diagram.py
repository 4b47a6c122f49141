"""`kprocess diagram PACK --format FORMAT`: the pack as a process map.

`FORMATS` maps each format to its writer: a function from the pack and the options to the
text of the map. The writers are imported when used, so the command line starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kprocess.cli.common import EXIT_OK, UsageError, load_or_report
from kprocess.i18n import _
from kprocess.pack import RulePack

LANES = ("principal", "actor")


@dataclass(frozen=True)
class DiagramOptions:
    """What every writer is told: which flow (None: all of them) and what a lane stands for."""

    flow: str | None = None
    lanes: str = "principal"


Writer = Callable[[RulePack, DiagramOptions], str]


def _bpmn(pack: RulePack, options: DiagramOptions) -> str:
    from kprocess.maps.bpmn import to_bpmn

    return to_bpmn(pack, flow=options.flow, lanes=options.lanes)


def _view(name: str) -> Writer:
    """Mermaid, SVG and HTML: drawn from the same map of each flow, lanes by principal."""

    def write(pack: RulePack, options: DiagramOptions) -> str:
        from kprocess.maps.svg import GraphvizMissingError
        from kprocess.maps.views import draw

        if options.lanes != "principal":
            raise UsageError(
                _("`--lanes {lanes}` finns bara för bpmn; {format} har en bana per huvudman").format(
                    lanes=options.lanes, format=name
                )
            )
        try:
            return draw(name, pack, options.flow)
        except GraphvizMissingError as error:
            raise UsageError(str(error)) from None

    return write


FORMATS: dict[str, Writer] = {"bpmn": _bpmn, "mermaid": _view("mermaid"), "svg": _view("svg"), "html": _view("html")}


def run(pack_path: Path, fmt: str, flow: str | None, lanes: str, output: Path | None) -> int:
    """Write the map of the pack in `fmt` to `output` (standard output without it)."""
    writer = FORMATS.get(fmt)
    if writer is None:
        raise UsageError(
            _("okänt format `{format}`; välj ett av: {formats}").format(format=fmt, formats=", ".join(FORMATS))
        )
    if lanes not in LANES:
        raise UsageError(
            _("okänd indelning i banor `--lanes {lanes}`; välj ett av: {choices}").format(
                lanes=lanes, choices=", ".join(LANES)
            )
        )
    pack = load_or_report(pack_path)
    flows = [f.id for f in pack.model.flows]
    if flow is not None and flow not in flows:
        raise UsageError(
            _("flödet `{flow}` finns inte; paketets flöden: {flows}").format(flow=flow, flows=", ".join(flows))
        )
    text = writer(pack, DiagramOptions(flow, lanes))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    return EXIT_OK
