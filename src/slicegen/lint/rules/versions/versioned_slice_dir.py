"""SG202 versioned-slice-dir."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import Reads

CODE = "SG202"
NAME = "versioned-slice-dir"
MESSAGE = "slice folder '{name}' carries a version: rename it '{base}'; versions go in file names"
READS: frozenset[Reads] = frozenset()
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a slice folder whose name ends in a version (`cast_vote_v2/`).

## Why is this bad?
A slice is one business operation across all of its versions. Versioned folders split it in two,
duplicate its tests and policies, and hide that v1 events still need handling.

## Example
```
src/shop/votes/domain/cast_vote_v2/command_v2.py
```

## Use instead
```
src/shop/votes/domain/cast_vote/command_v1.py
src/shop/votes/domain/cast_vote/command_v2.py
```
"""

VERSIONED = re.compile(r"(?P<base>.+?)_v\d+")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for dom in ctx.model.domains:
        for s in dom.slices:
            match = VERSIONED.fullmatch(s.name)
            if match:
                base = match.group("base").rstrip("_")
                yield finding(
                    CODE,
                    f"slice folder '{s.name}' carries a version: rename it '{base}' and keep "
                    "the versions in file names (command_v1, command_v2)",
                    s.path,
                    1,
                    1,
                    s.name,
                )
