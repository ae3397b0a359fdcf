"""SG303 projection-name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL

CODE = "SG303"
NAME = "projection-name"
MESSAGE = "projection '{file}' should be named '<event>_to_<readmodel>_v<N>'"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a projection (a file named `*_to_*`, a module using `Commanded.Projections.Ecto`, a file
or module named `*projection`, or an event handler in `event_handlers/` that dispatches no command)
whose file is not named `<event>_to_<readmodel>_v<N>`, with the event part ending in a past
participle.

## Why is this bad?
One projection projects one event type into one read model. The name tells which, so the read
model's inputs can be listed from the file names alone; `account_facts_projection.ex` hides both.

## Example
```
lib/reckon_accounts/projections/account_projection.ex
```

## Use instead
```
lib/reckon_accounts/domain/initialize_account/initialized_to_summary_v1.ex
```
"""

PATTERN = re.compile(r"(?P<event>[a-z][a-z0-9_]*)_to_(?P<model>[a-z][a-z0-9_]*)_v\d+")


def check(ctx: RuleContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for a in ctx.model.artifacts:
        if a.kind != "projection" or a.grouped or a.path in seen or a.domain is None:
            continue
        seen.add(a.path)
        match = PATTERN.fullmatch(a.file_stem)
        if match and match.group("model") != "state":
            last = naming.words(match.group("event"))[-1]
            if ctx.words.is_past_participle(last):
                continue
        file = a.path.rsplit("/", 1)[-1]
        yield finding(
            CODE,
            f"projection '{file}' should be named '<event>_to_<readmodel>_v<N>' (e.g. "
            "'initialized_to_summary_v1'): one event type into one read model",
            a.path,
            a.line,
            a.col,
            a.file_stem,
        )
