"""A case's answers: parsed, typed, per party, and consumed one by one in loops."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from enum import StrEnum
from typing import TYPE_CHECKING

from kprocess.conditions import MAX_NUMBER, NUMBER_TEXT, Value, parse_yesno
from kprocess.diagnostics import excerpt
from kprocess.enums import QuestionType

if TYPE_CHECKING:
    from kprocess.model import Question

_KEY = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)(?:\[(?P<party>[^\]]+)\])?$")


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says how to write it."""


class Origin(StrEnum):
    """Where an answer came from."""

    given = "given"
    defaulted = "defaulted"
    asked = "asked"
    missing = "missing"


Asker = Callable[["Question", str | None], Value | None]


def answer_text(value: Value) -> str:
    """An answer as a Swedish reader writes it: `ja`, `nej`, `12`, an option id."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_value(question: Question, raw: object) -> Value:
    """One answer to `question` from text or YAML data (`ja`/`nej`, an option id, a number)."""
    if isinstance(raw, dict | list | tuple | set) or raw is None:
        kind = "en tom rad" if raw is None else ("en lista" if not isinstance(raw, dict) else "en samling nycklar")
        raise AnswerError(f"`{question.id}` besvaras med {_expected(question)}, inte med {kind}")
    if question.type is QuestionType.yesno:
        answer = parse_yesno(raw)
        if answer is None:
            raise AnswerError(f"`{question.id}` besvaras med ja eller nej, inte `{excerpt(str(raw))}`")
        return answer
    if question.type is QuestionType.number:
        try:
            if isinstance(raw, bool):
                raise ValueError
            number = float(str(raw).strip().replace(",", ".")) if not isinstance(raw, int | float) else float(raw)
        except (ValueError, OverflowError):
            raise AnswerError(f"`{question.id}` besvaras med ett tal, inte `{excerpt(str(raw))}`") from None
        if not abs(number) <= MAX_NUMBER:  # also nan and infinity
            raise AnswerError(
                f"`{question.id}` besvaras med ett tal mellan -{NUMBER_TEXT} och {NUMBER_TEXT}, "
                f"inte `{excerpt(str(raw))}`"
            )
        return number
    options = [o.id for o in question.options]
    text = str(raw).strip()
    if text not in options:
        labels = {o.label.lower(): o.id for o in question.options}
        if text.lower() in labels:
            return labels[text.lower()]
        close = get_close_matches(text[:200], options, n=1)
        hint = f" (menade du `{close[0]}`?)" if close else f"; välj ett av: {', '.join(options)}"
        raise AnswerError(f"`{question.id}` har inget alternativ `{excerpt(text)}`{hint}")
    return text


def _expected(question: Question) -> str:
    if question.type is QuestionType.yesno:
        return "ja eller nej"
    if question.type is QuestionType.number:
        return "ett tal"
    return "ett av alternativen " + ", ".join(o.id for o in question.options)


Parsed = tuple[str, str | None, tuple[Value, ...]]
"""What `Answers.set` makes of one key and raw answer: question, party and the parsed answers."""
MEMO_SIZE = 50_000
"""Most (key, raw answer) pairs a memo keeps; later new pairs are parsed every time."""


def memo_key(key: str, raw: object) -> tuple[object, ...] | None:
    """A dict key telling apart every (key, raw answer) whose parsing may differ; None when the
    answer is not plain data. `True`, `1` and `1.0` are equal in Python, so types are part of it,
    and `0.0` equals `-0.0`, so floats are keyed by their text."""
    kind = raw.__class__
    if kind is str:  # the common case first; no other key is a pair of two strings
        return (key, raw)
    if kind is bool or kind is int:  # as `_plain` keys them, without its checks
        return (key, (kind, raw))
    if isinstance(raw, list):
        if _SIMPLE.issuperset(map(type, raw)):  # the common case: every type, then every value
            return (key, list, *map(type, raw), *raw)
        parts = [_plain(v) for v in raw]
        return None if None in parts else (key, list, *parts)
    part = _plain(raw)
    return None if part is None else (key, part)


_SIMPLE = frozenset((str, bool, int))
"""Types a list's key holds as they are, after the list's types (equal values of one such type parse alike)."""


def _plain(value: object) -> tuple[type, object] | None:
    kind = value.__class__
    if kind is str or kind is bool or kind is int:  # the common cases first, keyed as below
        return (kind, value)
    if isinstance(value, float):
        return (float, repr(value))
    if isinstance(value, str | int | bool) or value is None:
        return (value.__class__, value)
    return None


@dataclass
class Answers:
    """The answers of one case: a list of successive answers per question, and per party.

    `memo` (shared by every case of a pack, see `engine.run`) remembers what each key and raw
    answer parsed to: parsing depends on nothing else, so a repeated answer is not parsed again.
    """

    questions: Mapping[str, Question]
    parties: Sequence[str]
    given: dict[tuple[str, str | None], list[Value]] = field(default_factory=dict)
    memo: dict[tuple[object, ...], Parsed] | None = field(default=None, compare=False, repr=False)

    def set(
        self, key: str, raw: object, *, once: frozenset[tuple[str, str | None]] | None = None
    ) -> tuple[str, str | None]:
        """Set `id` or `id[Party]` from text (`ja`, `ja,nej`) or YAML data (a value or a list);
        return the (question, party) it answers. A key in `once` is an error (given twice)."""
        qid, party, values = self.parse(key, raw, once)
        if once is not None and (qid, party) in once:
            raise AnswerError(
                f"`{excerpt(key.strip())}` är angiven mer än en gång; "
                "ge frågan ett svar, eller flera i ordning med komma: `fraga=ja,nej`"
            )
        self.given[(qid, party)] = list(values)
        return (qid, party)

    def parse(self, key: str, raw: object, once: frozenset[tuple[str, str | None]] | None = None) -> Parsed:
        """Question, party and parsed answers of `key` = `raw`, through the memo when there is one;
        raise `AnswerError` as `set` does. Nothing is set."""
        memo = self.memo
        if memo is None:
            return self._parse(key, raw, once)
        slot = memo_key(key, raw)
        known = memo.get(slot) if slot is not None else None
        if known is None:
            known = self._parse(key, raw, once)
            if slot is not None and len(memo) < MEMO_SIZE:
                memo[slot] = known
        return known

    def _parse(self, key: str, raw: object, once: frozenset[tuple[str, str | None]] | None) -> Parsed:
        """Question, party and parsed answers of `key` = `raw`; raise `AnswerError` as `set` does."""
        match = _KEY.match(key.strip()) if len(key) <= 200 else None
        if not match:
            raise AnswerError(
                f"`{excerpt(key)}` är inget fråge-id; skriv t.ex. `beror_kommunerna=ja` eller `fraga[Timrå]=nej`"
            )
        qid, party = match["id"], match["party"]
        question = self.questions.get(qid)
        if question is None:
            close = get_close_matches(qid[:200], list(self.questions), n=1)
            hint = f" (menade du `{close[0]}`?)" if close else "; `kprocess facts PAKET` listar frågorna"
            raise AnswerError(f"okänd fråga `{qid}`{hint}")
        if question.derived is not None:
            raise AnswerError(f"`{qid}` besvaras inte utan härleds ur andra svar: {question.derived}")
        if party is not None:
            if not question.per_party:
                raise AnswerError(f"`{qid}` besvaras inte per part; skriv `{qid}=...` utan `[{excerpt(party, 40)}]`")
            party = self._party(party.strip())
        values = raw if isinstance(raw, list) else str(raw).split(",") if isinstance(raw, str) else [raw]
        if not values:
            raise AnswerError(f"`{excerpt(key)}` saknar svar")
        if once is not None and (qid, party) in once:
            raise AnswerError(
                f"`{excerpt(key.strip())}` är angiven mer än en gång; "
                "ge frågan ett svar, eller flera i ordning med komma: `fraga=ja,nej`"
            )
        return qid, party, tuple(parse_value(question, v) for v in values)

    def _party(self, name: str) -> str:
        for party in self.parties:
            if party.casefold() == name.casefold():
                return party
        close = get_close_matches(name[:200], list(self.parties), n=1)
        hint = f" (menade du `{close[0]}`?)" if close else f"; parterna är: {', '.join(self.parties)}"
        raise AnswerError(f"`{excerpt(name, 60)}` är ingen part i paketet{hint}")

    def sequence(self, qid: str, party: str | None) -> list[Value] | None:
        """The given answers for `qid`, the party's own first, then the answer for all."""
        if party is not None and (qid, party) in self.given:
            return self.given[(qid, party)]
        return self.given.get((qid, None))


def placeholder(question: Question) -> Value:
    """A stand-in answer, so a run can go on past a missing one (to find every other missing answer)."""
    if question.type is QuestionType.yesno:
        return False
    if question.type is QuestionType.choice:
        return str(question.options[0].id)
    return 0.0
