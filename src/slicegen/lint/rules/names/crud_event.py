"""SG101 crud-event."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.mentions import events_of
from slicegen.model.reads import ALL

CODE = "SG101"
NAME = "crud-event"
MESSAGE = "{what} '{name}' is a CRUD event ('{verb}'): name what happened, e.g. {suggestions}"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.WORKSPACE  # names are judged once per tree, with evidence from every file
EXPLANATION = """\
## What it does
Flags an event whose last word is a CRUD verb (`Created`, `Updated`, `Deleted`, and the verbs
added with `[lint] extend-crud-verbs`), wherever it is named: event classes and modules, evolver
and projection file names, emitted type strings, facts and fact topics.

## Why is this bad?
An event records a business fact. `ProfileUpdated` says a row changed; `ProfilePersonalized` or
`ProfileRenamed` says what happened and why, which is what readers of the stream, analytics and
other domains need. CRUD events turn the event log into a database diff.

## Example
```python
class ProfileUpdatedV1(Event):
    event_type = "profile_updated:v1"
```

## Use instead
```python
class ProfilePersonalizedV1(Event):
    event_type = "profile_personalized:v1"
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    verbs = ctx.crud_verbs
    verdicts: dict[str, tuple[str, str] | None] = {}  # per name: the verb and the ideas
    for m in events_of(ctx):
        if m.name in verdicts:
            verdict = verdicts[m.name]
        else:
            verdict = verdicts[m.name] = _verdict(ctx, m.name, verbs)
        if verdict is None:
            continue
        verb, ideas = verdict
        yield finding(
            CODE,
            f"{m.what} '{m.shown}' is a CRUD event ('{verb}'): name what happened in business "
            f"terms, e.g. {ideas or 'a business verb'}",
            m.path,
            m.line,
            m.col,
            m.name,
        )


def _verdict(ctx: RuleContext, name: str, verbs: tuple[str, ...]) -> tuple[str, str] | None:
    verb = ctx.words.crud_verb_in_event(name, verbs)
    if verb is None:
        return None
    return verb, ", ".join(f"'{s}'" for s in naming.suggest_event_names(name, verbs)[:3])
