"""One self-contained HTML page per pack, for process owners who do not read YAML.

The page holds the title and source documents, each flow's map (inline SVG), the steps phase by
phase with actor, decision, mandate and source, the questions, and the forums with their members.
Inline CSS only: nothing is fetched over the network. Text is Swedish.
"""

from __future__ import annotations

import re
from html import escape

from kprocess.cli.words import actor_label, answer_label, condition_words
from kprocess.engine.result import CaseResult
from kprocess.enums import QuestionType
from kprocess.labels import PRINCIPAL_LABEL, STATUS_LABEL, WEIGHT_LABEL
from kprocess.maps.flowmap import FAN_OUT_WORDS, PRINCIPAL_COLOURS, PRINCIPAL_ORDER, FlowMap, principal_label
from kprocess.maps.svg import render as render_svg
from kprocess.model import Actor, Decision, Step
from kprocess.pack import RulePack

_TYPE = {QuestionType.yesno: "ja/nej", QuestionType.choice: "val", QuestionType.number: "tal"}
_CSS = """
body{font-family:system-ui,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1d1d1d;background:#fafafa}
header,main{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:1.7rem;margin:.2em 0}
h2{font-size:1.3rem;margin-top:2em;border-bottom:2px solid #ccc;padding-bottom:.2em}
h3{font-size:1.1rem;margin-top:1.5em}
.lead{color:#444;margin:.2em 0}
table{border-collapse:collapse;width:100%;margin:.5em 0;background:#fff;font-size:.9rem}
th,td{border:1px solid #d0d0d0;padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eee}
.map{border:1px solid #ccc;background:#fff;margin:.3em 0 1em;overflow:hidden}
.map svg{display:block;max-width:100%;height:auto}
.zoom{position:absolute;opacity:0}
.zoom+label{display:inline-block;font-size:.85rem;color:#333;cursor:pointer;border:1px solid #aaa;border-radius:4px;
padding:1px 8px;background:#fff}
.zoom:focus-visible+label{outline:2px solid #1a73e8}
.zoom:checked+label{background:#e8eefc}
.zoom:checked~.map{overflow-x:auto}
.zoom:checked~.map svg{max-width:none}
.legend span{display:inline-block;margin:0 10px 4px 0;padding:2px 10px;border:2px solid;border-radius:4px}
.pill{display:inline-block;padding:0 6px;border-radius:4px;border:1px solid;font-size:.85em;white-space:nowrap}
.muted{color:#666}
.src{font-size:.85em;min-width:8em}
ul.tight{margin:0;padding-left:1.2em}
table.steps{table-layout:fixed}
.steps th:nth-child(1){width:28%}.steps th:nth-child(2){width:17%}.steps th:nth-child(3){width:20%}
.steps th:nth-child(4){width:25%}.steps th:nth-child(5){width:10%}
"""


