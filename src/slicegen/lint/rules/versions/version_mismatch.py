"""SG203 version-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL

CODE = "SG203"
NAME = "version-mismatch"
MESSAGE = "'{file}' is version {file_version} but defines '{name}' (version {name_version})"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a file whose version (`command_v2.py`) differs from the version in the class, function or
module it defines (`InitializeAccountV1`).

## Why is this bad?
Usually a copied file whose class was not renamed: two files then define the same version, and
the newer one silently replaces the older one (or the router registers the wrong one).

## Example
```elixir
# lib/reckon_accounts/domain/initialize_account/command_v2.ex
defmodule ReckonAccounts.Domain.InitializeAccount.CommandV1 do
```

## Use instead
```elixir
defmodule ReckonAccounts.Domain.InitializeAccount.CommandV2 do
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    for a in ctx.model.artifacts:
        if a.version is None or a.definition_version is None or a.version == a.definition_version:
            continue
        file = a.path.rsplit("/", 1)[-1]
        yield finding(
            CODE,
            f"'{file}' is version {a.version} but defines '{a.name}' (version "
            f"{a.definition_version}): make the file name and the definition agree",
            a.path,
            a.line,
            a.col,
            a.name,
        )
