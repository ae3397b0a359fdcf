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
from slicegen.stacks import registry

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
RemoveForce = Annotated[
    bool, typer.Option("--force", help="Also remove the files you changed since generation.")
]
Trust = Annotated[
    bool,
    typer.Option("--trust", help="Let workspace copier templates run their tasks and migrations."),
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
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    dry_run: DryRun = False,
    force: Force = False,
    trust: Trust = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show only errors and findings.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show more detail, e.g. identical files.")
    ] = False,
) -> None:
    """Scaffold, document and lint event-sourced vertical-slice moduliths."""
    from slicegen import ui
    from slicegen.trust import set_trusted

    _Globals.dry_run = dry_run
    _Globals.force = force
    set_trusted(trust)
    guard(lambda: ui.configure(quiet=quiet, verbose=verbose))
    ctx.call_on_close(ui.reset)
    ctx.call_on_close(lambda: set_trusted(False))


def guard(action: Callable[[], T]) -> T:
    """Run ``action``; a user error becomes one line on stderr and its exit code."""
    try:
        return action()
    except SlicegenError as exc:
        from slicegen.lint.output.printable import error_line  # names may be a stranger's

        typer.echo(error_line(exc.message), err=True)
        raise typer.Exit(exc.exit_code) from None


def _write(root: Path, build_factory: Callable[[], Build], dry_run: bool, force: bool) -> None:
    from slicegen.execute import execute

    def action() -> None:
        build = build_factory()
        execute(root, build, dry_run=dry_run or _Globals.dry_run, force=force or _Globals.force)

    guard(action)


def _remove(
    directory: Path | None,
    dry_run: bool,
    force: bool,
    plan: Callable[[Workspace, bool], Build],
) -> None:
    """A remove command: ``plan`` is told whether ``--force`` (before or after the command name)
    lets it remove files the user changed."""
    ws = _workspace(directory)
    forced = force or _Globals.force
    _write(ws.root, lambda: plan(ws, forced), dry_run, force)


def _workspace(directory: Path | None) -> Workspace:
    from slicegen.workspace import find_workspace

    return guard(lambda: find_workspace(directory))


