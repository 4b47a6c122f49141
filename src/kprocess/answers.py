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
from kprocess.i18n import N_, _

if TYPE_CHECKING:
    from kprocess.model import Question

_KEY = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)(?:\[(?P<party>[^\]]+)\])?$")


class AnswerProblem(StrEnum):
    """What is wrong with an answer, for code that reacts to it (the message is for the reader)."""

    value = "value"  # the answer does not fit its question
    key = "key"  # the key is no question id
    unknown_question = "unknown_question"
    derived = "derived"  # the question is worked out from other answers
    not_per_party = "not_per_party"
    unknown_party = "unknown_party"
    empty = "empty"  # the key has no answer
    twice = "twice"  # the key is given more than once


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says how to write it, `kind` what is wrong."""

    def __init__(self, message: str, kind: AnswerProblem = AnswerProblem.value) -> None:
        super().__init__(message)
        self.kind = kind


_DID_YOU_MEAN = N_(" (menade du `{suggestion}`?)")
_TWICE = N_("`{key}` är angiven mer än en gång; ge frågan ett svar, eller flera i ordning med komma: `fraga=ja,nej`")


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
        kind = (
            _("en tom rad")
            if raw is None
            else (_("en lista") if not isinstance(raw, dict) else _("en samling nycklar"))
        )
        raise AnswerError(
            _("`{question}` besvaras med {expected}, inte med {kind}").format(
                question=question.id, expected=_expected(question), kind=kind
            )
        )
    if question.type is QuestionType.yesno:
        answer = parse_yesno(raw)
        if answer is None:
            raise AnswerError(
                _("`{question}` besvaras med ja eller nej, inte `{answer}`").format(
                    question=question.id, answer=excerpt(str(raw))
                )
            )
        return answer
    if question.type is QuestionType.number:
        try:
            if isinstance(raw, bool):
                raise ValueError
            number = float(str(raw).strip().replace(",", ".")) if not isinstance(raw, int | float) else float(raw)
        except (ValueError, OverflowError):
            raise AnswerError(
                _("`{question}` besvaras med ett tal, inte `{answer}`").format(
                    question=question.id, answer=excerpt(str(raw))
                )
            ) from None
        if not abs(number) <= MAX_NUMBER:  # also nan and infinity
            raise AnswerError(
                _("`{question}` besvaras med ett tal mellan -{limit} och {limit}, inte `{answer}`").format(
                    question=question.id, limit=NUMBER_TEXT, answer=excerpt(str(raw))
                )
            )
        return number
    options = [o.id for o in question.options]
    text = str(raw).strip()
    if text not in options:
        labels = {o.label.lower(): o.id for o in question.options}
        if text.lower() in labels:
            return labels[text.lower()]
        close = get_close_matches(text[:200], options, n=1)
        hint = (
            _(_DID_YOU_MEAN).format(suggestion=close[0])
            if close
            else _("; välj ett av: {options}").format(options=", ".join(options))
        )
        raise AnswerError(
            _("`{question}` har inget alternativ `{answer}`").format(question=question.id, answer=excerpt(text)) + hint
        )
    return text


def _expected(question: Question) -> str:
    if question.type is QuestionType.yesno:
        return _("ja eller nej")
    if question.type is QuestionType.number:
        return _("ett tal")
    return _("ett av alternativen {options}").format(options=", ".join(o.id for o in question.options))


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
            raise AnswerError(_(_TWICE).format(key=excerpt(key.strip())), AnswerProblem.twice)
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
                _("`{key}` är inget fråge-id; skriv t.ex. `beror_kommunerna=ja` eller `fraga[Timrå]=nej`").format(
                    key=excerpt(key)
                ),
                AnswerProblem.key,
            )
        qid, party = match["id"], match["party"]
        question = self.questions.get(qid)
        if question is None:
            close = get_close_matches(qid[:200], list(self.questions), n=1)
            hint = (
                _(_DID_YOU_MEAN).format(suggestion=close[0]) if close else _("; `kprocess facts PAKET` listar frågorna")
            )
            raise AnswerError(_("okänd fråga `{question}`").format(question=qid) + hint, AnswerProblem.unknown_question)
        if question.derived is not None:
            raise AnswerError(
                _("`{question}` besvaras inte utan härleds ur andra svar: {condition}").format(
                    question=qid, condition=question.derived
                ),
                AnswerProblem.derived,
            )
        if party is not None:
            if not question.per_party:
                raise AnswerError(
                    _("`{question}` besvaras inte per part; skriv `{question}=...` utan `[{party}]`").format(
                        question=qid, party=excerpt(party, 40)
                    ),
                    AnswerProblem.not_per_party,
                )
            party = self._party(party.strip())
        values = raw if isinstance(raw, list) else str(raw).split(",") if isinstance(raw, str) else [raw]
        if not values:
            raise AnswerError(_("`{key}` saknar svar").format(key=excerpt(key)), AnswerProblem.empty)
        if once is not None and (qid, party) in once:
            raise AnswerError(_(_TWICE).format(key=excerpt(key.strip())), AnswerProblem.twice)
        return qid, party, tuple(parse_value(question, v) for v in values)

    def _party(self, name: str) -> str:
        for party in self.parties:
            if party.casefold() == name.casefold():
                return party
        close = get_close_matches(name[:200], list(self.parties), n=1)
        hint = (
            _(_DID_YOU_MEAN).format(suggestion=close[0])
            if close
            else _("; parterna är: {parties}").format(parties=", ".join(self.parties))
        )
        raise AnswerError(
            _("`{party}` är ingen part i paketet").format(party=excerpt(name, 60)) + hint, AnswerProblem.unknown_party
        )

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
