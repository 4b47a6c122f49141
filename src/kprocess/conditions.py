"""The condition language: a safe subset of Python expressions over the questions.

Python's own parser (`ast`) reads the text; an allow-list admits only names of
questions and option sets, constants, `and`/`or`/`not`, comparisons and `in`.
Nothing is ever executed: an allowed tree is compiled into plain closures.

    beror_kommunerna and not ryms_i_budget
    programomrade in kommunmedverkan
    region_beslut or any(kommun_beslut)
    programomrade == 'psykisk_halsa'
    rapportperiod_manader >= 12
"""

from __future__ import annotations

import ast
import math
import operator
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any

from kprocess.diagnostics import excerpt
from kprocess.enums import QuestionType
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.model import OptionSet, Question

Value = bool | float | str
Getter = Callable[[str], Value]
Predicate = Callable[[Getter], bool]

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
MAX_LENGTH = 1000
"""Longest condition text read, in characters (longer ones are refused, not parsed)."""
MAX_NUMBER = 1e15
"""Largest number a condition may compare with, or an answer may give (larger ones are refused)."""
NUMBER_TEXT = f"{MAX_NUMBER:,.0f}".replace(",", " ")
_YES = {"ja", "j", "yes", "y", "true", "sant"}
_NO = {"nej", "n", "no", "false", "falskt"}


AGGREGATES = {
    "any": "Svarade minst en part ja på frågan: {text}",
    "all": "Svarade alla parter som besvarade frågan ja: {text}",
}
AGGREGATES_EN = {
    "any": "Did at least one party answer yes to: {text}",
    "all": "Did every party that answered say yes to: {text}",
}
"""The derived questions' English text (`text_en`), as a pack gives its own."""


def aggregate_id(function: str, question: str) -> str:
    """The name a condition reads for `any(question)` / `all(question)`."""
    return f"{function}({question})"


def aggregate_questions(questions: Mapping[str, Question]) -> dict[str, Question]:
    """The derived yes/no questions `any(q)` and `all(q)` of every per-party yes/no question."""
    derived = {}
    for question in questions.values():
        if question.per_party and question.type is QuestionType.yesno:
            for function, text in AGGREGATES.items():
                name = aggregate_id(function, question.id)
                derived[name] = type(question).model_construct(
                    id=name,
                    text=text.format(text=question.text),
                    text_en=AGGREGATES_EN[function].format(text=question.text_en or question.text),
                    type=QuestionType.yesno,
                    options=[],
                    default=None,
                    help=None,
                    unit=None,
                    per_party=False,
                    source=None,
                )
    return derived


class ConditionError(Exception):
    """A condition that cannot be used; `column` is 0-based within the text."""

    def __init__(self, message: str, hint: str | None = None, column: int = 0, code: str = "KP205") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.column = column
        self.code = code


@dataclass(frozen=True)
class Catalog:
    """What a condition may name: the questions and option sets in scope."""

    questions: Mapping[str, Question]
    option_sets: Mapping[str, OptionSet] = field(default_factory=dict)
    expansions: Mapping[str, Condition] = field(default_factory=dict)
    """Compiled `derived:` questions: a condition naming one reads its expression instead."""


@dataclass(frozen=True)
class Condition:
    """A compiled condition: what it reads and how to evaluate it."""

    text: str
    questions: frozenset[str]
    numbers: Mapping[str, frozenset[float]]
    test: Predicate
    named: frozenset[str]
    """Every name the text mentions (a derived question's own name, before it is expanded)."""

    def __call__(self, get: Getter) -> bool:
        return self.test(get)


def parse_yesno(value: object) -> bool | None:
    """`ja`/`nej` (and true/false, yes/no) as a bool; None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
    return None


def parse_tree(text: str) -> ast.Expression:
    """`ast.parse` of a condition, without Python's SyntaxWarning on stderr (`1and x` is refused, not warned)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        return ast.parse(text, mode="eval")


