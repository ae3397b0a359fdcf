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
        code = None
        if "--daemon" in args or "--stop-daemon" in args:  # the workspace's lint server answers
            from slicegen.lint.daemon_client import from_command_line

            code, args = from_command_line(args)
        # an unchanged tree linted again with the same request: replay the last output
        from slicegen.lint.fast import replay

        code = replay(args) if code is None else code
        if code is None:  # a plain lint that could not be replayed: run it without typer
            from slicegen.direct import lint
            from slicegen.lint import command

            if argv is None:  # the process ends next: the run's objects are never freed
                command.ENDING = []
            code = lint(args)
        if code is not None:
            if argv is None:
                end(code)
            raise SystemExit(code)
    if not completing:
        # a plain scaffolding command (new-domain ...): run without building typer's command line
        from slicegen.direct import run

        code = run(args)
        if code is not None:
            raise SystemExit(code)
    from slicegen.cli import app

    app(args=args, prog_name="slicegen")


def end(code: int) -> None:
    """End the process after a lint with exit ``code``, once its output is flushed, without
    freeing the run's objects one by one (the model of a large tree: tens of milliseconds)
    or the modules (``os._exit``). With a worker process started (the read pool, the boundary
    check) or output that cannot be flushed, the process ends as usual (Python's own exit
    joins the workers and reports the error): the collection at exit still skips the run's
    objects (refcounting frees them)."""
    import gc

    gc.freeze()
    if "concurrent.futures.process" in sys.modules:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def quiet_parsing() -> None:
    """Parsing a user's file must not print Python's own complaints about it (``invalid escape
    sequence``: a DeprecationWarning on 3.11, a SyntaxWarning shown by default from 3.12 on, one
    line on stderr per string): slicegen says what it finds as findings, nothing else."""
    import warnings

    warnings.filterwarnings("ignore", category=SyntaxWarning)
    warnings.filterwarnings("ignore", "invalid (octal )?escape sequence", DeprecationWarning)
