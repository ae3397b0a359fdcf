"""The ``slicegen`` entry point: answers ``--help`` and ``--version`` without loading typer."""

from __future__ import annotations

import os
import sys

#: pydantic looks up installed plugins (every package's entry points) before validating its first
#: model: 20 ms of a short command, for models that are slicegen's own. A user's setting wins.
PYDANTIC_PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault(PYDANTIC_PLUGINS_ENV, "__all__")
    # Shell completion calls 'slicegen' with no arguments and _SLICEGEN_COMPLETE set: typer answers.
    completing = "_SLICEGEN_COMPLETE" in os.environ
    if args in ([], ["--help"], ["-h"], ["--version"]) and not completing:
        from slicegen import __version__

        if args == ["--version"]:
            sys.stdout.write(f"slicegen {__version__}\n")
        else:
            from slicegen.command_table import help_text

            sys.stdout.write(help_text(__version__))
        return
    if args[:1] == ["lint"] and not completing:
        # an unchanged tree linted again with the same request: replay the last output
        from slicegen.lint.fast import replay

        code = replay(args)
        if code is None:  # a plain lint that could not be replayed: run it without typer
            from slicegen.direct import lint

            code = lint(args)
        if code is not None:
            raise SystemExit(code)
    if not completing:
        # a plain scaffolding command (new-domain ...): run without building typer's command line
        from slicegen.direct import run

        code = run(args)
        if code is not None:
            raise SystemExit(code)
    from slicegen.cli import app

    app(args=args, prog_name="slicegen")
