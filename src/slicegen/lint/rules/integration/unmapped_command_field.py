"""SG409 unmapped-command-field."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext
from slicegen.lint.rules.index import files_with

CODE = "SG409"
NAME = "unmapped-command-field"
MESSAGE = "'{module}.{name}' fills a command field: map it from the event or fact"
NEEDS_PARSE = True
EXPLANATION = """\
## What it does
Flags the placeholder for a required command field that no field of a policy's event or fact
fills (none of the same name and type): in Elixir a call to `unmapped!`
(`Shared.unmapped!(__MODULE__, :email)`, generated in `to_command/1`), in Python a name
`unmapped` imported to fill a field.

## Why is this bad?
The placeholder raises, so the policy fails on every event or fact it receives until the field
is mapped: it fails loudly rather than dispatching a command without the field, and this rule
says so before it runs.

## Example
```elixir
%CommandV1{
  profile_id: fact.account_id,
  email: ReckonShared.unmapped!(__MODULE__, :email)
}
```

## Use instead
```elixir
%CommandV1{
  profile_id: fact.account_id,
  email: fact.contact_email
}
```
"""


#: The placeholder's name by how it is used: called remotely (Elixir) or imported (Python).
_PLACEHOLDERS = {"call": "unmapped!", "from": "unmapped"}


def check(ctx: RuleContext) -> Iterator[Finding]:
    for path, info in files_with(ctx, "imports"):
        for ref in info.imports:
            name = _PLACEHOLDERS.get(ref.kind)
            if name is not None and name in ref.names:
                yield finding(
                    CODE,
                    f"'{ref.module}.{name}' fills a command field here, so the policy raises "
                    "on every dispatch: map the field from the event or fact",
                    path,
                    ref.line,
                    ref.col,
                    ref.module,
                )
