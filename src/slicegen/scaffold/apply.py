"""``slicegen apply MODEL``: plan what a design model has and the code lacks, in one change set.

The plan compares the model with the design of the existing code
(:mod:`slicegen.design.from_workspace`) and calls the stack-independent scaffolding commands
(:mod:`slicegen.scaffold.commands`) in an order where each step finds what it builds on, and
in the order a team usually grows a design (so that the registrations in routers and public APIs
come out in the same order): new domains, slices
(version 1 with their projections), further projections, facts, policies (a policy on another
domain's event needs that domain's fact), and last the later versions. Apply only adds: what
the code has and the model lacks is reported, never deleted, and a difference it cannot make by
adding (another event name, changed fields of an existing version) is an error naming the key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.design import extract
from slicegen.design.layout import Layout
from slicegen.design.model import DesignModel, DomainDesign, PolicyDesign, SliceDesign
from slicegen.errors import SlicegenError
from slicegen.scaffold import commands, remove, remove_parts
from slicegen.workspace import Workspace

Build = Callable[[ChangeSet], None]


@dataclass
class Plan:
    """The steps of an apply, each a line of text and the build that performs it."""

    steps: list[tuple[str, Build]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, text: str, build: Build) -> None:
        self.steps.append((text, build))

    def build(self, cs: ChangeSet) -> None:
        for _, step in self.steps:
            step(cs)


def checked(source: str, key: str, command: Callable[..., Build], *args: Any) -> Build:
    """Call a scaffolding command; its refusal names the model file and key it came from."""
    try:  # apply refreshes the documents once, for the whole plan
        return command(*args, **({} if command is commands.new_domain else {"documents": False}))
    except SlicegenError as exc:
        raise type(exc)(f"{source}: {key}: {exc.message}") from None


def plan_apply(
    ws: Workspace, target: DesignModel, current: DesignModel, source: str, prune: bool = False
) -> Plan:
    """The steps that bring the code described by ``current`` up to ``target``."""
    stack, app = ws.config.require_scaffold()
    if target.stack is not None and target.stack != stack:
        raise SlicegenError(
            f"{source}: 'stack' is {target.stack!r} but the workspace is {stack!r}: "
            "apply a model of the same stack"
        )
    if target.app is not None and target.app != app:
        raise SlicegenError(
            f"{source}: 'app' is {target.app!r} but the workspace's app is {app!r}: "
            "change the model's 'app' or remove it"
        )
    _check_references(target, current, source)
    plan = Plan()
    for name, dom in target.domains.items():
        have = current.domains.get(name)
        if have is None:
            plan.add(
                f"new-domain {name} --aggregate {dom.aggregate}",
                checked(source, f"domains.{name}", commands.new_domain, ws, name, dom.aggregate),
            )
        elif have.aggregate != dom.aggregate:
            raise SlicegenError(
                f"{source}: domains.{name}.aggregate is {dom.aggregate!r} but the code's is "
                f"{have.aggregate!r}: apply cannot rename an aggregate; use {have.aggregate!r}"
            )
    versions: list[tuple[str, Build]] = []
    for name, dom in target.domains.items():
        _plan_slices(plan, ws, name, dom, current.domains.get(name), source, versions)
    for name, dom in target.domains.items():
        have = current.domains.get(name)
        for event in dom.facts:
            if have is None or event not in have.facts:
                key = f"domains.{name}.facts"
                plan.add(
                    f"add-fact {name} {event}",
                    checked(source, key, commands.add_fact, ws, name, event),
                )
    for name, dom in target.domains.items():
        have = current.domains.get(name)
        for command, slice_ in dom.slices.items():
            existing = have.slices.get(command) if have else None
            known = {p.trigger(name) for p in existing.policies} if existing else set()
            for policy in slice_.policies:
                source_domain, event = policy.trigger(name)
                if (source_domain, event) in known:
                    continue
                trigger = f"{source_domain}:{event}"
                plan.add(
                    f"add-policy {name} {command} --on {trigger}",
                    checked(
                        source,
                        f"domains.{name}.slices.{command}.policies",
                        commands.add_policy,
                        ws,
                        name,
                        command,
                        trigger,
                        False,
                    ),
                )
    for text, build in versions:
        plan.add(text, build)
    if prune:
        extra = _extra_slices(target, current)
        for i, (name, command) in enumerate(extra):
            # a cycle of policies among the pruned slices: the ones still to go that follow
            # this slice lose that policy first (remove-slice refuses a followed slice)
            event = current.domains[name].slices[command].event
            for domain, follower in (s for s in extra[i + 1 :] if _follows(current, s, extra[i])):
                trigger = f"{name}:{event}"
                plan.add(
                    f"remove-policy {domain} {follower} --on {trigger}",
                    remove_parts.remove_policy(ws, domain, follower, trigger, False),
                )
            plan.add(
                f"remove-slice {name} {command}",
                remove.remove_slice(ws, name, command, False, documents=False),
            )
    else:
        plan.notes += _left_alone(target, current)
    return plan


def _extra_slices(target: DesignModel, current: DesignModel) -> list[tuple[str, str]]:
    """(domain, slice) of each slice the code has in a domain of the model that lacks it, each
    before the slices whose events its policies follow (``remove-slice`` refuses a slice a
    policy still follows); otherwise in the code's order (a cycle: see :func:`plan_apply`)."""
    left = [
        (name, command)
        for name, dom in current.domains.items()
        if name in target.domains
        for command in dom.slices
        if command not in target.domains[name].slices
    ]
    ordered: list[tuple[str, str]] = []
    while left:
        free = [s for s in left if not any(_follows(current, o, s) for o in left if o != s)]
        ordered.append((free or left)[0])  # a cycle of policies: the code's order
        left.remove(ordered[-1])
    return ordered


