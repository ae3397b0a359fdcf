"""SG206 unregistered-retired-event."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.index import files_with
from slicegen.model.reads import ALL
from slicegen.stacks.artifacts import is_retired

CODE = "SG206"
NAME = "unregistered-retired-event"
MESSAGE = "retired event '{value}' is no longer registered: register it again or retire it for good"
NEEDS_PARSE = True
READS = ALL  # the type strings of retired modules, and the imports of any module of the domain
SCOPE = Scope.WORKSPACE  # a retired event is registered by a reference anywhere
EXPLANATION = """\
## What it does
Flags an event kept in a domain's `retired/` folder (by `slicegen remove-slice` or
`rename-event`) that nothing registers any more: no module imports it (python: the router's
`ROUTES.evolve(..., unchanged)` or `ROUTES.upcast(...)`) and no type mapper maps its type string
(elixir: `event_type_mapper.ex`).

## Why is this bad?
A retired event exists so that the events already stored under its type string still load. Half
retired (the registration gone, the module left), replaying a stream that holds one fails with an
unknown event type, usually in production, long after the change.

## How to retire an event for good
1. Find out whether any stored event still has the type string: query the event store (the
   generated python store: the `topic` column of the events table; EventStore/ExESDB: the event
   type) for `'<event_name>:v<N>'`.
2. If some do, migrate those streams (copy-transform them to the new event) or archive them.
3. When none remain, delete the retired module and its registration (router lines, type mapper
   entry, `apply` clause) in the same commit. Until then keep both.

## Example
```
src/shop/accounts/retired/close_account_event_v1.py   # nothing imports it any more
```

## Use instead
```python
# router.py
from shop.accounts.retired import unchanged
from shop.accounts.retired.close_account_event_v1 import AccountClosedV1

ROUTES.evolve(AccountClosedV1, unchanged)
```
"""


def _module(path: str) -> str:
    """``src/shop/accounts/retired/x.py`` -> ``shop.accounts.retired.x``."""
    return path.removeprefix("src/").removesuffix(".py").replace("/", ".")


def check(ctx: RuleContext) -> Iterator[Finding]:
    retired = [(p, info) for p, info in files_with(ctx, "strings") if is_retired(p)]
    if not retired:
        return
    referenced = {
        s.value
        for path, info in files_with(ctx, "strings")
        if not is_retired(path)
        for s in info.strings
        if s.role == "ref"
    }
    imported = {
        ref.module
        for path, info in files_with(ctx, "imports")
        if not is_retired(path)
        for ref in info.imports
    }
    for path, info in retired:
        if info.language == "python" and _module(path) in imported:
            continue
        for s in info.strings:
            if s.role == "emit" and s.value not in referenced:
                yield finding(
                    CODE,
                    f"retired event '{s.value}' is no longer registered, so stored events of "
                    "that type fail to load: register it again, or once no stored event has "
                    f"the type, delete {path.rsplit('/', 1)[1]} too (slicegen rule {CODE})",
                    path,
                    s.line,
                    s.col,
                    s.value,
                )
