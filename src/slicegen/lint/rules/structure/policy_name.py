"""SG304 policy-name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL

CODE = "SG304"
NAME = "policy-name"
MESSAGE = "policy '{file}' should be named 'when_<event>_then_<command>_v<N>'"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a policy (a file named `when_*`, `*policy`, in a `policies/` folder, or an event handler
that dispatches commands: an Elixir `Commanded.Event.Handler`, a Python class in `event_handlers/`
that calls `dispatch` or imports a command) whose file is not named
`when_<event>_then_<command>_v<N>`.

## Why is this bad?
A policy reacts to one event type by dispatching one command. Its name is that sentence, which
the storming document and reviewers read; `account_policy.ex` could do anything.

## Example
```
lib/reckon_profiles/policies/account_policy.ex
```

## Use instead
```
lib/reckon_profiles/domain/establish_profile/when_account_activated_then_establish_profile_v1.ex
```
"""

PATTERN = re.compile(r"when_(?P<event>[a-z][a-z0-9_]*)_then_(?P<command>[a-z][a-z0-9_]*)_v\d+")


def check(ctx: RuleContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for a in ctx.model.artifacts:
        if a.kind != "policy" or a.grouped or a.path in seen or a.domain is None:
            continue
        seen.add(a.path)
        if PATTERN.fullmatch(a.file_stem):
            continue
        file = a.path.rsplit("/", 1)[-1]
        yield finding(
            CODE,
            f"policy '{file}' should be named 'when_<event>_then_<command>_v<N>' (e.g. "
            "'when_account_activated_then_establish_profile_v1')",
            a.path,
            a.line,
            a.col,
            a.file_stem,
        )
