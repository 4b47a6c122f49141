"""The one module that touches `transitions`: a static machine per pack, cases as its models.

States are step ids; one `advance` event carries, per source step, its routes in
order (conditions are the tests of the compiled pack conditions), so the first route whose
condition holds is taken, as the format promises. Bounded routes count how
often they are taken and stop the case when the bound is passed.
"""

from __future__ import annotations

from typing import Any, Protocol

from transitions import EventData, Machine, MachineError, Transition

from kprocess.conditions import Condition, Getter
from kprocess.pack import RulePack

ADVANCE = "advance"
_NO_KWARGS: dict[str, Any] = {}
"""The keyword arguments of every move: none (transitions only reads them)."""


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


Move = tuple[Transition, int, str, int | None]
"""One transition out of a step: the transition, its route index (0 for `next`), target and bound."""


class PackMachine:
    """A `transitions` machine built once per pack and shared by every case.

    A move runs the source step's transitions in order, as `Event.trigger` does, with
    `Transition.execute` (conditions, then the state change on the token). What `trigger`
    adds around that (an event queue, prepare, finalize and exception callbacks) this
    machine does not have, so a move goes straight to the transitions.
    """

    def __init__(self, pack: RulePack) -> None:
        self.machine: Any = Machine(
            model=None,
            states=list(pack.steps),
            initial=pack.model.flows[0].start,
            auto_transitions=False,
            send_event=False,
            ignore_invalid_triggers=False,
        )
        moves: dict[str, list[Move]] = {}
        for i, step in enumerate(pack.model.steps):
            if step.next:
                self._add(moves, step.id, step.next, None, 0, None)
            for j, route in enumerate(step.routes):
                condition = pack.conditions.get(("steps", i, "routes", j, "when"))
                self._add(moves, step.id, route.target, condition, j, route.max_times)
        self.event = self.machine.events[ADVANCE]
        self.moves = {source: (self.machine.get_state(source), tuple(found)) for source, found in moves.items()}

    def _add(
        self,
        moves: dict[str, list[Move]],
        source: str,
        target: str,
        when: Condition | None,
        index: int,
        bound: int | None,
    ) -> None:
        self.machine.add_transition(ADVANCE, source, target, conditions=[when.test] if when is not None else [])
        transition = self.machine.events[ADVANCE].transitions[source][-1]
        moves.setdefault(source, []).append((transition, index, target, bound))

    def advance(self, token: Token, get: Getter) -> bool:
        """Move `token` along the first route of its step whose condition holds; False if none does.

        `token.route` tells which route was taken (0 for `next`).
        """
        source = token.state
        found = self.moves.get(source)
        if found is None:
            raise MachineError(f"Can't trigger event {ADVANCE} from state {source}!")
        state, moves = found
        data = EventData(state, self.event, self.machine, token, (get,), _NO_KWARGS)
        for transition, index, target, bound in moves:
            data.transition = transition
            if transition.execute(data):
                token.route = index
                if bound is not None:
                    key = (source, index)
                    token.counts[key] = taken = token.counts.get(key, 0) + 1
                    if taken > bound:
                        raise LoopBoundError(source, target, bound)
                return True
        return False
