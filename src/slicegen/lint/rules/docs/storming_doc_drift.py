"""SG602 storming-doc-drift."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext
from slicegen.safe_files import read_text_or_none

CODE = "SG602"
NAME = "storming-doc-drift"
MESSAGE = "{doc}: {difference} (and how to regenerate it)"
NEEDS_PARSE = True
EXPLANATION = """\
## What it does
Compares the sections of a domain's event-storming document that slicegen derives from the code
(between `<!-- slicegen:begin NAME -->` markers: the command -> event diagram, the code structure,
the slice list) with the code, and reports each difference.

## Why is this bad?
A design document that disagrees with the code misleads its readers. The derived sections are
meant to be regenerated, so drift means someone edited them by hand or forgot to regenerate.

## Example
The document lists slice `activate_account`; the code has no such slice any more.

## Use instead
Regenerate the derived sections (prose outside the markers is kept).
"""

HOOK = "slicegen.storm.drift"
#: Where the engine puts its lint cache for the rules (absent with ``--no-cache``).
CACHE_KEY = "lint_cache"


def check(ctx: RuleContext) -> Iterator[Finding]:
    try:
        module = importlib.import_module(HOOK)
    except ImportError:
        return
    find_drift = getattr(module, "find_drift", None)
    if find_drift is None:
        return
    texts: dict[str, str] = {}
    for dom in ctx.model.domains:
        doc = ctx.model.storming_docs.get(dom.name)
        if doc is not None and dom.name not in texts:
            text = read_text_or_none(ctx.model.root / doc)  # regular files only, capped
            if text is not None:
                texts[dom.name] = text
    by_domain = getattr(module, "drift_by_domain", None)
    if by_domain is not None:  # every domain at once, earlier runs' answers reused
        found = by_domain(ctx.model, texts, ctx.memo.get(CACHE_KEY))
    else:
        found = {name: find_drift(ctx.model, name, text) for name, text in texts.items()}
    for dom in ctx.model.domains:
        doc = ctx.model.storming_docs.get(dom.name)
        if doc is None:
            continue
        for difference in found.get(dom.name, ()):
            yield finding(
                CODE,
                f"{doc}: {difference}",
                doc,
                1,
                1,
                dom.name,
                str(difference),
            )
