"""The design model of existing code: the workspace model, enriched by :mod:`..storm.extract`.

Slices come in the order the domain's public API defines them, versions in number order, and
anything the code holds that the design schema cannot express (a slice whose name is not
snake_case, a version gap) is left out rather than guessed at: lint reports those.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from slicegen import naming
from slicegen.config import Config
from slicegen.design.model import DesignModel, DomainDesign, SliceDesign
from slicegen.errors import SlicegenError
from slicegen.model.readers.source import TYPE_STRING
from slicegen.model.workspace import Artifact, Domain, Slice, WorkspaceModel
from slicegen.storm import extract
from slicegen.storm.layout import Layout


def load_workspace(root: Path, config: Config) -> WorkspaceModel:
    """Read the tree at ``root`` into the workspace model (the lint engine's reader, no cache)."""
    from slicegen.model.load import load_model

    return load_model(root, config, workers=1).model


def layout_of(model: WorkspaceModel, config: Config | None = None) -> Layout:
    """The conventions the document's code tree is drawn with."""
    if config is not None and config.stack and config.app:
        return Layout.of(config)
    return Layout.default(model.stack, model.app or "app", model.root)


def design_of(model: WorkspaceModel) -> DesignModel:
    """The design model of every domain in ``model``."""
    facts = _facts(model)
    domains: dict[str, DomainDesign] = {}
    for dom in model.domains:
        try:
            naming.validate_name(dom.name, "domain")
        except SlicegenError:
            continue
        try:
            domains[dom.name] = _domain(model, dom, facts)
        except (ValidationError, SlicegenError):  # a tree the schema cannot describe: skip it
            continue
    return DesignModel(app=model.app, stack=model.stack, domains=domains)


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


def _domain(model: WorkspaceModel, dom: Domain, facts: dict[str, list[str]]) -> DomainDesign:
    aggregate = extract.aggregate_of(model, dom)
    by_name = {s.name: s for s in dom.slices}
    order = extract.registration_order(model, dom, list(by_name))
    own_events = {a.business_name for s in dom.slices for a in s.artifacts if a.kind == "event"}
    slices: dict[str, Any] = {}
    for name in order:
        data = _slice(model, by_name[name], aggregate, dom.name, own_events, facts)
        if data is None:
            continue
        try:
            naming.validate_name(name, "command")
            slices[name] = SliceDesign.model_validate(data)
        except (ValidationError, SlicegenError):
            continue
    try:
        return DomainDesign.model_validate(
            {"aggregate": aggregate, "slices": slices, "facts": facts.get(dom.name, [])}
        )
    except ValidationError:
        return DomainDesign(aggregate=extract.singular(dom.name))


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