def compile_condition(text: str, catalog: Catalog) -> Condition:
    """Parse, type-check and compile `text`; raise `ConditionError` when it is not allowed."""
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if len(stripped) > MAX_LENGTH:
        raise ConditionError(
            _("villkoret är {length} tecken långt; högst {limit} läses").format(length=len(stripped), limit=MAX_LENGTH),
            _("dela upp villkoret, t.ex. med en härledd fråga (`derived:`)"),
        )
    try:
        tree = parse_tree(stripped)
    except SyntaxError as exc:
        raise ConditionError(
            _("villkoret går inte att läsa: {problem}").format(problem=excerpt(exc.msg, 80)),
            _("skriv t.ex. `fraga and not annan_fraga` eller `fraga == 'alternativ'`"),
            lead + max((exc.offset or 1) - 1, 0),
        ) from None
    except (MemoryError, RecursionError, ValueError):
        raise ConditionError(
            _("villkoret är för djupt nästlat för att läsas"),
            _("skriv villkoret med färre parenteser och `not` i följd"),
            lead,
        ) from None
    compiler = _Compiler(catalog, stripped)
    try:
        _check_spelling(tree, stripped)
        test = compiler.boolean(tree.body)
    except ConditionError as error:
        error.column += lead
        raise
    except RecursionError:
        raise ConditionError(
            _("villkoret är för djupt nästlat för att läsas"),
            _("skriv villkoret med färre parenteser och `not` i följd"),
            lead,
        ) from None
    return Condition(
        text,
        frozenset(compiler.questions),
        {q: frozenset(v) for q, v in compiler.numbers.items()},
        test,
        frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name)),
    )


def _column(text: str, node: ast.AST) -> int:
    """The 0-based character column of `node` (ast counts UTF-8 bytes)."""
    offset = getattr(node, "col_offset", 0)
    return len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))


def _check_spelling(tree: ast.AST, text: str) -> None:
    """Refuse names Python read as another name (NFKC look-alikes such as full-width letters)."""
    if text.isascii():  # NFKC leaves ASCII as it is: every name is read as written
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            written = ast.get_source_segment(text, node)
            if written is not None and written != node.id:
                raise ConditionError(
                    _("`{written}` är skrivet med tecken som bara liknar vanliga bokstäver").format(
                        written=excerpt(written)
                    ),
                    _("skriv `{name}` med vanliga bokstäver (a–z, 0–9, _)").format(name=node.id),
                    _column(text, node),
                    "KP204",
                )