@app.command("init", help=_SUMMARIES["init"])
def init_cmd(
    path: Annotated[Path, typer.Argument(help="Where to create the workspace.")] = Path("."),
    stack: Annotated[
        str | None, typer.Option("--stack", help=f"{' or '.join(registry.STACK_NAMES)}.")
    ] = None,
    detect: Annotated[
        bool,
        typer.Option(
            "--detect", help="Write a config describing an existing repository's layout instead."
        ),
    ] = False,
    app_name: Annotated[str, typer.Option("--app", help="The app name prefix, e.g. 'shop'.")] = "",
    event_store: Annotated[
        str | None,
        typer.Option(
            "--event-store",
            help="elixir: ex_esdb (default), eventstore (PostgreSQL) or in_memory.",
        ),
    ] = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.config import EVENT_STORES
    from slicegen.scaffold import commands

    if detect:
        _detect(path, app_name, dry_run, force)
        return
    stack = stack or registry.STACK_NAMES[0]

    def factory() -> Build:
        if not registry.is_stack(stack):
            raise SlicegenError(f"--stack {stack!r} is not supported: use {registry.spelled()}")
        if event_store is not None and (stack != "elixir" or event_store not in EVENT_STORES):
            raise SlicegenError(
                f"--event-store {event_store!r} is not supported: the elixir stack takes "
                f"{', '.join(EVENT_STORES)}"
            )
        name = app_name or path.resolve().name.replace("-", "_").lower()
        return commands.init_workspace(
            path,
            stack,  # type: ignore[arg-type]
            name,
            force or _Globals.force,
            event_store,
        )

    _write(path, factory, dry_run, force)


def _detect(path: Path, app_name: str, dry_run: bool, force: bool) -> None:
    from slicegen.constants import CONFIG_FILE
    from slicegen.detect import adopt

    text, table = guard(lambda: adopt(path, app_name or None, force or _Globals.force))
    _write(path, lambda: lambda cs: cs.add(CONFIG_FILE, text), dry_run, True)
    typer.echo(table, nl=False)


@app.command("adopt", help=_SUMMARIES["adopt"])
def adopt_cmd(
    path: Annotated[Path, typer.Argument(help="The repository to describe.")] = Path("."),
    app_name: Annotated[str, typer.Option("--app", help="The app name, if not detected.")] = "",
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    _detect(path, app_name, dry_run, force)


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
    starts: Annotated[
        bool | None,
        typer.Option(
            "--starts/--no-starts",
            help="The slice starts its aggregate (refuses one that exists) or acts on "
            "an existing one (refuses a missing one, may repeat). Default: it starts if its "
            "verb says so (initialize_, create_, open_, register_, ...) or it is the domain's "
            "first slice.",
        ),
    ] = None,
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import commands

    ws = _workspace(directory)
    _write(
        ws.root,
        lambda: commands.add_slice(
            ws, domain, command, event, fields or [], projections or [], starts
        ),
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


@app.command("remove-slice", help=_SUMMARIES["remove-slice"])
def remove_slice_cmd(
    domain: Annotated[str, typer.Argument(help="The domain.")],
    slice_name: Annotated[str, typer.Argument(help="The slice (its command, e.g. open_account).")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: RemoveForce = False,
) -> None:
    from slicegen.scaffold import remove

    _remove(directory, dry_run, force, lambda ws, f: remove.remove_slice(ws, domain, slice_name, f))


@app.command("remove-domain", help=_SUMMARIES["remove-domain"])
def remove_domain_cmd(
    domain: Annotated[str, typer.Argument(help="The domain, without slices.")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: RemoveForce = False,
) -> None:
    from slicegen.scaffold import remove

    _remove(directory, dry_run, force, lambda ws, f: remove.remove_domain(ws, domain, f))


@app.command("upgrade", help=_SUMMARIES["upgrade"])
def upgrade_cmd(
    domain: Annotated[
        str | None, typer.Argument(help="Only this domain's files (default: every file).")
    ] = None,
    directory: DirOpt = None,
    dry_run: DryRun = False,
) -> None:
    from slicegen.scaffold import upgrade

    ws = _workspace(directory)
    outcome = upgrade.Outcome()
    _write(ws.root, lambda: upgrade.upgrade(ws, domain, outcome), dry_run, False)
    guard(lambda: upgrade.finish(outcome, dry_run or _Globals.dry_run))


@app.command("remove-projection", help=_SUMMARIES["remove-projection"])
def remove_projection_cmd(
    domain: Annotated[str, typer.Argument(help="The domain.")],
    slice_name: Annotated[str, typer.Argument(help="The slice (its command).")],
    read_model: Annotated[str, typer.Argument(help="The read model (summary).")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: RemoveForce = False,
) -> None:
    from slicegen.scaffold import remove_parts

    _remove(
        directory,
        dry_run,
        force,
        lambda ws, f: remove_parts.remove_projection(ws, domain, slice_name, read_model, f),
    )


@app.command("remove-policy", help=_SUMMARIES["remove-policy"])
def remove_policy_cmd(
    domain: Annotated[str, typer.Argument(help="The domain of the command the policy triggers.")],
    command: Annotated[str, typer.Argument(help="The command the policy dispatches.")],
    on: Annotated[str, typer.Option("--on", help="DOMAIN:EVENT that triggers it.")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: RemoveForce = False,
) -> None:
    from slicegen.scaffold import remove_parts

    _remove(
        directory,
        dry_run,
        force,
        lambda ws, f: remove_parts.remove_policy(ws, domain, command, on, f),
    )


@app.command("remove-fact", help=_SUMMARIES["remove-fact"])
def remove_fact_cmd(
    domain: Annotated[str, typer.Argument(help="The domain that publishes the fact.")],
    event: Annotated[str, typer.Argument(help="The domain event it publishes.")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: RemoveForce = False,
) -> None:
    from slicegen.scaffold import remove_parts

    _remove(directory, dry_run, force, lambda ws, f: remove_parts.remove_fact(ws, domain, event, f))


@app.command("rename-event", help=_SUMMARIES["rename-event"])
def rename_event_cmd(
    domain: Annotated[str, typer.Argument(help="The domain.")],
    old: Annotated[str, typer.Argument(help="The event's name (account_opened).")],
    new: Annotated[str, typer.Argument(help="Its new name (account_registered).")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import rename

    ws = _workspace(directory)
    _write(ws.root, lambda: rename.rename_event(ws, domain, old, new), dry_run, force)


@app.command("rename-command", help=_SUMMARIES["rename-command"])
def rename_command_cmd(
    domain: Annotated[str, typer.Argument(help="The domain.")],
    old: Annotated[str, typer.Argument(help="The slice's command (open_account).")],
    new: Annotated[str, typer.Argument(help="Its new name (register_account).")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.scaffold import rename

    ws = _workspace(directory)
    _write(ws.root, lambda: rename.rename_command(ws, domain, old, new), dry_run, force)


def _template_names(incomplete: str) -> list[str]:
    from slicegen.template_overrides import builtin_names

    return [name for name in builtin_names() if name.startswith(incomplete)]


@app.command("templates", help=_SUMMARIES["templates"])
def templates_cmd(
    action: Annotated[
        str,
        typer.Argument(
            help="list, or eject (copy one to edit).", autocompletion=lambda: ["list", "eject"]
        ),
    ],
    name: Annotated[
        str | None,
        typer.Argument(
            help="For eject: the template, e.g. common/event-storming.md.j2.",
            autocompletion=_template_names,
        ),
    ] = None,
    stack: Annotated[
        str | None, typer.Option("--stack", help="For list: only this stack's templates.")
    ] = None,
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen import template_overrides
    from slicegen.config import find_config

    if stack is not None and not registry.is_stack(stack):
        guard(lambda: _fail(f"--stack {stack!r} is not supported: use {registry.spelled()}"))
    if action == "list":
        found = guard(lambda: find_config(directory or Path.cwd()))
        root = found[0].parent if found else None
        listing = template_overrides.format_listing(template_overrides.list_templates(root), stack)
        typer.echo(listing, nl=False)
    elif action == "eject":
        if not name:
            guard(lambda: _fail("'templates eject' needs a NAME: see 'slicegen templates list'"))
        ws = _workspace(directory)
        _write(ws.root, lambda: template_overrides.eject_build(name or ""), dry_run, force)
    else:
        guard(lambda: _fail(f"unknown templates action {action!r}: use 'list' or 'eject NAME'"))


def _fail(message: str) -> None:
    raise SlicegenError(message)


@app.command("storm", help=_SUMMARIES["storm"])
def storm_cmd(
    domain: Annotated[
        str | None, typer.Argument(help="Only this domain (default: every domain).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 and say what differs if a document is stale.")
    ] = False,
    export: Annotated[
        bool, typer.Option("--export", help="Write the code's design model as YAML instead.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="With --export: write to this file.")
    ] = None,
    mermaid: Annotated[
        bool | None,
        typer.Option(
            "--mermaid/--no-mermaid",
            help="Add (or remove) a Mermaid flowchart beside the ASCII diagram; default: keep.",
        ),
    ] = None,
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    from slicegen.storm import command as storm

    ws = _workspace(directory)
    if check:
        problems = guard(lambda: storm.check(ws, domain))
        from slicegen.lint.output.printable import printable

        for line in problems:  # names are the tree author's: no raw control characters
            typer.echo(printable(line))
        if problems:
            raise typer.Exit(1)
        typer.echo("every storming document and the event lock are up to date")
    elif export:
        text = guard(lambda: storm.export(ws, domain))
        if output is None:
            typer.echo(text, nl=False)
        else:
            target = (output if output.is_absolute() else Path.cwd() / output).resolve()
            if not target.is_relative_to(ws.root.resolve()):
                guard(lambda: _fail(f"--output {output} is outside the workspace {ws.root}"))
            rel = target.relative_to(ws.root.resolve()).as_posix()
            _write(ws.root, lambda: lambda cs: cs.add(rel, text), dry_run, force)
    else:
        _write(ws.root, lambda: storm.storm(ws, domain, mermaid), dry_run, force)


@app.command("apply", help=_SUMMARIES["apply"])
def apply_cmd(
    model: Annotated[Path, typer.Argument(help="The design model (YAML), e.g. design.yaml.")],
    directory: DirOpt = None,
    dry_run: DryRun = False,
    force: Force = False,
    check: Annotated[
        bool, typer.Option("--check", help="List every difference; exit 1 if any. Write nothing.")
    ] = False,
    output: Annotated[
        str, typer.Option("--format", help="With --check: text, json or sarif.")
    ] = "text",
    prune: Annotated[
        bool, typer.Option("--prune", help="Also remove the slices the model lacks.")
    ] = False,
) -> None:
    from slicegen.scaffold.apply import run_apply

    ws = _workspace(directory)
    if check:
        from slicegen.scaffold.compare import run_check

        raise typer.Exit(guard(lambda: run_check(ws, str(model), output)))
    guard(
        lambda: run_apply(
            ws,
            str(model),
            dry_run=dry_run or _Globals.dry_run,
            force=force or _Globals.force,
            prune=prune,
        )
    )


@app.command("lint", help=_SUMMARIES["lint"])
def lint_cmd(
    path: Annotated[Path, typer.Argument(help="Folder (or file) to lint.")] = Path("."),
    output_format: Annotated[
        str, typer.Option("--format", help="text, json, sarif, github or junit.")
    ] = "text",
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Codes or prefixes to run (replaces the config's)."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Codes or prefixes to skip.")
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule.")
    ] = False,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Report only findings not in this file.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option("--write-baseline", help="Record the current findings here.")
    ] = None,
    grow: Annotated[
        bool,
        typer.Option(
            "--grow", help="With --write-baseline: add new findings too (else it only shrinks)."
        ),
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write .slicegen_cache/.")
    ] = False,
    parse_all: Annotated[
        bool,
        typer.Option("--parse-all", help="Parse every source file (syntax errors anywhere)."),
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help="SG205: compare event shapes with this git revision."),
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Lint again on every change; print what changed.")
    ] = False,
    daemon: Annotated[
        bool,
        typer.Option(
            "--daemon", help="Ask the workspace's lint server (started on first use): fast edits."
        ),
    ] = False,
    stop_daemon: Annotated[
        bool, typer.Option("--stop-daemon", help="Stop the workspace's lint server.")
    ] = False,
) -> None:
    import sys

    from slicegen.lint.command import lint, watch_lint

    asked = daemon or stop_daemon
    others = statistics or baseline or write_baseline or grow or no_cache or parse_all or since
    if asked and (others or watch):
        flag = "--daemon" if daemon else "--stop-daemon"

        def refuse() -> None:
            raise SlicegenError(
                f"{flag} takes a path, --format, --select and --ignore only: drop the other "
                f"options, or run without {flag}"
            )

        guard(refuse)

    if watch:
        raise typer.Exit(
            guard(lambda: watch_lint(path, output_format, select, ignore, not no_cache))
        )
    from slicegen.ui import TerminalBuffer, is_quiet, progress

    out = TerminalBuffer(sys.stdout)  # written once the spinner (if any) is gone
    try:
        with progress("linting"):  # a spinner on stderr, only if this takes over a second
            code = None
            if asked:
                from slicegen.lint.daemon_client import ask

                given = [*(select or [])] or None
                code = ask(str(path), output_format, given, [*(ignore or [])], stop_daemon, out)
            code = (
                code
                if code is not None
                else guard(
                    lambda: lint(
                        path,
                        output_format,
                        select,
                        ignore,
                        statistics,
                        baseline,
                        write_baseline,
                        not no_cache,
                        out,
                        parse_all=parse_all,
                        since=since,
                        relative_to=Path.cwd(),
                        grow=grow,
                    )
                )
            )
    finally:
        text = out.getvalue()
        if is_quiet() and output_format == "text" and not statistics and write_baseline is None:
            text = "".join(text.splitlines(keepends=True)[:-1])  # the findings, not the summary
        sys.stdout.write(text)
    raise typer.Exit(code)


@app.command("lsp", help=_SUMMARIES["lsp"])
def lsp_cmd() -> None:
    from slicegen.lsp import main

    main()


@app.command("rules", help=_SUMMARIES["rules"])
def rules_cmd() -> None:
    from slicegen.lint.command import rules_table

    typer.echo(rules_table(), nl=False)


@app.command("rule", help=_SUMMARIES["rule"])
def rule_cmd(code: Annotated[str, typer.Argument(help="A rule code (SG101) or name.")]) -> None:
    from slicegen.lint.command import rule_text

    typer.echo(guard(lambda: rule_text(code)), nl=False)
