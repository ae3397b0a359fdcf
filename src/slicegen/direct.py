"""Scaffolding commands run without typer, for the plain invocations that need none of it.

Building typer's command line (its parameter validators included) costs a short command such as
``slicegen new-domain accounts`` about a third of its time. :func:`run` reads the plain forms of
the commands in :data:`COMMANDS` (the global flags, then the command, its arguments, ``--name
value`` options and flags) and runs what :mod:`slicegen.cli` runs for them, with the same
output, errors and exit codes; anything else (help, an ``=`` form, a missing or unknown
argument, a value starting with ``-``, an option given twice) returns None and typer answers,
so its messages stay the only ones. Tests check the table against :mod:`slicegen.cli` and the
results against typer's.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slicegen.scaffold.commands import Build
    from slicegen.workspace import Workspace

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
#: What every scaffolding command takes besides its own parameters.
_COMMON_OPTIONS = {"--directory": "directory", "-C": "directory"}
_COMMON_FLAGS = {"--dry-run": ("dry_run", True), "--force": ("force", True)}

Given = dict[str, Any]


@dataclass(frozen=True)
class Command:
    """One command's plain form, and the change set it plans (from its parameters)."""

    arguments: tuple[str, ...]  # required, in order
    plan: Callable[[Workspace, Given], Build]
    #: spelling -> parameter (one value; None when not given)
    options: dict[str, str] = field(default_factory=dict)
    #: spelling -> parameter (repeatable; None when not given)
    lists: dict[str, str] = field(default_factory=dict)
    #: spelling -> (parameter, the value it sets)
    flags: dict[str, tuple[str, bool]] = field(default_factory=dict)
    #: a flag parameter's value when not given, if not False
    defaults: Given = field(default_factory=dict)


def _new_domain(ws: Workspace, g: Given) -> Build:
    from slicegen.scaffold import commands

    return commands.new_domain(ws, g["domain"], g["aggregate"])


def _add_slice(ws: Workspace, g: Given) -> Build:
    from slicegen.scaffold import commands

    return commands.add_slice(
        ws, g["domain"], g["command"], g["event"], g["fields"] or [], g["projections"] or [],
        g["starts"],
    )  # fmt: skip


def _add_projection(ws: Workspace, g: Given) -> Build:
    from slicegen.scaffold import commands

    return commands.add_projection(ws, g["domain"], g["slice_name"], g["read_model"])


def _add_fact(ws: Workspace, g: Given) -> Build:
    from slicegen.scaffold import commands

    return commands.add_fact(ws, g["domain"], g["event"])


COMMANDS: dict[str, Command] = {
    "new-domain": Command(("domain",), _new_domain, {"--aggregate": "aggregate"}),
    "add-slice": Command(
        ("domain", "command"),
        _add_slice,
        {"--event": "event"},
        {"--field": "fields", "-f": "fields", "--projection": "projections", "-p": "projections"},
        {"--starts": ("starts", True), "--no-starts": ("starts", False)},
        {"starts": None},
    ),
    "add-projection": Command(("domain", "slice_name", "read_model"), _add_projection),
    "add-fact": Command(("domain", "event"), _add_fact),
}

Parsed = tuple[dict[str, bool], Command, Given]


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
    options = {**command.options, **_COMMON_OPTIONS}
    flags = {**command.flags, **_COMMON_FLAGS}
    given: Given = dict.fromkeys([*options.values(), *command.lists.values()])
    given.update({name: command.defaults.get(name, False) for name, _ in flags.values()})
    arguments: list[str] = []
    seen: set[str] = set()
    rest = args[at + 1 :]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg in flags:
            name, value = flags[arg]
            if name in seen:
                return None
            given[name] = value
            seen.add(name)
            i += 1
        elif arg in options or arg in command.lists:
            text = rest[i + 1] if i + 1 < len(rest) else ""
            if not text or text.startswith("-"):
                return None
            if arg in command.lists:
                given[command.lists[arg]] = [*(given[command.lists[arg]] or []), text]
            elif options[arg] in seen:
                return None
            else:
                given[options[arg]] = text
                seen.add(options[arg])
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
        _scaffold(command, given, globals_)
    except SlicegenError as exc:
        from slicegen.lint.output.printable import error_line  # names may be a stranger's

        sys.stderr.write(error_line(exc.message) + "\n")
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


def lint(args: list[str]) -> int | None:
    """Run a plain ``lint [PATH] [--format F] [--select S]... [--ignore I]... [--no-cache]``
    (the forms the replay reads, :func:`slicegen.lint.fast.parse_args`, and ``--no-cache``) as
    :mod:`slicegen.cli` runs it, and return its exit code; None for any other invocation."""
    from slicegen.lint.fast import parse_args

    use_cache = "--no-cache" not in args
    parsed = parse_args([arg for arg in args if arg != "--no-cache"])
    if parsed is None:
        return None
    path, output_format, (select, ignore) = parsed
    if select == ():  # '--select ""': typer's reading of it is typer's to give
        return None
    from slicegen.errors import SlicegenError
    from slicegen.lint.command import lint as run_lint
    from slicegen.ui import TerminalBuffer, progress

    out = TerminalBuffer(sys.stdout)  # written once the spinner (if any) is gone
    try:
        with progress("linting"):
            try:
                return run_lint(
                    Path(path),
                    output_format,
                    list(select) if select is not None else None,
                    list(ignore),
                    use_cache=use_cache,
                    stream=out,
                    relative_to=Path.cwd(),
                )
            except SlicegenError as exc:
                from slicegen.lint.output.printable import error_line

                sys.stderr.write(error_line(exc.message) + "\n")
                sys.stderr.flush()
                return exc.exit_code
    finally:
        sys.stdout.write(out.getvalue())


def _scaffold(command: Command, given: Given, globals_: dict[str, bool]) -> None:
    """What :mod:`slicegen.cli` does for a scaffolding command: find the workspace, plan the
    change set, execute it (``--dry-run``/``--force`` before or after the command name)."""
    from slicegen.execute import execute
    from slicegen.workspace import find_workspace

    directory = given["directory"]
    ws = find_workspace(Path(directory) if directory is not None else None)
    execute(
        ws.root,
        command.plan(ws, given),
        dry_run=given["dry_run"] or globals_["dry_run"],
        force=given["force"] or globals_["force"],
    )