class _Compiler:
    """Walks an allowed AST and builds closures; raises on anything else."""

    def __init__(self, catalog: Catalog, text: str = "") -> None:
        self.catalog = catalog
        self.text = text
        self.questions: set[str] = set()
        self.numbers: dict[str, set[float]] = {}

    def fail(self, node: ast.AST, message: str, hint: str | None = None, code: str = "KP205") -> ConditionError:
        return ConditionError(message, hint, _column(self.text, node), code)

    def source(self, node: ast.AST) -> str:
        """The condition text of `node`, shortened for a message."""
        return excerpt(ast.get_source_segment(self.text, node) or ast.unparse(node))

    def question(self, node: ast.expr) -> Question:
        if not isinstance(node, ast.Name):
            raise self.fail(
                node,
                _("vänster sida av en jämförelse ska vara en fråga"),
                _("skriv frågans id först, t.ex. `antal_manader >= 12`"),
            )
        found = self.catalog.questions.get(node.id)
        if found is None:
            raise self.unknown(node)
        if found.derived is not None:
            raise self.fail(
                node,
                _(
                    "`{question}` är härledd och kan här bara läsas som ja/nej (`{question}` eller `not {question}`)"
                ).format(question=found.id),
                _("en härledd fråga kan bara läsa frågor som inte själva är härledda"),
                "KP206",
            )
        self.questions.add(found.id)
        return found

    def unknown(self, node: ast.Name) -> ConditionError:
        names = [*self.catalog.questions, *self.catalog.option_sets]
        close = get_close_matches(node.id, names, n=1)
        for question in self.catalog.questions.values():
            if any(o.id == node.id for o in question.options):
                return self.fail(
                    node,
                    _("`{option}` är ett svarsalternativ, inte en fråga").format(option=node.id),
                    _("skriv det inom citattecken: `{question} == '{option}'`").format(
                        question=question.id, option=node.id
                    ),
                    "KP204",
                )
        hint = _("menade du `{match}`?").format(match=close[0]) if close else _("deklarera frågan under `questions:`")
        return self.fail(node, _("okänd fråga `{question}`").format(question=excerpt(node.id)), hint, "KP204")

    def boolean(self, node: ast.expr) -> Predicate:
        if isinstance(node, ast.BoolOp):
            parts = [self.boolean(v) for v in node.values]
            if isinstance(node.op, ast.And):
                return lambda get: all(p(get) for p in parts)
            return lambda get: any(p(get) for p in parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.boolean(node.operand)
            return lambda get: not inner(get)
        if isinstance(node, ast.Name) and node.id in self.catalog.expansions:
            expansion = self.catalog.expansions[node.id]
            self.questions |= expansion.questions
            for qid, numbers in expansion.numbers.items():
                self.numbers.setdefault(qid, set()).update(numbers)
            return expansion.test
        if isinstance(node, ast.Name):
            question = self.question(node)
            if question.type is not QuestionType.yesno:
                raise self.fail(
                    node,
                    _("`{question}` är inte en ja/nej-fråga och kan inte stå ensam").format(question=question.id),
                    self.compare_hint(question),
                    "KP206",
                )
            qid = question.id
            return lambda get: bool(get(qid))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.aggregate(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            raise self.fail(
                node,
                (
                    _("`{value}` är inget villkor: det är alltid sant")
                    if node.value
                    else _("`{value}` är inget villkor: det är alltid falskt")
                ).format(value=node.value),
                _("ta bort vägen som aldrig gäller, och använd `otherwise:` för en väg som alltid gäller"),
            )
        raise self.fail(
            node,
            _("`{text}` är inte tillåtet i ett villkor").format(text=self.source(node)),
            _("tillåtet: frågor, `and`, `or`, `not`, jämförelser (==, !=, <, >) och `in`"),
        )

    def aggregate(self, node: ast.Call) -> Predicate:
        """`any(q)` / `all(q)` over the parties' answers to a per-party yes/no question."""
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in AGGREGATES or node.keywords or len(node.args) != 1:
            raise self.fail(
                node,
                _("`{text}` är inte tillåtet i ett villkor").format(text=self.source(node)),
                _("tillåtna funktioner: any(fraga) och all(fraga) för frågor som besvaras per part"),
            )
        argument = node.args[0]
        named_before = isinstance(argument, ast.Name) and argument.id in self.questions
        question = self.question(argument)
        if not named_before:
            self.questions.discard(question.id)
        if question.type is not QuestionType.yesno or not question.per_party:
            raise self.fail(
                node,
                _("{function}() gäller ja/nej-frågor som besvaras per part; `{question}` är det inte").format(
                    function=func.id, question=question.id
                ),
                _("sätt `per_party: true` på frågan, eller använd frågan direkt"),
                "KP206",
            )
        derived = aggregate_id(func.id, question.id)
        self.questions.add(derived)
        return lambda get: bool(get(derived))

    def compare_hint(self, question: Question) -> str:
        if question.type is QuestionType.yesno:
            return _("skriv bara `{question}` eller `not {question}`").format(question=question.id)
        if question.type is QuestionType.choice and question.options:
            return _("jämför med ett alternativ: `{question} == '{option}'`").format(
                question=question.id, option=question.options[0].id
            )
        return _("jämför med ett tal: `{question} >= 12`").format(question=question.id)

    def compare(self, node: ast.Compare) -> Predicate:
        if len(node.ops) != 1:
            raise self.fail(node, _("kedjade jämförelser stöds inte"), _("dela upp med `and`: `a >= 1 and a <= 5`"))
        question = self.question(node.left)
        op, right = node.ops[0], node.comparators[0]
        qid = question.id
        if isinstance(op, ast.In | ast.NotIn):
            members = self.members(question, right)
            if isinstance(op, ast.In):
                return lambda get: get(qid) in members
            return lambda get: get(qid) not in members
        compare = _COMPARE.get(type(op))
        if compare is None:
            raise self.fail(node, _("jämförelsen är inte tillåten"), _("använd ==, !=, <, <=, >, >= eller in"))
        constant = self.constant(question, right, ordered=not isinstance(op, ast.Eq | ast.NotEq))
        return lambda get: compare(get(qid), constant)

    def constant(self, question: Question, node: ast.expr, *, ordered: bool) -> Value:
        if isinstance(node, ast.Name) and any(o.id == node.id for o in question.options):
            raise self.fail(
                node,
                _("`{option}` är ett svarsalternativ och skrivs inom citattecken").format(option=node.id),
                _("skriv det inom citattecken: `{question} == '{option}'`").format(
                    question=question.id, option=node.id
                ),
                "KP206",
            )
        sign = 1
        literal = node
        if (
            question.type is QuestionType.number
            and isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub | ast.UAdd)
            and isinstance(node.operand, ast.Constant)
        ):
            sign = -1 if isinstance(node.op, ast.USub) else 1
            literal = node.operand
        if not isinstance(literal, ast.Constant):
            raise self.fail(node, _("höger sida ska vara ett värde"), self.compare_hint(question), "KP206")
        value = literal.value
        if question.type is QuestionType.number:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self.fail(
                    node,
                    _("`{question}` är en talfråga; jämför med ett tal").format(question=question.id),
                    self.compare_hint(question),
                    "KP206",
                )
            number = sign * float(value) if abs(value) <= MAX_NUMBER else math.inf
            if not abs(number) <= MAX_NUMBER:
                raise self.fail(
                    node,
                    _("talet `{number}` är för stort; högst {limit} i ett villkor").format(
                        number=self.source(node), limit=NUMBER_TEXT
                    ),
                    _("jämför med ett mindre tal, t.ex. `{question} >= 12`").format(question=question.id),
                    "KP206",
                )
            self.numbers.setdefault(question.id, set()).add(number)
            return number
        if ordered:
            raise self.fail(
                node,
                _("`{question}` kan bara jämföras med == eller !=").format(question=question.id),
                self.compare_hint(question),
                "KP206",
            )
        if question.type is QuestionType.yesno:
            answer = parse_yesno(value)
            if answer is None:
                raise self.fail(
                    node,
                    _("`{question}` är en ja/nej-fråga; `{value}` är inget ja/nej").format(
                        question=question.id, value=excerpt(repr(value))
                    ),
                    self.compare_hint(question),
                    "KP206",
                )
            return answer
        return self.option(question, node)

    def option(self, question: Question, node: ast.expr) -> str:
        options = [o.id for o in question.options]
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            raise self.fail(node, _("alternativ skrivs inom citattecken"), self.compare_hint(question), "KP206")
        if node.value not in options:
            close = get_close_matches(node.value, options, n=1)
            hint = (
                _("menade du '{match}'?").format(match=close[0])
                if close
                else _("möjliga alternativ: {options}").format(options=", ".join(options))
            )
            message = _("`{question}` har inget alternativ '{option}'").format(
                question=question.id, option=excerpt(node.value)
            )
            raise self.fail(node, message, hint, "KP206")
        return node.value

    def members(self, question: Question, node: ast.expr) -> frozenset[str]:
        if question.type is not QuestionType.choice:
            raise self.fail(
                node,
                _("`in` fungerar bara för flervalsfrågor; `{question}` är det inte").format(question=question.id),
                self.compare_hint(question),
                "KP206",
            )
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return frozenset(self.option(question, element) for element in node.elts)
        if isinstance(node, ast.Name):
            option_set = self.catalog.option_sets.get(node.id)
            if option_set is None:
                close = get_close_matches(node.id, list(self.catalog.option_sets), n=1)
                hint = (
                    _("menade du `{match}`?").format(match=close[0])
                    if close
                    else _("deklarera mängden under `option_sets:`")
                )
                message = _("okänd alternativmängd `{option_set}`").format(option_set=excerpt(node.id))
                raise self.fail(node, message, hint, "KP204")
            if option_set.question != question.id:
                raise self.fail(
                    node,
                    _("mängden `{option_set}` gäller frågan `{other}`, inte `{question}`").format(
                        option_set=node.id, other=option_set.question, question=question.id
                    ),
                    None,
                    "KP206",
                )
            return frozenset(option_set.options)
        raise self.fail(
            node,
            _("efter `in` kommer en alternativmängd eller en lista"),
            _("t.ex. `programomrade in kommunmedverkan` eller `programomrade in ['a', 'b']`"),
            "KP206",
        )
