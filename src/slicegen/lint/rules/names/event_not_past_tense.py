"""SG103 event-not-past-tense."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext
from slicegen.lint.rules.mentions import events_of
from slicegen.model.reads import Reads

CODE = "SG103"
NAME = "event-not-past-tense"
MESSAGE = "event '{name}' does not end in a past participle: name what happened ('vote_cast')"
READS = frozenset({Reads.DEFINITIONS, Reads.TYPE_STRINGS, Reads.TOPICS})
EXPLANATION = """\
## What it does
Flags an event (class, module, fact or emitted type string) whose last word is not the past
participle of an English verb, as told by an inflection library (so irregular forms such as
`VoteCast` or `OrderPaid` pass).

## Why is this bad?
Events are facts that already happened. `AccountActivation` reads like a process or a command;
`AccountActivated` says what is now true.

## Example
```elixir
def event_type, do: "account_activation:v1"
```

## Use instead
```elixir
def event_type, do: "account_activated:v1"
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    last_words: dict[str, str | None] = {}  # per name: its last word unless a participle
    for m in events_of(ctx):
        if m.what not in ("event", "fact", "type string"):
            continue
        if m.name in last_words:
            last = last_words[m.name]
        else:
            parts = naming.words(m.name)
            ok = not parts or ctx.words.is_past_participle(parts[-1])
            last = last_words[m.name] = None if ok else parts[-1]
        if last is None:
            continue
        yield finding(
            CODE,
            f"{m.what} '{m.shown}' does not end in a past participle ('{last}'): name "
            "what happened, noun then participle (e.g. 'account_activated', 'vote_cast')",
            m.path,
            m.line,
            m.col,
            m.name,
        )
