"""SG601 missing-storming-doc."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.mentions import evidence_key, evidence_of, evidence_stands
from slicegen.lint.rules.parts import Part, each_part
from slicegen.model.domains import SNIPPET_FOLDERS
from slicegen.model.reads import ALL
from slicegen.model.workspace import Domain
from slicegen.safe_files import kind, through_link

CODE = "SG601"
NAME = "missing-storming-doc"
MESSAGE = "domain '{domain}' has no event-storming document: create {doc}"
READS = ALL  # which domains hold commands or events comes from their code
SCOPE = Scope.WORKSPACE  # evidence (base classes, Elixir structs) from every file
EXPLANATION = """\
## What it does
Flags a domain without its event-storming document: `design_docs/<domain>/event-storming.md`
(Python), `apps/<app>_<domain>/design_docs/event-storming.md` (Elixir; each context of an
umbrella app that holds several: `apps/<app>/design_docs/<context>/event-storming.md`), or
where the config's `design-docs-dir` says. Without configured domains (`[lint.boundaries]
domains`, or `stack` and `app`), only a domain the code shows to be event-sourced is judged:
it holds a slice under `domain/` (a folder with a slice's files, not `value_objects/`), or a
command or an event that is emitted, applied, handled or routed. Code under a top-level
`examples/`, `demos/` or `docs/` folder (snippets beside the product, each file a lesson) is no
domain to storm unless `[lint.boundaries] domains` lists it.
A document that is a symlink, a FIFO or another special file, or that lies in a symlinked
folder, is not read (lint follows no link), and is reported too: its drift is not checked.

## Why is this bad?
The document is the domain's map: commands, events, policies and the slices that implement them,
with the reasons behind them. Without it, the design lives only in people's heads.

## Example
```
src/shop/accounts/...            (no design_docs/accounts/event-storming.md)
```

## Use instead
```
design_docs/accounts/event-storming.md     (slicegen storm accounts writes it from the code;
                                           slicegen new-domain writes one for a new domain)
```
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Domain by domain (:mod:`parts`): a domain's finding stands while its files and the
    tree's evidence do (the documents are as the run before read them, or a full run)."""
    paths: set[str] | None = None

    def missing(part: Part) -> list[Finding]:
        nonlocal paths
        paths = set(ctx.model.paths) if paths is None else paths
        return list(_missing(ctx, part, paths))

    for found in each_part(ctx, CODE, evidence_key(ctx), missing, evidence_stands(ctx)):
        yield from found


def _missing(ctx: RuleContext, part: Part, paths: set[str]) -> Iterator[Finding]:
    for dom in part.domains:
        doc = ctx.model.storming_docs.get(dom.name)
        if doc is None:
            continue
        unread = _unread(ctx.model.root, doc)
        if unread is None and (doc in paths or (ctx.model.root / doc).is_file()):
            continue
        if dom.root.split("/", 1)[0] in SNIPPET_FOLDERS and not _listed(ctx):
            continue
        if not _configured(ctx) and not _event_sourced(ctx, dom, part):
            continue
        yield finding(
            CODE,
            f"domain '{dom.name}' has no event-storming document: create {doc} "
            f"('slicegen storm {dom.name}' writes it from the code)"
            if unread is None
            else f"domain '{dom.name}' has no event-storming document lint reads: {doc} "
            f"{unread}, and is not read (no drift is checked); make it a regular file",
            dom.root,
            1,
            1,
            dom.name,
        )


def _unread(root: Path, doc: str) -> str | None:
    """Why the document ``doc``, which is there, is not read (a symlink, a FIFO, in a
    symlinked folder: a stranger's tree would pass the drift check unread); None when it is a
    regular file, or not there."""
    try:
        mode = os.lstat(root / doc).st_mode
    except OSError:
        return None
    if through_link(root, doc):
        return "is in a symlinked folder"
    if stat.S_ISREG(mode):
        return None
    return "is a symlink" if stat.S_ISLNK(mode) else f"is {kind(mode)}, not a regular file"


def _configured(ctx: RuleContext) -> bool:
    """Whether the config says where the domains are (then every domain is one)."""
    config = ctx.config
    if config is None:
        return False
    declared = config.lint.boundaries.domains or config.lint.boundaries.namespaces
    return bool(declared or config.domains_dir or (config.stack and config.app))


def _listed(ctx: RuleContext) -> bool:
    """Whether the config lists the domains (``[lint.boundaries] domains`` or namespaces)."""
    config = ctx.config
    bounds = config.lint.boundaries if config is not None else None
    return bounds is not None and bool(bounds.domains or bounds.namespaces)


def _event_sourced(ctx: RuleContext, dom: Domain, part: Part) -> bool:
    """Whether the code shows ``dom`` (of ``part``) holds slices, commands or events."""
    if any(s.under_domain_dir and s.artifacts for s in dom.slices):
        return True
    evidence = evidence_of(ctx)
    return any(
        a.kind in ("command", "event") and evidence.established(ctx.model, a, part.files)
        for a in dom.artifacts
    )