def _follows(model: DesignModel, follower: tuple[str, str], followed: tuple[str, str]) -> bool:
    """True if a policy of slice ``follower`` is triggered by the event of slice ``followed``."""
    (domain, command), (source, slice_name) = follower, followed
    event = model.domains[source].slices[slice_name].event
    policies = model.domains[domain].slices[command].policies
    return (source, event) in {p.trigger(domain) for p in policies}


def _plan_slices(
    plan: Plan,
    ws: Workspace,
    name: str,
    dom: DomainDesign,
    have: DomainDesign | None,
    source: str,
    versions: list[tuple[str, Build]],
) -> None:
    for command, slice_ in dom.slices.items():
        key = f"domains.{name}.slices.{command}"
        existing = have.slices.get(command) if have else None
        _check_version_fields(slice_, key, source)
        for v in slice_.versions:
            conventional = naming.event_type_string(slice_.event, v.version)
            if slice_.event_type(v) != conventional:
                raise SlicegenError(
                    f"{source}: {key}.versions.{v.version - 1}.event_type is "
                    f"{slice_.event_type(v)!r}; apply generates {conventional!r}: remove the key"
                )
        if existing is None:
            first = slice_.versions[0]
            read_models = [p.read_model for p in slice_.projections]
            text = " ".join(
                [f"add-slice {name} {command} --event {slice_.event}"]
                + [f"-f {f}" for f in first.fields]
                + [f"-p {rm}" for rm in read_models]
            )
            plan.add(
                text,
                checked(
                    source,
                    key,
                    commands.add_slice,
                    ws,
                    name,
                    command,
                    slice_.event,
                    first.fields,
                    read_models,
                ),
            )
            start = 1
            have_projections: set[str] = set(read_models)
        else:
            if existing.event != slice_.event:
                raise SlicegenError(
                    f"{source}: {key}.event is {slice_.event!r} but the code's slice emits "
                    f"{existing.event!r}: apply cannot rename an event; add a new slice instead"
                )
            for v, old in zip(slice_.versions, existing.versions, strict=False):
                if v.fields != old.fields:
                    raise SlicegenError(
                        f"{source}: {key}.versions.{v.version - 1}.fields differ from the code's "
                        f"{old.fields}: a released version is not changed; add a version instead"
                    )
            start = len(existing.versions)
            have_projections = {p.read_model for p in existing.projections}
        for v in slice_.versions[start:]:
            previous = slice_.versions[v.version - 2].fields
            added = v.fields[len(previous) :]
            text = " ".join([f"add-version {name} {command}"] + [f"-f {f}" for f in added])
            build = checked(source, key, commands.add_version, ws, name, command, added)
            versions.append((text, build))
        for projection in slice_.projections:
            if projection.read_model not in have_projections:
                plan.add(
                    f"add-projection {name} {command} {projection.read_model}",
                    checked(
                        source,
                        key,
                        commands.add_projection,
                        ws,
                        name,
                        command,
                        projection.read_model,
                    ),
                )


