"""The design model: what a workspace's domains decide, independent of the code that implements it.

One YAML file describes every domain: its aggregate, its slices (a command with its versions and
fields, the event it emits, the projections of that event, the policies that trigger the command)
and the facts it publishes to other domains. ``slicegen storm --export`` writes it from the code,
``slicegen apply`` plans the code it describes, and ``slicegen storm`` renders it into each
domain's event-storming document.

Example (``docs/examples/design.yaml`` holds a complete one)::

    app: shop
    stack: python
    domains:
      accounts:
        aggregate: account
        slices:
          initialize_account:
            event: account_initialized
            versions:
              - version: 1
                fields: [email:str, name:str]
            projections: [summary]
        facts: [account_initialized]
      profiles:
        aggregate: profile
        slices:
          establish_profile:
            policies: [accounts:account_initialized]

Short forms: a projection may be just its read model (``summary``, version 1), a policy just its
trigger (``event`` of the same domain, or ``source_domain:event`` for a fact of another domain),
and a slice without ``versions`` has one version without fields. A validation error is one line
naming the file and the key.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from slicegen import naming
from slicegen.design import checked
from slicegen.errors import SlicegenError
from slicegen.fields import parse_field
from slicegen.stacks import artifacts, registry
from slicegen.stacks.registry import StackName

if TYPE_CHECKING:
    import yaml


def _name(value: str, what: str) -> str:
    try:
        return naming.validate_name(value, what)
    except SlicegenError as exc:
        raise ValueError(exc.message) from None


class _Strict(BaseModel):
    # defer_build: lint builds designs of code without validation (see checked_slice), so it
    # never pays for the validators' schemas
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class VersionDesign(_Strict):
    """One version of a slice's command and event (``InitializeAccountV2``)."""

    version: int = Field(ge=1, description="The version number: 1, 2, ...")
    fields: list[str] = Field(
        default_factory=list,
        description="The command's (and event's) fields as 'name:type' specs, e.g. 'email:str', "
        "'tags:list[str]', 'note:str?'.",
    )
    event_type: str | None = Field(
        None,
        description="The event's stored type string; default '<event>:v<version>'. Informational: "
        "apply generates the conventional one and refuses any other.",
    )

    @field_validator("fields")
    @classmethod
    def _fields(cls, specs: list[str]) -> list[str]:
        out: list[str] = []
        for spec in specs:
            try:
                out.append(parse_field(spec).spec())
            except SlicegenError as exc:
                raise ValueError(exc.message) from None
        names = [s.partition(":")[0] for s in out]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"field '{dupes[0]}' is given twice: give each field once")
        return out


class ProjectionDesign(_Strict):
    """A projection of the slice's event into a read model (``initialized_to_summary_v1``)."""

    read_model: str = Field(description="The read model, snake_case ('summary').")
    versions: list[int] = Field(
        default_factory=lambda: [1], description="Versions of the projection module (default [1])."
    )

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"read_model": data} if isinstance(data, str) else data

    @field_validator("read_model")
    @classmethod
    def _read_model(cls, value: str) -> str:
        return _name(value, "read model")


class PolicyDesign(_Strict):
    """A policy ``when_<event>_then_<command>_v<N>``, in the slice of the command it triggers."""

    on: str = Field(
        description="The trigger: an event of this domain ('account_initialized'), or "
        "'source_domain:event' for a fact another domain publishes."
    )
    version: int = Field(1, ge=1, description="The policy module's version.")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"on": data} if isinstance(data, str) else data

    @field_validator("on")
    @classmethod
    def _trigger(cls, value: str) -> str:
        source, sep, event = value.rpartition(":")
        if sep:
            _name(source, "policy trigger domain")
        _name(event, "policy trigger event")
        return value

    def trigger(self, domain: str) -> tuple[str, str]:
        """(source domain, event): the domain itself for a bare event."""
        source, sep, event = self.on.rpartition(":")
        return (source if sep else domain), event

    def module(self, command: str) -> str:
        """``when_account_initialized_then_establish_profile_v1``."""
        return artifacts.policy_stem(self.trigger("")[1], command, self.version)


