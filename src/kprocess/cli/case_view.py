"""What the `kprocess case` commands do and print (text in the chosen language, or JSON)."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from kprocess.answers import AnswerError
from kprocess.cli.case_list import LABEL, SCHEMA
from kprocess.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, load_or_report
from kprocess.enums import QuestionType
from kprocess.i18n import N_, _
from kprocess.pack import RulePack
from kprocess.packtext import actor_label, named, pack_name, party_name, question_text, step_name
from kprocess.register.compat import compare
from kprocess.register.models import Event
from kprocess.register.revisions import pack_from_text, read_pack_text
from kprocess.register.state import CaseState, Waiting, normalise
from kprocess.register.store import Loaded, Register, RegisterError, Who, views

KIND = {
    "started": N_("startat"),
    "answered": N_("svar"),
    "parked": N_("vilande"),
    "resumed": N_("återupptaget"),
    "migrated": N_("flyttat till ny paketversion"),
    "followed_up": N_("uppföljning gjord"),
    "passed": N_("datum passerat"),
}


def _status(status: str) -> str:
    """A case's status in words, in the chosen language."""
    return _(LABEL[status]) if status in LABEL else status


def _fail(error: Exception) -> int:
    print(f"kprocess: {error}", file=sys.stderr)
    return EXIT_FINDINGS


def _answers(loaded_pack: RulePack, pairs: list[tuple[str, object]]) -> dict[str, list[str]]:
    try:
        return normalise(loaded_pack, pairs)
    except AnswerError as error:
        raise UsageError(str(error)) from None


# -- writing ---------------------------------------------------------------------------------------


def start(
    register: Register,
    pack_path: Path,
    title: str,
    facts: list[tuple[str, object]],
    who: Who,
    flow: str | None,
    start_text: str | None,
    output: str,
) -> int:
    """`case start`: open a case under the pack as it is now."""
    pack = load_or_report(pack_path)
    answers = _answers(pack, facts)
    begin = date.fromisoformat(start_text) if start_text else None
    try:
        written = register.start(pack_path, title, answers, who, flow=flow, start=begin)
    except RegisterError as error:
        return _fail(error)
    return _after_write(
        register,
        written.case_id,
        written.repeated,
        output,
        _("Ärende {case} startat.").format(case=written.case_id),
        who.day,
    )


def answer(
    register: Register, case_id: int, pairs: list[tuple[str, object]], follow_up: bool, who: Who, output: str
) -> int:
    """`case answer`: record answers (and a follow-up) and move the case as far as it goes."""
    try:
        loaded = register.load(case_id)
        if loaded.state.status == "on_hold":
            raise RegisterError(
                _("ärende {case} är vilande; återuppta det först med `kprocess case resume {case}`").format(
                    case=case_id
                )
            )
        if follow_up and loaded.state.status != "ongoing":
            raise RegisterError(
                _("ärende {case} är inte i fortlöpande uppföljning (status: {status})").format(
                    case=case_id, status=loaded.state.status
                )
            )
        if not pairs and not follow_up:
            _date_passed(loaded, who.day)
        data: dict[str, Any] = {"answers": _answers(loaded.pack, pairs)} if pairs else {}
        kind = "answered" if pairs else "followed_up" if follow_up else "passed"
        written = register.append(case_id, kind, data, who)
        if follow_up and pairs:
            written = register.append(case_id, "followed_up", {}, Who(who.by, who.day))
    except RegisterError as error:
        return _fail(error)
    return _after_write(
        register,
        case_id,
        written.repeated,
        output,
        _("Ärende {case}: version {version}.").format(case=case_id, version=written.version),
        who.day,
    )


def _date_passed(loaded: Loaded, today: date) -> None:
    """`case answer ID` without answers records that a date the case waits for has passed."""
    waits = loaded.state.waiting
    if waits and waits[0].timed and waits[0].day is not None and waits[0].day <= today:
        return
    if waits and waits[0].timed:
        raise RegisterError(
            _(
                "ärende {case} väntar till {day} (steg {step}); "
                "det datumet har inte passerat (ange dagens datum med --date)"
            ).format(case=loaded.case.id, day=waits[0].day, step=waits[0].step)
        )
    raise UsageError(
        _(
            "ge minst ett svar, `fraga=svar`, eller --follow-up; utan svar registrerar `case answer` bara "
            "att ett datum som ärendet väntar på har passerat"
        )
    )