def _check_version_fields(slice_: SliceDesign, key: str, source: str) -> None:
    for older, newer in zip(slice_.versions, slice_.versions[1:], strict=False):
        if newer.fields[: len(older.fields)] != older.fields:
            raise SlicegenError(
                f"{source}: {key}.versions.{newer.version - 1}.fields must start with the fields "
                f"of v{older.version} ({', '.join(older.fields) or 'none'}): a new version only "
                "adds fields"
            )


def _check_references(target: DesignModel, current: DesignModel, source: str) -> None:
    """A policy's trigger must exist: an event of its domain, or a fact another domain publishes."""
    for name, dom in target.domains.items():
        for command, slice_ in dom.slices.items():
            for i, policy in enumerate(slice_.policies):
                key = f"domains.{name}.slices.{command}.policies.{i}"
                source_domain, event = policy.trigger(name)
                publisher = target.domains.get(source_domain) or current.domains.get(source_domain)
                if publisher is None:
                    raise SlicegenError(
                        f"{source}: {key} is triggered by {policy.on!r} but there is no domain "
                        f"'{source_domain}': add it to the model"
                    )
                events = set(publisher.events())
                other = current.domains.get(source_domain)
                if other is not None:
                    events |= set(other.events())
                if event not in events:
                    raise SlicegenError(
                        f"{source}: {key}: '{source_domain}' has no slice emitting '{event}': "
                        "add that slice, or fix the trigger"
                    )
                if source_domain != name:
                    facts = set(publisher.facts) | set(other.facts if other else [])
                    if event not in facts:
                        raise SlicegenError(
                            f"{source}: {key}: another domain's event reaches '{name}' only as "
                            f"a fact: add '{event}' to domains.{source_domain}.facts"
                        )


def _left_alone(target: DesignModel, current: DesignModel) -> list[str]:
    """What the code has that the model does not mention (apply never deletes)."""
    notes = []
    for name, dom in current.domains.items():
        wanted = target.domains.get(name)
        if wanted is None:
            continue
        for command in dom.slices:
            if command not in wanted.slices:
                notes.append(
                    f"kept slice {name}.{command}: it is in the code, not in the model "
                    "(--prune removes it)"
                )
    return notes


def merged_design(
    current: DesignModel, target: DesignModel, layout: Layout, cs: ChangeSet
) -> DesignModel:
    """The design the code will have once the plan is written: ``current`` plus ``target``.

    Ordered as :func:`slicegen.design.from_workspace.design_of` reads it back (new slices after
    the existing ones, projections by read model, policies by module, facts by name); a new
    slice's description is the docstring the stack planned for its command.
    """
    domains = dict(current.domains)
    for name, dom in target.domains.items():
        have = current.domains.get(name)
        slices = dict(have.slices) if have else {}
        for command, wanted in dom.slices.items():
            existing = slices.get(command)
            if existing is None:
                path = layout.command_file(name, command)
                text = cs.read(path)
                doc = extract.doc_of(path, text) if text is not None else ""
                slices[command] = _normalised(wanted.model_copy(update={"description": doc}))
                continue
            versions = [*existing.versions, *wanted.versions[len(existing.versions) :]]
            projections = {p.read_model: p for p in wanted.projections}
            projections.update({p.read_model: p for p in existing.projections})
            policies = {p.trigger(name): p for p in wanted.policies}
            policies.update({p.trigger(name): p for p in existing.policies})
            slices[command] = _normalised(
                existing.model_copy(
                    update={
                        "versions": versions,
                        "projections": list(projections.values()),
                        "policies": list(policies.values()),
                    }
                ),
            )
        slices = {c: _planned_projections(s, name, c, layout, cs) for c, s in slices.items()}
        facts = sorted(set(dom.facts) | set(have.facts if have else []))
        aggregate = have.aggregate if have else dom.aggregate
        domains[name] = DomainDesign(aggregate=aggregate, slices=slices, facts=facts)
    return current.model_copy(update={"domains": domains})


