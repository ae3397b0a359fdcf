"""The workspace configuration: ``slicegen.toml`` or ``[tool.slicegen]`` in ``pyproject.toml``.

Keys are kebab-case in TOML (``domains-dir``, ``extend-select``), as ruff's are. An unknown key or
a bad value is a one-line :class:`SlicegenError` naming the file, key, value and what is allowed.
A valid config is read into plain dataclasses without pydantic (about 0.1 s of start-up); only
input that is not plainly valid goes to the schema, :mod:`slicegen.config_schema`, whose verdict
and words are the only ones.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from types import UnionType
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

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


def kebab(name: str) -> str:
    """A field's key in TOML: ``domains_dir`` -> ``domains-dir``."""
    return name.replace("_", "-")


# --- checks of single values (shared with the schema's validators) -----------------------------


def lower_verbs(verbs: list[str]) -> list[str]:
    """CRUD verbs, lower-cased; each is one ASCII word."""
    for verb in verbs:
        if not verb.isascii() or not verb.isalpha():
            raise ValueError(f"a CRUD verb is one ASCII word, got {verb!r}")
    return [v.lower() for v in verbs]


#: The most globs ``exclude`` or ``per-file-ignores`` holds: each is matched against every path
#: of the tree, so a config (a stranger's, in a pull request) holding 20,000 held lint for hours
#: (100 crafted ones cost about 1 ms a path).
MAX_GLOBS = 100
_Globs = TypeVar("_Globs", list[str], dict[str, list[str]])


def few_globs(globs: _Globs) -> _Globs:
    """A list of globs (or a dict keyed by them) of at most :data:`MAX_GLOBS`."""
    if len(globs) > MAX_GLOBS:
        raise ValueError(
            f"at most {MAX_GLOBS} globs, got {len(globs):,}: exclude whole folders with fewer"
        )
    return globs


def inside_workspace(path: str | None) -> str | None:
    """A configured folder: relative, inside the workspace."""
    if path is not None:
        parts = path.replace("\\", "/").split("/")
        if not path.strip() or "\x00" in path or path[:1] in "/\\" or ".." in parts:
            raise ValueError("a folder must be a relative path inside the workspace, without '..'")
    return path


def valid_app(app: str | None) -> str | None:
    """The ``app`` prefix: a valid name."""
    if app is not None:
        try:
            naming.validate_name(app, "app")
        except SlicegenError as exc:
            raise ValueError(exc.message) from None
    return app


# --- the settings ----------------------------------------------------------------------------
# Keys, types and defaults as :mod:`slicegen.config_schema` declares them (with their meaning);
# a field's ``check`` is the schema's validator of it.


def _check(check: Callable[[Any], Any]) -> Mapping[str, Any]:
    return {"check": check}


@dataclass(frozen=True)
class BoundariesConfig:
    """Modulith boundary contracts (rules SG5xx)."""

    domains: list[str] = field(default_factory=list)
    allow: dict[str, list[str]] = field(default_factory=dict)
    strict: bool = False
    shared: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    type_checking_imports: bool = False
    tables: dict[str, list[str]] = field(default_factory=dict)
    namespaces: dict[str, str] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)
    exports: dict[str, list[str]] = field(default_factory=dict)
    covered: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LintConfig:
    """What ``slicegen lint`` checks and where."""

    select: list[str] = field(default_factory=lambda: ["SG"])
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict, metadata=_check(few_globs))
    crud_verbs: list[str] = field(
        default_factory=lambda: list(naming.CRUD_VERBS), metadata=_check(lower_verbs)
    )
    extend_crud_verbs: list[str] = field(default_factory=list, metadata=_check(lower_verbs))
    exclude: list[str] = field(default_factory=list, metadata=_check(few_globs))
    respect_gitignore: bool = True
    slice_layout: bool = True
    suppression_reason: bool = True
    boundaries: BoundariesConfig = field(default_factory=BoundariesConfig)

    def all_crud_verbs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.crud_verbs, *self.extend_crud_verbs]))


