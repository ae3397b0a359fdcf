"""The command line: parse arguments, call one function per command, map errors to exit codes.

No logic lives here; each command calls into the module named after its capability.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from slicegen import __version__
from slicegen.command_table import COMMANDS, EXIT_CODES, SUMMARY
from slicegen.errors import SlicegenError

if TYPE_CHECKING:
    from slicegen.scaffold.commands import Build
    from slicegen.workspace import Workspace

T = TypeVar("T")

app = typer.Typer(
    help=f"{SUMMARY}\n\n{EXIT_CODES}",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_SUMMARIES = dict(COMMANDS)


class _Globals:
    dry_run = False
    force = False


DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Show the diff of what would be written; write nothing.")
]
Force = Annotated[
    bool, typer.Option("--force", help="Overwrite files that differ from what slicegen writes.")
]
DirOpt = Annotated[
    Path | None,
    typer.Option("--directory", "-C", help="Run as if started in this directory."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slicegen {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    """Scaffold, document and lint event-sourced vertical-slice moduliths."""
    _Globals.dry_run = dry_run
    _Globals.force = force


def guard(action: Callable[[], T]) -> T:
    """Run ``action``; a user error becomes one line on stderr and its exit code."""
    try:
        return action()
    except SlicegenError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(exc.exit_code) from None


def _write(root: Path, build_factory: Callable[[], Build], dry_run: bool, force: bool) -> None:
    from slicegen.execute import execute

    def action() -> None:
        build = build_factory()
        execute(root, build, dry_run=dry_run or _Globals.dry_run, force=force or _Globals.force)

    guard(action)


def _workspace(directory: Path | None) -> Workspace:
    from slicegen.workspace import find_workspace

    return guard(lambda: find_workspace(directory))


@app.command("init", help=_SUMMARIES["init"])
def init_cmd(
    path: Annotated[Path, typer.Argument(help="Where to create the workspace.")] = Path("."),
    stack: Annotated[str, typer.Option("--stack", help="python or elixir.")] = "python",
    app_name: Annotated[str, typer.Option("--app", help="The app name prefix, e.g. 'shop'.")] = "",
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import commands

    def factory() -> Build:
        if stack not in ("python", "elixir"):
            raise SlicegenError(f"--stack {stack!r} is not supported: use 'python' or 'elixir'")
        name = app_name or path.resolve().name.replace("-", "_").lower()
        return commands.init_workspace(path, stack, name, force or _Globals.force)  # type: ignore[arg-type]

    _write(path, factory, dry_run, force)


@app.command("new-domain", help=_SUMMARIES["new-domain"])
def new_domain_cmd(
    domain: Annotated[str, typer.Argument(help="Domain name, snake_case plural noun (accounts).")],
    aggregate: Annotated[
        str | None, typer.Option("--aggregate", help="Aggregate name (default: singular).")
    ] = None,
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import commands

    ws = _workspace(directory)
    _write(ws.root, lambda: commands.new_domain(ws, domain, aggregate), dry_run, force)


FieldsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        "-f",
        help="name:type, repeatable; types str int float bool datetime date uuid decimal "
        "list[T], '?' for optional.",
    ),
]


@app.command("add-slice", help=_SUMMARIES["add-slice"])
def add_slice_cmd(
    domain: Annotated[str, typer.Argument(help="The domain that owns the slice.")],
    command: Annotated[str, typer.Argument(help="The command, verb first (initialize_account).")],
    event: Annotated[
        str | None, typer.Option("--event", help="Event name (default: derived from the command).")
    ] = None,
    fields: FieldsOpt = None,
    projections: Annotated[
        list[str] | None, typer.Option("--projection", "-p", help="Read model, repeatable.")
    ] = None,
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import commands

    ws = _workspace(directory)
    _write(
        ws.root,
        lambda: commands.add_slice(ws, domain, command, event, fields or [], projections or []),
        dry_run,
        force,
    )


@app.command("add-projection", help=_SUMMARIES["add-projection"])
def add_projection_cmd(
    domain: Annotated[str, typer.Argument(help="The domain.")],
    slice_name: Annotated[str, typer.Argument(metavar="SLICE", help="The slice (its command).")],
    read_model: Annotated[str, typer.Argument(help="The read model (summary).")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import commands

    ws = _workspace(directory)
    _write(
        ws.root, lambda: commands.add_projection(ws, domain, slice_name, read_model), dry_run, force
    )


@app.command("add-policy", help=_SUMMARIES["add-policy"])
def add_policy_cmd(
    domain: Annotated[str, typer.Argument(help="The domain of the command to trigger.")],
    command: Annotated[str, typer.Argument(help="The command the policy dispatches.")],
    on: Annotated[str, typer.Option("--on", help="DOMAIN:EVENT that triggers it.")],
    with_fact: Annotated[
        bool, typer.Option("--with-fact", help="Also add the fact if the source lacks it.")
    ] = False,
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import commands

    ws = _workspace(directory)
    _write(ws.root, lambda: commands.add_policy(ws, domain, command, on, with_fact), dry_run, force)


@app.command("add-fact", help=_SUMMARIES["add-fact"])
def add_fact_cmd(
    domain: Annotated[str, typer.Argument(help="The domain that publishes the fact.")],
    event: Annotated[str, typer.Argument(help="The domain event to publish (account_activated).")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import commands

    ws = _workspace(directory)
    _write(ws.root, lambda: commands.add_fact(ws, domain, event), dry_run, force)


@app.command("add-version", help=_SUMMARIES["add-version"])
def add_version_cmd(
    domain: Annotated[str, typer.Argument(help="The domain.")],
    command: Annotated[str, typer.Argument(help="The slice's command.")],
    fields: FieldsOpt = None,
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import commands

    ws = _workspace(directory)
    _write(ws.root, lambda: commands.add_version(ws, domain, command, fields or []), dry_run, force)
