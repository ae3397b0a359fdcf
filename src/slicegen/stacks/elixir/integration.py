"""``add-fact`` and ``add-policy`` for the elixir stack: how domains react to each other.

A fact is the integration event a domain publishes: a module in the shared facts app under its
source domain, and a fact projection in the source slice that broadcasts it on
``<source_domain>:facts:<event>``. A policy lives in the slice of the command it triggers. In the
same domain it is a ``Commanded.Event.Handler`` on the domain event; across domains it reacts to
the fact, fed by a subscriber process in the consuming domain, and never touches the source
domain's events.

Facts are durable: the publisher records each fact in its domain's fact log (a stream per topic
in its own event store) before broadcasting it, and registers the log in the shared app's
``Facts``; a subscriber keeps each policy's position in its repo and catches up from the log at
start and on every live fact, so a fact published while it was down is not lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from slicegen import manifest, naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import FactRequest, PolicyRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import refusals
from slicegen.stacks.elixir import reading, registrations
from slicegen.stacks.elixir.domain import migrations, next_migration_version, shared_names
from slicegen.stacks.elixir.field_types import ElixirField, base_typespec
from slicegen.stacks.elixir.layout import render_ex
from slicegen.stacks.elixir.paths import DomainNames, SharedNames
from slicegen.stacks.elixir.slice import (
    DomainContext,
    SliceVersion,
    atom_list,
    attrs_block,
    existing_domain,
    latest_version,
    read_version,
    spec,
    start_first,
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


#: Words that mark a field as a secret: a fact never copies it from the event.
_SECRET = re.compile(
    r"(^|_)(token|secret|password|passwd|passphrase|credentials?|pin|otp|salt|hash|key)(_|$)"
)

#: What a fact carries besides the event's fields (not fields a policy can map).
FACT_METADATA = ("fact_id", "correlation_id", "fact_version")


def is_secret(name: str) -> bool:
    """True for field names such as ``verification_token``, ``password`` or ``api_key``."""
    return bool(_SECRET.search(name))


@dataclass(frozen=True)
class FactModel:
    """A fact of ``source`` built from one of its events."""

    sv: SliceVersion
    shared: SharedNames
    #: The fields of the fact module when it exists already (a later event version's publisher).
    existing: tuple[str, ...] | None = None

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
    def fact_type(self) -> str:
        return naming.fact_type_string(self.source, self.event)

    @property
    def fields(self) -> list[ElixirField]:
        """The event's fields that the fact publishes: all but secrets (the identity always)."""
        return [
            f
            for f in self.sv.event_fields
            if f.name == self.sv.id_field
            or (not is_secret(f.name) if self.existing is None else f.name in self.existing)
        ]

    @property
    def withheld(self) -> list[str]:
        kept = {f.name for f in self.fields}
        return [f.name for f in self.sv.event_fields if f.name not in kept]

    @property
    def id_field(self) -> str:
        return self.sv.id_field

    @property
    def fields_attr(self) -> str:
        return atom_list("fields", [f.name for f in self.fields if f.name != self.id_field])

    @property
    def handler_name(self) -> str:
        """The publisher's name without its version: a v2 resumes where v1 stopped."""
        return self.projection_mod.removesuffix(f"V{self.sv.version}")

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
    def event_attrs_block(self) -> str:
        return self.sv.event_attrs_block

    @property
    def published_attr(self) -> str:
        return atom_list("published", [f.name for f in self.fields])

    @property
    def spec(self) -> str:
        return spec("to_fact", f"{self.event_alias}.t(), map()", f"{self.alias}.t()")


def fact_path(ctx: StackContext, source: str, event: str) -> str:
    return shared_names(ctx).fact_file(ctx.config.resolved_facts_dir(), source, event)


