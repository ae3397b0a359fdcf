"""``slicegen add-fact`` and ``add-policy`` (python): facts between domains, policies on them.

A fact is the only thing another domain may react to: ``add-fact`` writes the fact module under
the shared facts area, the publisher in the source slice and its registration; ``add-policy``
writes a policy in the slice of the command it triggers, registered on the fact (or, for a trigger
from the same domain, on the domain event).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field, replace

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.fields import FieldSpec, FieldType
from slicegen.scaffold.requests import FactRequest, PolicyRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks import refusals
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.preconditions import slice_starts, start_names
from slicegen.stacks.python.pysource import (
    assertion,
    call,
    declaration,
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
    equals,
    sample_kwargs,
    start_call,
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
    return SliceNames.of(paths, aggregate, info, info.events[0], event=event)


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
    t = SliceNames.of(paths, aggregate, target, target.commands[-1])
    source_paths = PyPaths.of(ctx, req.source_domain)
    source = _source_slice(cs, source_paths, req.event)
    same_domain = req.source_domain == req.domain
    if same_domain and source.command == req.command:
        raise refusals.policy_loop(req.domain, req.command, req.event)
    r = Renderer(ctx.root, paths)
    policy = f"when_{req.event}_then_{req.command}_v1"
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
    mapping = map_command(
        t, trigger_fields, trigger_arg, trigger_class, source.aggregate, same_domain
    )
    cs.add(
        t.file(policy),
        r.render(
            "slice/policy.py.j2",
            [
                *([("typing", "NoReturn")] if mapping.unmapped else []),
                (t.module(f"command_{t.v}"), t.command_class),
                (trigger_module, trigger_class),
            ],
            policy=policy,
            event=req.event,
            source_domain=req.source_domain,
            trigger_arg=trigger_arg,
            trigger_class=trigger_class,
            command_class=t.command_class,
            build_command=build("command", t.command_class, mapping.kwargs),
            notes=mapping.notes,
            unmapped=mapping.unmapped,
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
            checks=[assertion(f"command.{n}", op, v) for n, op, v in mapping.checks],
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
        target_id = (
            source.id_name
            if mapping.id_field == "aggregate_id"
            else sample(FieldSpec(mapping.id_field, FieldType("uuid")))
        )
        cs.add(*_policy_integration_test(cs, r, t, source, newest, req, policy, target_id))


@dataclass
class Mapping:
    """How a policy builds its command from the trigger, and what its test expects."""

    id_field: str = "aggregate_id"  # the trigger's field that names the command's aggregate
    kwargs: list[str] = field(default_factory=list)
    checks: list[tuple[str, str, str]] = field(default_factory=list)  # field, operator, value
    notes: list[str] = field(default_factory=list)  # docstring lines
    unmapped: list[str] = field(default_factory=list)


def map_command(
    t: SliceNames,
    trigger_fields: list[FieldSpec],
    arg: str,
    trigger_class: str,
    source_aggregate: str,
    same_domain: bool,
) -> Mapping:
    """Each command field from the trigger's field of the same name and type.

    The command's aggregate is the trigger's ``<aggregate>_id`` field if it has one, else the
    trigger's own aggregate; a ``<source aggregate>_id`` field takes the trigger's aggregate id.
    An optional field the trigger lacks is None; any other field the trigger cannot give is an
    ``_unmapped(...)`` call that raises, so the policy fails loudly until someone maps it.
    """
    known = {f.name: f for f in trigger_fields}
    out = Mapping()
    target_id = known.get(t.id_name)
    if target_id is not None and target_id.type == FieldType("uuid"):
        out.id_field = t.id_name
        out.kwargs.append(f"aggregate_id={arg}.{t.id_name}")
        out.checks.append(("aggregate_id", "==", sample(target_id)))
        out.notes.append(f"The {t.aggregate.replace('_', ' ')} is the {arg}'s {t.id_name}.")
    else:
        out.kwargs.append(f"aggregate_id={arg}.aggregate_id")
        out.checks.append(("aggregate_id", "==", ID_SAMPLE))
    source_id = f"{source_aggregate}_id"
    for spec in t.fields:
        given = known.get(spec.name)
        if given is not None and _fits(given.type, spec.type):
            out.kwargs.append(f"{spec.name}={arg}.{spec.name}")
            out.checks.append((spec.name, equals(spec), sample(given)))
        elif (
            not same_domain
            and spec.name == source_id
            and FieldType(spec.type.scalar, spec.type.is_list) == FieldType("uuid")
        ):
            out.kwargs.append(f"{spec.name}={arg}.aggregate_id")
            out.checks.append((spec.name, "==", ID_SAMPLE))
        elif spec.type.optional:
            out.kwargs.append(f"{spec.name}=None")
            out.checks.append((spec.name, "is", "None"))
            out.notes.append(f"The {arg} has no {spec.name}: it is left empty (None).")
        else:
            why = (
                f"its {spec.name} is {given.type.spec()}, not {spec.type.spec()}"
                if given is not None
                else f"it has no {spec.name} ({spec.type.spec()})"
            )
            reason = f"map {spec.name} from {trigger_class}: {why}"
            kwarg = f'{spec.name}=_unmapped("{reason}")'
            if len(kwarg) > 100 - len("        ,"):
                kwarg = f'{spec.name}=_unmapped(\n            "{reason}"\n        )'
            out.kwargs.append(kwarg)
            out.unmapped.append(spec.name)
    if out.unmapped:
        out.notes.append(
            f"Not mapped yet: {', '.join(out.unmapped)}. Until each says where its value comes "
            "from, the policy raises NotImplementedError (slicegen lint: SG406)."
        )
    out.notes = [line for note in out.notes for line in textwrap.wrap(note, 92)]
    return out


def _fits(given: FieldType, wanted: FieldType) -> bool:
    """A value of type ``given`` may fill a field of type ``wanted`` (``T`` fills ``T | None``)."""
    return given == wanted or (wanted.optional and given == replace(wanted, optional=False))


def _policy_integration_test(
    cs: ChangeSet,
    r: Renderer,
    t: SliceNames,
    source: SliceNames,
    source_fields: list[FieldSpec],
    req: PolicyRequest,
    policy: str,
    target_id: str,
) -> tuple[str, str]:
    """Dispatch the source command through its public API and find the policy's effect.

    An aggregate that the source command (or the policy's command) needs is started first, by
    dispatching the v1 command of the slice that starts it.
    """
    args = [source.id_name, *(f"{f.name}={sample(f)}" for f in source_fields)]
    imports: list[tuple[str, str]] = []
    starts: list[str] = []
    needs = [
        (source.paths, source.aggregate, source.command, source.id_name),
        (t.paths, t.aggregate, t.command, target_id),
    ]
    for paths, aggregate, command, id_name in needs:
        if slice_starts(cs, paths, command):
            continue
        start = start_names(cs, paths, aggregate, command)
        if start is None:
            continue
        alias = f"{paths.domain}_dispatch"
        imports += [
            *sample_imports(start.fields),
            (paths.module("app"), f"dispatch as {alias}"),
            (start.module(f"command_{start.v}"), start.command_class),
        ]
        starts.append(start_call(start, id_name).replace("dispatch(start)", f"{alias}(start)"))
    text = r.render(
        "slice_tests/test_policy_integration.py.j2",
        [
            ("pathlib", "Path"),
            ("uuid", "uuid4"),
            ("pytest", "MonkeyPatch"),
            *sample_imports(source_fields),
            *imports,
            t.paths.package_import(),
            source.paths.package_import(),
            (t.paths.shared("messages"), "DomainError"),
            (t.paths.shared("runtime"), "database_variable"),
        ],
        policy=policy,
        event=req.event,
        command=req.command,
        source_domain=req.source_domain,
        id_name=source.id_name,
        target_id=target_id,
        starts=starts,
        flag=t.flag,
        call_api=call(f"outcome = {req.source_domain}.{source.command}", args, indent="        "),
    )
    return f"{t.paths.tests_dir(t.command)}/test_{policy}_integration.py", text
