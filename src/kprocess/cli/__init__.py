"""The command line: a thin typer app wiring one module per subcommand."""

COLLECT_THRESHOLDS = (100_000, 50, 100)
"""The garbage collector's thresholds for every command: a command builds many small objects and
few cycles, and collecting less often keeps large packs linear (the default thresholds made a
10,000-step pack spend a fifth of its time in the collector)."""
