"""SG601 missing-storming-doc."""

from __future__ import annotations

from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext
from slicegen.model.reads import Reads

CODE = "SG601"
NAME = "missing-storming-doc"
MESSAGE = "domain '{domain}' has no event-storming document: create {doc}"
READS: frozenset[Reads] = frozenset()
EXPLANATION = """\
## What it does
Flags a domain without its event-storming document: `design_docs/<domain>/event-storming.md`
(Python), `apps/<app>_<domain>/design_docs/event-storming.md` (Elixir), or where the config's
`design-docs-dir` says.

## Why is this bad?
The document is the domain's map: commands, events, policies and the slices that implement them,
with the reasons behind them. Without it, the design lives only in people's heads.

## Example
```
src/shop/accounts/...            (no design_docs/accounts/event-storming.md)
```

## Use instead
```
design_docs/accounts/event-storming.md     (slicegen new-domain writes a skeleton)
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    paths = set(ctx.model.paths)
    for dom in ctx.model.domains:
        doc = ctx.model.storming_docs.get(dom.name)
        if doc is None or doc in paths or (ctx.model.root / doc).is_file():
            continue
        yield finding(
            CODE,
            f"domain '{dom.name}' has no event-storming document: create {doc} "
            "('slicegen new-domain' writes one)",
            dom.root,
            1,
            1,
            dom.name,
        )
