"""Rendering the derived sections of a domain's storming document from the design model.

Three sections, each the content of a ``<!-- slicegen:begin NAME -->`` block:

- ``diagram``: commands -> events in ASCII, with the policies that trigger each command (also
  those fed by facts of other domains) and what each event leads to (projections, policies, facts);
  optionally followed by a Mermaid flowchart of the same;
- ``structure``: the code-structure tree of the domain's modules;
- ``slices``: one description per slice (versions, type strings, fields, projections, policies).

Output is pure ASCII apart from the users' own descriptions, and depends only on its inputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slicegen import naming
from slicegen.design.layout import Layout
from slicegen.stacks import artifacts

if TYPE_CHECKING:  # the design model (pydantic): new-domain's skeleton renders without it
    from slicegen.design.model import DesignModel, DomainDesign, PolicyDesign, SliceDesign

ARROW = "--->"


@dataclass(frozen=True)
class Consumer:
    """A policy somewhere in the workspace that an event of this domain triggers."""

    domain: str
    command: str
    policy: str
    via_fact: bool


#: One design that its owner promised not to change (see :func:`index_consumers`), with the
#: consumers of every (source domain, event), in the order :func:`consumers` finds them.
_INDEXED: list[tuple[DesignModel, dict[tuple[str, str], list[Consumer]]]] = []


def index_consumers(design: DesignModel) -> None:
    """Make :func:`consumers` answer from an index for ``design``, which must not change from
    now on (lint's drift check builds a design per run and only reads it): one pass instead of
    one pass per event."""
    index: dict[tuple[str, str], list[Consumer]] = {}
    for name, dom in design.domains.items():
        for command, slice_ in dom.slices.items():
            for policy in slice_.policies:
                source, trigger = policy.trigger(name)
                consumer = Consumer(name, command, policy.module(command), name != source)
                index.setdefault((source, trigger), []).append(consumer)
    _INDEXED[:] = [(design, index)]


@contextmanager
def consumers_indexed(design: DesignModel) -> Iterator[None]:
    """:func:`index_consumers` for the duration of a ``with`` block that only reads ``design``
    (one pass over the slices instead of one per slice rendered); the index before it comes
    back after."""
    previous = _INDEXED[:]
    index_consumers(design)
    try:
        yield
    finally:
        _INDEXED[:] = previous


def consumers(design: DesignModel, domain: str, event: str) -> list[Consumer]:
    """Every policy triggered by ``domain``'s ``event`` (in ``domain`` itself or through a fact)."""
    if _INDEXED and _INDEXED[0][0] is design:
        return list(_INDEXED[0][1].get((domain, event), ()))
    found = []
    for name, dom in design.domains.items():
        for command, slice_ in dom.slices.items():
            for policy in slice_.policies:
                source, trigger = policy.trigger(name)
                if source == domain and trigger == event:
                    found.append(Consumer(name, command, policy.module(command), name != domain))
    return found


def _pascal(name: str, version: int) -> str:
    return naming.to_pascal(f"{name}_v{version}")


def _trigger_text(domain: str, policy: PolicyDesign) -> str:
    source, event = policy.trigger(domain)
    if source == domain:
        return f"on {event} (this domain)"
    return f"on fact {naming.fact_topic(source, event)} (from {source})"


# --- diagram ------------------------------------------------------------------------------------


def render_diagram(design: DesignModel, domain: str, mermaid: bool = False) -> str:
    """The ``diagram`` section: an ASCII diagram, and a Mermaid flowchart if asked."""
    dom = design.domains[domain]
    lines = [f"Domain {domain}, aggregate {dom.aggregate}", ""]
    if not dom.slices:
        lines.append(f"(no slices yet: add one with `slicegen add-slice {domain} <command>`)")
    for command, slice_ in dom.slices.items():
        lines.extend(_slice_diagram(design, domain, command, slice_))
        lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    text = "```text\n" + "\n".join(lines) + "\n```\n"
    if mermaid:
        text += "\n" + render_mermaid(design, domain)
    return text


def _slice_diagram(
    design: DesignModel, domain: str, command: str, slice_: SliceDesign
) -> list[str]:
    lines = [f"[{command}]"]
    for policy in slice_.policies:
        lines.append(f"  policy {policy.module(command)}  {_trigger_text(domain, policy)}")
    if slice_.policies:
        lines += ["      |", "      v"]
    left = [_pascal(command, v.version) for v in slice_.versions]
    right = [_pascal(slice_.event, v.version) for v in slice_.versions]
    types = [slice_.event_type(v) for v in slice_.versions]
    lw = max(len(s) for s in left) + 2
    rw = max(len(s) for s in right) + 2
    border = f"  +{'-' * lw}+      +{'-' * rw}+"
    lines.append(border)
    for cmd, evt, type_ in zip(left, right, types, strict=True):
        lines.append(f"  | {cmd:<{lw - 2}} | {ARROW} | {evt:<{rw - 2}} |  {type_}")
    lines.append(border)
    outcomes = _outcomes(design, domain, slice_)
    indent = " " * (len(border) - rw - 2 + 2)
    for i, (outcome, subs) in enumerate(outcomes):
        last = i == len(outcomes) - 1
        lines.append(f"{indent}{'`--' if last else '|--'} {outcome}")
        for j, sub in enumerate(subs):
            stem = "    " if last else "|   "
            lines.append(f"{indent}{stem}{'`--' if j == len(subs) - 1 else '|--'} {sub}")
    return lines


def _outcomes(design: DesignModel, domain: str, slice_: SliceDesign) -> list[tuple[str, list[str]]]:
    """What the slice's event leads to, each with its own sub-items (a fact's consumers)."""
    dom = design.domains[domain]
    short = naming.event_short_name(slice_.event)
    out: list[tuple[str, list[str]]] = []
    for projection in slice_.projections:
        for version in projection.versions:
            module = f"{short}_to_{projection.read_model}_v{version}"
            out.append((f"projection {module} -> read model {projection.read_model}", []))
    found = consumers(design, domain, slice_.event)
    for consumer in found:
        if not consumer.via_fact:
            out.append((f"policy {consumer.policy} -> {consumer.command}", []))
    if slice_.event in dom.facts:
        subs = [f"{c.domain}: policy {c.policy} -> {c.command}" for c in found if c.via_fact]
        out.append((f"fact {naming.fact_topic(domain, slice_.event)}", subs))
    return out


def render_mermaid(design: DesignModel, domain: str) -> str:
    """A Mermaid flowchart: policies -> commands -> events -> projections/facts."""
    dom = design.domains[domain]
    lines = ["```mermaid", "flowchart LR"]
    for command, slice_ in dom.slices.items():
        last = slice_.versions[-1].version
        cmd_id, evt_id = f"cmd_{command}", f"evt_{slice_.event}"
        lines.append(
            f'  {cmd_id}["{_pascal(command, last)}"] --> {evt_id}("{_pascal(slice_.event, last)}")'
        )
        for policy in slice_.policies:
            source, event = policy.trigger(domain)
            pol_id = f"pol_{policy.module(command)}"
            lines.append(f'  {pol_id}{{{{"{policy.module(command)}"}}}} --> {cmd_id}')
            if source == domain:
                lines.append(f"  evt_{event} --> {pol_id}")
            else:
                topic = naming.fact_topic(source, event)
                lines.append(f'  fact_{source}_{event}[/"{topic}"/] --> {pol_id}')
        short = naming.event_short_name(slice_.event)
        for projection in slice_.projections:
            rm_id = f"rm_{projection.read_model}"
            label = f"{short}_to_{projection.read_model}"
            lines.append(f'  {evt_id} -- {label} --> {rm_id}[("{projection.read_model}")]')
        if slice_.event in dom.facts:
            topic = naming.fact_topic(domain, slice_.event)
            lines.append(f'  {evt_id} --> fact_{domain}_{slice_.event}[/"{topic}"/]')
    if not dom.slices:
        lines.append(f'  empty["{domain}: no slices yet"]')
    lines.append("```")
    return "\n".join(lines) + "\n"


# --- code structure -----------------------------------------------------------------------------


@dataclass
class _Node:
    note: str = ""
    children: dict[str, _Node] = field(default_factory=dict)

    def add(self, path: str, note: str = "") -> _Node:
        """Add ``path`` (a folder when it ends in ``/``) below this node; its node."""
        head, _, rest = path.partition("/")
        name = head + ("/" if rest or path.endswith("/") else "")
        child = self.children.get(name)
        if child is None:  # a node made only when new (a slice's folder is added to often)
            child = self.children[name] = _Node()
        if rest:
            return child.add(rest, note)
        if note:
            child.note = note
        return child


def _draw(node: _Node, prefix: str, out: list[tuple[str, str]]) -> None:
    items = list(node.children.items())
    for i, (name, child) in enumerate(items):
        last = i == len(items) - 1
        out.append((f"{prefix}{'`-- ' if last else '|-- '}{name}", child.note))
        _draw(child, prefix + ("    " if last else "|   "), out)


def _tree(root: str, node: _Node) -> list[str]:
    rows: list[tuple[str, str]] = []
    _draw(node, "", rows)
    width = max((len(label) for label, _ in rows if len(label) <= 44), default=0)
    lines = [root]
    for label, note in rows:
        lines.append(f"{label:<{width}}  {note}" if note else label)
    return lines


def render_structure(design: DesignModel, domain: str, layout: Layout) -> str:
    """The ``structure`` section: the domain's modules and slice files, as an ASCII tree."""
    dom = design.domains[domain]
    tree = _Node()
    conventions = layout.conventions
    base = conventions.drawn_prefix(layout.app, domain)
    for name, note in conventions.domain_modules(layout.app, domain, dom.aggregate):
        tree.add(name, note)
    ext = layout.ext
    fact_slices = {c for c, s in dom.slices.items() if s.event in dom.facts}
    for command, slice_ in dom.slices.items():
        folder = tree.add(f"{base}domain/{command}/")  # the slice's files go in its node
        short = naming.event_short_name(slice_.event)
        for v in slice_.versions:
            n = v.version
            folder.add(f"{artifacts.command_stem(n)}{ext}", _pascal(command, n))
            folder.add(
                f"{artifacts.event_stem(n)}{ext}",
                f"{_pascal(slice_.event, n)} {slice_.event_type(v)}",
            )
            folder.add(f"{artifacts.handler_stem(command, n)}{ext}", "handler")
            folder.add(f"{artifacts.evolver_stem(short, n)}{ext}", "evolver")
        for projection in slice_.projections:
            for n in projection.versions:
                stem = artifacts.projection_stem(short, projection.read_model, n)
                folder.add(f"{stem}{ext}", "projection")
        for policy in slice_.policies:
            folder.add(f"{policy.module(command)}{ext}", "policy")
        if command in fact_slices:
            folder.add(f"{artifacts.publisher_stem(short)}{ext}", "publishes the fact")
        subject = conventions.upcaster_subject(slice_.event)
        for v in slice_.versions[1:]:
            folder.add(f"{artifacts.upcaster_stem(subject, v.version)}{ext}", "upcaster")
    for slice_ in dom.slices.values():
        for policy in slice_.policies:
            source, event = policy.trigger(domain)
            subscriber = conventions.subscriber_file(event)
            if source != domain and subscriber is not None:
                note = f"subscribes to {naming.fact_topic(source, event)}"
                tree.add(f"{base}{subscriber}", note)
    for read_model in sorted({p.read_model for s in dom.slices.values() for p in s.projections}):
        tree.add(f"{base}projections/{read_model}{ext}", "read model")
    if not dom.slices:
        tree.add(f"{base}domain/", "(no slices yet)")
    lines = _tree(layout.domain_root(domain), tree)
    if dom.facts:
        facts = _Node()
        for event in dom.facts:
            facts.add(layout.fact_file(event), naming.fact_topic(domain, event))
        lines += ["", *_tree(layout.facts_root(domain), facts)]
    return "```text\n" + "\n".join(lines) + "\n```\n"


# --- slice descriptions -------------------------------------------------------------------------


def render_slices(design: DesignModel, domain: str) -> str:
    """The ``slices`` section: one description per slice."""
    dom = design.domains[domain]
    if not dom.slices:
        return "_No slices yet._\n"
    parts = [_slice_text(design, domain, dom, command, s) for command, s in dom.slices.items()]
    return "\n".join(parts)


def _slice_text(
    design: DesignModel, domain: str, dom: DomainDesign, command: str, slice_: SliceDesign
) -> str:
    lines = [f"### {command}", ""]
    if slice_.description:
        lines += [slice_.description.strip(), ""]
    lines += ["| version | command | event | type string | fields |", "|---|---|---|---|---|"]
    for v in slice_.versions:
        fields = ", ".join(f"`{f}`" for f in v.fields) or "(none)"
        cmd, evt = _pascal(command, v.version), _pascal(slice_.event, v.version)
        lines.append(f"| v{v.version} | `{cmd}` | `{evt}` | `{slice_.event_type(v)}` | {fields} |")
    lines.append("")
    short = naming.event_short_name(slice_.event)
    bullets = []
    for p in slice_.projections:
        modules = ", ".join(f"`{short}_to_{p.read_model}_v{n}`" for n in p.versions)
        bullets.append(f"- Projection {modules}: `{slice_.event}` -> read model `{p.read_model}`")
    for policy in slice_.policies:
        source, event = policy.trigger(domain)
        origin = (
            f"`{event}` of this domain"
            if source == domain
            else f"fact `{naming.fact_topic(source, event)}` from `{source}`"
        )
        bullets.append(f"- Policy `{policy.module(command)}`: when {origin}, dispatch `{command}`")
    if slice_.event in dom.facts:
        bullets.append(f"- Publishes fact `{naming.fact_topic(domain, slice_.event)}`")
    for consumer in consumers(design, domain, slice_.event):
        where = f"`{consumer.domain}`" if consumer.via_fact else "this domain"
        bullets.append(
            f"- Triggers `{consumer.policy}` in {where} (dispatches `{consumer.command}`)"
        )
    if bullets:
        lines += [*bullets, ""]
    return "\n".join(lines)
