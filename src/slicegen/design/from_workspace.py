"""The design model of existing code: the workspace model, enriched by :mod:`.extract`.

Slices come in the order the domain's public API defines them, versions in number order, and
anything the code holds that the design schema cannot express (a slice whose name is not
snake_case, a version gap) is left out rather than guessed at: lint reports those.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Collection
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from slicegen import naming
from slicegen.config import Config
from slicegen.design import extract
from slicegen.design.checked import (
    PLAIN,
    Kinds,
    checked_design,
    checked_domain,
    checked_slice,
    valid_name,
)
from slicegen.design.layout import Layout
from slicegen.errors import SlicegenError
from slicegen.model.readers.source import TYPE_STRING
from slicegen.model.workspace import Artifact, Domain, Slice, WorkspaceModel

if TYPE_CHECKING:  # pydantic: lint's drift check builds the plain classes (``plain``)
    from slicegen.design.model import DesignModel, DomainDesign, SliceDesign


def load_workspace(root: Path, config: Config) -> WorkspaceModel:
    """Read the tree at ``root`` into the workspace model (the lint engine's reader, no cache)."""
    from slicegen.model.load import load_model

    return load_model(root, config, workers=1).model


def layout_of(model: WorkspaceModel, config: Config | None = None) -> Layout:
    """The conventions the document's code tree is drawn with."""
    if config is not None and config.stack and config.app:
        return Layout.of(config)
    return Layout.default(model.stack, model.app or "app", model.root)


def design_of(
    model: WorkspaceModel,
    only: Collection[str] | None = None,
    *,
    plain: bool = False,
    made: dict[str, DomainDesign | None] | None = None,
) -> DesignModel:
    """The design model of every domain in ``model`` (or of the domains named in ``only``).

    Built with :func:`~slicegen.design.checked.checked_slice` and its siblings: the same model
    validation would give, without validating thousands of slices one by one. ``plain``: of
    :mod:`slicegen.design.checked`'s plain classes (the same data, read the same way), for a
    caller that only renders it (lint's drift check): pydantic is not imported. ``made``: the
    domains' designs already made (None: one the schema cannot describe), by name, used as
    they are; the ones made here are added (see :func:`design_keys`).
    """
    kinds = PLAIN if plain else _models()
    facts = _facts(model)
    made = {} if made is None else made
    domains: dict[str, DomainDesign] = {}
    for dom in model.domains:
        if not valid_name(dom.name) or (only is not None and dom.name not in only):
            continue
        if dom.name not in made:
            try:
                made[dom.name] = _domain(model, dom, facts, kinds)
            except SlicegenError:  # a tree the schema cannot describe: skip it
                made[dom.name] = None
        found = made[dom.name]
        if found is not None:
            domains[dom.name] = found
    return cast("DesignModel", checked_design(model.app, model.stack, domains, kinds))


def _models() -> Kinds:
    from slicegen.design.model import MODELS

    return MODELS


def policy_domains(model: WorkspaceModel) -> set[str]:
    """Domains with policies: every domain's diagram may show them as consumers of its events."""
    return {
        d.name for d in model.domains for s in d.slices for a in s.artifacts if a.kind == "policy"
    }


#: What :func:`domain_keys` learns of files: for each, its content digest with how it was read,
#: "absent" if there is no such file, None if it cannot say (the key is then unknown).
FileKeys = Callable[[list[str]], list[object]]


#: Per domain name: the :class:`Domain` its inputs were found for, the inputs, and a digest of
#: their bytes (empty when they have none).
KnownInputs = dict[str, tuple[Domain, tuple[Any, ...] | None, bytes]]


def domain_keys(
    model: WorkspaceModel, file_keys: FileKeys, known: KnownInputs | None = None
) -> dict[str, str]:
    """For each domain, a digest of everything :func:`design_of` reads to describe it and of
    what other domains' designs add to its document (their policies); equal keys, equal design.

    A domain missing from the result has an input :func:`file_keys` cannot describe. With
    ``known`` (kept by a caller across re-lints, whose unchanged domains are the same objects,
    files included), a domain's inputs are found again only when its :class:`Domain` is new.
    """
    names = [d.name for d in model.domains]
    if len(set(names)) != len(names):
        return {}
    known = {} if known is None else known
    for name in [n for n in known if n not in names]:
        del known[name]
    for d in model.domains:
        hit = known.get(d.name)
        if hit is None or hit[0] is not d:
            inputs = _inputs(model, d, file_keys)
            known[d.name] = (d, inputs, b"" if inputs is None else _dumped(inputs))
    own = {d.name: known[d.name][1] for d in model.domains}
    policies = sorted(policy_domains(model))
    if any(own[name] is None for name in policies):
        return {}
    try:
        return _keys(model, names, own, policies, {n: known[n][2] for n in names})
    except ValueError:  # a value marshal cannot write: no keys rather than a crash
        return {}


def design_keys(model: WorkspaceModel, known: KnownInputs) -> dict[str, str]:
    """For each domain whose inputs :func:`domain_keys` found (``known``), a digest of what
    :func:`design_of` reads to make its design: its inputs, the facts each domain publishes,
    the stack and app; equal keys, equal design."""
    common = hashlib.blake2b(shared_inputs(model), digest_size=20)
    keys = {}
    for name, (_, inputs, dumped) in known.items():
        if inputs is not None and dumped:
            digest = common.copy()
            digest.update(dumped)
            keys[name] = digest.hexdigest()
    return keys


def shared_inputs(model: WorkspaceModel) -> bytes:
    """What every domain's design is made from besides its own inputs: the stack, the app and
    the facts each domain publishes."""
    return marshal.dumps((model.stack, model.app, sorted(_facts(model).items())), 2)


def _dumped(inputs: tuple[Any, ...]) -> bytes:
    """A digest of the inputs' bytes (hashed once per domain, not on each run that reuses them)."""
    try:
        return hashlib.blake2b(marshal.dumps(inputs, 2), digest_size=20).digest()
    except ValueError:  # a value marshal cannot write: the keys are not made (see _keys)
        return b""


def _keys(
    model: WorkspaceModel,
    names: list[str],
    own: dict[str, tuple[Any, ...] | None],
    policies: list[str],
    dumped: dict[str, bytes],
) -> dict[str, str]:
    common = marshal.dumps(
        (
            model.stack,
            model.app,
            model.facts_dir,
            str(model.root),
            repr(layout_of(model)),  # the configured folders the structure is drawn with
            names,
            sorted(_facts(model).items()),
            [dumped[name] for name in policies],  # their inputs, by digest
        ),
        2,  # no references between objects: the same inputs always give the same bytes
    )
    if any(not dumped[name] for name in policies):
        raise ValueError(policies)  # marshal could not write their inputs
    shared = hashlib.blake2b(common, digest_size=20)
    keys = {}
    for name, inputs in own.items():
        if inputs is not None:
            if not dumped[name]:
                raise ValueError(name)  # marshal could not write its inputs
            digest = shared.copy()
            digest.update(dumped[name])
            keys[name] = digest.hexdigest()
    return keys


_ARTIFACT = attrgetter(
    "kind", "path", "file_stem", "version", "definition_version", "name", "business_name"
)


def _inputs(model: WorkspaceModel, dom: Domain, file_keys: FileKeys) -> tuple[Any, ...] | None:
    """What :func:`_domain` reads for ``dom`` (files by their keys), or None if unknown."""
    if model.stack == "python":
        paths = [f"{dom.root}/state.py", f"{dom.root}/__init__.py", f"{dom.root}/router.py"]
    else:
        paths = [f"{dom.root}.ex", f"{dom.root}/router.ex"]
    listing = extract.shared_modules(model, dom) if model.stack != "python" else []
    slices = [(s.name, [_ARTIFACT(a) for a in s.artifacts]) for s in dom.slices]
    paths += listing + [a[1] for _, artifacts in slices for a in artifacts]
    files = file_keys(paths)
    if None in files:
        return None
    return (dom.name, dom.root, listing, slices, files)


def _facts(model: WorkspaceModel) -> dict[str, list[str]]:
    """Source domain -> the events it publishes as facts."""
    out: dict[str, list[str]] = {}
    area = f"{model.facts_dir}/" if model.facts_dir else ""
    for artifact in model.artifacts:
        if artifact.kind != "fact" or not artifact.domain or not artifact.business_name:
            continue
        publisher = naming.split_version(artifact.file_stem)[0].endswith("_to_fact")
        if (area and not artifact.path.startswith(area)) or publisher:
            continue
        events = out.setdefault(artifact.domain, [])
        if artifact.business_name not in events:
            events.append(artifact.business_name)
    return {domain: sorted(events) for domain, events in out.items()}


def _domain(
    model: WorkspaceModel, dom: Domain, facts: dict[str, list[str]], kinds: Kinds
) -> DomainDesign:
    aggregate = extract.aggregate_of(model, dom)
    published = facts.get(dom.name, [])
    if checked_domain(aggregate, {}, published, kinds) is None:  # its slices would be dropped
        return _bare(dom, kinds)
    by_name = {s.name: s for s in dom.slices}
    order = extract.registration_order(model, dom, list(by_name))
    own_events = {a.business_name for s in dom.slices for a in s.artifacts if a.kind == "event"}
    slices: dict[str, SliceDesign] = {}
    for name in order:
        if not valid_name(name):
            continue
        data = _slice(model, by_name[name], aggregate, dom.name, own_events, facts)
        built = checked_slice(data, dom.name, kinds) if data is not None else None
        if built is not None:
            slices[name] = built
    return cast("DomainDesign", checked_domain(aggregate, slices, published, kinds)) or _bare(
        dom, kinds
    )


def _bare(dom: Domain, kinds: Kinds) -> DomainDesign:
    """The domain without slices, for code whose aggregate or facts the schema cannot name."""
    found: DomainDesign | None = checked_domain(extract.singular(dom.name), {}, [], kinds)
    if found is None:
        raise SlicegenError(f"domain '{dom.name}': no valid aggregate name")  # skipped
    return found


def _slice(
    model: WorkspaceModel,
    found: Slice,
    aggregate: str,
    domain: str,
    own_events: set[str],
    facts: dict[str, list[str]],
) -> dict[str, Any] | None:
    commands = _by_version(found.artifacts, "command")
    events = _by_version(found.artifacts, "event")
    if not commands and not events:
        return None
    event_name = next((e.business_name for e in events.values() if e.business_name), "")
    numbers = sorted(set(commands) | set(events))
    versions = []
    for number in numbers:
        command = commands.get(number)
        fields = extract.command_fields(model, command, aggregate) if command else []
        event = events.get(number)
        versions.append(
            {"version": number, "fields": fields, "event_type": _type_string(model, event)}
        )
    first = commands.get(numbers[0])
    if not event_name:
        try:
            event_name = naming.default_event(found.name)
        except SlicegenError:
            return None
    data: dict[str, Any] = {
        "event": event_name,
        "description": extract.module_doc(model, first.path) if first else "",
        "versions": versions,
        "projections": _projections(found),
        "policies": _policies(model, found, domain, own_events, facts),
    }
    return data


def _by_version(artifacts: list[Artifact], kind: str) -> dict[int, Artifact]:
    out: dict[int, Artifact] = {}
    for artifact in artifacts:
        if artifact.kind == kind:
            out.setdefault(artifact.version or artifact.definition_version or 1, artifact)
    return out


def _type_string(model: WorkspaceModel, event: Artifact | None) -> str | None:
    if event is None:
        return None
    info = model.files.get(event.path)
    for use in info.strings if info else ():
        if use.role == "emit" and TYPE_STRING.fullmatch(use.value):
            return use.value
    return None


def _projections(found: Slice) -> list[dict[str, Any]]:
    read_models: dict[str, list[int]] = {}
    for artifact in found.artifacts:
        if artifact.kind != "projection":
            continue
        base = naming.split_version(artifact.file_stem)[0]
        _, sep, read_model = base.partition("_to_")
        if not sep or read_model in ("state", "fact") or not read_model:
            continue
        read_models.setdefault(read_model, []).append(artifact.version or 1)
    return [
        {"read_model": rm, "versions": sorted(set(versions))}
        for rm, versions in sorted(read_models.items())
    ]


def _policies(
    model: WorkspaceModel,
    found: Slice,
    domain: str,
    own_events: set[str],
    facts: dict[str, list[str]],
) -> list[dict[str, Any]]:
    out = []
    for artifact in sorted(found.artifacts, key=lambda a: a.file_stem):
        if artifact.kind != "policy" or not artifact.file_stem.startswith("when_"):
            continue
        source, event = extract.policy_trigger(model, artifact, found.name)
        if source is None:
            publishers = [d for d, events in facts.items() if event in events and d != domain]
            source = domain if event in own_events or not publishers else publishers[0]
        trigger = event if source == domain else f"{source}:{event}"
        out.append({"on": trigger, "version": artifact.version or 1})
    return out
