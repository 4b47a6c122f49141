"""What the format's models add to their fields: the rules that tie fields together, and
the properties computed from them.

Written without pydantic, as mixins: `kprocess.model` (pydantic) and `kprocess.lightformat`
(plain objects, for `kprocess validate`) give their classes the same rules and properties.
A broken rule raises `ValueError` with the message a pack author reads, in the chosen language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kprocess.enums import EndKind, QuestionType
from kprocess.i18n import _

if TYPE_CHECKING:
    from kprocess.model import Branch, Timing


class Shape:
    """A model whose fields are all known to be right one by one."""

    def check_shape(self) -> None:
        """Raise `ValueError` when the fields do not fit together."""


class PeriodShape(Shape):
    if TYPE_CHECKING:
        years: int
        months: int
        weeks: int
        days: int

    def check_shape(self) -> None:
        if not (self.years or self.months or self.weeks or self.days):
            raise ValueError(_("en period måste vara längre än noll, t.ex. `{months: 6}`"))


class SourceDocumentShape(Shape):
    if TYPE_CHECKING:
        same_text_as: str | None
        sections: Sequence[object]

    def check_shape(self) -> None:
        if self.same_text_as is not None and self.sections:
            raise ValueError(
                _("avsnitten listas i dokument {document}; ta bort `sections:` här").format(document=self.same_text_as)
            )


class QuestionShape(Shape):
    if TYPE_CHECKING:
        type: QuestionType
        derived: str | None
        default: bool | int | float | str | None
        per_party: bool

    def check_shape(self) -> None:
        if self.derived is not None:
            if self.type is not QuestionType.yesno:
                raise ValueError(_("bara ja/nej-frågor kan ha `derived:`"))
            if self.default is not None or self.per_party:
                raise ValueError(_("en härledd fråga (`derived:`) har varken `default` eller `per_party`"))


class RouteShape(Shape):
    if TYPE_CHECKING:
        when: str | None
        to: str | None
        otherwise: str | None

    def check_shape(self) -> None:
        if self.otherwise is not None:
            if self.when is not None or self.to is not None:
                raise ValueError(_("en `otherwise`-väg har varken `when` eller `to`"))
        elif self.when is None or self.to is None:
            raise ValueError(_("en väg behöver både `when` och `to`, eller bara `otherwise`"))

    @property
    def target(self) -> str:
        """The step this route leads to."""
        target = self.otherwise if self.otherwise is not None else self.to
        assert target is not None
        return target


class MandateRuleShape(Shape):
    if TYPE_CHECKING:
        when: str | None
        holder: str | None
        otherwise: str | None

    def check_shape(self) -> None:
        if self.otherwise is not None:
            if self.when is not None or self.holder is not None:
                raise ValueError(_("en `otherwise`-regel har varken `when` eller `holder`"))
        elif self.when is None or self.holder is None:
            raise ValueError(_("en mandatregel behöver både `when` och `holder`, eller bara `otherwise`"))

    @property
    def actor(self) -> str:
        """The actor this rule gives the mandate to."""
        actor = self.otherwise if self.otherwise is not None else self.holder
        assert actor is not None
        return actor


class StepShape(Shape):
    if TYPE_CHECKING:
        next: str | None
        routes: Sequence[object]
        parallel: Sequence[str | Branch]
        end: EndKind | None
        call: str | None
        resume: object | None
        timing: Timing | None

    @property
    def branches(self) -> list[tuple[str, str | None]]:
        """The parallel branches as (first step, condition text or None)."""
        return [(b, None) if isinstance(b, str) else (b.to, b.when) for b in self.parallel]

    def check_shape(self) -> None:
        ways = [
            n
            for n, v in (("next", self.next), ("routes", self.routes), ("parallel", self.parallel), ("end", self.end))
            if v
        ]
        if len(ways) != 1:
            found = ", ".join(f"`{w}`" for w in ways) or _("ingen")
            raise ValueError(
                _("ett steg behöver precis en av `next`, `routes`, `parallel` eller `end` (hittade {found})").format(
                    found=found
                )
            )
        if self.call is not None and (self.end or self.parallel):
            raise ValueError(_("ett steg med `call` fortsätter med `next` eller `routes` när flödet är klart"))
        if self.resume is not None and self.end is not EndKind.parked:
            raise ValueError(_("`resume` hör till ett steg med `end: parked`"))
        if self.end is EndKind.ongoing and (self.timing is None or self.timing.every is None):
            raise ValueError(_("`end: ongoing` behöver `timing: {every: …}` som ger nästa uppföljning"))
