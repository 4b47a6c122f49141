"""`python -m kprocess`."""

from kprocess.cli.app import main

main()
