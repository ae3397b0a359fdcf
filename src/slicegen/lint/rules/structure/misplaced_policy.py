"""SG305 misplaced-policy."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.structure.policy_name import PATTERN
from slicegen.model.reads import ALL

CODE = "SG305"
NAME = "misplaced-policy"
MESSAGE = "policy '{file}' triggers '{command}' but is not in that slice: move it to {target}"
READS = ALL  # what a file is comes from its code: any file a rule parses
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a policy `when_<event>_then_<command>_v<N>` that is not in the slice of `<command>`, the
command it triggers.

## Why is this bad?
A slice owns every way its command is triggered. A policy kept beside its event (or in a
`policies/` folder) couples the slice that emits the event to the one that reacts, and someone
changing the command will not see it.

## Example
```
domain/activate_account/when_account_activated_then_send_welcome_v1.py
```

## Use instead
```
domain/send_welcome/when_account_activated_then_send_welcome_v1.py
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    for a in ctx.model.artifacts:
        if a.kind != "policy" or a.domain is None:
            continue
        match = PATTERN.fullmatch(a.file_stem)
        if match is None or match.group("command") == a.slice:
            continue
        command = match.group("command")
        dom = ctx.model.domain(a.domain)
        target = f"{dom.root}/domain/{command}/" if dom else f"the slice '{command}'"
        file = a.path.rsplit("/", 1)[-1]
        yield finding(
            CODE,
            f"policy '{file}' triggers '{command}' but is not in that slice: move it to {target}",
            a.path,
            a.line,
            a.col,
            a.file_stem,
        )
