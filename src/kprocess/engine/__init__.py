"""Running cases through a pack: the public API is `run_case` and its result types."""

from kprocess.engine.result import CaseResult, Decision, Fact, RunFailure, Status, TraceEntry
from kprocess.engine.run import LoopLimitError, MissingAnswersError, Position, RunError, asking_position, run_case

__all__ = [
    "CaseResult",
    "Decision",
    "Fact",
    "LoopLimitError",
    "MissingAnswersError",
    "Position",
    "RunError",
    "RunFailure",
    "Status",
    "TraceEntry",
    "asking_position",
    "run_case",
]
