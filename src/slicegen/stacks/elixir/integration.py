"""``add-fact`` and ``add-policy`` for the elixir stack: how domains react to each other.

A fact is the integration event a domain publishes: a module in the shared facts app under its
source domain, and a fact projection in the source slice that broadcasts it on
``<source_domain>:facts:<event>``. A policy lives in the slice of the command it triggers. In the
same domain it is a ``Commanded.Event.Handler`` on the domain event; across domains it reacts to
the fact, fed by a subscriber process in the consuming domain, and never touches the source
domain's events.
"""

from __future__ import annotations

from dataclasses import dataclass

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import FactRequest, PolicyRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.elixir import reading, registrations
from slicegen.stacks.elixir.domain import shared_names
from slicegen.stacks.elixir.field_types import ElixirField
from slicegen.stacks.elixir.layout import render_ex
from slicegen.stacks.elixir.paths import DomainNames, SharedNames
from slicegen.stacks.elixir.slice import (
    DomainContext,
    SliceVersion,
    attrs_block,
    existing_domain,
    latest_version,
    read_version,
    spec,
)


def find_event(cs: ChangeSet, ctx: StackContext, dom: DomainContext, event: str) -> SliceVersion:
    """The latest version of the slice that records ``event``, or an error listing the events."""
    recorded = []
    for slice_name in reading.slice_names(cs, dom.names):
        versions = reading.slice_versions(cs, dom.names, slice_name)
        if not versions:
            continue
        sv = read_version(cs, dom, slice_name, latest_version(cs, ctx, dom, slice_name))
        if sv.event == event:
            return sv
        recorded.append(sv.event)
    known = ", ".join(sorted(recorded)) or "none yet"
    raise SlicegenError(
        f"domain '{dom.names.domain}' records no event '{event}' (its events: {known}); "
        f"add the slice that records it first (`slicegen add-slice {dom.names.domain} ...`)"
    )


@dataclass(frozen=True)
class FactModel:
    """A fact of ``source`` built from one of its events."""

    sv: SliceVersion
    shared: SharedNames

    @property
    def source(self) -> str:
        return self.sv.dom.names.domain

    @property
    def event(self) -> str:
        return self.sv.event

    @property
    def module(self) -> str:
        return self.shared.fact_module(self.source, self.event)

    @property
    def alias(self) -> str:
        return self.module.rsplit(".", 1)[1]

    @property
    def topic(self) -> str:
        return naming.fact_topic(self.source, self.event)

    @property
    def fields(self) -> list[ElixirField]:
        return self.sv.event_fields

    @property
    def event_mod(self) -> str:
        return self.sv.event_mod

    @property
    def event_alias(self) -> str:
        return self.sv.event_alias

    @property
    def type_string(self) -> str:
        return self.sv.type_string

    @property
    def pubsub(self) -> str:
        return f"{self.shared.module}.PubSub"

    @property
    def projection_stem(self) -> str:
        return f"{naming.event_short_name(self.event)}_to_fact_v{self.sv.version}"

    @property
    def projection_mod(self) -> str:
        return self.sv.dom.names.slice_member(self.sv.slice, self.projection_stem)

    @property
    def projection_alias(self) -> str:
        return naming.to_pascal(self.projection_stem)

    @property
    def attrs_block(self) -> str:
        return attrs_block(self.fields, self.sv.id_field)

    @property
    def spec(self) -> str:
        return spec("to_fact", f"{self.event_alias}.t()", f"{self.alias}.t()")


def fact_path(ctx: StackContext, source: str, event: str) -> str:
    return shared_names(ctx).fact_file(ctx.config.resolved_facts_dir(), source, event)


def plan_fact(cs: ChangeSet, ctx: StackContext, source: str, event: str) -> FactModel:
    """The fact module, its test, and the fact projection in the source slice (registered)."""
    dom = existing_domain(cs, ctx, source)
    sv = find_event(cs, ctx, dom, event)
    shared = shared_names(ctx)
    fact = FactModel(sv, shared)
    names = dom.names
    path = fact_path(ctx, source, event)
    if not cs.exists(path):
        cs.add(path, render_ex("integration/fact.ex.j2", ctx.root, f=fact, d=names))
        cs.add(
            shared.fact_test_file(source, event),
            render_ex("integration/fact_test.exs.j2", ctx.root, f=fact, d=names),
        )
    cs.add(
        names.slice_file(sv.slice, fact.projection_stem),
        render_ex("integration/fact_projection.ex.j2", ctx.root, f=fact, d=names),
    )
    cs.add(
        names.slice_test(sv.slice, fact.projection_stem),
        render_ex("integration/fact_projection_test.exs.j2", ctx.root, f=fact, d=names),
    )
    registrations.register_child(cs, names, fact.projection_mod)
    return fact


def add_fact(cs: ChangeSet, ctx: StackContext, req: FactRequest) -> None:
    plan_fact(cs, ctx, req.domain, req.event)


