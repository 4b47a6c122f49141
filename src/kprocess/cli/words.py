"""Conditions, answers and actors in the words of the documents, for the terminal views.

`condition_words` turns `beslutsforum == 'styrgrupp' and not ryms_i_budget` into
`”Vilket forum beslutar?” är Styrgrupp och ”Ryms åtgärderna i budget?” är nej`.
"""

from __future__ import annotations

import ast

from kprocess import packtext
from kprocess.answers import answer_text
from kprocess.conditions import Value, parse_tree
from kprocess.enums import QuestionType
from kprocess.i18n import N_, _
from kprocess.model import Actor, Question
from kprocess.pack import RulePack

_COMPARE = {ast.Eq: N_("är"), ast.NotEq: N_("är inte"), ast.Lt: N_("är under"), ast.LtE: N_("är högst")}
_COMPARE[ast.Gt] = N_("är över")
_COMPARE[ast.GtE] = N_("är minst")
_YES_NO = {True: N_("ja"), False: N_("nej")}


def actor_label(actor: Actor) -> str:
    """How every view names an actor: its short name where it has one (`LPO`, `RMKS`)."""
    return packtext.actor_label(actor)


def answer_label(question: Question | None, value: Value) -> str:
    """An answer as the reader knows it: the option's label, `ja`/`nej`, a number with its unit."""
    if question is not None and question.type is QuestionType.choice:
        for option in question.options:
            if option.id == value:
                return packtext.option_label(option) or option.id
    text = _(_YES_NO[value]) if isinstance(value, bool) else answer_text(value)
    if question is not None and question.type is QuestionType.number and question.unit:
        return f"{text} {packtext.unit(question)}"
    return text


def condition_words(pack: RulePack, text: str) -> str:
    """A condition in words; the condition itself when it cannot be read (never raises)."""
    try:
        tree = parse_tree(text.strip()).body
        return _Words(pack).expr(tree, top=True)
    except (SyntaxError, KeyError, ValueError, TypeError, AttributeError):
        return text


class _Words:
    def __init__(self, pack: RulePack) -> None:
        self.pack = pack

    def question(self, node: ast.expr) -> Question:
        if not isinstance(node, ast.Name):
            raise ValueError(node)
        return self.pack.question(node.id)

    def quoted(self, question: Question) -> str:
        return f"”{packtext.question_text(question)}”"

    def expr(self, node: ast.expr, *, top: bool = False) -> str:
        if isinstance(node, ast.BoolOp):
            joiner = _(" och ") if isinstance(node.op, ast.And) else _(" eller ")
            text = joiner.join(self.expr(v) for v in node.values)
            return text if top else f"({text})"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            if isinstance(node.operand, ast.Name):
                return _("{question} är nej").format(question=self.quoted(self.question(node.operand)))
            return _("inte {condition}").format(condition=self.expr(node.operand))
        if isinstance(node, ast.Name):
            return _("{question} är ja").format(question=self.quoted(self.question(node)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1:
            question = self.question(node.args[0])
            if node.func.id == "any":
                return _("någon part svarar ja på {question}").format(question=self.quoted(question))
            return _("varje part svarar ja på {question}").format(question=self.quoted(question))
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self.compare(node)
        raise ValueError(node)

    def compare(self, node: ast.Compare) -> str:
        question = self.question(node.left)
        op, right = node.ops[0], node.comparators[0]
        if isinstance(op, ast.In | ast.NotIn):
            verb = _("är") if isinstance(op, ast.In) else _("är inte")
            if isinstance(right, ast.Name):
                named = self.pack.option_sets[right.id]
                values = packtext.option_label(named) or _(" eller ").join(
                    answer_label(question, o) for o in named.options
                )
                return f"{self.quoted(question)} {verb} {values}"
            if isinstance(right, ast.List | ast.Tuple | ast.Set):
                items = [answer_label(question, ast.literal_eval(e)) for e in right.elts]
                return f"{self.quoted(question)} {verb} {_(' eller ').join(items)}"
            raise ValueError(right)
        value = ast.literal_eval(right)
        return f"{self.quoted(question)} {_(_COMPARE[type(op)])} {answer_label(question, value)}"
