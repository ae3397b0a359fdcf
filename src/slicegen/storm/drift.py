"""Drift: where a domain's storming document disagrees with the design of its code.

:func:`find_drift` is what ``slicegen storm --check`` and lint rule SG602 report: one message per
derived section that differs from what ``slicegen storm`` would write, and one if the design
changed since the document's last session.
"""

from __future__ import annotations

from typing import Any

from slicegen.design.model import DesignModel
from slicegen.markers import find_block
from slicegen.storm import summary
from slicegen.storm.document import baseline, derived_blocks, wants_mermaid
from slicegen.storm.layout import Layout


def find_drift(model: Any, domain: Any, doc_text: str, layout: Layout | None = None) -> list[str]:
    """Messages describing how ``doc_text`` differs from what ``slicegen storm`` would write.

    ``model`` is a :class:`~slicegen.design.model.DesignModel` or the lint engine's
    :class:`~slicegen.model.workspace.WorkspaceModel` (converted with
    :func:`slicegen.design.from_workspace.design_of`); ``domain`` is a name or anything with a
    ``.name``. An empty list means the document is current. Messages name what differs, not the
    fix: callers add it (``slicegen storm DOMAIN`` rewrites the sections and records a session).
    """
    name = domain if isinstance(domain, str) else str(domain.name)
    if isinstance(model, DesignModel):
        design = model
        layout = layout or Layout.default(design.stack or "python", design.app or "app")
    else:
        from slicegen.design.from_workspace import layout_of

        design = _design_of(model)
        layout = layout or layout_of(model)
    if name not in design.domains:
        return [f"domain '{name}' is not in the design model of the code"]
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


_LAST: list[tuple[Any, DesignModel]] = []


def _design_of(model: Any) -> DesignModel:
    """The design of a workspace model, remembered for the next domain of the same model."""
    from slicegen.design.from_workspace import design_of

    if _LAST and _LAST[0][0] is model:
        return _LAST[0][1]
    from slicegen.storm.render import index_consumers

    design = design_of(model)
    _LAST[:] = [(model, design)]
    index_consumers(design)  # this design is only read from now on
    return design


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
