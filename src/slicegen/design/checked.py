"""The design of existing code, built without validating it: the checks the design model's
validators make, as plain functions, and plain stand-ins for its classes.

:mod:`slicegen.design.model` (pydantic) builds its classes through :func:`checked_slice` and its
siblings with :data:`MODELS`; lint's drift check (SG602) builds the plain classes below
(:data:`PLAIN`), which hold the same fields and answer the same methods, so a lint run never
imports pydantic (~0.06 s). ``tests/storm/test_checked_design.py`` checks that both kinds hold
the same data and render the same documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from slicegen import naming
from slicegen.errors import SlicegenError
from slicegen.fields import parse_field
from slicegen.stacks import artifacts, registry


@lru_cache(maxsize=8192)
def valid_name(value: str) -> bool:
    """Whether ``value`` passes :func:`slicegen.naming.validate_name` (memoised)."""
    try:
        naming.validate_name(value)
    except SlicegenError:
        return False
    return True


@lru_cache(maxsize=8192)
def _field_spec(spec: str) -> str | None:
    try:
        return parse_field(spec).spec()
    except SlicegenError:
        return None


def checked_fields(specs: list[str]) -> list[str] | None:
    """What ``VersionDesign._fields`` makes of ``specs``, or None where it would refuse."""
    out = []
    for spec in specs:
        normal = _field_spec(spec)
        if normal is None:
            return None
        out.append(normal)
    names = [s.partition(":")[0] for s in out]
    return out if len(set(names)) == len(names) else None


class Kinds(NamedTuple):
    """How the ``checked_*`` functions build each part (keyword arguments: its fields)."""

    version: Callable[..., Any]
    projection: Callable[..., Any]
    policy: Callable[..., Any]
    slice: Callable[..., Any]
    domain: Callable[..., Any]
    design: Callable[..., Any]
    #: the design of data the checks cannot vouch for, validated (``DesignModel.model_validate``)
    validated: Callable[[dict[str, Any]], Any]


def checked_slice(data: dict[str, Any], domain: str, kinds: Kinds) -> Any:
    """The slice ``data`` describes in ``domain``, as validating it in a ``DesignModel`` would
    leave it (event types filled in, the domain's own triggers bare), or None where validation
    would fail. Built without pydantic's validation: the design of existing code has thousands
    of slices, and lint builds it on every run that changed a file.

    ``data`` has the long forms only: ``event`` (non-empty), ``description``, ``versions`` (dicts
    with ``version``, ``fields``, ``event_type``), ``projections`` (dicts with ``read_model`` and
    ``versions``) and ``policies`` (dicts with ``on`` and ``version``), as
    :mod:`slicegen.design.from_workspace` makes them.
    """
    event = data["event"]
    if not (isinstance(event, str) and event and valid_name(event)):
        return None
    versions = []
    for number, item in enumerate(data["versions"], start=1):
        fields = checked_fields(item["fields"])
        if item["version"] != number or fields is None:
            return None
        event_type = item["event_type"] or naming.event_type_string(event, number)
        versions.append(kinds.version(version=number, fields=fields, event_type=event_type))
    if not versions:
        return None
    projections = []
    for item in data["projections"]:
        if not valid_name(item["read_model"]):
            return None
        projections.append(
            kinds.projection(read_model=item["read_model"], versions=list(item["versions"]))
        )
    policies = []
    for item in data["policies"]:
        source, sep, trigger = item["on"].rpartition(":")
        if (sep and not valid_name(source)) or not valid_name(trigger) or item["version"] < 1:
            return None
        on = trigger if (source if sep else domain) == domain else item["on"]
        policies.append(kinds.policy(on=on, version=item["version"]))
    return kinds.slice(
        event=event,
        description=data["description"],
        versions=versions,
        projections=projections,
        policies=policies,
    )


def checked_domain(aggregate: str, slices: dict[str, Any], facts: list[str], kinds: Kinds) -> Any:
    """A domain of slices made by :func:`checked_slice` (whose command names are valid), or
    None where validating it would fail."""
    if not valid_name(aggregate) or not all(valid_name(f) for f in facts):
        return None
    return kinds.domain(aggregate=aggregate, description="", slices=slices, facts=list(facts))


def checked_design(
    app: str | None, stack: str | None, domains: dict[str, Any], kinds: Kinds
) -> Any:
    """A design of domains made by :func:`checked_domain` under valid names; anything else
    is validated."""
    if (
        (app is None or isinstance(app, str))
        and (stack is None or registry.is_stack(stack))
        and all(valid_name(name) for name in domains)
    ):
        return kinds.design(app=app, stack=stack, domains=domains)
    return kinds.validated({"app": app, "stack": stack, "domains": domains})


# --- the plain classes (what the renderers read of the design model's) -----------------------


@dataclass(frozen=True, slots=True)
class Version:
    """``VersionDesign``'s fields."""

    version: int
    fields: list[str] = field(default_factory=list)
    event_type: str | None = None


@dataclass(frozen=True, slots=True)
class Projection:
    """``ProjectionDesign``'s fields."""

    read_model: str
    versions: list[int] = field(default_factory=lambda: [1])


@dataclass(frozen=True, slots=True)
class Policy:
    """``PolicyDesign``'s fields and methods."""

    on: str
    version: int = 1

    def trigger(self, domain: str) -> tuple[str, str]:
        """(source domain, event): the domain itself for a bare event."""
        source, sep, event = self.on.rpartition(":")
        return (source if sep else domain), event

    def module(self, command: str) -> str:
        """``when_account_initialized_then_establish_profile_v1``."""
        return artifacts.policy_stem(self.trigger("")[1], command, self.version)


@dataclass(frozen=True, slots=True)
class Slice:
    """``SliceDesign``'s fields and methods."""

    event: str = ""
    description: str = ""
    versions: list[Version] = field(default_factory=list)
    projections: list[Projection] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)

    def event_type(self, version: Version) -> str:
        """The stored type string of ``version``'s event."""
        return version.event_type or naming.event_type_string(self.event, version.version)


@dataclass(frozen=True, slots=True)
class Domain:
    """``DomainDesign``'s fields and methods."""

    aggregate: str
    description: str = ""
    slices: dict[str, Slice] = field(default_factory=dict)
    facts: list[str] = field(default_factory=list)

    def events(self) -> dict[str, str]:
        """Event name -> the command (slice) that emits it."""
        return {s.event: command for command, s in self.slices.items()}


@dataclass(frozen=True, slots=True)
class Design:
    """``DesignModel``'s fields."""

    app: str | None = None
    stack: str | None = None
    domains: dict[str, Domain] = field(default_factory=dict)


def _validated(data: dict[str, Any]) -> Any:
    """Data the checks cannot vouch for: the design model validates it (pydantic; never for
    the design of a workspace model, whose app, stack and domain names are valid)."""
    from dataclasses import asdict

    from slicegen.design.model import DesignModel

    domains = {name: asdict(dom) for name, dom in data["domains"].items()}
    return DesignModel.model_validate({**data, "domains": domains})


PLAIN = Kinds(Version, Projection, Policy, Slice, Domain, Design, _validated)