class SliceDesign(_Strict):
    """One slice: a command (verb first), the event it emits, and what hangs off that event."""

    event: str = Field("", description="The event, past tense (default: from the command name).")
    description: str = Field(
        "",
        description="What the slice does: exported from the command module's docstring or "
        "@moduledoc, shown in the document; apply does not write it (edit the module instead).",
    )
    versions: list[VersionDesign] = Field(
        default_factory=lambda: [VersionDesign(version=1)],
        description="The command/event versions, oldest first, numbered 1..N.",
    )
    projections: list[ProjectionDesign] = Field(
        default_factory=list, description="Projections of the event into read models."
    )
    policies: list[PolicyDesign] = Field(
        default_factory=list, description="Policies that dispatch this slice's command."
    )

    @field_validator("event")
    @classmethod
    def _event(cls, value: str) -> str:
        return _name(value, "event name") if value else value

    @field_validator("versions")
    @classmethod
    def _numbered(cls, versions: list[VersionDesign]) -> list[VersionDesign]:
        numbers = [v.version for v in versions]
        if not versions or numbers != list(range(1, len(versions) + 1)):
            raise ValueError(f"versions must be numbered 1..N in order, got {numbers}")
        return versions

    def event_type(self, version: VersionDesign) -> str:
        """The stored type string of ``version``'s event."""
        return version.event_type or naming.event_type_string(self.event, version.version)


class DomainDesign(_Strict):
    """A bounded context: its aggregate, its slices by command name, and the facts it publishes."""

    aggregate: str = Field(description="The aggregate's snake_case name ('account').")
    description: str = Field("", description="What the domain is for (free text).")
    slices: dict[str, SliceDesign] = Field(
        default_factory=dict, description="Slices by command name ('initialize_account')."
    )
    facts: list[str] = Field(
        default_factory=list,
        description="Events published to other domains as facts ('<domain>:facts:<event>').",
    )

    @field_validator("aggregate")
    @classmethod
    def _aggregate(cls, value: str) -> str:
        return _name(value, "aggregate name")

    @field_validator("slices")
    @classmethod
    def _slices(cls, slices: dict[str, SliceDesign]) -> dict[str, SliceDesign]:
        out: dict[str, SliceDesign] = {}
        for command, slice_ in slices.items():
            _name(command, "command name")
            if not slice_.event:
                try:
                    slice_ = slice_.model_copy(update={"event": naming.default_event(command)})
                except SlicegenError as exc:
                    raise ValueError(f"{command}: {exc.message}") from None
            versions = [
                v if v.event_type else v.model_copy(update={"event_type": slice_.event_type(v)})
                for v in slice_.versions
            ]
            out[command] = slice_.model_copy(update={"versions": versions})
        return out

    @field_validator("facts")
    @classmethod
    def _facts(cls, facts: list[str]) -> list[str]:
        return [_name(f, "fact event") for f in facts]

    def events(self) -> dict[str, str]:
        """Event name -> the command (slice) that emits it."""
        return {s.event: command for command, s in self.slices.items()}


class DesignModel(_Strict):
    """The design of a workspace: its stack and app, and its domains by name."""

    app: str | None = Field(None, description="The app name prefix ('shop').")
    stack: StackName | None = Field(None, description=f"{registry.spelled()}.")
    domains: dict[str, DomainDesign] = Field(
        default_factory=dict, description="Domains by name ('accounts')."
    )

    @field_validator("domains")
    @classmethod
    def _domains(cls, domains: dict[str, DomainDesign]) -> dict[str, DomainDesign]:
        out = {}
        for name, dom in domains.items():
            _name(name, "domain name")
            out[name] = _bare_own_triggers(name, dom)
        return out


def _bare_own_triggers(name: str, dom: DomainDesign) -> DomainDesign:
    """A trigger on the domain's own event is written bare (``account_initialized``)."""
    slices = {}
    for command, slice_ in dom.slices.items():
        policies = [
            p.model_copy(update={"on": p.trigger(name)[1]}) if p.trigger(name)[0] == name else p
            for p in slice_.policies
        ]
        slices[command] = slice_.model_copy(update={"policies": policies})
    return dom.model_copy(update={"slices": slices})


# --- checked construction (the design of existing code) --------------------------------------

#: The model's classes, built without validation by :mod:`slicegen.design.checked`.
MODELS = checked.Kinds(
    VersionDesign.model_construct,
    ProjectionDesign.model_construct,
    PolicyDesign.model_construct,
    SliceDesign.model_construct,
    DomainDesign.model_construct,
    DesignModel.model_construct,
    DesignModel.model_validate,
)
valid_name = checked.valid_name


def checked_slice(data: dict[str, Any], domain: str) -> SliceDesign | None:
    """:func:`slicegen.design.checked.checked_slice` of the model's classes."""
    return cast("SliceDesign | None", checked.checked_slice(data, domain, MODELS))


