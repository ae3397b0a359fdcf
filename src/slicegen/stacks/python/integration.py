"""``slicegen add-fact`` and ``add-policy`` (python): facts between domains, policies on them.

A fact is the only thing another domain may react to: ``add-fact`` writes the fact module under
the shared facts area, the publisher in the source slice and its registration; ``add-policy``
writes a policy in the slice of the command it triggers, registered on the fact (or, for a trigger
from the same domain, on the domain event).
"""

from __future__ import annotations

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.fields import FieldSpec
from slicegen.scaffold.requests import FactRequest, PolicyRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.pysource import (
    call,
    declaration,
    default_imports,
    default_value,
    field_imports,
    sample,
    sample_imports,
)
from slicegen.stacks.python.reader import Message, message_of, require_slice, slice_emitting
from slicegen.stacks.python.registration import Registrations, domain_aggregate
from slicegen.stacks.python.slice_files import (
    ID_SAMPLE,
    Renderer,
    SliceNames,
    build,
    sample_kwargs,
)


def fact_class(event: str) -> str:
    return f"{naming.to_pascal(event)}FactV1"


def _source_slice(cs: ChangeSet, paths: PyPaths, event: str) -> SliceNames:
    aggregate = domain_aggregate(cs, paths)
    info = slice_emitting(cs, paths, event)
    if info is None:
        raise SlicegenError(
            f"domain '{paths.domain}' records no event '{event}': add the slice that records it "
            f"first (slicegen add-slice {paths.domain} <command> --event {event})"
        )
    first = info.events[0]
    return SliceNames(paths, aggregate, info.name, event, first.version, tuple(first.fields))


def add_fact(cs: ChangeSet, ctx: StackContext, req: FactRequest) -> None:
    paths = PyPaths.of(ctx, req.domain)
    n = _source_slice(cs, paths, req.event)
    r = Renderer(ctx.root, paths)
    topic = naming.fact_topic(req.domain, req.event)
    cls = fact_class(req.event)
    cs.add(
        f"{paths.fact_dir()}/__init__.py",
        f'"""Facts {req.domain} publishes for other domains."""\n',
    )
    cs.add(
        paths.fact_file(req.event),
        r.render(
            "slice/fact.py.j2",
            [("typing", "ClassVar"), *field_imports(n.fields), (paths.shared("messages"), "Fact")],
            event=req.event,
            source_domain=req.domain,
            version=1,
            topic=topic,
            fact_class=cls,
            fields=[declaration(f) for f in n.fields],
            **n.words,
        ),
    )
    info = require_slice(cs, paths, n.command)
    reg = Registrations(cs)
    for event in info.events:
        add_publisher(cs, reg, r, n, event, cls, topic)
    reg.apply(cs)


def add_publisher(
    cs: ChangeSet,
    reg: Registrations,
    r: Renderer,
    base: SliceNames,
    event: Message,
    cls: str,
    topic: str,
) -> None:
    """The projection that turns one version of the event into the fact, with its test."""
    paths = base.paths
    n = SliceNames(
        paths, base.aggregate, base.command, base.event, event.version, tuple(event.fields)
    )
    fact_module = paths.fact_module(base.event)
    kwargs = ["aggregate_id=event.aggregate_id", *(f"{f.name}=event.{f.name}" for f in base.fields)]
    cs.add(
        n.file(n.publisher),
        r.render(
            "slice/publisher.py.j2",
            [(n.module(f"event_{n.v}"), n.event_class), (fact_module, cls)],
            event=base.event,
            event_class=n.event_class,
            fact_class=cls,
            publisher=n.publisher,
            build_fact=build("fact", cls, kwargs),
        ),
    )
    cs.add(
        n.test_file(n.publisher),
        r.render(
            "slice_tests/test_publisher.py.j2",
            [
                ("uuid", "UUID"),
                *sample_imports(n.fields),
                (n.module(f"event_{n.v}"), n.event_class),
                (n.module(n.publisher), n.publisher),
            ],
            publisher=n.publisher,
            topic=topic,
            build_event=build("event", n.event_class, sample_kwargs(n.fields)),
        ),
    )
    reg.route(
        paths,
        [(n.module(f"event_{n.v}"), n.event_class), (n.module(n.publisher), n.publisher)],
        "publish",
        [n.event_class, n.publisher],
    )


