"""The ``slicegen`` entry point: answers ``--help`` and ``--version`` without loading typer."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in ([], ["--help"], ["-h"], ["--version"]):
        from slicegen import __version__

        if args == ["--version"]:
            sys.stdout.write(f"slicegen {__version__}\n")
        else:
            from slicegen.command_table import help_text

            sys.stdout.write(help_text(__version__))
        return
    from slicegen.cli import app

    app(args=args, prog_name="slicegen")
