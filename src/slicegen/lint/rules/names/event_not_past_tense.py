"""SG103 event-not-past-tense."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.mentions import events_of
from slicegen.model.reads import ALL

CODE = "SG103"
NAME = "event-not-past-tense"
MESSAGE = "event '{name}' has no past participle in it: name what happened ('vote_cast')"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.WORKSPACE  # names are judged once per tree, with evidence from every file
EXPLANATION = """\
## What it does
Flags an event (class, module, fact or emitted type string) with no past participle of an
English verb in it, as told by an inflection library: irregular forms (`VoteCast`, `OrderPaid`),
the guideline's own `VoteCasted`, a participle followed by its object (`MembersJoinedClub`) or,
with no subject, by a preposition (`DepositedIntoAccount`), and verbs the dictionary lacks but
inflects (`ArticleFavorited`, `AuthorUnfollowed`) pass.

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
    verdicts: dict[str, bool] = {}  # per name: whether it has a participle
    for m in events_of(ctx):
        if m.what not in ("event", "fact", "type string"):
            continue
        if m.name not in verdicts:
            verdicts[m.name] = not naming.words(m.name) or ctx.words.event_verb(m.name) is not None
        if verdicts[m.name]:
            continue
        yield finding(
            CODE,
            f"{m.what} '{m.shown}' has no past participle in it: name what happened, noun "
            "then participle (e.g. 'account_activated', 'vote_cast')",
            m.path,
            m.line,
            m.col,
            m.name,
        )