def plan_fact(cs: ChangeSet, ctx: StackContext, source: str, event: str) -> FactModel:
    """The fact module, its test, and the fact publisher in the source slice (registered)."""
    dom = existing_domain(cs, ctx, source)
    fact = fact_model(cs, ctx, find_event(cs, ctx, dom, event))
    path = fact_path(ctx, source, event)
    retired = retired_fact_path(dom.names, event)
    restored = fact.existing is None and cs.exists(retired)
    if restored:  # published again: the module remove-fact kept comes back, as it is
        cs.add(path, cs.read(retired) or "")
        cs.remove(retired)
        fact = fact_model(cs, ctx, fact.sv)
    test = fact.shared.fact_test_file(source, event)
    if fact.existing is None:
        cs.add(path, render_ex("integration/fact.ex.j2", ctx.root, f=fact, d=dom.names))
    if fact.existing is None or (restored and not cs.exists(test)):
        cs.add(test, render_ex("integration/fact_test.exs.j2", ctx.root, f=fact, d=dom.names))
    plan_fact_log(cs, ctx, dom.names, fact.shared)
    plan_fact_publisher(cs, ctx, fact)
    registrations.register_child(cs, dom.names, fact.projection_mod)
    # The fact log appends the fact to the domain's event store, whose type mapper must know it.
    registrations.register_event_type(cs, dom.names, fact.fact_type, fact.module)
    return fact


_FACTS_SINCE = (
    '  @doc """\n'
    "  Up to `limit` facts published on `topic` after `position`, oldest first, as\n"
    "  `{{position, fact}}`: how a consumer in another domain catches up after a restart.\n"
    '  """\n'
    "  @spec facts_since(String.t(), non_neg_integer(), pos_integer()) ::\n"
    "          [{{pos_integer(), struct()}}]\n"
    "  def facts_since(topic, position, limit) do\n"
    "    {fact_log}.since(topic, position, limit)\n"
    "  end"
)


def plan_fact_log(
    cs: ChangeSet, ctx: StackContext, names: DomainNames, shared: SharedNames
) -> None:
    """The domain's log of published facts, ``facts_since/3`` in its public API, and the shared
    app's registry of fact logs where consumers catch up (each created once)."""
    if not cs.exists(shared.facts_registry_file):
        cs.add(
            shared.facts_registry_file,
            render_ex("integration/facts_registry.ex.j2", ctx.root, shared=shared),
        )
    if not cs.exists(names.fact_log_file):
        cs.add(names.fact_log_file, render_ex("integration/fact_log.ex.j2", ctx.root, d=names))
    registrations.register_api_function(
        cs, names, "facts_since", _FACTS_SINCE.format(fact_log=names.fact_log_module)
    )


def retired_fact_path(names: DomainNames, event: str) -> str:
    """Where ``remove-fact`` keeps a fact's module, under its own name: the facts the domain's
    fact log recorded are stored under that name in its event store, so they still load."""
    return f"{names.lib_dir}/retired/{event}_fact.ex"


def publishers(cs: ChangeSet, names: DomainNames, fact_module: str) -> list[tuple[str, str]]:
    """The (slice, stem) of each ``<event>_to_fact_v<N>`` handler of the domain that publishes
    ``fact_module``."""
    pattern = re.compile(r"/(\w+)/(\w+_to_fact_v\d+)\.ex$")
    mention = re.compile(rf"\b{re.escape(fact_module)}\b")
    return [
        (m[1], m[2])
        for f in cs.files_under(names.domain_dir)
        if (m := pattern.search(f)) and mention.search(cs.read(f) or "")
    ]


def fact_model(cs: ChangeSet, ctx: StackContext, sv: SliceVersion) -> FactModel:
    """The fact of an event version: the fields of its module if it exists, else the event's."""
    path = fact_path(ctx, sv.dom.names.domain, sv.event)
    text = cs.read(path)
    if text is None:
        return FactModel(sv, shared_names(ctx))
    names = tuple(f.name for f in reading.struct_fields(path, text))
    return FactModel(sv, shared_names(ctx), tuple(n for n in names if n not in FACT_METADATA))