def park(register: Register, case_id: int, reason: str, who: Who, output: str) -> int:
    """`case park`: put a case on hold with a reason."""
    try:
        loaded = register.load(case_id)
        if loaded.state.status not in ("waiting", "ongoing"):
            raise RegisterError(
                _("ärende {case} kan inte läggas vilande: det är {status}").format(
                    case=case_id, status=_status(loaded.state.status)
                )
            )
        written = register.append(case_id, "parked", {"reason": reason}, who)
    except RegisterError as error:
        return _fail(error)
    message = _("Ärende {case} vilar: {reason}").format(case=case_id, reason=reason)
    return _after_write(register, case_id, written.repeated, output, message, who.day)


def resume(register: Register, case_id: int, pairs: list[tuple[str, object]], who: Who, output: str) -> int:
    """`case resume`: take a case off hold, or give the new decision for a parked one."""
    try:
        loaded = register.load(case_id)
        status = loaded.state.status
        if status == "parked" and not pairs:
            question = _park_question(loaded)
            raise RegisterError(
                _(
                    "ärende {case} parkerades i paketets flöde; ge det nya beslutet, t.ex. "
                    "`kprocess case resume {case} {question}=ja --by NAMN`"
                ).format(case=case_id, question=question)
            )
        if status not in ("on_hold", "parked"):
            raise RegisterError(
                _("ärende {case} är inte vilande eller parkerat (det är {status})").format(
                    case=case_id, status=_status(status)
                )
            )
        data: dict[str, Any] = {"answers": _answers(loaded.pack, pairs)} if pairs else {}
        written = register.append(case_id, "resumed", data, who)
    except RegisterError as error:
        return _fail(error)
    message = _("Ärende {case} återupptaget.").format(case=case_id)
    return _after_write(register, case_id, written.repeated, output, message, who.day)


def _park_question(loaded: Loaded) -> str:
    result = loaded.state.result
    if result and result.trace and result.trace[-1].decision:
        return result.trace[-1].decision.question
    return _("fraga")


def migrate(register: Register, case_id: int, pack_path: Path | None, who: Who, output: str) -> int:
    """`case migrate`: move the case to the pack file's current revision, or refuse with the reason."""
    try:
        loaded = register.load(case_id)
        path = pack_path or Path(loaded.revision.path)
        if not path.exists():
            raise UsageError(_("{path} finns inte; ange paketfilen med --pack").format(path=path))
        load_or_report(path)
        text = read_pack_text(path)
        if text.content_hash == loaded.revision.content_hash:
            print(
                _("Ärende {case} kör redan under denna version ({version}).").format(
                    case=case_id, version=text.content_hash[:12]
                )
            )
            return EXIT_OK
        new_pack = pack_from_text(text.text, text.path)
        verdict = compare(loaded.pack, new_pack, loaded.case.flow, loaded.case.start, views(loaded.events))
        if not verdict.migratable:
            raise RegisterError(
                _("ärende {case} flyttas inte till den nya versionen: {reason}").format(
                    case=case_id, reason=verdict.shown
                )
            )
        data = {"from": loaded.revision.content_hash, "to": text.content_hash, "verdict": verdict.reason}
        written = register.append(case_id, "migrated", data, who, pack_text=text)
    except RegisterError as error:
        return _fail(error)
    return _after_write(
        register,
        case_id,
        written.repeated,
        output,
        _("Ärende {case} kör nu under version {version}.").format(case=case_id, version=text.content_hash[:12]),
        who.day,
    )


