"""SG405 unknown-event-type."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.index import files_with
from slicegen.lint.rules.mappers import mapped
from slicegen.model.readers.source import TYPE_STRING
from slicegen.model.reads import Reads

CODE = "SG405"
NAME = "unknown-event-type"
MESSAGE = "type string '{value}' is used here but no event emits it: fix the string or add it"
READS = frozenset({Reads.DEFINITIONS, Reads.TYPE_STRINGS})
SCOPE = Scope.WORKSPACE  # a referenced type string may be emitted in any domain
EXPLANATION = """\
## What it does
Flags a type string (`"<event_name>:v<N>"`) that is matched or mapped somewhere (an event type
mapper, an upcaster, a `case`) but that no event in the workspace emits, either itself or through
an event type mapper that gives an existing event that string
(`def to_event_type(MyApp.Domain.X.EventV1), do: "x_happened:v1"`, or an ExESDB mapper's table
entry `{MyApp.Domain.X.EventV1, "x_happened:v1"}`).

## Why is this bad?
A mapping for a type string nobody emits is dead code at best; usually it is a typo or a stale
name after a rename, and the events it was meant for are not handled.

## Example
```elixir
def to_event_type("account_initialised:v1"), do: ...
```

## Use instead
```elixir
def to_event_type("account_initialized:v1"), do: ...
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    holding = files_with(ctx, "strings")
    emitted = {s.value for _, info in holding for s in info.strings if s.role == "emit"}
    if not emitted:
        return
    events = {a.qualname for a in ctx.model.events()} | {a.name for a in ctx.model.events()}
    emitted.update(m.value for m in mapped(ctx) if m.event in events)  # a mapper gives the type
    if not any(TYPE_STRING.fullmatch(v) for v in emitted):
        return  # a tree that emits no type string (``event_type = row.kind``) has no convention
    for path, info in holding:
        for s in info.strings:
            if s.role == "ref" and s.value not in emitted:
                yield finding(
                    CODE,
                    f"type string '{s.value}' is used here but no event emits it: fix the "
                    "string or add the event",
                    path,
                    s.line,
                    s.col,
                    s.value,
                )
