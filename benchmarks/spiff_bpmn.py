"""The same pack as BPMN (kprocess's own export, `kprocess diagram --format bpmn`), run by SpiffWorkflow.

`SpiffEngine(pack).run(parsed_answers)` runs one case of the pack's first flow and returns the end
step and a `Counter` of `(step, party)` done, for comparison with kprocess. The exported process is
parsed once and shared by every case; `kprocess.maps.spiff` answers each decision's user task with
the case's next answer, as kprocess does.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kprocess.answers import Answers
from kprocess.enums import FanOut
from kprocess.maps.spiff import SpiffCase
from kprocess.pack import RulePack

Parsed = dict[tuple[str, str | None], list[Any]]


class SpiffEngine:
    """SpiffWorkflow running the pack's exported BPMN."""

    name = "SpiffWorkflow"

    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self.case = SpiffCase(pack)
        self.parties = pack.parties(FanOut.parties)

    def run(self, given: Parsed) -> tuple[str, Counter[tuple[str, str | None]]]:
        """Run one case; return the end step and how often each (step, party) was done."""
        answers = Answers(self.pack.questions, self.parties, given)
        done = self.case.run(answers).steps
        end = next((step for step, _ in reversed(done) if self.pack.steps[step].end is not None), "")
        return end, Counter(done)
