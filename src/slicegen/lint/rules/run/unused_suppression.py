"""SG002 unused-suppression (reported by the engine, which knows what each comment suppressed)."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import Reads

CODE = "SG002"
NAME = "unused-suppression"
MESSAGE = "suppression of {codes} suppresses nothing: remove the comment"
READS: frozenset[Reads] = frozenset()
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Reports a `# slicegen: ignore[CODE]` or `# slicegen: ignore-file[CODE]` comment that suppresses no
finding of an enabled rule.

Suppression syntax (the same `#` comment in Python and Elixir):
- `# slicegen: ignore[SG101] reason` at the end of (or on) the line of the finding;
- `# slicegen: ignore-file[SG101, SG307] reason` anywhere in the file: the whole file;
- without `[...]`, every code.

## Why is this bad?
Once the code is fixed the comment only hides the next real problem on that line, and readers
believe there is still an exception to explain.

## Example
```python
class AccountInitializedV1(Event):  # slicegen: ignore[SG101] legacy name
```

## Use instead
```python
class AccountInitializedV1(Event):
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    """The engine reports unused suppressions after the other rules ran."""
    return iter(())
