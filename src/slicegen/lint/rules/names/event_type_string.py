"""SG105 event-type-string."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL

CODE = "SG105"
NAME = "event-type-string"
MESSAGE = "type string '{value}' should be '<event_name>:v<N>' matching the event: use '{expected}'"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Checks the type string an event emits (`event_type = "..."` in Python, `event_type/0` or
`@event_type` in Elixir): it must be `<event_name>:v<N>` in snake_case, name the same event as the
class or module, and carry the same version as the file and class.

## Why is this bad?
The type string is what the event store keeps. If it disagrees with the code (a copied `:v1` in a
`V2` event, a renamed class), events are loaded into the wrong type or not at all.

## Example
```python
class AccountInitializedV2(Event):
    event_type = "AccountInitialized:v1"
```

## Use instead
```python
class AccountInitializedV2(Event):
    event_type = "account_initialized:v2"
```
"""

STRICT = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*:v[1-9][0-9]*")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for a in ctx.model.events():
        if a.grouped:
            continue
        info = ctx.model.files.get(a.path)
        if info is None:
            continue
        base = naming.split_version(a.name)[0]
        if base.endswith("Event") and base != "Event":
            base = base[: -len("Event")]
        class_event = "" if base == "Event" or a.name == a.file_stem else naming.to_snake(base)
        version = a.definition_version or a.version
        for s in info.strings:
            if s.role != "emit":
                continue
            expected_name = class_event or a.business_name or "event_name"
            expected = f"{expected_name}:v{version or 1}"
            if not STRICT.fullmatch(s.value):
                problem = "is not of the form '<event_name>:v<N>'"
            else:
                name, _, ver = s.value.partition(":v")
                if class_event and name != class_event:
                    problem = f"names '{name}' but the event is '{a.name}'"
                elif version is not None and int(ver) != version:
                    problem = f"says v{ver} but the event is version {version}"
                else:
                    continue
            yield finding(
                CODE,
                f"type string '{s.value}' {problem}: use '{expected}'",
                a.path,
                s.line,
                s.col,
                s.value,
            )
