"""SG104 command-not-imperative."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.mentions import commands_of, events_of
from slicegen.model.reads import ALL

CODE = "SG104"
NAME = "command-not-imperative"
MESSAGE = "{what} '{name}' does not start with a verb in base form: name it verb first"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.WORKSPACE  # a verb is accepted when any event of the tree uses it
EXPLANATION = """\
## What it does
Flags a command or slice whose first word is not the base form of an English verb
(`account_activation`, `activated_account`, `profile_set`). A word the dictionary does not know
as a verb passes when an event of the tree uses its participle (`favorite_article` beside
`ArticleFavorited`), and so does a verb prefix before a verb (`unfollow_author`).

## Why is this bad?
A command asks for something to be done. Naming it verb first (`activate_account`) makes the
slice list read as the domain's operations and lets slicegen derive the event (`account_activated`).

## Example
```
lib/reckon_accounts/domain/account_activation/command_v1.ex
```

## Use instead
```
lib/reckon_accounts/domain/activate_account/command_v1.ex
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    first_words: dict[str, str | None] = {}  # per name: its first word unless a base verb
    in_events: set[str] | None = None  # the words of the tree's event names
    for m in commands_of(ctx):
        if m.name in first_words:
            first = first_words[m.name]
        else:
            parts = naming.words(m.name)
            ok = not parts or ctx.words.is_base_verb(parts[0])
            if not ok:  # a verb the dictionary lacks, used as one by an event (favorited)
                if in_events is None:
                    in_events = {w for e in events_of(ctx) for w in naming.words(e.name)}
                ok = ctx.words.participle(parts[0]) in in_events
            first = first_words[m.name] = None if ok else parts[0]
        if first is None:
            continue
        yield finding(
            CODE,
            f"{m.what} '{m.shown}' does not start with a verb in base form ('{first}'): "
            "name it verb first (e.g. 'activate_account')",
            m.path,
            m.line,
            m.col,
            m.name,
        )