def add_policy(cs: ChangeSet, ctx: StackContext, req: PolicyRequest) -> None:
    paths = PyPaths.of(ctx, req.domain)
    aggregate = domain_aggregate(cs, paths)
    target = require_slice(cs, paths, req.command)
    command = target.commands[-1]
    t = SliceNames(
        paths,
        aggregate,
        req.command,
        target.latest_event.event_name,
        command.version,
        tuple(command.fields),
    )
    source_paths = PyPaths.of(ctx, req.source_domain)
    source = _source_slice(cs, source_paths, req.event)
    r = Renderer(ctx.root, paths)
    policy = f"when_{req.event}_then_{req.command}_v1"
    same_domain = req.source_domain == req.domain
    if same_domain:
        trigger_arg, trigger_class = "event", source.event_class
        trigger_module = source.module(f"event_{source.v}")
        trigger_fields = list(source.fields)
    else:
        trigger_arg, trigger_class = "fact", fact_class(req.event)
        trigger_module = source_paths.fact_module(req.event)
        if not cs.exists(source_paths.fact_file(req.event)):
            if not req.with_fact:
                raise SlicegenError(
                    f"'{req.domain}' may react to '{req.source_domain}' only through a fact, and "
                    f"{req.source_domain} has none for '{req.event}': run 'slicegen add-fact "
                    f"{req.source_domain} {req.event}' or pass --with-fact"
                )
            add_fact(cs, ctx, FactRequest(req.source_domain, req.event))
        fact_path = source_paths.fact_file(req.event)
        trigger_fields = message_of(cs, fact_path, 1).fields
    kwargs, extra_imports = _command_kwargs(t.fields, trigger_fields, trigger_arg)
    known = {f.name: f for f in trigger_fields}
    missing = [f.name for f in t.fields if known.get(f.name) != f]
    cs.add(
        t.file(policy),
        r.render(
            "slice/policy.py.j2",
            [
                *extra_imports,
                (t.module(f"command_{t.v}"), t.command_class),
                (trigger_module, trigger_class),
            ],
            policy=policy,
            event=req.event,
            source_domain=req.source_domain,
            trigger_arg=trigger_arg,
            trigger_class=trigger_class,
            command_class=t.command_class,
            build_command=build("command", t.command_class, kwargs),
            missing=missing,
            command_words=" ".join(naming.words(req.command)),
            event_words=" ".join(naming.words(req.event)),
        ),
    )
    trigger_sample = [
        f"aggregate_id={ID_SAMPLE}",
        *(f"{f.name}={sample(f)}" for f in trigger_fields),
    ]
    cs.add(
        t.test_file(policy),
        r.render(
            "slice_tests/test_policy.py.j2",
            [
                ("uuid", "UUID"),
                *sample_imports(trigger_fields),
                (t.module(f"command_{t.v}"), t.command_class),
                (t.module(policy), policy),
                (trigger_module, trigger_class),
            ],
            policy=policy,
            trigger_arg=trigger_arg,
            command_class=t.command_class,
            build_trigger=build(trigger_arg, trigger_class, trigger_sample),
        ),
    )
    method = "react" if same_domain else "on_fact"
    reg = Registrations(cs)
    reg.route(
        paths,
        [(trigger_module, trigger_class), (t.module(policy), policy)],
        method,
        [trigger_class, policy],
    )
    reg.apply(cs)
    if not same_domain:
        # the public function takes the newest command's fields
        newest = require_slice(cs, source_paths, source.command).commands[-1].fields
        cs.add(*_policy_integration_test(r, t, source, newest, req, policy))


def _command_kwargs(
    command_fields: tuple[FieldSpec, ...], trigger_fields: list[FieldSpec], arg: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """Command arguments: same-named trigger fields, else neutral values the user adjusts."""
    known = {f.name: f for f in trigger_fields}
    kwargs = [f"aggregate_id={arg}.aggregate_id"]
    missing: list[FieldSpec] = []
    for spec in command_fields:
        if known.get(spec.name) == spec:
            kwargs.append(f"{spec.name}={arg}.{spec.name}")
        else:
            kwargs.append(f"{spec.name}={default_value(spec)}")
            missing.append(spec)
    return kwargs, default_imports(missing)


def _policy_integration_test(
    r: Renderer,
    t: SliceNames,
    source: SliceNames,
    source_fields: list[FieldSpec],
    req: PolicyRequest,
    policy: str,
) -> tuple[str, str]:
    """Dispatch the source command through its public API and find the policy's effect."""
    # the policy acts on the aggregate with the fact's id: one id names both
    args = [source.id_name, *(f"{f.name}={sample(f)}" for f in source_fields)]
    text = r.render(
        "slice_tests/test_policy_integration.py.j2",
        [
            ("pathlib", "Path"),
            ("uuid", "uuid4"),
            *sample_imports(source_fields),
            t.paths.package_import(),
            PyPaths(
                t.paths.app, req.source_domain, t.paths.domains_dir, t.paths.facts_dir
            ).package_import(),
            (t.paths.shared("messages"), "DomainError"),
        ],
        policy=policy,
        event=req.event,
        command=req.command,
        source_domain=req.source_domain,
        id_name=source.id_name,
        flag=t.flag,
        call_api=call(f"outcome = {req.source_domain}.{source.command}", args, indent="        "),
    )
    return f"{t.paths.tests_dir(t.command)}/test_{policy}_integration.py", text
