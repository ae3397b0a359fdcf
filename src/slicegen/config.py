"""The workspace configuration: ``slicegen.toml`` or ``[tool.slicegen]`` in ``pyproject.toml``.

Keys are kebab-case in TOML (``domains-dir``, ``extend-select``), as ruff's are. An unknown key or
a bad value is a one-line :class:`SlicegenError` naming the file, key, value and what is allowed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from slicegen import naming
from slicegen.constants import CONFIG_FILE, PROJECT_FILES, PYPROJECT, VCS_MARKERS
from slicegen.errors import SlicegenError
from slicegen.safe_files import UnsafePath, read_regular
from slicegen.stacks import registry
from slicegen.stacks.registry import StackName

MAX_CONFIG_BYTES = 4 * 1024 * 1024

Stack = StackName

#: The elixir stack's event stores: ExESDB (the guideline's default), Commanded's PostgreSQL
#: EventStore, or Commanded's in-memory store. Tests use the in-memory store whichever is chosen.
EventStore = Literal["ex_esdb", "eventstore", "in_memory"]
EVENT_STORES: tuple[EventStore, ...] = ("ex_esdb", "eventstore", "in_memory")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Section(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=_kebab, populate_by_name=True, frozen=True
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
        default_factory=dict, description="Glob -> codes ignored in matching files."
    )
    crud_verbs: list[str] = Field(
        default_factory=lambda: list(naming.CRUD_VERBS),
        description="Verbs that make an event or command a CRUD name.",
    )
    extend_crud_verbs: list[str] = Field(
        default_factory=list, description="Verbs added to 'crud-verbs' (e.g. 'modify', 'save')."
    )
    exclude: list[str] = Field(default_factory=list, description="Globs of paths never linted.")
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

    @field_validator("crud_verbs", "extend_crud_verbs")
    @classmethod
    def _lower_verbs(cls, verbs: list[str]) -> list[str]:
        for verb in verbs:
            if not verb.isascii() or not verb.isalpha():
                raise ValueError(f"a CRUD verb is one ASCII word, got {verb!r}")
        return [v.lower() for v in verbs]

    def all_crud_verbs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.crud_verbs, *self.extend_crud_verbs]))


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

    @field_validator("domains_dir", "facts_dir", "design_docs_dir")
    @classmethod
    def _inside_workspace(cls, folder: str | None) -> str | None:
        if folder is not None:
            parts = folder.replace("\\", "/").split("/")
            if not folder.strip() or "\x00" in folder or folder[:1] in "/\\" or ".." in parts:
                raise ValueError(
                    "a folder must be a relative path inside the workspace, without '..'"
                )
        return folder

    @field_validator("app")
    @classmethod
    def _valid_app(cls, app: str | None) -> str | None:
        if app is not None:
            try:
                naming.validate_name(app, "app")
            except SlicegenError as exc:
                raise ValueError(exc.message) from None
        return app

    def require_scaffold(self) -> tuple[Stack, str]:
        """The stack and app, or an error saying how to set them."""
        if self.stack is None or self.app is None:
            raise SlicegenError(
                "the workspace config has no 'stack' and 'app': set them in slicegen.toml "
                '(e.g. stack = "python", app = "shop") or run \'slicegen init\''
            )
        return self.stack, self.app

    def resolved_domains_dir(self) -> str:
        stack, app = self.require_scaffold()
        return self.domains_dir or registry.conventions(stack).default_domains_dir(app)

    def resolved_facts_dir(self) -> str:
        stack, app = self.require_scaffold()
        if self.facts_dir:
            return self.facts_dir
        return registry.conventions(stack).default_facts_dir(app)

    def storming_doc(self, domain: str) -> str:
        """Path of a domain's event-storming document, relative to the workspace root."""
        stack, app = self.require_scaffold()
        if self.design_docs_dir:
            return f"{self.design_docs_dir}/{domain}/event-storming.md"
        return registry.conventions(stack).storming_doc(self.resolved_domains_dir(), app, domain)


def parse_config(data: dict[str, Any], source: Path, section: str = "") -> Config:
    """Validate raw TOML data; errors name ``source`` and the offending key."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise SlicegenError(_describe(exc, source, section)) from None


def _describe(exc: ValidationError, source: Path, section: str) -> str:
    err = exc.errors()[0]
    loc = [str(part) for part in err["loc"]]
    key = _shown(".".join([*([section] if section else []), *loc]))
    if err["type"] == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = ", ".join(sorted(_kebab(f) for f in model.model_fields)) if model else "?"
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


def read_config_file(path: Path) -> Config | None:
    """The config in ``path`` (slicegen.toml, or pyproject's [tool.slicegen]); None if absent."""
    try:
        # a regular file, never through a symlink (it could point out of the workspace), capped
        raw = tomllib.loads(read_regular(path, MAX_CONFIG_BYTES)[0].decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SlicegenError(f"{path}: not valid TOML: {exc}; fix the syntax") from None
    except (RecursionError, MemoryError):
        raise SlicegenError(
            f"{path}: nested too deeply to read; flatten its tables and arrays"
        ) from None
    except UnsafePath as exc:
        raise SlicegenError(f"{path}: cannot be read ({exc.reason}); check the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise SlicegenError(f"{path}: cannot be read ({reason}); check the file") from None
    if path.name == PYPROJECT:
        tool = raw.get("tool", {})
        if "slicegen" not in tool:
            return None
        if not isinstance(tool["slicegen"], dict):
            raise SlicegenError(f"{path}: [tool.slicegen] must be a table")
        return parse_config(tool["slicegen"], path, "tool.slicegen")
    return parse_config(raw, path)


def find_config(start: Path) -> tuple[Path, Config] | None:
    """Walk up from ``start``: the first slicegen.toml or pyproject with [tool.slicegen] wins."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        for name in (CONFIG_FILE, PYPROJECT):
            candidate = folder / name
            if candidate.is_file() or candidate.is_symlink():
                config = read_config_file(candidate)
                if config is not None:
                    return candidate, config
    return None


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that is a project repository's root (holds
    ``.git`` or ``.hg`` and a project file such as ``mix.exs`` or ``pyproject.toml``), else
    ``start``: where lint works from when no config is found."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        if any((folder / m).exists() for m in VCS_MARKERS) and any(
            (folder / p).is_file() for p in PROJECT_FILES
        ):
            return folder
    return start


def render_config(stack: Stack, app: str, event_store: EventStore | None = None) -> str:
    """The ``slicegen.toml`` that ``slicegen init`` writes."""
    store = f'event-store = "{event_store}"\n' if event_store else ""
    return (
        "# slicegen workspace configuration; every key is documented in docs/configuration.md\n"
        f'stack = "{stack}"\n'
        f'app = "{app}"\n'
        f"{store}"
        "\n"
        "[lint]\n"
        'select = ["SG"]\n'
        "ignore = []\n"
    )
