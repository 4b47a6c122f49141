"""The one module that touches `transitions`: a static machine per pack, cases as its models.

States are step ids; one `advance` event carries, per source step, its routes in
order (conditions are the compiled pack conditions), so the first route whose
condition holds is taken, as the format promises. Bounded routes count how
often they are taken and stop the case when the bound is passed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from transitions import Machine

from kprocess.conditions import Condition, Getter
from kprocess.pack import RulePack

ADVANCE = "advance"


class Token(Protocol):
    """What the machine needs of a model: a state, per-route counters and the last route taken."""

    state: str
    counts: dict[tuple[str, int], int]
    route: int | None


class LoopBoundError(Exception):
    """A bounded route was taken more often than its `max_times`."""

    def __init__(self, step: str, target: str, bound: int) -> None:
        super().__init__(f"{step} → {target} more than {bound} times")
        self.step, self.target, self.bound = step, target, bound


def _holds(condition: Condition) -> Callable[[Token, Getter], bool]:
    return lambda token, get: condition(get)


def _taken(step: str, index: int, target: str, bound: int | None) -> Callable[[Token, Getter], None]:
    def note(token: Token, get: Getter) -> None:
        token.route = index
        if bound is None:
            return
        key = (step, index)
        token.counts[key] = token.counts.get(key, 0) + 1
        if token.counts[key] > bound:
            raise LoopBoundError(step, target, bound)

    return note


class PackMachine:
    """A `transitions` machine built once per pack and shared by every case."""

    def __init__(self, pack: RulePack) -> None:
        self.machine: Any = Machine(
            model=None,
            states=list(pack.steps),
            initial=pack.model.flows[0].start,
            auto_transitions=False,
            send_event=False,
            ignore_invalid_triggers=False,
        )
        self.route_of: dict[tuple[str, str], int] = {}
        for i, step in enumerate(pack.model.steps):
            if step.next:
                self.machine.add_transition(ADVANCE, step.id, step.next)
            targets = [route.target for route in step.routes]
            for j, route in enumerate(step.routes):
                conditions: list[Any] = []
                if route.when is not None:
                    conditions.append(_holds(pack.conditions[("steps", i, "routes", j, "when")]))
                after: list[Any] = []
                if route.max_times is not None or targets.count(route.target) > 1:
                    after.append(_taken(step.id, j, route.target, route.max_times))
                else:
                    self.route_of[(step.id, route.target)] = j
                self.machine.add_transition(ADVANCE, step.id, route.target, conditions=conditions, after=after)
        self.event = self.machine.events[ADVANCE]

    def advance(self, token: Token, get: Getter) -> bool:
        """Move `token` along the first route of its step whose condition holds; False if none does.

        `token.route` tells which route was taken (bounded or ambiguous routes set it themselves).
        """
        source = token.state
        token.route = None
        moved = bool(self.event.trigger(token, token, get))
        if token.route is None:
            token.route = self.route_of.get((source, token.state))
        return moved
