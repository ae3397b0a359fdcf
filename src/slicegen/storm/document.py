"""Regenerating a storming document: its derived blocks, its hidden model summary, its sessions.

Only the content between ``<!-- slicegen:begin NAME -->`` markers is rewritten (through
:func:`slicegen.markers.upsert_block`); everything else is kept byte for byte. When the design's
summary differs from the one stored in the document, a ``### Session <UTC stamp>`` entry listing
the changes is appended to the ``## Sessions`` section.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from slicegen import clock
from slicegen.design.layout import Layout
from slicegen.markers import find_block, upsert_block
from slicegen.storm import render, summary

if TYPE_CHECKING:  # the design model (pydantic): new-domain's skeleton renders without it
    from slicegen.design.model import DesignModel

STAMP_FORMAT = "%Y-%m-%d %H:%M UTC"


#: Marker names of the sections slicegen derives from the code, in document order.
DERIVED_SECTIONS = ("diagram", "structure", "slices")


def wants_mermaid(text: str) -> bool:
    """Whether the document already shows a Mermaid flowchart (the choice sticks)."""
    block = find_block(text, "diagram")
    return block is not None and "```mermaid" in block


def derived_blocks(
    design: DesignModel, domain: str, layout: Layout, mermaid: bool
) -> dict[str, str]:
    """Each derived block's content, by block name."""
    return {
        "diagram": render.render_diagram(design, domain, mermaid),
        "structure": render.render_structure(design, domain, layout),
        "slices": render.render_slices(design, domain),
    }


def regenerate(
    text: str,
    design: DesignModel,
    domain: str,
    layout: Layout,
    *,
    mermaid: bool | None = None,
    now: datetime | None = None,
) -> str:
    """The document with its derived blocks current and, if the design changed, a new session.

    ``mermaid``: True adds the Mermaid flowchart, False removes it, None keeps what the doc has.
    """
    mermaid = wants_mermaid(text) if mermaid is None else mermaid
    for name, content in derived_blocks(design, domain, layout, mermaid).items():
        text = upsert_block(text, name, content)
    atoms = summary.summarize(design, domain)
    stored = summary.parse_block(find_block(text, summary.BLOCK))
    notes = summary.describe_changes(baseline(stored, atoms), atoms, domain)
    if stored is None:
        text = _insert_model_block(text, atoms)
    elif notes:
        text = upsert_block(text, summary.BLOCK, summary.block_content(atoms))
    if notes:
        stamp = (now or clock.now()).strftime(STAMP_FORMAT)
        text = append_session(text, stamp, notes)
    return text


def baseline(stored: list[str] | None, atoms: list[str]) -> list[str]:
    """The summary to compare with: the stored one, else (an old skeleton) just the aggregate."""
    if stored is not None:
        return stored
    return [a for a in atoms if a.startswith("aggregate ")]


def _insert_model_block(text: str, atoms: list[str]) -> str:
    """Place the hidden summary right after the last derived block (or at the end)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    block = upsert_block("", summary.BLOCK, summary.block_content(atoms)).replace("\n", newline)
    for name in reversed(DERIVED_SECTIONS):
        end = f"<!-- slicegen:end {name} -->"
        at = text.find(end)
        if at >= 0:
            cut = at + len(end)
            if text.startswith(newline, cut):
                cut += len(newline)
            return text[:cut] + block + text[cut:]
    return upsert_block(text, summary.BLOCK, summary.block_content(atoms))


def append_session(text: str, stamp: str, notes: list[str]) -> str:
    """Append ``### Session <stamp>`` with ``notes`` at the end of the ``## Sessions`` section."""
    newline = "\r\n" if "\r\n" in text else "\n"
    entry = newline.join([f"### Session {stamp}", "", *notes]) + newline
    heading = re.search(r"^## Sessions[ \t]*\r?$", text, re.MULTILINE)
    if heading is None:
        body = text if text.endswith(newline) or not text else text + newline
        return f"{body}{newline}## Sessions{newline}{newline}{entry}"
    following = re.compile(r"^## ", re.MULTILINE).search(text, heading.end())
    cut = following.start() if following else len(text)
    head, tail = text[:cut], text[cut:]
    head = head.rstrip("\r\n") + newline + newline
    return head + entry + (newline + tail if tail else "")


def sessions(text: str) -> list[str]:
    """The stamps of the document's sessions, in order."""
    return re.findall(r"^### Session (.+?)\r?$", text, re.MULTILINE)
