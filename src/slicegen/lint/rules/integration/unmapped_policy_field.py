"""SG406 unmapped-policy-field."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.readers.source import line_col
from slicegen.model.reads import Reads

CODE = "SG406"
NAME = "unmapped-policy-field"
MESSAGE = "policy '{file}' does not map '{field}' from {trigger}: say where its value comes from"
READS: frozenset[Reads] = frozenset()
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags, in a policy, each field of the command it builds that is still marked unmapped, where the
trigger carries no field of that name and type: in Python a string
`"map <field> from <Trigger>: ..."` inside a call that raises, in Elixir a call
`Shared.unmapped!(__MODULE__, :field)`; `slicegen add-policy` writes both.

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
_ELIXIR_MARK = re.compile(r"unmapped!\(\s*__MODULE__\s*,\s*:(?P<field>\w+)\s*\)")
_TRIGGER_IN_FILE = re.compile(r"when_(?P<trigger>\w+?)_then_")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for a in ctx.model.artifacts:
        if a.kind != "policy":
            continue
        text = ctx.text_of(a.path)  # the editor's buffer, or the file (regular, capped)
        if text is None:
            continue  # SG001 reports files that cannot be read
        file = a.path.rsplit("/", 1)[-1]
        named = _TRIGGER_IN_FILE.search(file)
        in_file = named["trigger"] if named else "its trigger"
        marks = [(m, m["field"], m["trigger"]) for m in _MARK.finditer(text)]
        marks += [(m, m["field"], in_file) for m in _ELIXIR_MARK.finditer(text)]
        for match, field, trigger in sorted(marks, key=lambda mark: mark[0].start()):
            line, col = line_col(text, match.start())
            yield finding(
                CODE,
                MESSAGE.format(file=file, field=field, trigger=trigger),
                a.path,
                line,
                col,
                field,
            )
