"""The ``slicegen`` entry point: answers ``--help`` and ``--version`` without loading typer."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    quiet_parsing()
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
            if argv is None:  # the process ends next: the collection at exit skips the run's
                import gc  # objects (refcounting still frees them)

                gc.freeze()
            raise SystemExit(code)
    if not completing:
        # a plain scaffolding command (new-domain ...): run without building typer's command line
        from slicegen.direct import run

        code = run(args)
        if code is not None:
            raise SystemExit(code)
    from slicegen.cli import app

    app(args=args, prog_name="slicegen")


def quiet_parsing() -> None:
    """Parsing a user's file must not print Python's own complaints about it (``invalid escape
    sequence``: a DeprecationWarning on 3.11, a SyntaxWarning shown by default from 3.12 on, one
    line on stderr per string): slicegen says what it finds as findings, nothing else."""
    import warnings

    warnings.filterwarnings("ignore", category=SyntaxWarning)
    warnings.filterwarnings("ignore", "invalid (octal )?escape sequence", DeprecationWarning)