def plan_fact_publisher(cs: ChangeSet, ctx: StackContext, fact: FactModel) -> None:
    """The handler that publishes the fact of one event version, and its test."""
    names = fact.sv.dom.names
    cs.add(
        names.slice_file(fact.sv.slice, fact.projection_stem),
        render_ex("integration/fact_projection.ex.j2", ctx.root, f=fact, d=names),
    )
    cs.add(
        names.slice_test(fact.sv.slice, fact.projection_stem),
        render_ex(
            "integration/fact_projection_test.exs.j2",
            ctx.root,
            f=fact,
            d=names,
            start=start_first(cs, fact.sv, f"attrs[:{fact.sv.id_field}]"),
        ),
    )


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
    trigger_id: str = ""
    shared_module: str = ""
    trigger_sv: SliceVersion | None = None
    start: list[str] = field(default_factory=list)  # its test starts the aggregate first

    @property
    def stem(self) -> str:
        return f"when_{self.event}_then_{self.target.slice}_v{self.trigger_version}"

    @property
    def handler_name(self) -> str:
        """The guideline's snake_case name, without version: a v2 resumes where v1 stopped."""
        return f"when_{self.event}_then_{self.target.slice}"

    @property
    def mapping(self) -> list[tuple[str, str, str | None]]:
        """Each command field: (name, the expression giving it, a note for the reader or None).

        A field comes from the trigger's field of the same name and type; the target's identity
        from the trigger's identity when the trigger has no field of that name. A required field
        with no source raises (``unmapped!``, and lint flags it); an optional one is ``nil``.
        """
        by_name = {f.name: f for f in self.trigger_fields}
        var = self.trigger_kind
        rows: list[tuple[str, str, str | None]] = []
        for f in self.fields:
            source = by_name.get(f.name)
            # an optional source still fills a required field of the same base type
            if source is not None and base_typespec(source.typespec) == base_typespec(f.typespec):
                rows.append((f.name, f"{var}.{f.name}", None))
            elif f.name == self.target.id_field and self.trigger_id in by_name:
                note = f"One {self.target.aggregate} per {self.trigger_id.removesuffix('_id')}."
                rows.append((f.name, f"{var}.{self.trigger_id}", note))
            elif not f.required:
                rows.append((f.name, "nil", f"Not in the {var}: optional, left unset."))
            else:
                why = "of another type in" if source is not None else "not in"
                rows.append(
                    (
                        f.name,
                        f"{self.shared_module}.unmapped!(__MODULE__, :{f.name})",
                        f"{why.capitalize()} the {var}: map it here, or every dispatch raises.",
                    )
                )
        return rows

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
    def unmapped(self) -> list[str]:
        """The command fields no field of the trigger fills (the policy raises for them)."""
        return [name for name, expr, _ in self.mapping if ".unmapped!(" in expr]

    @property
    def event_var(self) -> str:
        """``event``/``fact``, or ``_event`` when no command field comes from it (no warning)."""
        used = any(expr.startswith(f"{self.trigger_kind}.") for _, expr, _ in self.mapping)
        return self.trigger_kind if used else f"_{self.trigger_kind}"

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
        if trigger.slice == req.command:
            raise refusals.policy_loop(req.domain, req.command, req.event)
        plan_local_policy(cs, ctx, target, trigger)
        return
    fact = _fact_for_policy(cs, ctx, req)
    policy = PolicyModel(
        target,
        req.event,
        req.source_domain,
        fact.module,
        fact.alias,
        "fact",
        fact.fields,
        names.subscriber_module(req.event),
        trigger_id=fact.fields[0].name if fact.fields else "",
        shared_module=shared_names(ctx).module,
    )
    start = start_first(cs, target, f"{policy.alias}.to_command(fact).{target.id_field}")
    policy = replace(policy, start=start)
    _plan_subscriber(cs, ctx, names, fact, policy, req.source_domain)
    _write_policy(cs, ctx, policy, "policy_fact.ex.j2")


def plan_local_policy(
    cs: ChangeSet, ctx: StackContext, target: SliceVersion, trigger: SliceVersion
) -> PolicyModel:
    """A policy on an event of the same domain: a ``Commanded.Event.Handler`` (registered)."""
    policy = PolicyModel(
        target,
        trigger.event,
        trigger.dom.names.domain,
        trigger.event_mod,
        f"{naming.to_pascal(trigger.event)}V{trigger.version}",
        "event",
        trigger.event_fields,
        trigger_version=trigger.version,
        trigger_id=trigger.id_field,
        shared_module=shared_names(ctx).module,
        trigger_sv=trigger,
        start=start_first(cs, trigger, f"attrs[:{trigger.id_field}]"),
    )
    _write_policy(cs, ctx, policy, "policy_local.ex.j2")
    registrations.register_child(cs, target.dom.names, policy.module)
    return policy


