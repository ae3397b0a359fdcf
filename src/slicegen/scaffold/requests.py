"""What each scaffolding command asks for, validated before any stack sees it."""

from __future__ import annotations

from collections.abc import Mapping
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
class LockedField:
    """A field as ``events.lock.toml`` keeps it: its type as written, whitespace removed."""

    name: str
    type: str
    required: bool


@dataclass(frozen=True)
class Restore:
    """The locked shape of a slice's newest event, which its code no longer has (SG205):
    ``add-version`` gives the next version the edited shape and writes this one back."""

    path: str  # the event file
    fields: tuple[LockedField, ...]
    renamed: Mapping[str, str] = field(default_factory=dict)  # locked name -> edited name


@dataclass(frozen=True)
class VersionRequest:
    domain: str
    command: str
    fields: list[FieldSpec] = field(default_factory=list)
    restore: Restore | None = None
