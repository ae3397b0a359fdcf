"""The skeleton of a domain's ``event-storming.md`` that ``new-domain`` writes.

Derived sections sit between ``<!-- slicegen:begin NAME -->`` / ``<!-- slicegen:end NAME -->``
markers (names in ``storm.document.DERIVED_SECTIONS``); ``slicegen storm`` rewrites only those
(and the hidden ``model`` summary it compares against), and everything else (the executive
summary, notes, earlier sessions) is the team's. The derived sections are rendered by
:mod:`slicegen.storm.render` for the empty domain, so a fresh document is already current.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from slicegen import clock

if TYPE_CHECKING:
    from slicegen.design.model import DesignModel


@dataclass(frozen=True)
class _NewDomain:
    """What the renderers read of a domain without slices (a ``DomainDesign``'s fields)."""

    aggregate: str
    slices: dict[str, Any] = field(default_factory=dict)
    facts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _NewDesign:
    """A design holding one new domain: the skeleton is rendered without the design model
    (pydantic, ~0.1 s of new-domain's start); ``tests/storm/test_skeleton_design.py`` checks
    that it renders what the model renders."""

    domains: dict[str, _NewDomain]


def new_design(domain: str, aggregate: str) -> DesignModel:
    """The design of one new, empty domain (names validated by the caller)."""
    return cast("DesignModel", _NewDesign({domain: _NewDomain(aggregate)}))


def render_skeleton(
    app: str,
    domain: str,
    stack: str,
    aggregate: str,
    now: datetime | None = None,
    workspace_root: Path | None = None,
) -> str:
    """The first version of the document, with one timestamped session."""
    from slicegen.design.layout import Layout
    from slicegen.storm.document import derived_blocks
    from slicegen.storm.summary import block_content, summarize
    from slicegen.templates import render  # jinja2: not needed by lint's drift check

    stamp = (now or clock.now()).strftime("%Y-%m-%d %H:%M UTC")
    design = new_design(domain, aggregate)
    layout = Layout.default(stack, app, workspace_root)
    blocks = derived_blocks(design, domain, layout, mermaid=False)
    return render(
        "common/event-storming.md.j2",
        workspace_root,
        app=app,
        domain=domain,
        stack=stack,
        aggregate=aggregate,
        stamp=stamp,
        model=block_content(summarize(design, domain)),
        **blocks,
    )
