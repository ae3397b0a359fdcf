"""SG401 direct-router-dispatch."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.index import files_with
from slicegen.model.discovery import is_test
from slicegen.model.domains import commanded_before_1
from slicegen.model.reads import Reads
from slicegen.model.workspace import FileInfo

CODE = "SG401"
NAME = "direct-router-dispatch"
MESSAGE = "'{call}' bypasses the domain's app: dispatch through {way}"
READS = frozenset({Reads.CALLS})
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a `dispatch` call made on a router (`Router.dispatch(command)`, `router.dispatch(...)`, a
`dispatch` imported from a `router` module) anywhere but the domain's app module (`app.py`,
`commanded_app.ex`). Tests are not application code (they exercise a router directly), and a
module that defines `dispatch` itself is a router forwarding to another (a composite router, a
dispatch library's own code): neither is flagged. Nor is an Elixir router on Commanded before
1.0 (every `mix.exs` naming a Commanded version asks for 0.x): there was no application module
then, and the router was how commands were dispatched.

## Why is this bad?
The domain's app (`CommandedApp` in Commanded, `app.py` in Python) is the one way in: it carries
the event store configuration, middleware, consistency and error handling. Dispatching on the
router skips all of it, and ties callers to an internal module.

## Example
```elixir
alias ReckonProfiles.Router
Router.dispatch(command)
```

## Use instead
```elixir
alias ReckonProfiles.CommandedApp
CommandedApp.dispatch(command)
```
"""

APP_FILES = ("app.py", "commanded_app.ex", "router.py", "router.ex")


def _router_functions(info: FileInfo) -> set[str]:
    """Names imported from a ``router`` module (Python)."""
    out: set[str] = set()
    for ref in info.imports:
        if ref.kind == "from" and ref.module.rsplit(".", 1)[-1] == "router":
            out.update(ref.names)
    return out


def check(ctx: RuleContext) -> Iterator[Finding]:
    way = (
        "CommandedApp.dispatch/1"
        if ctx.model.stack == "elixir"
        else "the domain's app (app.dispatch) or its public API"
    )
    if "commanded before 1.0" not in ctx.memo:
        ctx.memo["commanded before 1.0"] = ctx.model.stack == "elixir" and commanded_before_1(
            ctx.model.root, ctx.model.paths
        )
    old_commanded = ctx.memo["commanded before 1.0"]
    for path, info in files_with(ctx, "calls"):
        if not info.calls or path.rsplit("/", 1)[-1] in APP_FILES or is_test(path):
            continue
        if old_commanded and info.language == "elixir":
            continue  # the router is the way in: Commanded.Application came with 1.0
        if any("dispatch" in d.functions for d in info.definitions):
            continue  # a router itself, forwarding the dispatch
        imported = _router_functions(info) if info.language == "python" else set()
        for call in info.calls:
            last = call.receiver.rsplit(".", 1)[-1].lower()
            if "router" in last or (not call.receiver and call.function in imported):
                shown = f"{call.receiver}.{call.function}" if call.receiver else call.function
                yield finding(
                    CODE,
                    f"'{shown}' bypasses the domain's app: dispatch through {way}",
                    path,
                    call.line,
                    call.col,
                    shown,
                )
