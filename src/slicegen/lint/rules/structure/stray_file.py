"""SG309 stray-file."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import Reads

CODE = "SG309"
NAME = "stray-file"
MESSAGE = "stray file '{file}' in a domain: delete it (version control keeps history)"
READS: frozenset[Reads] = frozenset()
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags backup and temporary files inside a domain's folders: `*.bak`, `*.tmp`, `*.orig`, `*.rej`,
`*.swp`, `*~`.

## Why is this bad?
They are left over from editors and merges, get copied into releases, and make a reader wonder
which version of a slice is real.

## Example
```
domain/cast_vote/maybe_cast_vote_v1.py.orig
```

## Use instead
Delete the file; keep history in version control.
"""

SUFFIXES = (".bak", ".tmp", ".orig", ".rej", ".swp", ".swo", "~")


def check(ctx: RuleContext) -> Iterator[Finding]:
    roots = tuple(d.root + "/" for d in ctx.model.domains)
    if not roots:
        return
    for path in ctx.model.paths:
        if path.endswith(SUFFIXES) and path.startswith(roots):
            file = path.rsplit("/", 1)[-1]
            yield finding(
                CODE,
                f"stray file '{file}' in a domain: delete it (version control keeps history)",
                path,
                1,
                1,
                file,
            )