def _after_write(register: Register, case_id: int, repeated: bool, output: str, message: str, today: date) -> int:
    loaded = register.load(case_id)
    if output == "json":
        print(json.dumps(_case_json(loaded) | {"repeated": repeated}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if repeated:
        message += _(" (redan sparat med samma nyckel: inget nytt sparades)")
    print(message)
    _next(loaded, today, brief=True)
    return EXIT_OK


# -- reading ---------------------------------------------------------------------------------------


def show(register: Register, case_id: int, today: date, output: str) -> int:
    """`case show`: the timeline so far and what comes next."""
    from rich.console import Console
    from rich.markup import escape

    try:
        loaded = register.load(case_id, today)
    except RegisterError as error:
        return _fail(error)
    if output == "json":
        print(json.dumps(_case_json(loaded), ensure_ascii=False, indent=2))
        return EXIT_OK
    console = Console(highlight=False)
    case, revision, state = loaded.case, loaded.revision, loaded.state
    console.print("[bold]" + _("Ärende {case}: {title}").format(case=case.id, title=escape(case.title)) + "[/]")
    git = f", git {revision.git_commit[:10]}" if revision.git_commit else ""
    console.print(
        _("Paket: {name} ({pack}), version {version}{git} från {path}").format(
            name=escape(pack_name(loaded.pack)),
            pack=case.pack_id,
            version=revision.content_hash[:12],
            git=git,
            path=escape(revision.path),
        )
    )
    console.print(
        _("Start {start} · version {version} · status: {status}").format(
            start=case.start, version=case.version, status=f"[bold]{_status(state.status)}[/]"
        )
    )
    result = state.result
    if result and result.trace:
        console.print("\n[bold]" + _("Hittills") + "[/]")
        for entry in result.trace:
            who = party_name(loaded.pack, entry.actor.id, entry.actor.name) + (
                f" ({entry.party})" if entry.party else ""
            )
            name = step_name(loaded.pack, entry.step, entry.name)
            line = f"{entry.seq:>4} {entry.date or ''}  {escape(name)} — {escape(who)}"
            if entry.decision:
                from kprocess.answers import answer_text

                line += f": [bold]{escape(answer_text(entry.decision.answer))}[/]"
            console.print(line, soft_wrap=True)
    _next(loaded, today)
    return EXIT_OK


def _next(loaded: Loaded, today: date, *, brief: bool = False) -> None:
    """Who must act next, by when, and the command that records it."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    state, pack, case = loaded.state, loaded.pack, loaded.case
    if not brief:
        console.print("\n[bold]" + _("Härnäst") + "[/]")
    if state.error:
        console.print("[red]" + _("Fel:") + f"[/] {escape(state.error)}")
    if state.status == "on_hold":
        reason = next((e.data.get("reason") for e in reversed(loaded.events) if e.kind == "parked"), "")
        console.print(
            _("Vilande: {reason}. Återuppta: kprocess case resume {case} --by NAMN").format(
                reason=escape(str(reason)), case=case.id
            )
        )
        return
    for wait in state.waiting:
        console.print(_wait_line(pack, wait, state, today), soft_wrap=True)
    if state.waiting and state.waiting[0].timed:
        console.print(
            _(
                "När dagen har kommit och steget är gjort: kprocess case answer {case} --by NAMN "
                "(eller ge nästa svar direkt)"
            ).format(case=case.id)
        )
    elif state.waiting:
        first = state.waiting[0]
        console.print(
            _("Svara: kprocess case answer {case} {key}={hint} --by NAMN").format(
                case=case.id, key=first.key, hint=_hint(pack, first.question)
            )
        )
    elif state.status == "ongoing":
        due = _due(state.due, today)
        actor = pack.actors[pack.steps[state.result.trace[-1].step].actor] if state.result else None
        name = actor_label(actor) if actor else ""
        console.print(_("Fortlöpande uppföljning ({actor}), nästa senast {due}.").format(actor=escape(name), due=due))
        console.print(_("När den är gjord: kprocess case answer {case} --follow-up --by NAMN").format(case=case.id))
    elif state.status == "parked":
        console.print(
            _("Parkerat i flödet. Tas upp igen: kprocess case resume {case} FRÅGA=ja --by NAMN").format(case=case.id)
        )
    elif not state.error:
        console.print(_("Ärendet är {status}; inget mer att göra.").format(status=_status(state.status)))


def _wait_line(pack: RulePack, wait: Waiting, state: CaseState, today: date) -> str:
    from rich.markup import escape

    actor = pack.actors.get(wait.actor)
    name = actor_label(actor) if actor else wait.actor
    party = _(" för {party}").format(party=wait.party) if wait.party else ""
    step = named(pack.steps[wait.step]) or wait.step if wait.step in pack.steps else wait.step
    if wait.timed:
        return f"  {escape(name)}{escape(party)}: " + _(
            "steg {step} «{name}» sker {day} · väntar på datumet sedan {since}"
        ).format(step=wait.step, name=escape(step), day=wait.day, since=state.since)
    question = pack.questions[wait.question]
    return f"  {escape(name)}{escape(party)}: " + _(
        "{question} (`{key}`) i steg {step} «{name}» · väntar sedan {since} · senast {due}"
    ).format(
        question=escape(question_text(question)),
        key=wait.key,
        step=wait.step,
        name=escape(step),
        since=state.since,
        due=_due(wait.day, today),
    )


def _due(due: date | None, today: date) -> str:
    if due is None:
        return _("– (ingen tidsgräns i paketet)")
    return f"{due} [bold red]" + _("FÖRSENAT") + "[/]" if due < today else str(due)


def _hint(pack: RulePack, qid: str) -> str:
    question = pack.questions[qid]
    if question.type is QuestionType.yesno:
        return "ja|nej"
    if question.type is QuestionType.choice:
        return "|".join(o.id for o in question.options)
    return _("TAL")


def history(register: Register, case_id: int, output: str) -> int:
    """`case history`: the audit log."""
    try:
        loaded = register.load(case_id)
    except RegisterError as error:
        return _fail(error)
    hashes = {loaded.case.revision_id: loaded.revision.content_hash}
    if output == "json":
        print(
            json.dumps(
                {"schema": SCHEMA, "case": case_id, "events": [_event_json(register, e) for e in loaded.events]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    print(_("Ärende {case}: {title}").format(case=case_id, title=loaded.case.title))
    for event in loaded.events:
        if event.revision_id not in hashes:
            hashes[event.revision_id] = register.revision_text(event.revision_id).content_hash
        answers: dict[str, list[str]] = event.data.get("answers") or {}  # type: ignore[assignment]
        what = " ".join(f"{k}={','.join(v)}" for k, v in answers.items())
        extra = event.data.get("reason") or event.data.get("verdict") or ""
        kind = _(KIND[event.kind]) if event.kind in KIND else event.kind
        print(
            f"{event.seq:>4}  {event.date}  {kind}  "
            + _("av {who}").format(who=event.by)
            + (f"  {what}" if what else "")
            + (f"  ({extra})" if extra else "")
        )
        if event.mandate:
            print("        " + _("beslut: {mandate}").format(mandate=event.mandate))
        print(
            "        "
            + _("registrerat {time} UTC · paketversion {version}").format(
                time=f"{event.recorded_at:%Y-%m-%d %H:%M:%S}", version=hashes[event.revision_id][:12]
            )
        )
    return EXIT_OK


def _event_json(register: Register, event: Event) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "kind": event.kind,
        "date": event.date.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "by": event.by,
        "mandate": event.mandate,
        "revision": register.revision_text(event.revision_id).content_hash,
        "data": event.data,
        "idempotency_key": event.idempotency_key,
    }


def _case_json(loaded: Loaded) -> dict[str, Any]:
    case, state, pack = loaded.case, loaded.state, loaded.pack
    return {
        "schema": SCHEMA,
        "id": case.id,
        "title": case.title,
        "pack": {
            "id": case.pack_id,
            "path": loaded.revision.path,
            "content_hash": loaded.revision.content_hash,
            "git_commit": loaded.revision.git_commit,
        },
        "flow": case.flow,
        "start": case.start.isoformat(),
        "version": case.version,
        "status": state.status,
        "waiting_since": state.since.isoformat() if state.since else None,
        "due": state.due.isoformat() if state.due else None,
        "waiting": [
            {
                "step": w.step,
                "question": w.question or None,
                "text": pack.questions[w.question].text if w.question else pack.steps[w.step].name,
                "party": w.party,
                "actor": w.actor,
                "due": w.day.isoformat() if w.day else None,
            }
            for w in state.waiting
        ],
        "answers": state.answers,
        "error": state.error,
        "run": state.result.to_json() if state.result else None,
    }


def export(register: Register, case_id: int | None, output: str) -> int:
    """`case export`: cases with events and pack texts (json), or every event as a row (csv)."""
    ids = [case_id] if case_id is not None else register.case_ids()
    try:
        loaded = [register.load(i) for i in ids]
    except RegisterError as error:
        return _fail(error)
    if output == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ["case", "title", "pack", "seq", "kind", "date", "recorded_at", "by", "mandate", "revision", "data"]
        )
        for item in loaded:
            for event in item.events:
                writer.writerow(
                    [
                        item.case.id,
                        item.case.title,
                        item.case.pack_id,
                        event.seq,
                        event.kind,
                        event.date.isoformat(),
                        event.recorded_at.isoformat(),
                        event.by,
                        event.mandate or "",
                        register.revision_text(event.revision_id).content_hash,
                        json.dumps(event.data, ensure_ascii=False),
                    ]
                )
        sys.stdout.write(out.getvalue())
        return EXIT_OK
    revisions: dict[str, dict[str, Any]] = {}
    cases = []
    for item in loaded:
        for revision_id in {item.case.revision_id, *(e.revision_id for e in item.events)}:
            revision = register.revision_text(revision_id)
            revisions[revision.content_hash] = {
                "pack": revision.pack_id,
                "path": revision.path,
                "git_commit": revision.git_commit,
                "text": revision.text,
            }
        cases.append(
            {
                "id": item.case.id,
                "title": item.case.title,
                "pack": item.case.pack_id,
                "revision": item.revision.content_hash,
                "flow": item.case.flow,
                "start": item.case.start.isoformat(),
                "status": item.state.status,
                "events": [_event_json(register, e) for e in item.events],
            }
        )
    print(json.dumps({"schema": SCHEMA, "revisions": revisions, "cases": cases}, ensure_ascii=False, indent=2))
    return EXIT_OK
