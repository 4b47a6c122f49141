"""Calendar arithmetic for time rules: remiss periods, report deadlines, yearly follow-up."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from kprocess.answers import answer_text
from kprocess.conditions import Value
from kprocess.i18n import N_, _
from kprocess.model import Period, Timing, Validity


class Notice(str):
    """A warning as the run records it, in Swedish (golden cases compare it word for word, and
    JSON carries it as data), with `shown`: the same warning in the chosen language."""

    __slots__ = ("shown",)
    shown: str


def notice(template: str, **values: object) -> Notice:
    """The warning `template` (a Swedish msgid) with its values, knowing how it is shown."""
    made = Notice(template.format(**values))
    made.shown = _(template).format(**values)
    return made


def shown(warning: str) -> str:
    """A recorded warning in the chosen language (a plain text as it is)."""
    return warning.shown if isinstance(warning, Notice) else warning


def add_period(day: date, period: Period) -> date:
    """`day` plus a period; month ends are clamped (31 Jan + 1 month = 28/29 Feb)."""
    try:
        return add_months(day, period.years * 12 + period.months) + timedelta(weeks=period.weeks, days=period.days)
    except OverflowError:
        raise _out_of_range(day) from None


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the last day of the target month.

    A date beyond year 9999 (or before year 1) is a `RunError` that says so.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not date.min.year <= year <= date.max.year:
        raise _out_of_range(day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _out_of_range(day: date) -> Exception:
    from kprocess.engine.run import RunError  # imported late: the engine imports this module

    return RunError(
        _(
            "datumet efter {day} hamnar utanför kalendern (efter år 9999); "
            "kontrollera startdatumet och svaren som anger tider i månader"
        ).format(day=day)
    )


def next_calendar_date(day: date, month_days: list[str]) -> date:
    """The first of the yearly dates (`MM-DD`) on or after `day`."""
    candidates = []
    for year in (day.year, day.year + 1):
        if year > date.max.year:
            break
        for text in month_days:
            month, dom = (int(part) for part in text.split("-"))
            candidates.append(date(year, month, min(dom, calendar.monthrange(year, month)[1])))
    later = [c for c in candidates if c >= day]
    if not later:
        raise _out_of_range(day)
    return min(later)


def step_date(day: date, timing: Timing, get: Callable[[str], Value]) -> date:
    """When a step with `timing` happens, if the step before it happened on `day`."""
    if timing.after is not None:
        day = add_period(day, timing.after)
    if timing.after_question is not None:
        months = float(get(timing.after_question))
        if not months >= 0:
            from kprocess.engine.run import RunError

            raise RunError(
                _(
                    "`{question}` är {months} månader; "
                    "en väntetid kan inte vara negativ (ett steg kan inte ske före steget innan)"
                ).format(question=timing.after_question, months=answer_text(months))
            )
        if months > 12 * date.max.year:
            raise _out_of_range(day)
        day = add_months(day, round(months))
    if timing.every is not None:
        day = add_period(day, timing.every)
    if timing.dates:
        day = next_calendar_date(day, timing.dates)
    return day


def validity_warnings(validity: Validity | None, start: date | None, last: date | None) -> list[str]:
    """Warnings when a dated case starts outside the agreement's validity, or outlives it."""
    if validity is None or start is None:
        return []
    source = f" ({validity.source})" if validity.source else ""
    if validity.valid_from is not None and start < validity.valid_from:
        template = N_("ärendet startar {start} men överenskommelsen gäller först från {date}{source}")
        return [notice(template, start=start, date=validity.valid_from, source=source)]
    until = validity.valid_until
    if until is None:
        return []
    if start > until:
        if validity.extension:
            template = N_(
                "ärendet startar {start} men överenskommelsen gällde till {date} om den inte har förlängts{source}"
            )
        else:
            template = N_("ärendet startar {start} men överenskommelsen gällde till {date}{source}")
        return [notice(template, start=start, date=until, source=source)]
    if last is not None and last > until:
        if validity.extension:
            template = N_(
                "ärendet pågår till {last}, efter att överenskommelsen löper ut {date} om den inte förlängs{source}"
            )
        else:
            template = N_("ärendet pågår till {last}, efter att överenskommelsen löper ut {date}{source}")
        return [notice(template, last=last, date=until, source=source)]
    return []