def _write_policy(cs: ChangeSet, ctx: StackContext, policy: PolicyModel, template: str) -> None:
    names = policy.target.dom.names
    _plan_policy_once(cs, ctx, names)
    registrations.route_through_once(cs, names, policy.command_mod)
    cs.add(
        names.slice_file(policy.target.slice, policy.stem),
        render_ex(f"integration/{template}", ctx.root, p=policy, d=names),
    )
    cs.add(
        names.slice_test(policy.target.slice, policy.stem),
        render_ex("integration/policy_test.exs.j2", ctx.root, p=policy, d=names),
    )


def _plan_policy_once(cs: ChangeSet, ctx: StackContext, names: DomainNames) -> None:
    """The module that executes a policy's command once per trigger (created once, registered
    as the domain's router middleware)."""
    path = names.policy_once_file
    fresh = render_ex("integration/policy_once.ex.j2", ctx.root, d=names)
    current = cs.read(path)
    if current is None:
        cs.add(path, fresh)
    elif current != fresh and not manifest.user_changed(manifest.read(cs), path, current):
        cs.edit(path, lambda _text: fresh)  # an older slicegen's, as it wrote it
        # whose policies' commands went through it as middleware only: now through its check
        for policy in cs.files_under(names.domain_dir):
            if re.search(r"/when_\w+_then_\w+_v\d+\.ex$", policy):
                slice_dir = policy.rsplit("/", 1)[0]
                for command in cs.files_under(slice_dir):
                    if m := re.search(r"/(\w+)/(command_v\d+)\.ex$", command):
                        member = names.slice_member(m[1], m[2])
                        registrations.route_through_once(cs, names, member)
    elif "def before_execute(" not in current:
        raise SlicegenError(
            f"{path}: an older slicegen wrote it and it was changed since; a policy's command now "
            "goes through its `before_execute/2`: move your changes aside, delete the file and "
            "re-run"
        )
    registrations.register_middleware(cs, names, names.policy_once_module)


@dataclass(frozen=True)
class _FactView:
    module: str
    alias: str
    fields: list[ElixirField]
    topic: str
    pubsub: str

    @property
    def id_field(self) -> str:
        return self.fields[0].name if self.fields else ""


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
        [f for f in reading.struct_fields(path, text) if f.name not in FACT_METADATA],
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
    source: str
    shared: str
    fact: _FactView

    @property
    def alias(self) -> str:
        return self.module.rsplit(".", 1)[1]

    @property
    def id_field(self) -> str:
        return self.fact.id_field

    @property
    def attrs_block(self) -> str:
        return attrs_block(self.fact.fields, self.id_field)

    @property
    def policy_alias(self) -> str:
        return self.policy.rsplit(".", 1)[1]


def _plan_subscriber(
    cs: ChangeSet,
    ctx: StackContext,
    names: DomainNames,
    fact: _FactView,
    policy: PolicyModel,
    source: str,
) -> None:
    """The consuming domain's subscriber to the fact topic (created once), fed to the policy.

    It catches up through the shared app's registry of fact logs (``Facts.since/3``), so the
    consuming app needs no dependency on the source's, and keeps its positions in its repo
    (``fact_positions``).
    """
    path = names.subscriber_file(policy.event)
    model = _SubscriberModel(
        names.subscriber_module(policy.event),
        fact.topic,
        fact.module,
        fact.alias,
        fact.pubsub,
        policy.module,
        source,
        shared_names(ctx).module,
        fact,
    )
    if not migrations(cs, names, "create_fact_positions"):
        cs.add(
            f"{names.migrations_dir}/{next_migration_version(cs, names)}_create_fact_positions.exs",
            render_ex("integration/fact_positions_migration.exs.j2", ctx.root, d=names),
        )
    if not cs.exists(path):
        cs.add(path, render_ex("integration/subscriber.ex.j2", ctx.root, s=model, d=names))
        cs.add(
            names.subscriber_test(policy.event),
            render_ex("integration/subscriber_test.exs.j2", ctx.root, s=model, d=names),
        )
    registrations.register_policy(cs, path, model.module, policy.module)
    registrations.register_child(cs, names, model.module)
