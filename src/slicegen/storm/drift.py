"""Drift: where a domain's storming document disagrees with the design of its code.

:func:`find_drift` is what ``slicegen storm --check`` and lint rule SG602 report: one message per
derived section that differs from what ``slicegen storm`` would write, and one if the design
changed since the document's last session.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from slicegen.design.layout import Layout
from slicegen.markers import find_block
from slicegen.storm import summary
from slicegen.storm.document import baseline, derived_blocks, wants_mermaid

if TYPE_CHECKING:
    from slicegen.design.from_workspace import KnownInputs
    from slicegen.design.model import DesignModel
    from slicegen.model.workspace import WorkspaceModel


def find_drift(
    design: DesignModel, name: str, doc_text: str, layout: Layout | None = None
) -> list[str]:
    """Messages describing how ``doc_text``, the document of domain ``name``, differs from what
    ``slicegen storm`` would write from ``design`` (a workspace model's design is
    :func:`slicegen.design.from_workspace.design_of`; :func:`drift_by_domain` does that).

    An empty list means the document is current. Messages name what differs, not the fix:
    callers add it (``slicegen storm DOMAIN`` rewrites the sections and records a session).
    """
    layout = layout or Layout.default(design.stack or "python", design.app or "app")
    if name not in design.domains:
        return [not_described(None, name)]
    messages = []
    for block, expected in derived_blocks(design, name, layout, wants_mermaid(doc_text)).items():
        actual = find_block(doc_text, block)
        if actual is None:
            messages.append(
                f"section '{block}' lacks its '<!-- slicegen:begin {block} -->' ... "
                f"'<!-- slicegen:end {block} -->' markers"
            )
        elif actual.replace("\r\n", "\n") != expected:
            messages.append(
                f"section '{block}' is out of date ({_first_difference(actual, expected)})"
            )
    atoms = summary.summarize(design, name)
    stored = summary.parse_block(find_block(doc_text, summary.BLOCK))
    changes = summary.describe_changes(baseline(stored, atoms), atoms, name)
    if changes:
        listed = "; ".join(c.removeprefix("- ").rstrip(".") for c in changes[:5])
        more = f"; and {len(changes) - 5} more" if len(changes) > 5 else ""
        messages.append(f"the design changed since the last session ({listed}{more})")
    return messages


class DriftStore(Protocol):
    """Where :func:`drift_by_domain` remembers results between runs (the lint cache)."""

    def file_keys(self, paths: list[str]) -> Sequence[object]: ...

    def rule_memo(self, name: str, by_path: bool = False) -> dict[str, Any]: ...


def not_described(model: WorkspaceModel | None, name: str) -> str:
    """Why domain ``name`` has no design: usually an aggregate name the schema refuses."""
    from slicegen.design.checked import valid_name
    from slicegen.design.extract import aggregate_of

    found = next((d for d in model.domains if d.name == name), None) if model else None
    aggregate = aggregate_of(model, found) if model is not None and found is not None else None
    if aggregate is not None and not valid_name(aggregate):
        where = "state class" if model is not None and model.stack == "python" else "shared module"
        return (
            f"domain '{name}' cannot be described: its aggregate name '{aggregate}' (from its "
            f"{where}, else the singular of the domain) is not a valid name; name the aggregate "
            f"differently (e.g. '{aggregate}_request')"
        )
    return f"domain '{name}' is not in the design model of the code"


def drift_by_domain(
    model: WorkspaceModel,
    texts: dict[str, str],
    store: DriftStore | None = None,
    known: KnownInputs | None = None,
    digests: dict[str, str] | None = None,
    designs: dict[str, tuple[Any, ...]] | None = None,
) -> dict[str, list[str]]:
    """:func:`find_drift` of each domain with a document (``texts``: domain -> its text).

    Only the designs that matter are built: those documents' domains, and the domains with
    policies (they show in other domains' diagrams). With a ``store``, a domain whose inputs
    (:func:`~slicegen.design.from_workspace.domain_keys`) and document are those of an earlier
    run gets that run's answer without any design being built; ``known`` keeps each domain's
    inputs for a re-lint (see :func:`~slicegen.design.from_workspace.domain_keys`), and
    ``digests`` the documents' digests (for a caller that passes the same ``texts`` again).
    The designs made are kept for a later run: in ``store``, by their inputs' digests (see
    :func:`~slicegen.design.from_workspace.design_keys`), and in ``designs`` (kept by a caller
    across re-lints) with the :class:`Domain` they were made from, for domains whose inputs
    have no digest (a file in an editor's buffer).
    """
    from slicegen.design.from_workspace import (
        design_keys,
        design_of,
        domain_keys,
        layout_of,
        policy_domains,
        shared_inputs,
    )
    from slicegen.storm.render import index_consumers

    known = {} if known is None else known
    keys = domain_keys(model, _file_keys(model, store), known) if store is not None else {}
    memo = store.rule_memo("storming-doc-drift") if store is not None else {}
    out: dict[str, list[str]] = {}
    todo: list[tuple[str, str | None, str]] = []
    for name, text in texts.items():
        doc = digests.get(name) if digests is not None else None
        if doc is None:
            doc = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
            if digests is not None:
                digests[name] = doc
        key, hit = keys.get(name), memo.get(name)
        if key is not None and isinstance(hit, tuple) and len(hit) == 3 and hit[:2] == (key, doc):
            out[name] = list(hit[2])
        else:
            todo.append((name, key, doc))
    if todo:
        only = {n for n, _, _ in todo} | policy_domains(model)
        # the designs an earlier run made from the same inputs are used again (policy
        # domains' too: an edit elsewhere reads none of their files)
        ready = design_keys(model, known) if store is not None else {}
        # kept by domain (``by_path``: in shards by the domain's name), so a run that made one
        # domain's design again rewrites that shard, not every domain's designs
        saved = (
            store.rule_memo("storming-doc-drift designs", by_path=True) if store is not None else {}
        )
        made = {n: saved[n][1] for n in only if n in ready and saved.get(n, ("",))[0] == ready[n]}
        common = shared_inputs(model)
        kept = {} if designs is None else designs
        for dom in model.domains:
            hit = kept.get(dom.name)
            if hit is None or hit[0] is not dom or hit[1] != common:
                continue
            if dom.name in only and dom.name not in made:
                made[dom.name] = hit[2]
        design = design_of(model, only=only, plain=True, made=made)  # rendered: no pydantic
        # only designs made anew: an entry kept as it was leaves its shard unwritten
        saved.update(
            (n, (ready[n], made[n]))
            for n in made
            if n in ready and saved.get(n, ("",))[0] != ready[n]
        )
        for name in [n for n in saved if n not in ready]:
            del saved[name]
        owners = {d.name: d for d in model.domains}
        kept.update((n, (owners[n], common, made[n])) for n in made if n in owners)
        index_consumers(design)  # this design is only read from now on
        layout = layout_of(model)
        for name, key, doc in todo:
            out[name] = find_drift(design, name, texts[name], layout)
            if name not in design.domains:
                out[name] = [not_described(model, name)]
            if key is not None:
                memo[name] = (key, doc, tuple(out[name]))
    for name in [n for n in memo if n not in out or keys.get(n) is None]:
        del memo[name]
    return out


def _file_keys(model: WorkspaceModel, store: DriftStore) -> Callable[[list[str]], list[object]]:
    """Files' keys for :func:`~slicegen.design.from_workspace.domain_keys`: the store's for
    files of the model, "absent" for a file that does not exist, else None (unknown)."""
    files, root = model.files, Path(model.root)

    def keys(paths: list[str]) -> list[object]:
        return [
            key if path in files else (None if os.path.lexists(root / path) else "absent")
            for path, key in zip(paths, store.file_keys(paths), strict=True)
        ]

    return keys


def _first_difference(actual: str, expected: str) -> str:
    have = actual.replace("\r\n", "\n").splitlines()
    want = expected.splitlines()
    have_set, want_set = set(have), set(want)
    missing = [line for line in want if line.strip() and line not in have_set]
    stale = [line for line in have if line.strip() and line not in want_set]
    parts = []
    if missing:
        parts.append(f"{len(missing)} line(s) missing, e.g. {_short(missing[0])}")
    if stale:
        parts.append(f"{len(stale)} stale line(s), e.g. {_short(stale[0])}")
    return ", ".join(parts) or "lines out of order or spacing changed"


def _short(line: str) -> str:
    line = line.strip()
    return repr(line if len(line) <= 50 else line[:47] + "...")
