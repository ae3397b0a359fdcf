"""The config's schema as pydantic models: what a key may hold, in its own words.

:mod:`slicegen.config` reads a valid config without this module (and without pydantic); input its
plain check does not accept comes here, so an error names the file, key, value and what is
allowed in pydantic's words, and input pydantic accepts in lax ways still gives the same
:class:`~slicegen.config.Config`. ``scripts/gen_docs.py`` writes docs/configuration.md from these
models (their descriptions); ``tests/foundation/test_config_check.py`` checks that the plain
classes declare the same keys, types and defaults.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from slicegen import config as plain
from slicegen import naming
from slicegen.config import EventStore, Stack
from slicegen.errors import SlicegenError


class _Section(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=plain.kebab, populate_by_name=True, frozen=True
    )


class BoundariesConfig(_Section):
    """Modulith boundary contracts (rules SG5xx)."""

    domains: list[str] = Field(
        default_factory=list,
        description="Domains as globs over folders or root files ('src/shop/*', "
        "'lib/my_app/*.ex'); empty: recognised from the layout (see docs/boundaries.md).",
    )
    allow: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Allowed dependencies: a domain -> the domains whose public API it may use.",
    )
    strict: bool = Field(False, description="Forbid any use of another domain (SG504).")
    shared: list[str] = Field(
        default_factory=list,
        description="Modules every domain may use besides the shared kernel and facts.",
    )
    layers: list[str] = Field(
        default_factory=list,
        description="Layers, top first: folder names inside a domain (['web', 'domain', 'repo'])"
        " or module globs (['MyApp.Orders.Web.**', '**.*Repo'], ['Adapters.**', 'Domain.**']).",
    )
    type_checking_imports: bool = Field(
        False, description="Whether imports under 'if TYPE_CHECKING:' count as dependencies."
    )
    tables: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "Tables a domain owns (globs), besides those named '<domain>_*' and those only its "
            "schemas map (SG506)."
        ),
    )
    namespaces: dict[str, str] = Field(
        default_factory=dict,
        description="Domains by module namespace (e.g. orders = 'MyApp.Orders'), wherever "
        "their files are.",
    )
    modules: dict[str, str] = Field(
        default_factory=dict,
        description="A domain's module name when its folder does not spell it (crm = 'MyApp.CRM').",
    )
    exports: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Modules (globs) of a domain that others may use besides its root.",
    )
    covered: list[str] = Field(
        default_factory=list,
        description="Module globs whose every module must belong to a domain (SG507).",
    )


class LintConfig(_Section):
    """What ``slicegen lint`` checks and where."""

    select: list[str] = Field(
        default_factory=lambda: ["SG"],
        description="Rule codes or prefixes to enable (an opt-in rule, SG102, by full code only).",
    )
    ignore: list[str] = Field(
        default_factory=list, description="Rule codes or prefixes to disable."
    )
    extend_select: list[str] = Field(
        default_factory=list, description="Codes or prefixes enabled on top of 'select'."
    )
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict,
        description=f"Glob -> codes ignored in matching files (at most {plain.MAX_GLOBS}).",
    )
    crud_verbs: list[str] = Field(
        default_factory=lambda: list(naming.CRUD_VERBS),
        description="Verbs that make an event or command a CRUD name.",
    )
    extend_crud_verbs: list[str] = Field(
        default_factory=list, description="Verbs added to 'crud-verbs' (e.g. 'modify', 'save')."
    )
    exclude: list[str] = Field(
        default_factory=list,
        description=f"Globs of paths never linted (at most {plain.MAX_GLOBS}).",
    )
    respect_gitignore: bool = Field(True, description="Skip files that .gitignore lists.")
    slice_layout: bool = Field(
        True,
        description="Whether the tree is laid out as slices; false silences the rules about "
        "slices (SG202, SG204, SG301, SG302, SG305).",
    )
    suppression_reason: bool = Field(
        True, description="Whether a suppression comment must give a reason ('-- why')."
    )
    boundaries: BoundariesConfig = Field(default_factory=BoundariesConfig)

    _verbs = field_validator("crud_verbs", "extend_crud_verbs")(plain.lower_verbs)
    _globs = field_validator("per_file_ignores", "exclude")(plain.few_globs)


class Config(_Section):
    """A workspace's settings. ``stack`` and ``app`` are needed to scaffold, not to lint."""

    stack: Stack | None = Field(None, description="Target language: 'python' or 'elixir'.")
    app: str | None = Field(None, description="Name prefix: root package or Elixir app prefix.")
    event_store: EventStore | None = Field(
        None,
        description="Elixir only: 'ex_esdb' (default), 'eventstore' (PostgreSQL) or 'in_memory'.",
    )
    domains_dir: str | None = Field(
        None, description="Where domains live (python: 'src/<app>', elixir: 'apps')."
    )
    facts_dir: str | None = Field(
        None,
        description="Where facts live (python: 'src/<app>/shared/facts', "
        "elixir: 'apps/<app>_shared/lib/<app>_shared').",
    )
    design_docs_dir: str | None = Field(
        None, description="Where storming documents live (python: 'design_docs')."
    )
    lint: LintConfig = Field(default_factory=LintConfig)

    _folders = field_validator("domains_dir", "facts_dir", "design_docs_dir")(
        plain.inside_workspace
    )
    _app = field_validator("app")(plain.valid_app)


def parse(data: dict[str, Any], source: Path, section: str = "") -> plain.Config:
    """Validate raw TOML data; errors name ``source`` and the offending key."""
    try:
        return validate(data)
    except ValidationError as exc:
        raise SlicegenError(_describe(exc, source, section)) from None


def validate(data: dict[str, Any]) -> plain.Config:
    """``data`` validated by the schema (pydantic's :class:`ValidationError` when it is bad)."""
    config: plain.Config = _plain(Config.model_validate(data), plain.Config)
    return config


def _plain(model: BaseModel, cls: type[Any]) -> Any:
    """The plain config class ``cls`` holding ``model``'s values."""
    values = {}
    for f in dataclasses.fields(cls):
        value = getattr(model, f.name)
        values[f.name] = (
            _plain(value, _PLAIN[type(value)]) if isinstance(value, _Section) else value
        )
    return cls(**values)


_PLAIN: dict[type[BaseModel], type[Any]] = {
    BoundariesConfig: plain.BoundariesConfig,
    LintConfig: plain.LintConfig,
    Config: plain.Config,
}


def _describe(exc: ValidationError, source: Path, section: str) -> str:
    err = exc.errors()[0]
    loc = [str(part) for part in err["loc"]]
    key = _shown(".".join([*([section] if section else []), *loc]))
    if err["type"] == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = ", ".join(sorted(plain.kebab(f) for f in model.model_fields)) if model else "?"
        return f"{source}: unknown key {key}; allowed keys here: {allowed}"
    given = _shown(repr(err.get("input")), quote=False)  # a repr: escaped already
    message = " ".join(str(err["msg"]).removeprefix("Value error, ").split())
    return f"{source}: bad value for {key}: {message} (given: {given})"


def _shown(text: str, quote: bool = True) -> str:
    """``text`` for a one-line message: quoted (control characters escaped), shortened if long."""
    if quote:
        return naming.quoted(text, 80)
    return text if len(text) <= 80 else text[:77] + "..."


def _model_at(loc: list[str]) -> type[BaseModel] | None:
    model: type[BaseModel] = Config
    for part in loc:
        field = model.model_fields.get(part.replace("-", "_"))
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model
