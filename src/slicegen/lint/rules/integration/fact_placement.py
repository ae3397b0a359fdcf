"""SG403 fact-placement."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import Reads

CODE = "SG403"
NAME = "fact-placement"
MESSAGE = "fact '{file}' {problem}: keep facts in {facts_dir}/<source_domain>/<event>_fact"
READS: frozenset[Reads] = frozenset()
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
Flags a fact (integration event) that is not in the shared facts area under the folder of the
domain it comes from, or whose file is not named `<event>_fact` (optionally versioned,
`<event>_fact_v1`). In a tree with no shared facts area (none configured with `facts-dir`, none
found where slicegen writes one) only the file's name is judged.

## Why is this bad?
Facts are the contract between domains. Kept together, organised by originating domain, they
show what each domain publishes, and no domain needs to reach into another's code to consume
them. A fact inside a domain's own folder invites importing its internals.

## A retired fact
A fact in a `retired/` folder is not flagged: `slicegen remove-fact` (elixir) moves the fact's
module there, under its own name, because the domain's fact log stored the facts it published
under that name and the domain's event handlers read them back. To retire it for good, check
that no stream `facts-<source_domain>:facts:<event>` of the domain's event store holds one
(delete or archive those streams), then delete the module. `slicegen add-fact` moves it back.

## Example
```
src/shop/accounts/facts/activated.py
```

## Use instead
```
src/shop/shared/facts/accounts/account_activated_fact_v1.py
```
"""

NAMED = re.compile(r"[a-z][a-z0-9_]*_fact(?:_v\d+)?")


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    facts_dir = model.facts_dir
    domains = {d.name for d in model.domains}
    seen: set[str] = set()
    for a in model.artifacts:
        if a.kind != "fact" or a.path in seen or "/retired/" in a.path:
            continue
        seen.add(a.path)
        problem = ""
        if facts_dir is not None:
            if not a.path.startswith(facts_dir + "/"):
                problem = "is outside the shared facts area"
            else:
                rest = a.path[len(facts_dir) + 1 :].split("/")
                if len(rest) < 2:
                    problem = "is not in the folder of the domain it comes from"
                elif domains and rest[0] not in domains:
                    problem = f"is in '{rest[0]}/', which is not a domain"
        if not problem and not NAMED.fullmatch(a.file_stem):
            problem = "is not named '<event>_fact'"
        if problem:
            file = a.path.rsplit("/", 1)[-1]
            # a tree with no facts area: only the name is judged, and it is the fix
            fix = (
                f"keep facts in {facts_dir}/<source_domain>/<event>_fact"
                if facts_dir is not None
                else "name its file after the event it carries, '<event>_fact'"
            )
            yield finding(
                CODE,
                f"fact '{file}' {problem}: {fix}",
                a.path,
                a.line,
                a.col,
                a.file_stem,
            )