def checked_domain(
    aggregate: str, slices: dict[str, SliceDesign], facts: list[str]
) -> DomainDesign | None:
    """:func:`slicegen.design.checked.checked_domain` of the model's classes."""
    return cast("DomainDesign | None", checked.checked_domain(aggregate, slices, facts, MODELS))


def checked_design(
    app: str | None, stack: str | None, domains: dict[str, DomainDesign]
) -> DesignModel:
    """:func:`slicegen.design.checked.checked_design` of the model's classes."""
    return cast("DesignModel", checked.checked_design(app, stack, domains, MODELS))


# --- YAML ---------------------------------------------------------------------------------------


def parse_design(text: str, source: str | Path) -> DesignModel:
    """Validate YAML text; an error is one line naming ``source`` and the offending key."""
    import yaml  # not needed by lint's drift check

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid syntax"
        raise SlicegenError(f"{source}: not valid YAML{where}: {problem}; fix the syntax") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SlicegenError(
            f"{source}: a design model is a mapping with 'app', 'stack' and 'domains' keys"
        )
    try:
        return DesignModel.model_validate(data)
    except ValidationError as exc:
        raise SlicegenError(_describe(exc, source)) from None


MAX_MODEL_BYTES = 16 * 1024 * 1024


def load_design(path: Path) -> DesignModel:
    """Read and validate a design model file."""
    from slicegen.safe_files import UnsafePath, read_named_file

    try:
        text = read_named_file(path, MAX_MODEL_BYTES).decode("utf-8")
    except UnsafePath as exc:
        raise SlicegenError(f"{path}: cannot be read ({exc.reason}); give a YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:  # never the decoder's message: it quotes bytes
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise SlicegenError(f"{path}: cannot be read ({reason}); give a UTF-8 YAML file") from None
    return parse_design(text, path)


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}|[0-9]{1,6}")


def _describe(exc: ValidationError, source: str | Path) -> str:
    """The first error, naming its key; the file's text is never quoted (it may be a secret)."""
    err = exc.errors()[0]
    parts = [str(part) for part in err["loc"]]
    key = ".".join(p if _KEY.fullmatch(p) else "<key>" for p in parts) or "(top level)"
    message = " ".join(str(err["msg"]).removeprefix("Value error, ").split())
    if err["type"] == "extra_forbidden":
        return f"{source}: unknown key {key!r}; see the design model's documented keys"
    if err["type"] == "missing":
        return f"{source}: key {key!r} is required"
    return f"{source}: bad value for {key!r}: {message}"


def design_data(model: DesignModel) -> dict[str, Any]:
    """The model as plain data in its short YAML forms (what ``--export`` writes)."""
    data: dict[str, Any] = {}
    if model.app:
        data["app"] = model.app
    if model.stack:
        data["stack"] = model.stack
    data["domains"] = {name: _domain_data(d) for name, d in model.domains.items()}
    return data


def _domain_data(domain: DomainDesign) -> dict[str, Any]:
    data: dict[str, Any] = {"aggregate": domain.aggregate}
    if domain.description:
        data["description"] = domain.description
    data["slices"] = {command: _slice_data(s) for command, s in domain.slices.items()}
    data["facts"] = list(domain.facts)
    return data


def _slice_data(slice_: SliceDesign) -> dict[str, Any]:
    data: dict[str, Any] = {"event": slice_.event}
    if slice_.description:
        data["description"] = slice_.description
    data["versions"] = [
        {"version": v.version, "fields": list(v.fields), "event_type": slice_.event_type(v)}
        for v in slice_.versions
    ]
    if slice_.projections:
        data["projections"] = [
            p.read_model
            if p.versions == [1]
            else {"read_model": p.read_model, "versions": p.versions}
            for p in slice_.projections
        ]
    if slice_.policies:
        data["policies"] = [
            p.on if p.version == 1 else {"on": p.on, "version": p.version} for p in slice_.policies
        ]
    return data


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(i, str | int) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


@cache
def _dumper() -> type[yaml.SafeDumper]:
    """Block style, with flow-style (one-line) lists of scalars such as fields."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(list, _represent_list)
    Dumper.add_representer(str, _represent_str)
    return Dumper


def dump_design(model: DesignModel) -> str:
    """The model as YAML, keys in schema order, lists of names on one line."""
    import yaml

    header = "# slicegen design model: see 'slicegen apply --help' and docs/examples/design.yaml\n"
    body = yaml.dump(
        design_data(model), Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100
    )
    return header + body
