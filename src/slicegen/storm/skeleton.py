"""The skeleton of a domain's ``event-storming.md`` that ``new-domain`` writes.

Derived sections sit between ``<!-- slicegen:begin NAME -->`` / ``<!-- slicegen:end NAME -->``
markers (names in :data:`DERIVED_SECTIONS`); ``slicegen storm`` rewrites only those, and everything
else (the executive summary, notes, earlier sessions) is the team's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from slicegen.templates import render

#: Marker names of the sections slicegen derives from the code, in document order.
DERIVED_SECTIONS = ("diagram", "structure", "slices")


def render_skeleton(
    app: str,
    domain: str,
    stack: str,
    aggregate: str,
    now: datetime | None = None,
    workspace_root: Path | None = None,
) -> str:
    """The first version of the document, with one timestamped session."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return render(
        "common/event-storming.md.j2",
        workspace_root,
        app=app,
        domain=domain,
        stack=stack,
        aggregate=aggregate,
        stamp=stamp,
    )