def _planned_projections(
    slice_: SliceDesign, domain: str, command: str, layout: Layout, cs: ChangeSet
) -> SliceDesign:
    """Each projection with the versions whose modules the change set holds (or disk has)."""
    folder = layout.command_file(domain, command).rsplit("/", 1)[0]
    short = naming.event_short_name(slice_.event)
    projections = []
    for p in slice_.projections:
        found = [
            v.version
            for v in slice_.versions
            if cs.exists(f"{folder}/{short}_to_{p.read_model}_v{v.version}{layout.ext}")
        ]
        projections.append(p.model_copy(update={"versions": found or p.versions}))
    # A stack may version a policy with the event it reacts to (elixir's add-version does).
    policies = list(slice_.policies)
    known = {(p.on, p.version) for p in policies}
    for policy in slice_.policies:
        version = policy.version + 1
        stem = policy.module(command).removesuffix(str(policy.version))
        while cs.exists(f"{folder}/{stem}{version}{layout.ext}"):
            if (policy.on, version) not in known:
                policies.append(PolicyDesign(on=policy.on, version=version))
                known.add((policy.on, version))
            version += 1
    return _normalised(slice_.model_copy(update={"projections": projections, "policies": policies}))


def _normalised(slice_: SliceDesign) -> SliceDesign:
    """Projections by read model, policies by module name (the order the code is read in)."""
    return slice_.model_copy(
        update={
            "projections": sorted(slice_.projections, key=lambda p: p.read_model),
            "policies": sorted(slice_.policies, key=lambda p: p.module("")),
        }
    )


def run_apply(
    ws: Workspace, model_path: str, *, dry_run: bool, force: bool, prune: bool = False
) -> list[str]:
    """Plan the model's additions and the documents that describe them; show or write them.

    The code and the storming documents are one change set. Should the written code read back
    differently from what was planned for the documents (a stack that adds more than asked), a
    second ``storm`` pass brings the documents in line, and says so.
    """
    from slicegen.design.model import load_design
    from slicegen.execute import execute
    from slicegen.storm.command import check, storm, storm_into, workspace_design

    target = load_design(Path(model_path))
    current, layout = workspace_design(ws)
    plan = plan_apply(ws, target, current, model_path, prune)
    lines = [f"plan: {text}" for text, _ in plan.steps] or ["plan: nothing to add"]
    lines += [f"note: {note}" for note in plan.notes]
    print("\n".join(lines))

    def build(cs: ChangeSet) -> None:
        plan.build(cs)
        merged = merged_design(current, target, layout, cs)
        for name, command in _extra_slices(target, current) if prune else []:
            domain = merged.domains[name]
            slices = {c: s for c, s in domain.slices.items() if c != command}
            merged.domains[name] = domain.model_copy(update={"slices": slices})
        storm_into(cs, ws, merged, layout, list(merged.domains))

    execute(ws.root, build, dry_run=dry_run, force=force)
    if not dry_run and check(ws, None):
        print("note: the code reads back differently from the plan; refreshing the documents")
        execute(ws.root, storm(ws, None), force=force)
    return lines
