"""What each scaffolding command asks for, validated before any stack sees it."""

from __future__ import annotations

from dataclasses import dataclass, field

from slicegen.fields import FieldSpec


@dataclass(frozen=True)
class DomainRequest:
    domain: str
    aggregate: str


@dataclass(frozen=True)
class SliceRequest:
    domain: str
    command: str
    event: str
    fields: list[FieldSpec] = field(default_factory=list)
    projections: list[str] = field(default_factory=list)
    starts: bool | None = None  # the slice starts its aggregate; None: the stack infers it


@dataclass(frozen=True)
class ProjectionRequest:
    domain: str
    slice: str
    read_model: str


@dataclass(frozen=True)
class PolicyRequest:
    domain: str
    command: str
    source_domain: str
    event: str
    with_fact: bool = False


@dataclass(frozen=True)
class FactRequest:
    domain: str
    event: str


@dataclass(frozen=True)
class VersionRequest:
    domain: str
    command: str
    fields: list[FieldSpec] = field(default_factory=list)
