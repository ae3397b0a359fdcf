"""SG307 file-module-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.discovery import split_file_version
from slicegen.model.reads import ALL
from slicegen.model.workspace import Artifact, WorkspaceModel

CODE = "SG307"
NAME = "file-module-mismatch"
MESSAGE = "'{file}' defines '{name}': name the file after what it defines ('{expected}')"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags an artifact file whose name and the module, class or function it defines disagree. Elixir:
the module's last segment is the file name in PascalCase (`handler_v1.ex` defines `...HandlerV1`,
`maybe_expire_countdown_v1.ex` defines `...MaybeExpireCountdownV1`). Python: handlers, evolvers,
projections and policies define a function named like the file; a command file defines the
slice's command class (`InitializeAccountV1` in `initialize_account/command_v1.py`). Case and
underscores are compared loosely, so acronyms may be spelled either way (`setup_db_v1.ex` defining
`SetupDBV1`). An Elixir file whose modules all sit in one namespace may be named after it
(`media_list.ex` defining `MediaList.Schema` and `MediaList.Projection`).

## Why is this bad?
Files are found by name and modules by module name; when they disagree, a reader opening
`handler_v1.ex` finds something else, and tools that map one to the other break.

## Example
```elixir
# domain/expire_countdown/handler_v1.ex
defmodule ReckonGames.Domain.ExpireCountdown.MaybeExpireCountdownV1 do
```

## Use instead
```elixir
# domain/expire_countdown/maybe_expire_countdown_v1.ex
defmodule ReckonGames.Domain.ExpireCountdown.MaybeExpireCountdownV1 do
```
"""


def _expected(a: Artifact, model: WorkspaceModel) -> tuple[str, ...] | None:
    """Names the file may define; None when there is nothing to compare."""
    info = model.files.get(a.path)
    if info is None or not info.parsed or a.grouped or not info.definitions:
        return None
    stem = a.file_stem
    if info.language == "elixir":
        return (naming.to_pascal(stem),)
    if a.kind == "command":
        if a.slice is None or a.version is None:
            return None
        return (naming.to_pascal(f"{a.slice}_v{a.version}"),)
    if a.kind == "event":
        return None  # the event's name is free; SG105 ties it to its type string
    if a.kind == "fact":
        base = split_file_version(stem)[0]
        return (naming.to_pascal(stem), naming.to_pascal(base))
    return (stem, naming.to_pascal(stem))


def _letters(name: str) -> str:
    """A name with case and underscores aside: acronyms spell either way (``setup_db_v1.ex``
    names ``SetupDBV1``, as Elixir's own ``Macro.underscore`` would write it ``setup_dbv1``)."""
    return name.replace("_", "").lower()


def check(ctx: RuleContext) -> Iterator[Finding]:
    for a in ctx.model.artifacts:
        expected = _expected(a, ctx.model)
        if expected is None:
            continue
        defs = ctx.model.files[a.path].definitions
        names = {_letters(d.name) for d in defs}
        parents = {d.qualname.rpartition(".")[0] for d in defs}
        if len(parents) == 1 and (parent := parents.pop()):  # media_list.ex: MediaList.Schema,
            names.add(_letters(parent.rpartition(".")[2]))  # MediaList.Projection: a namespace
        if _letters(a.name) in {_letters(e) for e in expected} or names & {
            _letters(e) for e in expected
        }:
            continue
        file = a.path.rsplit("/", 1)[-1]
        yield finding(
            CODE,
            f"'{file}' defines '{a.name}': name the file after what it defines, or define "
            f"'{expected[0]}'",
            a.path,
            a.line,
            a.col,
            a.name,
        )
