"""The ``openphm`` command-line tool (Typer + Rich), one module per command group."""