@dataclass(frozen=True)
class PolicyModel:
    """``when_<event>_then_<command>_v1`` in the triggered command's slice."""

    target: SliceVersion
    event: str
    source: str
    trigger_mod: str
    trigger_alias: str
    trigger_kind: str
    trigger_fields: list[ElixirField]
    subscriber_mod: str = ""
    trigger_version: int = 1

    @property
    def stem(self) -> str:
        return f"when_{self.event}_then_{self.target.slice}_v1"

    @property
    def module(self) -> str:
        return self.target.dom.names.slice_member(self.target.slice, self.stem)

    @property
    def alias(self) -> str:
        return naming.to_pascal(self.stem)

    @property
    def command_mod(self) -> str:
        return self.target.command_mod

    @property
    def command_alias(self) -> str:
        return self.target.command_alias

    @property
    def fields(self) -> list[ElixirField]:
        return self.target.command_fields

    @property
    def trigger_names(self) -> list[str]:
        return [f.name for f in self.trigger_fields]

    @property
    def event_var(self) -> str:
        """``event``/``fact``, or ``_event`` when no command field comes from it (no warning)."""
        shared = set(self.trigger_names) & {f.name for f in self.fields}
        return self.trigger_kind if shared else f"_{self.trigger_kind}"

    @property
    def subscriber_alias(self) -> str:
        return self.subscriber_mod.rsplit(".", 1)[1]

    @property
    def handle_spec(self) -> str:
        return spec("handle", f"{self.trigger_alias}.t(), map()", ":ok | {:error, term()}")

    @property
    def to_command_spec(self) -> str:
        return spec("to_command", f"{self.trigger_alias}.t()", f"{self.command_alias}.t()")

    @property
    def type_string(self) -> str:
        return naming.event_type_string(self.event, self.trigger_version)

    @property
    def topic(self) -> str:
        return naming.fact_topic(self.source, self.event)

    @property
    def attrs_block(self) -> str:
        return attrs_block(self.trigger_fields, self.target.id_field)


def add_policy(cs: ChangeSet, ctx: StackContext, req: PolicyRequest) -> None:
    """A policy in the triggered command's slice; across domains through the source's fact."""
    dom = existing_domain(cs, ctx, req.domain)
    version = latest_version(cs, ctx, dom, req.command)
    target = read_version(cs, dom, req.command, version)
    names = dom.names
    if req.source_domain == req.domain:
        trigger = find_event(cs, ctx, dom, req.event)
        policy = PolicyModel(
            target,
            req.event,
            req.source_domain,
            trigger.event_mod,
            f"{naming.to_pascal(req.event)}V{trigger.version}",
            "event",
            trigger.event_fields,
            trigger_version=trigger.version,
        )
        template = "policy_local.ex.j2"
    else:
        fact = _fact_for_policy(cs, ctx, req)
        subscriber = names.subscriber_module(req.event)
        policy = PolicyModel(
            target,
            req.event,
            req.source_domain,
            fact.module,
            fact.alias,
            "fact",
            fact.fields,
            subscriber,
        )
        _plan_subscriber(cs, ctx, names, fact, policy)
        template = "policy_fact.ex.j2"
    cs.add(
        names.slice_file(req.command, policy.stem),
        render_ex(f"integration/{template}", ctx.root, p=policy, d=names),
    )
    cs.add(
        names.slice_test(req.command, policy.stem),
        render_ex("integration/policy_test.exs.j2", ctx.root, p=policy, d=names),
    )
    if req.source_domain == req.domain:
        registrations.register_child(cs, names, policy.module)


@dataclass(frozen=True)
class _FactView:
    module: str
    alias: str
    fields: list[ElixirField]
    topic: str
    pubsub: str


def _fact_for_policy(cs: ChangeSet, ctx: StackContext, req: PolicyRequest) -> _FactView:
    """The source domain's fact for the event: existing, added with --with-fact, or an error."""
    shared = shared_names(ctx)
    path = fact_path(ctx, req.source_domain, req.event)
    if not cs.exists(path):
        if not req.with_fact:
            raise SlicegenError(
                f"domain '{req.domain}' may react to '{req.source_domain}' only through a fact, "
                f"and {path} does not exist: run `slicegen add-fact {req.source_domain} "
                f"{req.event}` first, or pass --with-fact"
            )
        plan_fact(cs, ctx, req.source_domain, req.event)
    text = cs.read(path) or ""
    module = shared.fact_module(req.source_domain, req.event)
    return _FactView(
        module,
        module.rsplit(".", 1)[1],
        [f for f in reading.struct_fields(path, text) if f.name != "fact_version"],
        naming.fact_topic(req.source_domain, req.event),
        f"{shared.module}.PubSub",
    )


@dataclass(frozen=True)
class _SubscriberModel:
    module: str
    topic: str
    fact_mod: str
    fact_alias: str
    pubsub: str
    policy: str

    @property
    def alias(self) -> str:
        return self.module.rsplit(".", 1)[1]

    @property
    def policy_alias(self) -> str:
        return self.policy.rsplit(".", 1)[1]


def _plan_subscriber(
    cs: ChangeSet, ctx: StackContext, names: DomainNames, fact: _FactView, policy: PolicyModel
) -> None:
    """The consuming domain's subscriber to the fact topic (created once), fed to the policy."""
    path = names.subscriber_file(policy.event)
    model = _SubscriberModel(
        names.subscriber_module(policy.event),
        fact.topic,
        fact.module,
        fact.alias,
        fact.pubsub,
        policy.module,
    )
    if not cs.exists(path):
        cs.add(path, render_ex("integration/subscriber.ex.j2", ctx.root, s=model, d=names))
        cs.add(
            names.subscriber_test(policy.event),
            render_ex("integration/subscriber_test.exs.j2", ctx.root, s=model, d=names),
        )
    registrations.register_policy(cs, path, model.module, policy.module)
    registrations.register_child(cs, names, model.module)
