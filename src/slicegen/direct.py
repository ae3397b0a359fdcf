"""Scaffolding commands run without typer, for the plain invocations that need none of it.

Building typer's command line (its parameter validators included) costs a short command such as
``slicegen new-domain accounts`` about a third of its time. :func:`run` reads the plain forms of
the commands in :data:`COMMANDS` (the global flags, then the command, its arguments, ``--name
value`` options and flags) and runs the same code :mod:`slicegen.cli` runs, with the same
output, errors and exit codes; anything else (help, an ``=`` form, a missing or unknown
argument, a value starting with ``-``, an option given twice) returns None and typer answers,
so its messages stay the only ones. A test checks the table against :mod:`slicegen.cli`.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The global flags (before the command) and the parameter each sets.
GLOBAL_FLAGS = {
    "--dry-run": "dry_run",
    "--force": "force",
    "--trust": "trust",
    "--quiet": "quiet",
    "-q": "quiet",
    "--verbose": "verbose",
    "-v": "verbose",
}


@dataclass(frozen=True)
class Command:
    """One command's plain form: required arguments, single-value options, flags."""

    arguments: tuple[str, ...]
    options: dict[str, str] = field(default_factory=dict)  # spelling -> parameter
    flags: dict[str, str] = field(default_factory=dict)  # spelling -> parameter
    #: runs the command from its parameters (those not given: None or False)
    action: Callable[[dict[str, Any]], None] = lambda _: None


def new_domain(
    domain: str, aggregate: str | None, directory: Path | None, dry_run: bool, force: bool
) -> None:
    """``slicegen new-domain``: what :func:`slicegen.cli.new_domain_cmd` runs too."""
    from slicegen.execute import execute
    from slicegen.scaffold import commands
    from slicegen.workspace import find_workspace

    ws = find_workspace(directory)
    execute(ws.root, commands.new_domain(ws, domain, aggregate), dry_run=dry_run, force=force)


def _new_domain(given: dict[str, Any]) -> None:
    directory = given["directory"]
    new_domain(
        given["domain"],
        given["aggregate"],
        Path(directory) if directory is not None else None,
        given["dry_run"],
        given["force"],
    )


COMMANDS: dict[str, Command] = {
    "new-domain": Command(
        ("domain",),
        {"--aggregate": "aggregate", "--directory": "directory", "-C": "directory"},
        {"--dry-run": "dry_run", "--force": "force"},
        _new_domain,
    ),
}


Parsed = tuple[dict[str, bool], Command, dict[str, Any]]


def parse(args: list[str]) -> Parsed | None:
    """The global flags, the command and its parameters of a plain invocation, else None."""
    globals_ = dict.fromkeys(GLOBAL_FLAGS.values(), False)
    at = 0
    while at < len(args) and args[at] in GLOBAL_FLAGS:
        globals_[GLOBAL_FLAGS[args[at]]] = True
        at += 1
    command = COMMANDS.get(args[at]) if at < len(args) else None
    if command is None:
        return None
    given: dict[str, Any] = dict.fromkeys(command.options.values())
    given.update(dict.fromkeys(command.flags.values(), False))
    arguments: list[str] = []
    seen: set[str] = set()
    rest = args[at + 1 :]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg in command.flags:
            given[command.flags[arg]] = True
            i += 1
        elif arg in command.options:
            value = rest[i + 1] if i + 1 < len(rest) else ""
            name = command.options[arg]
            if not value or value.startswith("-") or name in seen:
                return None
            given[name] = value
            seen.add(name)
            i += 2
        elif not arg or arg.startswith("-") or len(arguments) == len(command.arguments):
            return None
        else:
            arguments.append(arg)
            i += 1
    if len(arguments) != len(command.arguments):
        return None
    given.update(zip(command.arguments, arguments, strict=True))
    return globals_, command, given


def run(args: list[str]) -> int | None:
    """Run a plain invocation of a command in :data:`COMMANDS` as typer would (the global
    options, then the command; a user error is one line on stderr and its exit code) and
    return its exit code; None for any other invocation."""
    parsed = parse(args)
    if parsed is None:
        return None
    globals_, command, given = parsed
    from slicegen import ui
    from slicegen.errors import SlicegenError
    from slicegen.trust import set_trusted

    try:
        set_trusted(globals_["trust"])
        ui.configure(quiet=globals_["quiet"], verbose=globals_["verbose"])
        for name in ("dry_run", "force"):  # given before or after the command name
            if name in given:
                given[name] = given[name] or globals_[name]
        command.action(given)
    except SlicegenError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        sys.stderr.flush()
        return exc.exit_code
    except EOFError:
        sys.stderr.write("\nAborted!\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        return 1
    finally:
        ui.reset()
        set_trusted(False)
    return 0
