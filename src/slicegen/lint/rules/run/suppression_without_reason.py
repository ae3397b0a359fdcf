"""SG003 suppression-without-reason (reported by the engine, beside SG002)."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import Reads

CODE = "SG003"
NAME = "suppression-without-reason"
MESSAGE = "suppression of {codes} gives no reason: say why after the codes"
READS: frozenset[Reads] = frozenset()
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Reports a `# slicegen: ignore[...]` or `# slicegen: ignore-file[...]` comment that gives no reason
after its codes. The comment still suppresses its findings. Set `[lint] suppression-reason = false`
to allow comments without a reason.

## Why is this bad?
A suppression is a decision to keep a finding. Without its reason, the next reader cannot tell
whether the exception still holds, and a team cannot burn its suppressions down.

## Example
```python
class AccountUpdatedV1(Event):  # slicegen: ignore[SG101]
```

## Use instead
```python
class AccountUpdatedV1(Event):  # slicegen: ignore[SG101] -- stored events keep their name
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    """The engine reports suppressions without a reason with the unused ones."""
    return iter(())
