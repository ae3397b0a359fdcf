"""SG302 incomplete-slice."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL

CODE = "SG302"
NAME = "incomplete-slice"
MESSAGE = "slice '{name}' has no {missing}: add it to the slice"
READS = ALL  # what a file is comes from its code: any file a rule parses
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a slice that lacks one of the four parts every slice has: a command, an event, a handler
(`maybe_<command>_v<N>`) and an evolver (`<event>_to_state_v<N>`). A folder under `domain/`
holding none of a slice's files (`value_objects/`, `exceptions/` in a layered tree) is no slice.

## Why is this bad?
A slice holds everything of one operation. A missing handler or evolver usually lives somewhere
else (a shared aggregate, a technical folder), which is exactly the coupling slices avoid.

## Example
```
domain/cast_vote/command_v1.py
domain/cast_vote/event_v1.py
```

## Use instead
```
domain/cast_vote/command_v1.py
domain/cast_vote/event_v1.py
domain/cast_vote/maybe_cast_vote_v1.py
domain/cast_vote/cast_to_state_v1.py
```
"""

REQUIRED = ("command", "event", "handler", "evolver")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for dom in ctx.model.domains:
        for s in dom.slices:
            kinds = s.kinds()
            missing = [k for k in REQUIRED if k not in kinds]
            if missing and kinds:  # a folder with no artifact is no slice (value_objects/)
                yield finding(
                    CODE,
                    f"slice '{s.name}' has no {', '.join(missing)}: add "
                    f"{'it' if len(missing) == 1 else 'them'} to the slice folder",
                    s.path,
                    1,
                    1,
                    s.name,
                    *missing,
                )
