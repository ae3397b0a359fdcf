"""SG306 grouped-modules."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.evidence import Evidence
from slicegen.lint.rules.mentions import evidence_key, evidence_of, evidence_stands
from slicegen.lint.rules.parts import each_part
from slicegen.model.reads import ALL
from slicegen.model.workspace import Artifact, FileInfo, WorkspaceModel
from slicegen.stacks.artifacts import is_payload

CODE = "SG306"
NAME = "grouped-modules"
MESSAGE = "'{file}' defines {count} {kind}s ({names}): give each its own file in its slice"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.WORKSPACE  # evidence (base classes, Elixir structs) from every file
EXPLANATION = """\
## What it does
Flags a file that defines more than one command, event, handler or policy: grouped files such as
`commands.ex` or `events.py` (in Elixir also `wallet_events.ex` nesting two or more structs), a
slice file holding a second versioned class or module, or an Elixir event handler or process
manager reacting to several event types (one policy each: the guideline's "one event-to-command
translation per policy"). What a grouped file holds is checked
against its code: a class that works with its kind (`EventContext`, `EventType`, `CommandBus`)
or serves a framework (`WebhookSerializer`) is no event or command, and an Elixir
`policies.ex` whose modules neither handle events nor dispatch (access policies) holds no policy.

## Why is this bad?
One operation, one place. A `commands.ex` with every command of a domain is changed by every
feature, merges badly and hides which slice owns what.

## Example
```elixir
# lib/reckon_accounts/commands.ex
defmodule ReckonAccounts.Commands.InitializeAccount do ... end
defmodule ReckonAccounts.Commands.ActivateAccount do ... end
```

## Use instead
```
lib/reckon_accounts/domain/initialize_account/command_v1.ex
lib/reckon_accounts/domain/activate_account/command_v1.ex
```
"""

KINDS = ("command", "event", "handler", "policy")


def _top_level(info: FileInfo) -> list[str]:
    if info.language == "elixir":
        names = [d.qualname for d in info.definitions]
        return [n for n in names if not any(n.startswith(o + ".") for o in names)]
    beside = {d.name for d in info.definitions}
    return [
        d.name
        for d in info.definitions
        if d.kind == "class" and naming.split_version(d.name)[1] is not None
        if not is_payload(d.name, beside)  # UserCreatedDataV1: what UserCreatedV1 carries
    ]


def _handled(info: FileInfo) -> list[str]:
    """The events an Elixir policy module reacts to, when more than one: each is a policy."""
    if info.language != "elixir" or not info.definitions:
        return []
    module = info.definitions[0]
    own = module.qualname.rsplit(".", 1)[-1]  # a process manager matches its own state struct
    handled = [h for h in module.handles if h.rsplit(".", 1)[-1] != own]
    return handled if len(handled) > 1 else []


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Domain by domain (:mod:`parts`): a domain's findings stand while its files and the
    tree's evidence do."""
    model, evidence = ctx.model, evidence_of(ctx)
    for found in each_part(
        ctx,
        CODE,
        evidence_key(ctx),
        lambda p: list(_grouped(model, evidence, p.files, p.artifacts)),
        evidence_stands(ctx),
    ):
        yield from found


def _grouped(
    model: WorkspaceModel,
    evidence: Evidence,
    files: dict[str, FileInfo],
    artifacts: list[Artifact],
) -> Iterator[Finding]:
    """The findings on ``artifacts`` (a part's, whose records are ``files``)."""
    by_path: dict[str, list[Artifact]] = {}
    for a in artifacts:
        if a.kind in KINDS and a.domain is not None:
            by_name = a.grouped and a.kind in ("command", "event")  # from a grouped file only
            if by_name and not evidence.established(model, a, files):
                continue  # not shown to be one: a base class, an id, a result type
            by_path.setdefault(a.path, []).append(a)
    for path, arts in sorted(by_path.items()):
        first = arts[0]
        info = files.get(path)
        if first.grouped:
            names = [a.name for a in arts]
        elif first.kind == "policy" and info is not None and _handled(info):
            names = _handled(info)  # a process manager grouping one policy per event
        else:
            if info is None or len(info.definitions) < 2:
                continue  # fewer than two names: the top-level ones are some of its definitions
            names = _top_level(info)
        if len(names) < 2:
            continue
        file = path.rsplit("/", 1)[-1]
        shown = ", ".join(n.rsplit(".", 1)[-1] for n in names[:4])
        kinds = "policies" if first.kind == "policy" else f"{first.kind}s"
        yield finding(
            CODE,
            f"'{file}' defines {len(names)} {kinds} ({shown}): give each its own file in its slice",
            path,
            1,
            1,
            file,
        )
