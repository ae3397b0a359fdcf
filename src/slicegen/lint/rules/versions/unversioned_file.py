"""SG201 unversioned-file."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen import naming
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL
from slicegen.model.workspace import VERSIONED_KINDS

CODE = "SG201"
NAME = "unversioned-file"
MESSAGE = "{kind} file '{file}' has no version: rename it '{stem}_v1'"
READS = ALL  # what a file is comes from its code: any file a rule parses
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a command, event, handler, evolver, projection or policy file whose name does not end in
`_v<N>`.

## Why is this bad?
Events live forever in the store. When a command or event changes shape, the new version sits
beside the old one (`event_v2` next to `event_v1`) and both stay loadable; a file without a version
has to be renamed at the worst moment, and stored events lose the name of their type.

## Example
```
lib/reckon_accounts/domain/initialize_account/command.ex
```

## Use instead
```
lib/reckon_accounts/domain/initialize_account/command_v1.ex
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for a in ctx.model.artifacts:
        if a.kind not in VERSIONED_KINDS or a.grouped or a.version is not None or a.path in seen:
            continue
        if a.domain is None or a.file_stem == "__init__":
            continue  # a package's __init__.py cannot carry a version
        seen.add(a.path)
        file = a.path.rsplit("/", 1)[-1]
        stem = a.file_stem if a.file_stem.islower() else naming.to_snake(a.file_stem)
        yield finding(
            CODE,
            f"{a.kind} file '{file}' has no version: rename it '{stem}_v1'",
            a.path,
            1,
            1,
            a.file_stem,
        )