def render(pack: RulePack, maps: list[FlowMap], result: CaseResult | None = None) -> str:
    """The page: `maps` are drawn in order; with `result`, the case's path is listed too."""
    model = pack.model
    parts = [
        "<!DOCTYPE html>",
        '<html lang="sv">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(model.name)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(model.name)}</h1>",
        f'<p class="lead">{escape(model.county)} · regelpaket <code>{escape(model.id)}</code></p>',
        f'<p class="lead">Parter: {escape(model.parties.region)} och {escape(", ".join(model.parties.municipalities))}'
        "</p>",
        _contents(result is not None),
        "</header>",
        "<main>",
        *_sources(pack),
        *_maps(maps),
        *(_case(pack, result) if result is not None else []),
        *_steps(pack),
        *_questions(pack),
        *_forums(pack),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _contents(with_case: bool) -> str:
    links = [("kallor", "Källdokument"), ("karta", "Processkarta")]
    links += [("arendet", "Ärendets väg")] if with_case else []
    links += [("steg", "Steg för steg"), ("fragor", "Frågor"), ("forum", "Forum")]
    return '<nav class="lead">' + " · ".join(f'<a href="#{a}">{escape(t)}</a>' for a, t in links) + "</nav>"


def _sources(pack: RulePack) -> list[str]:
    rows = []
    for doc in pack.model.sources:
        about = [
            x
            for x in (
                doc.decided_by,
                doc.decided and f"beslutad {doc.decided.isoformat()}",
                doc.revised and f"reviderad {doc.revised.isoformat()}",
            )
            if x
        ]
        rows.append(
            f"<tr><td>{escape(doc.id)}</td><td>{escape(doc.title)}</td><td>{escape(', '.join(about))}</td></tr>"
        )
    return [
        '<h2 id="kallor">Källdokument</h2>',
        "<table><tr><th>Id</th><th>Titel</th><th>Beslut</th></tr>",
        *rows,
        "</table>",
    ]


def _maps(maps: list[FlowMap]) -> list[str]:
    used = [p for p in PRINCIPAL_ORDER if any(p in m.principals for m in maps)]
    legend = "".join(
        f'<span style="background:{PRINCIPAL_COLOURS[p][0]};border-color:{PRINCIPAL_COLOURS[p][1]}">'
        f"{escape(principal_label(p))}</span>"
        for p in used
    )
    out = [
        '<h2 id="karta">Processkarta</h2>',
        f'<p class="legend">{legend}</p>',
        '<p class="muted">En bana per huvudman, faserna som kolumner. Romb: beslut eller vägval med frågan, '
        "pilarna bär svaren. Låda med tjock ram och ⊞: delflöde. Staplad låda med tre streck: görs av varje part "
        "för sig. +: parallella grenar delas och möts. Oval: slut. En numrerad ring: pilen fortsätter vid ringen "
        "med samma nummer. [1]: vem som annars är ansvarig eller beslutar, och när, står under kartan. "
        "Kartan ryms i sidans bredd; Full storlek visar den i naturlig storlek, att rulla i sidled.</p>",
    ]
    for number, flow_map in enumerate(maps, start=1):
        svg = _inline(render_svg([flow_map]))
        out += [
            f"<h3>{escape(flow_map.flow.name)}</h3>",
            "<section>",
            f'<input type="checkbox" class="zoom" id="full_{number}"><label for="full_{number}">Full storlek</label>',
            f'<div class="map">{svg}</div>',
            "</section>",
        ]
    return out


def _inline(svg: str) -> str:
    """An SVG document as an element to embed: without the XML prolog, doctype and comments."""
    start = svg.index("<svg")
    body = re.sub(r"<!--.*?-->", "", svg[start:], flags=re.DOTALL)
    return body.strip()


def _case(pack: RulePack, result: CaseResult) -> list[str]:
    rows = []
    for entry in result.trace:
        answer = ""
        if entry.decision is not None:
            question = pack.questions.get(entry.decision.question)
            asked = question.text if question else entry.decision.question
            answer = f"{escape(asked)} <b>{escape(answer_label(question, entry.decision.answer))}</b>"
        who = escape(entry.actor.name) + (f" ({escape(entry.party)})" if entry.party else "")
        rows.append(f"<tr><td>{entry.seq}</td><td>{escape(entry.name)}</td><td>{who}</td><td>{answer}</td></tr>")
    status = STATUS_LABEL.get(result.status.value, "stoppat")
    return [
        '<h2 id="arendet">Ärendets väg</h2>',
        f"<p>Ärendet är <b>{escape(status)}</b> efter {len(result.trace)} steg.</p>",
        "<table><tr><th>Nr</th><th>Steg</th><th>Vem</th><th>Beslut</th></tr>",
        *rows,
        "</table>",
    ]


def _steps(pack: RulePack) -> list[str]:
    out = ['<h2 id="steg">Steg för steg</h2>']
    for phase in pack.model.phases:
        steps = [s for s in pack.model.steps if s.phase == phase.id]
        if not steps:
            continue
        out += [
            f"<h3>{escape(phase.name)}</h3>",
            "<table class=steps><tr><th>Steg</th><th>Ansvarig</th><th>Beslut</th><th>Mandat</th><th>Källa</th></tr>",
        ]
        for step in steps:
            out.append(
                f"<tr><td><b>{escape(step.name)}</b><br><span class=muted>{escape(step.id)}</span>{_way_on(step)}</td>"
                f"<td>{_actors(pack, step)}</td><td>{_decision(pack, step.decision)}</td>"
                f"<td>{_mandate(pack, step.decision)}</td><td class=src>{escape(step.source or '')}</td></tr>"
            )
        out.append("</table>")
    return out


def _way_on(step: Step) -> str:
    if step.end is None:
        return ""
    text = STATUS_LABEL.get(step.end.value, step.end.value)
    if step.handed_to:
        text += f" till {step.handed_to}"
    return f"<br>→ <i>{escape(text)}</i>"


def _pill(actor: Actor | None, fallback: str) -> str:
    if actor is None:
        return escape(fallback)
    fill, line = PRINCIPAL_COLOURS.get(actor.principal.value, ("#fff", "#999"))
    return (
        f'<span class=pill style="background:{fill};border-color:{line}" title="{escape(actor.name)}">'
        f"{escape(actor_label(actor))}</span>"
    )


def _actors(pack: RulePack, step: Step) -> str:
    text = _together(pack, step.actor, step.jointly_with)
    for rule in step.actor_when:
        text += f"<br>{_together(pack, rule.actor, rule.jointly_with)} när {escape(condition_words(pack, rule.when))}"
    if step.for_each is not None:
        text += f"<br><i>{FAN_OUT_WORDS[step.for_each]} för sig</i>"
    return text


def _together(pack: RulePack, actor: str, jointly_with: list[str]) -> str:
    """An actor's pill, and `tillsammans med` the pills of those who act with it."""
    text = _pill(pack.actors.get(actor), actor)
    if jointly_with:
        text += " tillsammans med " + " och ".join(_pill(pack.actors.get(a), a) for a in jointly_with)
    return text


def _decision(pack: RulePack, decision: Decision | None) -> str:
    if decision is None:
        return ""
    question = pack.questions.get(decision.question)
    text = escape(question.text if question else decision.question)
    weight = WEIGHT_LABEL.get(decision.weight.value, decision.weight.value)
    text += f"<br><span class=muted>{escape(weight.capitalize())}</span>"
    if decision.by:
        text += f" av {_pill(pack.actors.get(decision.by), decision.by)}"
    for other in decision.jointly_with:
        text += f" tillsammans med {_pill(pack.actors.get(other), other)}"
    return text


def _mandate(pack: RulePack, decision: Decision | None) -> str:
    if decision is None or not decision.mandate:
        return ""
    items = []
    for rule in decision.mandate:
        condition = f"när {condition_words(pack, rule.when)}" if rule.when else "annars"
        holder = _together(pack, rule.actor, rule.jointly_with)
        extra = f" – {escape(rule.name)}" if rule.name else ""
        cited = f' <span class="src muted">{escape(rule.source)}</span>' if rule.source else ""
        items.append(f"<li>{escape(condition)}: {holder}{extra}{cited}</li>")
    return "<ul class=tight>" + "".join(items) + "</ul>"


def _questions(pack: RulePack) -> list[str]:
    rows = []
    for question in pack.model.questions:
        answers = ", ".join(o.label for o in question.options) or _TYPE[question.type]
        if question.derived:
            answers += f" (härleds: {condition_words(pack, question.derived)})"
        if question.per_party:
            answers += " · varje part svarar för sig"
        default = f"{answer_label(question, question.default)}" if question.default is not None else ""
        rows.append(
            f"<tr><td>{escape(question.text)}<br><span class=muted>{escape(question.id)}</span></td>"
            f"<td>{escape(answers)}</td><td>{escape(default)}</td><td>{escape(question.help or '')}</td></tr>"
        )
    return [
        '<h2 id="fragor">Frågor</h2>',
        "<table><tr><th>Fråga</th><th>Svar</th><th>Standardsvar</th><th>Förklaring</th></tr>",
        *rows,
        "</table>",
    ]


def _forums(pack: RulePack) -> list[str]:
    out = ['<h2 id="forum">Forum och vilka som ingår</h2>']
    forums = [a for a in pack.model.actors if a.members]
    for actor in forums:
        members = []
        for member in actor.members:
            linked = pack.actors.get(member.actor) if member.actor else None
            principal = member.principal.value if member.principal else None
            tag = (
                f" <span class=muted>({escape(PRINCIPAL_LABEL.get(principal, principal))})</span>" if principal else ""
            )
            link = f" – {_pill(linked, '')}" if linked is not None else ""
            members.append(f"<li>{escape(member.role)}{link}{tag}</li>")
        out += [
            f"<h3>{_pill(actor, actor.id)} {escape(actor.name)}</h3>",
            f"<p class=muted>{escape(actor.description or '')}</p>" if actor.description else "",
            f"<ul>{''.join(members)}</ul>",
        ]
    others = [a for a in pack.model.actors if not a.members]
    out += [
        "<h3>Övriga aktörer</h3>",
        "<table><tr><th>Aktör</th><th>Huvudman</th><th>Källa</th></tr>",
        *(
            f"<tr><td>{_pill(a, a.id)} {escape(a.name)}</td><td>{escape(principal_label(a.principal.value))}</td>"
            f"<td class=src>{escape(a.source or '')}</td></tr>"
            for a in others
        ),
        "</table>",
    ]
    return out
