"""SG602 storming-doc-drift."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext
from slicegen.model.reads import ALL
from slicegen.safe_files import read_text_or_none

CODE = "SG602"
NAME = "storming-doc-drift"
MESSAGE = "{doc}: {difference} (and how to regenerate it)"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
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
    from slicegen.storm.drift import drift_by_domain  # the design model: only when selected

    read: Callable[[str], str | None] = ctx.memo.get("read_buffer") or (lambda _: None)
    texts: dict[str, str] = {}
    for dom in ctx.model.domains:
        doc = ctx.model.storming_docs.get(dom.name)
        if doc is not None and dom.name not in texts:
            # an editor's unsaved document, else the file (regular files only, capped)
            text = read(doc) or read_text_or_none(ctx.model.root / doc)
            if text is not None:
                texts[dom.name] = text
    store = ctx.memo.get(CACHE_KEY)
    if store is not None:
        store = _Buffered(store, read)
    found = drift_by_domain(ctx.model, texts, store)  # earlier answers reused
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


class _Buffered:
    """The lint cache as :func:`~slicegen.storm.drift.drift_by_domain` sees it: a file with an
    unsaved editor buffer is keyed by that text, not by what the cache read from the disk."""

    def __init__(self, store: Any, read: Callable[[str], str | None]) -> None:
        self.store, self.read = store, read

    def file_keys(self, paths: list[str]) -> Sequence[object]:
        keys: list[object] = []
        for path, key in zip(paths, self.store.file_keys(paths), strict=True):
            text = self.read(path)
            if text is not None:
                key = ("buffer", hashlib.blake2b(text.encode(), digest_size=16).hexdigest())
            keys.append(key)
        return keys

    def rule_memo(self, name: str) -> dict[str, Any]:
        memo: dict[str, Any] = self.store.rule_memo(name)
        return memo
