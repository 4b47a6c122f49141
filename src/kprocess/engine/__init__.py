"""Running cases through a pack: the public API is `run_case` and its result types."""

from kprocess.engine.result import CaseResult, Decision, Fact, RunFailure, Status, TraceEntry
from kprocess.engine.run import LoopLimitError, MissingAnswersError, RunError, run_case

__all__ = [
    "CaseResult",
    "Decision",
    "Fact",
    "LoopLimitError",
    "MissingAnswersError",
    "RunError",
    "RunFailure",
    "Status",
    "TraceEntry",
    "run_case",
]
