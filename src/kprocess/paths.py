"""Every distinct path through a flow, the answers that lead to it, and route coverage.

Paths are found by walking the graph, not by trying every combination of
answers: at each branching step only the routes whose conditions can still hold
together with the conditions already taken are followed (checked on the few
questions those conditions read). A loop back to a step already on the path is
reported once, with its bound, and not followed again. Parallel branches are
walked one after the other up to their join; a per-party step is one step here
(each party may of course answer differently when a case runs; where a route reads the per-party
answer itself, the path listed is the one where every party answers alike).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter

from kprocess.checks.base import GroupKey, solve
from kprocess.conditions import Condition, Value, compile_condition
from kprocess.enums import EndKind
from kprocess.pack import RulePack

DEFAULT_LIMIT = 1000
Constraint = tuple[Condition, bool]
# A choice: the steps it adds (each with its round after the branching step), the constraints it
# adds, and the next step.
Choice = tuple[list[tuple[str, int]], Sequence[Constraint], str]
# A walk: its steps, the round (from 0) in which the engine does each, its constraints (after the outer
# walk's, for a nested walk), its end step.
Walked = tuple[list[str], list[int], list[Constraint], str | None]
_Lanes = list[tuple[Sequence[str], Sequence[int]]]  # each branch's steps and rounds, for `_lockstep`
ENDS_HERE = ""  # a choice's "next step" when the path ends at the last step on it
_UNSOLVED: dict[str, Value] = {}  # not solved yet (a solved group is a dict of its own, or None)


@dataclass(frozen=True)
class FlowPath:
    """One way through a flow."""

    steps: tuple[str, ...]
    end: str
    status: str
    constraints: tuple[Constraint, ...]
    example: dict[str, Value]

    @property
    def conditions(self) -> tuple[tuple[str, bool], ...]:
        """Each route condition on the path once, with whether it holds."""
        seen: dict[str, bool] = {}
        for condition, want in self.constraints:
            seen.setdefault(condition.text, want)
        return tuple(seen.items())


@dataclass(frozen=True)
class Loop:
    """A route back to an earlier step."""

    step: str
    target: str
    max_times: int | None


@dataclass
class PathReport:
    """The paths of one flow."""

    flow: str
    paths: list[FlowPath] = field(default_factory=list)
    loops: list[Loop] = field(default_factory=list)
    truncated: bool = False


@dataclass
class Coverage:
    """Which steps and routes a set of runs went through."""

    steps: set[str]
    routes: set[tuple[str, int]]
    order: tuple[str, ...]
    all_routes: set[tuple[str, int]]

    @property
    def route_percent(self) -> float:
        """Share of routes out of branching steps that some run took."""
        return 100.0 * len(self.routes & self.all_routes) / len(self.all_routes) if self.all_routes else 100.0

    @property
    def step_percent(self) -> float:
        """Share of steps some run visited."""
        return 100.0 * len(self.steps & set(self.order)) / len(self.order) if self.order else 100.0

    def missing_steps(self) -> list[str]:
        """Steps no run visited, in pack order."""
        return [s for s in self.order if s not in self.steps]

    def missing_routes(self) -> list[tuple[str, int]]:
        """Routes no run took, in pack order."""
        position = {step: i for i, step in reversed(list(enumerate(self.order)))}  # first place, as `index`
        return sorted(self.all_routes - self.routes, key=lambda r: (position[r[0]], r[1]))


def all_routes(pack: RulePack) -> set[tuple[str, int]]:
    """Every route out of every step that has routes."""
    return {(s.id, j) for s in pack.model.steps for j in range(len(s.routes))}


def coverage(pack: RulePack, runs: Iterable[tuple[set[str], set[tuple[str, int]]]]) -> Coverage:
    """Steps and routes covered by runs given as (steps visited, routes taken)."""
    steps: set[str] = set()
    routes: set[tuple[str, int]] = set()
    for visited, taken in runs:
        steps |= visited
        routes |= taken
    return Coverage(steps, routes, tuple(s.id for s in pack.model.steps), all_routes(pack))


class _Index:
    """The constraints of a path so far, by the questions they read, growing and shrinking with
    the path: `component` finds the constraints connected to new ones without scanning the others.

    A walk nested in another (a parallel branch, a called flow) starts where the outer path is:
    its index holds only the constraints it adds (`items`, the path's from position `base` on)
    and asks `parent` for the ones before. The outer walk does not move below `base` while the
    nested one runs. Sizes and positions given to and kept by an index count its own `items`.
    """

    __slots__ = ("base", "items", "log", "low", "parent", "positions")

    def __init__(self, items: list[Constraint], parent: _Index | None = None) -> None:
        self.items = items
        self.parent = parent
        self.base: int = parent.base + len(parent.items) if parent is not None else 0
        self.positions: dict[str, list[int]] = {}
        self.log: list[frozenset[str]] = []  # the questions of each constraint, for `truncate`
        self.low = 0  # the fewest constraints since this was last set: `items[:low]` did not change
        self._index(0)

    def _index(self, start: int) -> None:
        positions, items = self.positions, self.items
        for position in range(start, len(items)):
            questions = items[position][0].questions
            self.log.append(questions)
            for question in questions:
                found = positions.get(question)
                if found is None:
                    positions[question] = [position]
                else:
                    found.append(position)

    def extend(self, added: Sequence[Constraint]) -> None:
        """Add constraints to the end of the path."""
        start = len(self.items)
        self.items += added
        self._index(start)

    def truncate(self, size: int) -> None:
        """Drop the constraints from position `size` on."""
        positions, log = self.positions, self.log
        self.low = min(self.low, size)
        for _ in range(len(self.items) - size):
            for question in log.pop():
                found = positions[question]
                found.pop()
                if not found:
                    del positions[question]
        del self.items[size:]

    def with_items(self, items: list[Constraint]) -> _Index:
        """An index of a path that goes on from this one's with `items`."""
        return _Index(items, self)

    def _reading(self, question: str, below: int) -> Iterator[Constraint]:
        """The constraints before position `below` of the whole path that read `question`."""
        index: _Index | None = self
        while index is not None:
            items, base = index.items, index.base
            for position in index.positions.get(question, ()):
                if base + position < below:
                    yield items[position]
            below = min(below, base)
            index = index.parent

    def component(self, added: list[Constraint]) -> list[Constraint]:
        """The constraints connected to `added` through shared questions (directly or through
        other constraints), as the ones that can conflict with it; each condition text once with
        each wanted outcome (the same text compiles to the same condition within a pack)."""
        reads: set[str] = set()
        pending: list[str] = []
        for condition, _ in added:
            for question in condition.questions:
                if question not in reads:
                    reads.add(question)
                    pending.append(question)
        taken: set[tuple[str, bool]] = set()
        relevant: list[Constraint] = []
        size = self.base + len(self.items)
        while pending:
            for constraint in self._reading(pending.pop(), size):
                seen = (constraint[0].text, constraint[1])
                if seen in taken:
                    continue
                taken.add(seen)
                relevant.append(constraint)
                for question in constraint[0].questions:
                    if question not in reads:
                        reads.add(question)
                        pending.append(question)
        return relevant


class _Walker:
    def __init__(self, pack: RulePack, limit: int) -> None:
        self.pack = pack
        self.limit = limit
        self.report = PathReport("")
        self.index = {s.id: i for i, s in enumerate(pack.model.steps)}
        self.joins = {s.join: s.id for s in pack.model.steps if s.join}
        self.flows = {f.id: f.start for f in pack.model.flows}
        self.loops: dict[tuple[str, str], Loop] = {}
        self.solved: dict[GroupKey, dict[str, Value] | None] = {}
        self.seen: set[str] = set()  # every step a consistent path prefix has reached so far
        self.alone: dict[tuple[int, bool], dict[str, Value] | None] = {}  # a group of one, by its condition
        self.outermost: _Index | None = None  # the index of the last walk begun without `outer`

    def solve_group(self, group: list[Constraint]) -> dict[str, Value] | None:
        """`checks.base.solve(pack, group, cache)` of one group of connected constraints, a group
        of one constraint looked up by its condition."""
        if len(group) == 1:
            condition, want = group[0]
            slot = (id(condition), want)
            found = self.alone.get(slot, _UNSOLVED)
            if found is _UNSOLVED:
                found = self.alone[slot] = solve(self.pack, group, self.solved)
            return found
        key = tuple((id(c), want) for c, want in group)
        return self.solved[key] if key in self.solved else solve(self.pack, group, self.solved)

    def can_add(self, known: _Index, added: list[Constraint]) -> bool:
        """Whether `added` can hold together with the constraints of `known` (already known to
        hold together).

        Only the known constraints connected to `added` through shared questions can conflict
        with it, so only those are solved again: a long path stays cheap to extend.
        """
        return solve(self.pack, [*known.component(added), *added], self.solved) is not None

    def _path_index(self, constraints: list[Constraint], outer: _Index | None) -> _Index:
        """The index of a walk's path: over `outer`'s, or the outermost one."""
        if outer is not None:
            return outer.with_items(constraints)
        self.outermost = _Index(constraints)
        return self.outermost

    def walk(
        self, start: str, stop: str | None, known: Sequence[Constraint], outer: _Index | None = None
    ) -> Iterator[Walked]:
        """Depth-first over the choices at each branching step, with one path and one set of
        constraints undone on backtracking (no recursion, no copying per step). `outer` is the
        index of the path this walk continues; `known` and the constraints yielded are those after
        `outer`'s. The lists yielded are the walk's own: they change when the walk goes on."""
        path: list[str] = []
        rounds: list[int] = []
        on_path: set[str] = set()
        constraints = list(known)
        index = self._path_index(constraints, outer)
        frames: list[tuple[Iterator[Choice], int, int]] = [(iter([([], [], start)]), 0, len(constraints))]
        while frames:
            if len(self.report.paths) >= self.limit:
                self.report.truncated = True
                return
            choices, path_mark, constraint_mark = frames[-1]
            for gone in path[path_mark:]:
                on_path.discard(gone)
            del path[path_mark:]
            del rounds[path_mark:]
            index.truncate(constraint_mark)
            choice = next(choices, None)
            if choice is None:
                frames.pop()
                continue
            added_steps, added_constraints, node = choice
            base = rounds[-1] if rounds else -1
            for added, offset in added_steps:
                path.append(added)
                rounds.append(base + offset)
                on_path.add(added)
            index.extend(added_constraints)
            while True:
                if node == ENDS_HERE:
                    yield path, rounds, constraints, path[-1]
                    break
                if node == stop:
                    yield path, rounds, constraints, None
                    break
                if node in on_path:
                    self.loop(path[-1], node, None, path)
                    break
                step = self.pack.steps[node]
                path.append(node)
                rounds.append(rounds[-1] + 1 if rounds else 0)
                on_path.add(node)
                self.seen.add(node)
                if step.end is not None and step.resume is None:
                    yield path, rounds, constraints, node
                    break
                if step.next and step.call is None:
                    node = step.next
                    continue
                frames.append((self.choices(node, index, path, on_path), len(path), len(constraints)))
                break

    def choices(self, step_id: str, known: _Index, path: list[str], on_path: set[str]) -> Iterator[Choice]:
        """The ways on from a step that does more than go to its `next`."""
        step = self.pack.steps[step_id]
        if step.call is not None:
            return self.called(step_id, known, path, on_path)
        if step.resume is not None:
            return self.resumes(step_id, known, path)
        if step.parallel:
            return self.parallel(step_id, known)
        return self.routes(step_id, known, path, on_path)

    def called(self, step_id: str, known: _Index, path: list[str], on_path: set[str]) -> Iterator[Choice]:
        """Each way through the called flow; a `completed` end goes on from the calling step."""
        step = self.pack.steps[step_id]
        assert step.call is not None
        for sub, sub_rounds, walked, end in self.walk(self.flows[step.call], None, [], known):
            assert end is not None
            steps = [(s, r + 1) for s, r in zip(sub, sub_rounds, strict=True)]
            if self.pack.steps[end].end is not EndKind.completed:
                yield steps, walked, ENDS_HERE
            elif step.next:
                yield steps, walked, step.next
            else:
                for _, added, target in self.routes(
                    step_id, known.with_items(list(walked)), [*path, *sub], on_path | set(sub)
                ):
                    yield steps, [*walked, *added], target

    def resumes(self, step_id: str, known: _Index, path: list[str]) -> Iterator[Choice]:
        """A parked step: the case stays parked, or it resumes where `resume.to` says."""
        resume = self.pack.steps[step_id].resume
        assert resume is not None
        condition = self.pack.conditions[("steps", self.index[step_id], "resume", "when")]
        if self.can_add(known, [(condition, False)]):
            yield [], [(condition, False)], ENDS_HERE
        if self.can_add(known, [(condition, True)]):
            if resume.to in path:
                self.loop(step_id, resume.to, resume.max_times, path)
            else:
                yield [], [(condition, True)], resume.to

    def routes(self, step_id: str, known: _Index, path: list[str], on_path: set[str]) -> Iterator[Choice]:
        """The routes out of `step_id` that can hold together with `known` (read when asked)."""
        index = self.index[step_id]
        taken_false: list[Constraint] = []
        for j, route in enumerate(self.pack.steps[step_id].routes):
            condition = self.pack.conditions.get(("steps", index, "routes", j, "when"))
            added = [*taken_false, *([(condition, True)] if condition else [])]
            if condition is not None:
                taken_false.append((condition, False))
            if not self.can_add(known, added):
                continue
            if route.target in on_path:
                self.loop(step_id, route.target, route.max_times, path)
                continue
            yield [], added, route.target

    def parallel(self, step_id: str, known: _Index) -> Iterator[Choice]:
        """Each combination of the branches' ways to the join, in the engine's lockstep order.

        Combinations are made lazily, branch after branch, so `--limit` bounds the work (their
        number is the product of the branches' ways).
        """
        join = self.joins[step_id]
        for lanes, walked in self.combos(step_id, known, 0, [], []):
            yield _lockstep(lanes), walked, join

    def combos(
        self, step_id: str, known: _Index, j: int, lanes: _Lanes, so_far: Sequence[Constraint]
    ) -> Iterator[tuple[_Lanes, Sequence[Constraint]]]:
        """The ways to the join of a parallel step's branches from the `j`th on, after `lanes`."""
        branches = self.pack.steps[step_id].branches
        if j == len(branches):
            yield lanes, so_far
            return
        branch, when = branches[j]
        condition = self.pack.conditions[("steps", self.index[step_id], "parallel", j, "when")] if when else None
        started = so_far
        if condition is not None:
            here = known.with_items(list(so_far))
            if self.can_add(here, [(condition, False)]):
                yield from self.combos(step_id, known, j + 1, lanes, [*so_far, (condition, False)])
            if not self.can_add(here, [(condition, True)]):
                return
            started = [*so_far, (condition, True)]
        for lane, rounds, cons, end in self.walk(branch, self.joins[step_id], started, known):
            if end is None:
                yield from self.combos(step_id, known, j + 1, [*lanes, (lane, rounds)], cons)

    def loop(self, step: str, target: str, bound: int | None, steps: list[str]) -> None:
        if bound is None:
            body = set(steps[steps.index(target) :]) if target in steps else {step}
            bounds = [r.max_times for s in body for r in self.pack.steps[s].routes if r.max_times and r.target in body]
            bound = min(bounds) if bounds else None
        self.loops.setdefault((step, target), Loop(step, target, bound))


class _Group:
    """Constraints of a path connected through the questions they read, by position on the path."""

    __slots__ = ("answers", "first", "positions", "questions")

    def __init__(self, positions: list[int], questions: frozenset[str]) -> None:
        self.positions = positions
        self.first = positions[0]
        self.questions = questions
        self.answers: dict[str, Value] | None = _UNSOLVED


_FIRST = attrgetter("first")
_BLOCK = 64  # positions per block of kept answers in `_Examples`


class _Examples:
    """The example answers of each path a walk finds, kept from one path to the next.

    The example is what `checks.base.solve` gives for the path's constraints: the groups of
    constraints sharing questions, in order of first appearance, each in path order and solved
    on its own. Consecutive paths of a depth-first walk share their beginning, so the groups are
    kept and changed constraint by constraint, each solved once; the answers of the groups
    beginning in each block of `_BLOCK` positions are kept until one of those groups changes, and
    each example is the last one with the blocks that changed put right.
    """

    def __init__(self, walker: _Walker) -> None:
        self.walker = walker
        self.items: list[Constraint] = []
        self.groups: list[_Group] = []  # the groups of `items`, by first position
        self.group_of: dict[str, _Group] = {}  # each question read by `items`: its group
        self.made: list[_Group] = []  # per item: the group it made
        self.joined: list[tuple[_Group, ...]] = []  # per item: the groups it joined, by first position
        self.blocks: dict[int, dict[str, Value] | None] = {}  # answers of the groups beginning in a block
        self.shown: list[dict[str, Value]] = []  # the blocks of the last example
        self.example: dict[str, Value] = {}  # the last example

    def of(self, constraints: Sequence[Constraint], kept: int) -> dict[str, Value] | None:
        """The example answers of a path whose first `kept` constraints are those of the last one;
        None if a group has none."""
        while len(self.items) > kept:
            self._pop()
        for constraint in constraints[kept:]:
            self._push(constraint)
        blocks: list[dict[str, Value]] = []
        for block in range(len(self.items) // _BLOCK + 1):
            answers = self.blocks.get(block, _UNSOLVED)
            if answers is _UNSOLVED:
                answers = self.blocks[block] = self._block(block)
            if answers is None:
                return None
            blocks.append(answers)
        self._show(blocks)
        return self.example.copy()

    def _show(self, blocks: list[dict[str, Value]]) -> None:
        """Make `example` the answers of `blocks`, changing the last one only where they differ: a
        block with the same questions in the same order keeps its place, the rest are put after."""
        shown, example = self.shown, self.example
        moved = min(len(blocks), len(shown))  # the first block whose questions changed
        for i, (new, old) in enumerate(zip(blocks, shown, strict=False)):
            if new is not old and list(new) != list(old):
                moved = i
                break
        for old in shown[moved:]:
            for question in old:
                del example[question]
        for new, old in zip(blocks[:moved], shown, strict=False):
            if new is not old:
                example.update(new)
        for new in blocks[moved:]:
            example.update(new)
        self.shown = blocks

    def _block(self, block: int) -> dict[str, Value] | None:
        """The answers of the groups beginning in one block of positions, in order."""
        start = bisect_left(self.groups, block * _BLOCK, key=_FIRST)
        end = bisect_left(self.groups, (block + 1) * _BLOCK, start, key=_FIRST)
        answers: dict[str, Value] = {}
        for group in self.groups[start:end]:
            if group.answers is _UNSOLVED:
                group.answers = self.walker.solve_group([self.items[p] for p in group.positions])
            if group.answers is None:
                return None
            answers.update(group.answers)
        return answers

    def _push(self, constraint: Constraint) -> None:
        """Add a constraint at the end: a new group, or the groups it reads questions of joined."""
        position = len(self.items)
        self.items.append(constraint)
        questions = constraint[0].questions
        joined: tuple[_Group, ...] = ()
        for question in questions:
            group = self.group_of.get(question)
            if group is not None and group not in joined:
                joined = (*joined, group)
        if joined:
            joined = tuple(sorted(joined, key=_FIRST))
            positions = sorted(chain.from_iterable(g.positions for g in joined))
            positions.append(position)
            made = _Group(positions, questions.union(*(g.questions for g in joined)))
            self.groups[bisect_left(self.groups, made.first, key=_FIRST)] = made
            for group in joined[1:]:
                del self.groups[bisect_left(self.groups, group.first, key=_FIRST)]
        else:
            made = _Group([position], questions)
            self.groups.append(made)
        for question in made.questions:
            self.group_of[question] = made
        self.made.append(made)
        self.joined.append(joined)
        self._changed(made, joined)

    def _pop(self) -> None:
        """Drop the last constraint: the groups it joined come back."""
        self.items.pop()
        made, joined = self.made.pop(), self.joined.pop()
        for question in made.questions:
            del self.group_of[question]
        at = bisect_left(self.groups, made.first, key=_FIRST)
        if joined:
            self.groups[at] = joined[0]
        else:
            del self.groups[at]
        for group in joined[1:]:
            insort(self.groups, group, key=_FIRST)
        for group in joined:
            for question in group.questions:
                self.group_of[question] = group
        self._changed(made, joined)

    def _changed(self, made: _Group, joined: tuple[_Group, ...]) -> None:
        """Forget the answers of the blocks where `made` and `joined` begin."""
        self.blocks.pop(made.first // _BLOCK, None)
        for group in joined:
            self.blocks.pop(group.first // _BLOCK, None)


REACH_BUDGET = 2000
"""Most complete paths per flow `reach` walks before it calls its answer partial."""


@dataclass(frozen=True)
class Reach:
    """The steps some path reaches with the given answers; `complete` is False when the walk
    stopped at `REACH_BUDGET` paths, so a step not in `steps` may still be reached."""

    steps: frozenset[str]
    complete: bool


def reach(pack: RulePack, known: dict[str, Value], budget: int = REACH_BUDGET) -> Reach:
    """The steps reachable when the questions in `known` have these answers.

    The answers are constraints of the walk itself, so only the paths they allow are followed,
    and a step counts as reached as soon as a path prefix consistent with them gets there (a
    long sequence is settled by its first path, not by listing every later combination).
    """
    catalog = pack.catalog
    facts: list[Constraint] = []
    for qid, value in known.items():
        text = (qid if value else f"not {qid}") if isinstance(value, bool) else f"{qid} == {value!r}"
        facts.append((compile_condition(text, catalog), True))
    if facts and solve(pack, facts) is None:
        return Reach(frozenset(), True)
    reached: set[str] = set()
    complete = True
    for flow in pack.model.flows:
        walker = _Walker(pack, budget)
        walker.seen = reached
        for count, _ in enumerate(walker.walk(flow.start, None, facts), start=1):
            if count >= budget:
                complete = False
                break
        complete = complete and not walker.report.truncated
    return Reach(frozenset(reached), complete)


def reachable_steps(pack: RulePack, known: dict[str, Value]) -> set[str]:
    """Steps some path reaches when the questions in `known` have these answers (see `reach`)."""
    return set(reach(pack, known).steps)


def _lockstep(lanes: _Lanes) -> list[tuple[str, int]]:
    """Branch steps in the order the engine does them: round by round, and within a round branch
    by branch (a branch that splits again does several steps in one round). Each step comes with
    its round after the splitting step."""
    timed = [
        (when, lane_index, position, step)
        for lane_index, (steps, rounds) in enumerate(lanes)
        for position, (step, when) in enumerate(zip(steps, rounds, strict=True))
    ]
    return [(step, when + 1) for when, _, _, step in sorted(timed)]


def aggregate_links(pack: RulePack) -> list[Constraint]:
    """A path follows a per-party step as one step, so where a route reads a per-party answer `q`
    itself and a later condition reads `any(q)` or `all(q)`, the path is the one where every party
    answers alike: `any(q)` and `all(q)` then equal `q`."""
    read = set().union(*(c.questions for c in pack.conditions.values()))
    links = []
    for name in sorted(read & set(pack.derived)):
        question = name.partition("(")[2][:-1]
        if question in read:
            text = f"({question} and {name}) or (not {question} and not {name})"
            links.append((compile_condition(text, pack.catalog), True))
    return links


def flow_paths(pack: RulePack, flow_id: str, limit: int = DEFAULT_LIMIT) -> PathReport:
    """Every distinct path through `flow_id` (at most `limit`)."""
    walker = _Walker(pack, limit + 1)  # one path more tells a cut-off listing from a complete one
    flow = next(f for f in pack.model.flows if f.id == flow_id)
    walker.report.flow = flow.id
    links = aggregate_links(pack)
    examples = _Examples(walker)
    for steps, _, constraints, end in walker.walk(flow.start, None, links):
        assert end is not None
        if len(walker.report.paths) == limit:
            walker.report.truncated = True
            break
        assert walker.outermost is not None
        example = examples.of(constraints, walker.outermost.low) or {}
        walker.outermost.low = len(constraints)
        end_kind = pack.steps[end].end
        taken = tuple(constraints[len(links) :])
        walker.report.paths.append(FlowPath(tuple(steps), end, end_kind.value if end_kind else "", taken, example))
    walker.report.loops = list(walker.loops.values())
    return walker.report
