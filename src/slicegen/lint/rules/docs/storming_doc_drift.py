"""SG602 storming-doc-drift."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules import parts
from slicegen.model.reads import ALL
from slicegen.safe_files import read_text_or_none, through_link

CODE = "SG602"
NAME = "storming-doc-drift"
MESSAGE = "{doc}: {difference} (and how to regenerate it)"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.WORKSPACE  # the storming documents, against the design of the whole tree
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

#: Where the engine puts its lint cache for the rules (absent with ``--no-cache``).
CACHE_KEY = "lint_cache"


def check(ctx: RuleContext) -> Iterator[Finding]:
    store = ctx.memo.setdefault(parts.STORE, {})
    # a re-lint happens only while every document (file and buffer) is as the run before read
    # it: the texts, and their digests, are that run's
    texts: dict[str, str] | None = store.get("drift texts") if parts.EDITED in ctx.memo else None
    if texts is None:
        texts = store["drift texts"] = _texts(ctx)
        store["drift digests"] = {}
    if not texts:  # no storming document: no design to compare (nor its model to import)
        return
    from slicegen.storm.drift import drift_by_domain

    # earlier answers reused; each domain's inputs found again only when it changed (a re-lint)
    known = store.setdefault("drift inputs", {})
    found = drift_by_domain(
        ctx.model,
        texts,
        ctx.memo.get(CACHE_KEY),
        known,
        store["drift digests"],
        store.setdefault("drift designs", {}),
    )
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


def _texts(ctx: RuleContext) -> dict[str, str]:
    """Each domain's storming document: an editor's unsaved buffer, else the file (regular
    files only, capped)."""
    read: Callable[[str], str | None] = ctx.memo.get("read_buffer") or (lambda _: None)
    texts: dict[str, str] = {}
    for dom in ctx.model.domains:
        doc = ctx.model.storming_docs.get(dom.name)
        if doc is not None and dom.name not in texts:
            if through_link(ctx.model.root, doc):
                continue  # design_docs/orders -> a folder elsewhere: not read, as sources
            text = read(doc) or read_text_or_none(ctx.model.root / doc)
            if text is not None:
                texts[dom.name] = text
    return texts
