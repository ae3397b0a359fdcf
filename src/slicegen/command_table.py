"""The commands and their one-line summaries: the single list both help screens read.

``slicegen --help`` is served from this table without importing typer (see :mod:`slicegen.entry`),
so that the most common invocation starts fast; :mod:`slicegen.cli` registers each command with the
same summary, and a test checks that the two agree.
"""

from __future__ import annotations

COMMANDS: tuple[tuple[str, str], ...] = (
    ("init", "Create a workspace: config, design_docs/ and the stack's skeleton."),
    ("adopt", "Describe an existing repository in a slicegen.toml (same as 'init --detect')."),
    ("new-domain", "Add a domain (bounded context) with its public API, app, router and docs."),
    ("add-slice", "Add a slice: command, event, handler, evolver, projections and tests."),
    ("add-projection", "Add a projection of a slice's event into a read model."),
    ("add-policy", "Add a policy: when an event happens, dispatch a command."),
    ("add-fact", "Publish a domain event to other domains as an integration fact."),
    ("add-version", "Add the next version of a slice's command and event, with an upcaster."),
    ("remove-slice", "Remove a slice: its files and registrations; its stored events still load."),
    ("remove-domain", "Remove a domain that has no slices: the reverse of new-domain."),
    ("upgrade", "Re-render generated files from the current templates, merging in your edits."),
    ("remove-projection", "Remove a projection of a slice: the reverse of add-projection."),
    ("remove-policy", "Remove a policy: the reverse of add-policy (the fact stays)."),
    ("remove-fact", "Remove a published fact: the reverse of add-fact."),
    ("rename-event", "Rename an event everywhere; events stored under the old name still load."),
    ("rename-command", "Rename a slice's command everywhere: folder, classes, handler, tests."),
    ("lint", "Check a tree against the slice, naming, version and integration rules."),
    ("rules", "List the lint rules: code, name and what each flags."),
    ("rule", "Explain one lint rule (slicegen rule SG101)."),
    ("lsp", "Run the language server (stdio): findings as you type, rule help, fixes."),
    ("storm", "Refresh, check (--check) or export (--export) the event-storming documents."),
    ("apply", "Plan everything a design model (YAML) has that the code lacks, in one change set."),
    ("templates", "List the built-in templates and the workspace's overrides; eject one to edit."),
)

EXIT_CODES = "Exit codes: 0 success, 1 findings or conflicts, 2 usage or configuration error."

SUMMARY = "Scaffold, document and lint event-sourced vertical-slice moduliths."


def help_text(version: str) -> str:
    """The top-level help screen."""
    width = max(len(name) for name, _ in COMMANDS) + 2
    lines = [
        "Usage: slicegen [OPTIONS] COMMAND [ARGS]...",
        "",
        f"  {SUMMARY} (version {version})",
        "",
        f"  {EXIT_CODES}",
        "",
        "Options:",
        "  --version             Show the version and exit.",
        "  --dry-run             Show what a command would write, as a diff; write nothing.",
        "  --force               Overwrite files that differ from what slicegen would write.",
        "  --trust               Let workspace copier templates run their tasks and migrations.",
        "  -q, --quiet           Show only errors and findings.",
        "  -v, --verbose         Show more detail, e.g. files left identical.",
        "  --install-completion  Install completion for the current shell.",
        "  --show-completion     Show completion for the current shell, to copy it.",
        "  --help                Show this message and exit.",
        "",
        "Commands:",
        *(f"  {name:<{width}}{summary}" for name, summary in COMMANDS),
        "",
        "Run 'slicegen COMMAND --help' for a command's options.",
    ]
    return "\n".join(lines) + "\n"