@dataclass(frozen=True)
class Config:
    """A workspace's settings. ``stack`` and ``app`` are needed to scaffold, not to lint."""

    stack: Stack | None = None
    app: str | None = field(default=None, metadata=_check(valid_app))
    event_store: EventStore | None = None
    domains_dir: str | None = field(default=None, metadata=_check(inside_workspace))
    facts_dir: str | None = field(default=None, metadata=_check(inside_workspace))
    design_docs_dir: str | None = field(default=None, metadata=_check(inside_workspace))
    lint: LintConfig = field(default_factory=LintConfig)

    def require_scaffold(self) -> tuple[Stack, str]:
        """The stack and app, or an error saying how to set them."""
        if self.stack is None or self.app is None:
            raise SlicegenError(
                "the workspace config has no 'stack' and 'app': set them in slicegen.toml "
                '(e.g. stack = "python", app = "shop") or run \'slicegen init\''
            )
        return self.stack, self.app

    @property
    def declares_domains(self) -> bool:
        """Whether the config says where the domains are (an app, or boundary domains): then
        a package or folder is one without the evidence an unconfigured tree must show."""
        return bool(self.app or self.lint.boundaries.domains)

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

    def as_json(self) -> str:
        """Every setting as JSON text (for cache keys)."""
        return json.dumps(asdict(self), separators=(",", ":"))


# --- reading -----------------------------------------------------------------------------------


def parse_config(data: dict[str, Any], source: Path, section: str = "") -> Config:
    """Validate raw TOML data; errors name ``source`` and the offending key."""
    config = plainly_valid(data)
    if config is None:  # the schema's verdict (pydantic), and its words for what is wrong
        from slicegen.config_schema import parse

        return parse(data, source, section)
    return config


def validated(data: dict[str, Any]) -> Config:
    """``data`` as a :class:`Config`; pydantic's ``ValidationError`` when the schema refuses it."""
    config = plainly_valid(data)
    if config is None:
        from slicegen.config_schema import validate

        return validate(data)
    return config


def plainly_valid(data: dict[str, Any]) -> Config | None:
    """The :class:`Config` of ``data`` when every key is known and every value has exactly its
    field's type (no coercion) and passes its check, as the schema would give it; else None."""
    found = _section(Config, data)
    return None if found is _OFF else found


_OFF: Any = object()  # not plainly valid: the schema decides


def _section(cls: type[Any], data: object) -> Any:
    if type(data) is not dict:
        return _OFF
    values = {}
    for name, (key, hint, check) in _fields(cls).items():
        spelled = key if key in data else name if name in data else None
        if spelled is not None:
            value = _value(hint, data[spelled])
            if value is _OFF:
                return _OFF
            if check is not None:
                try:
                    value = check(value)
                except ValueError:
                    return _OFF
            values[name] = value
    # a key left over is unknown, or the second spelling of one (both are the schema's to refuse)
    return cls(**values) if len(values) == len(data) else _OFF


def _value(hint: Any, value: object) -> Any:
    """``value`` as a field typed ``hint`` holds it, if it has exactly that type; else _OFF."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is str or hint is bool:
        return value if type(value) is hint else _OFF
    if origin is Literal:
        return value if type(value) is str and value in args else _OFF
    if origin is Union or origin is UnionType:  # X | None
        if value is None:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _value(inner, value)
    if origin is list:
        if type(value) is not list:
            return _OFF
        items = [_value(args[0], v) for v in value]
        return _OFF if any(i is _OFF for i in items) else items
    if origin is dict:
        if type(value) is not dict or any(type(k) is not str for k in value):
            return _OFF
        entries = {k: _value(args[1], v) for k, v in value.items()}
        return _OFF if any(v is _OFF for v in entries.values()) else entries
    if isinstance(hint, type) and is_dataclass(hint):
        return _section(hint, value)
    return _OFF


_FIELDS: dict[type[Any], dict[str, tuple[str, Any, Callable[[Any], Any] | None]]] = {}


def _fields(cls: type[Any]) -> dict[str, tuple[str, Any, Callable[[Any], Any] | None]]:
    """A config class's fields: name -> (TOML key, type, check)."""
    if cls not in _FIELDS:
        hints = get_type_hints(cls)
        _FIELDS[cls] = {
            f.name: (kebab(f.name), hints[f.name], f.metadata.get("check")) for f in fields(cls)
        }
    return _FIELDS[cls]


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
            # anything there by that name (a symlink, a FIFO...) is read: refused, never skipped
            if os.path.lexists(candidate):
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
