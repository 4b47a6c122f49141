"""The command line: a thin typer app wiring one module per subcommand."""
