"""`python -m kprocess`."""

from kprocess.cli.entry import main

main()
