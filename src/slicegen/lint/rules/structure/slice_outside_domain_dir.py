"""SG301 slice-outside-domain-dir."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL

CODE = "SG301"
NAME = "slice-outside-domain-dir"
MESSAGE = "slice '{name}' is not under the domain's 'domain/' folder: move it to {target}"
READS = ALL  # what a file is comes from its code: any file a rule parses
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a slice (a folder holding a command or an event) that is not directly under its domain's
literal `domain/` folder.

## Why is this bad?
The `domain/` folder is where a reader finds every business operation of a domain, apart from
its public API, app, router and infrastructure. Slices scattered elsewhere are missed by reviews,
by the storming document and by tools.

## Example
```
apps/reckon_accounts/lib/reckon_accounts/initialize_account/command_v1.ex
```

## Use instead
```
apps/reckon_accounts/lib/reckon_accounts/domain/initialize_account/command_v1.ex
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    for dom in ctx.model.domains:
        for s in dom.slices:
            if not s.under_domain_dir:
                target = f"{dom.root}/domain/{s.name}/"
                yield finding(
                    CODE,
                    f"slice '{s.name}' is not under the domain's 'domain/' folder: move it to "
                    f"{target}",
                    s.path,
                    1,
                    1,
                    s.name,
                )
