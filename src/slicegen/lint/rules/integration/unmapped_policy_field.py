"""SG406 unmapped-policy-field."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext

CODE = "SG406"
NAME = "unmapped-policy-field"
MESSAGE = "policy '{file}' does not map '{field}' from {trigger}: say where its value comes from"
NEEDS_PARSE = False
EXPLANATION = """\
## What it does
Flags, in a policy, each field of the command it builds that is still marked unmapped: a string
`"map <field> from <Trigger>: ..."`, which `slicegen add-policy` writes (inside a call that
raises) where the trigger carries no field of that name and type.

## Why is this bad?
A policy that made up a value (an empty string, a zero id) would store it in an event for good.
The generated policy raises instead, so its tests fail until the field is mapped; this rule says
where, before anything runs.

## Example
```python
command = EstablishProfileV1(
    aggregate_id=fact.aggregate_id,
    display_name=_unmapped("map display_name from AccountActivatedFactV1: it has no display_name"),
)
```

## Use instead
```python
command = EstablishProfileV1(
    aggregate_id=fact.aggregate_id,
    display_name=fact.email.partition("@")[0],
)
```
"""

_MARK = re.compile(r"""["']map (?P<field>\w+) from (?P<trigger>[\w.]+):""")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for a in ctx.model.artifacts:
        if a.kind != "policy":
            continue
        try:
            text = (ctx.model.root / a.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # SG001 reports files that cannot be read
        file = a.path.rsplit("/", 1)[-1]
        for match in _MARK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            yield finding(
                CODE,
                f"policy '{file}' does not map '{match['field']}' from {match['trigger']}: "
                "say where its value comes from",
                a.path,
                line,
                col,
                match["field"],
            )
