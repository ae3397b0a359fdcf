"""The one discovery of a workspace's domains: lint's model, ``storm`` and the boundary checks
all see the domains this module finds, from the same ``[lint.boundaries]`` settings.

A domain is declared (``domains`` globs over folders or root files, ``namespaces`` as ArchTest's
``define_slices``, ``modules`` to set a domain's module name) or recognised with evidence: a
Python package under the source root, an umbrella app, or an Elixir context (a folder with its
root file beside it: ``lib/my_app/orders/`` and ``lib/my_app/orders.ex``). Layer and seedwork
folders (``domain``, ``web``, ``seedwork``, ...) are never domains. A domain's root file belongs
to it. The shared kernel (``<app>.shared``, ``<App>Shared``), the facts area and ``shared``
entries are usable by every domain.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from slicegen import naming
from slicegen.safe_files import holds_name_ending, linked_below, read_text_or_none, walk_down
from slicegen.stacks.artifacts import TECHNICAL_FOLDERS
from slicegen.stacks.registry import StackName as Stack

if TYPE_CHECKING:
    from slicegen.config import Config

SKIP_DIRS = frozenset(
    {"__pycache__", "_build", "deps", "node_modules", "cover", "shared", "facts", "migrations"}
)
#: Top-level folders of snippets beside the product (each file a lesson): no domain to storm
#: (SG601) or to declare (``adopt``).
SNIPPET_FOLDERS = frozenset({"examples", "example", "docs", "samples", "demos"})
#: Folders that are a layer, a technical area or shared code, never a domain of their own.
LAYER_FOLDERS = frozenset(
    {
        *SKIP_DIRS,
        "domain",
        "application",
        "infrastructure",
        "infra",
        "seedwork",
        "building_blocks",
        "buildingblocks",
        "core",
        "common",
        "commons",
        "kernel",
        "shared_kernel",
        "web",
        "api",
        "adapters",
        "ports",
        "interfaces",
        "presentation",
        "persistence",
        "entrypoints",
        "service_layer",
        "projections",
        "utils",
        "types",
        "config",
        "cli",
        "test",
        "tests",
        "lib",
        "priv",
    }
)

#: Folders that are a layer of a Python app too: its console or GUI (``ui``, ``gui``: a game
#: library's widgets and their mouse and key events), its test support (``testing``), a Django
#: project's ``settings`` package, its data transfer objects and errors.
PYTHON_LAYER_FOLDERS = LAYER_FOLDERS | {"ui", "gui", "testing", "settings", "dto", "exceptions"}


@dataclass(frozen=True, slots=True)
class Domain:
    """A bounded context: its name, its directory and its public root module."""

    name: str
    path: str
    """Its folder ("" for a domain declared by module namespace only)."""
    module: str
    stack: Stack
    root_file: str = ""
    """Its root module's file beside the folder (``lib/my_app/orders.ex``), if any."""


#: Elixir's own top-level modules: no app may define one, so an app folder named so
#: (lexical's ``apps/protocol``, whose code is ``Lexical.Protocol``) owns none of their uses
#: (``Protocol.UndefinedError``, ``Registry.lookup``).
ELIXIR_OWN = frozenset(
    "Access Agent Application Atom Base Behaviour Bitwise Calendar Code Config Date DateTime "  # noqa: SIM905
    "Enum Exception File Float Function GenServer IO Inspect Integer Kernel Keyword List Logger "
    "Macro Map MapSet Module Node OptionParser Path Port Process Protocol Range Record Regex "
    "Registry Stream String Supervisor System Task Time Tuple URI Version".split()
)


@dataclass
class DomainMap:
    """The domains of a workspace, with lookups by path and by module name."""

    domains: tuple[Domain, ...]
    shared: tuple[str, ...] = ()
    app: str = ""
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    listed: tuple[str, ...] = ()
    """Directories whose entries decided the domains, and files whose text did (a package's
    ``__init__.py``, a ``mix.exs``, an Elixir context's root file): the result cache compares
    their mtimes."""
    cacheable: bool = True
    exports: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per domain, module globs other domains may use besides its root."""
    declared: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per domain, the dependencies its ``use Boundary, deps: [...]`` declares."""
    warnings: tuple[str, ...] = ()
    """One line per contract entry that matches nothing."""
    _by_module: dict[str, Domain] = field(init=False, repr=False)
    _by_path: dict[str, Domain] = field(init=False, repr=False)
    _by_file: dict[str, Domain] = field(init=False, repr=False)
    _memo: dict[str, Domain | None] = field(init=False, repr=False)
    _folders: dict[str, Domain | None] = field(init=False, repr=False)
    _shared: dict[str, bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_module = {
            d.module: d for d in self.domains if d.stack != "elixir" or d.module not in ELIXIR_OWN
        }
        self._by_path = {d.path: d for d in self.domains if d.path}
        self._by_file = {d.root_file: d for d in self.domains if d.root_file}
        self._memo = {}
        self._folders = {}
        self._shared = {}

    def by_name(self, name: str) -> Domain | None:
        return next((d for d in self.domains if d.name == name), None)

    def of_path(self, path: str) -> Domain | None:
        """The domain whose directory (the deepest one) or root file holds ``path``."""
        if path in self._by_file:
            return self._by_file[path]
        folder = path.rpartition("/")[0]
        if folder in self._folders:
            return self._folders[folder]
        found: Domain | None = None
        prefix = folder
        while prefix:
            found = self._by_path.get(prefix)
            if found is not None:
                break
            prefix = prefix.rpartition("/")[0]
        self._folders[folder] = found
        return found

    def of_module(self, module: str) -> Domain | None:
        """The domain whose public root is ``module`` or a dotted prefix of it; a Python
        module spelled from the tree's root (``src.contexts.users``) is the one below ``src``."""
        if module in self._memo:
            return self._memo[module]
        found: Domain | None = None
        name = module
        while name:
            found = self._by_module.get(name)
            if found is not None:
                break
            name = name.rpartition(".")[0]
        if found is None and module.startswith("src."):
            found = self.of_module(module[4:])
            found = found if found is not None and found.stack == "python" else None
        self._memo[module] = found
        return found

    def is_shared(self, module: str) -> bool:
        known = self._shared.get(module)
        if known is None:
            known = any(module == s or module.startswith(s + ".") for s in self.shared)
            self._shared[module] = known
        return known

    def python_module(self, path: str) -> tuple[str, bool]:
        """A Python file's dotted module name and whether it is a package ``__init__``."""
        domain = self.of_path(path)
        stem = path.removesuffix(".py")
        if domain is not None and path == domain.root_file:
            return domain.module, False
        if domain is not None and domain.path:
            parts = [domain.module, *stem[len(domain.path) + 1 :].split("/")]
        else:
            parts = stem.removeprefix("src/").split("/")
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        return ".".join(parts), is_package

    def is_exported(self, domain: Domain, module: str) -> bool:
        """Whether ``module`` is one that ``domain`` exports besides its root (``exports``
        globs, absolute or below the domain's module, and ``use Boundary, exports: [...]``)."""
        return any(
            module_matches(module, g) or module_matches(module, f"{domain.module}.{g}")
            for g in self.exports.get(domain.name, ())
        )

    def layer(self, domain: Domain, module: str) -> str | None:
        """The first segment below the domain's root (``web`` in ``shop.orders.web.views``)."""
        if not module.startswith(domain.module + "."):
            return None
        segment = module[len(domain.module) + 1 :].split(".", 1)[0]
        return naming.to_snake(segment) if domain.stack == "elixir" else segment

    def owner_of_env(self, variable: str) -> Domain | None:
        """The domain of ``<APP>_<DOMAIN>_..._DATABASE_URL`` (the longest matching name)."""
        stem = variable.removesuffix("_DATABASE_URL")
        if self.app and stem.startswith(self.app.upper() + "_"):
            stem = stem[len(self.app) + 1 :]
        padded = f"_{stem}_"
        matches = [d for d in self.domains if f"_{d.name.upper()}_" in padded]
        return max(matches, key=lambda d: len(d.name), default=None)

    def owner_of_table(self, table: str, mapped_by: frozenset[str] = frozenset()) -> Domain | None:
        """The domain that owns ``table``: by ``tables`` globs, else the one its ``<domain>_``
        prefix names, unless only one other domain maps it to a schema (``mapped_by``, names):
        then that one (``email_settings`` mapped only in ``notifications`` is theirs)."""
        table = table.lower()
        for domain in self.domains:
            if any(fnmatch.fnmatchcase(table, g) for g in self.tables.get(domain.name, ())):
                return domain
        if self.app and table.startswith(self.app + "_"):
            table = table[len(self.app) + 1 :]
        matches = [d for d in self.domains if table == d.name or table.startswith(d.name + "_")]
        named = max(matches, key=lambda d: len(d.name), default=None)
        if named is None or len(mapped_by) != 1 or named.name in mapped_by:
            return named
        return self.by_name(next(iter(mapped_by)))


@lru_cache(maxsize=4096)
def _glob_pattern(glob: str) -> re.Pattern[str]:
    parts = []
    for segment in glob.split("."):
        if segment == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        else:
            parts.append(".*".join(re.escape(p) for p in segment.split("*")).replace(".*", "[^.]*"))
    return re.compile(r"\.".join(parts))


def module_matches(module: str, glob: str) -> bool:
    """Whether a dotted module name matches a glob: ``*`` within one segment, ``**`` for one
    segment or more (``MyApp.Orders.**``, ``**.*Repo``, ``Domain.**``)."""
    return _glob_pattern(glob).fullmatch(module) is not None


def is_module_glob(entry: str) -> bool:
    """Whether a ``layers`` entry is a module glob rather than a folder name inside a domain."""
    return "." in entry or "*" in entry or entry[:1].isupper()


def module_of_dir(rel: str, stack: Stack) -> str:
    """``src/shop/accounts`` -> ``shop.accounts``; ``apps/reckon_accounts`` -> ``ReckonAccounts``;
    ``lib/backend/access`` -> ``Backend.Access``."""
    parts = rel.split("/")
    if stack == "python":
        if parts[0] in ("src", "lib") and len(parts) > 1:
            parts = parts[1:]
        return ".".join(parts)
    if "lib" in parts[:-1]:
        after = parts[len(parts) - parts[::-1].index("lib") :]
        return ".".join(naming.to_pascal(p) for p in after)
    return naming.to_pascal(parts[-1])


_Found = tuple[str, Stack, str]
"""A domain found on disk: its folder, its stack and its root file ("" when none)."""


def discover(root: Path, config: Config) -> DomainMap:
    """The workspace's domains, as ``[lint.boundaries]`` declares them or the layout shows."""
    settings = config.lint.boundaries
    app = config.app or ""
    found: list[_Found] = []
    shared: list[str] = []
    listed: set[Path] = {root}
    warnings: list[str] = []
    cacheable = True
    if settings.domains:
        for pattern in settings.domains:
            cacheable = cacheable and "**" not in pattern
            hits = _configured(root, _expand(root, pattern, listed))
            if not hits:
                warnings.append(
                    f"[lint.boundaries] domains entry '{pattern}' matches no folder or root "
                    "file; fix the glob or remove it"
                )
            found.extend(hits)
    elif not settings.namespaces:
        found, shared = _from_layout(root, config, listed)
    domains = _declared(_named(_merged(found), app), config, warnings)
    shared.extend(_kernel(config))
    for entry in settings.shared:
        named = next((d for d in domains if d.name == entry), None)
        shared.append(named.module if named else entry)
    tables = {name: tuple(globs) for name, globs in settings.tables.items()}
    deps, declared_exports = _boundary_contracts(root, domains)
    exports = {name: tuple(globs) for name, globs in settings.exports.items()}
    names = {d.name for d in domains}
    for key, entries in (("allow", settings.allow), ("exports", exports), ("tables", tables)):
        for name, targets in entries.items():
            unknown = [name] if name not in names else []
            if key == "allow":
                unknown += [t for t in targets if t not in names]
            warnings.extend(
                f"[lint.boundaries] {key} names '{u}', which is no domain (domains: "
                f"{', '.join(sorted(names)) or 'none'}); fix the name or remove it"
                for u in dict.fromkeys(unknown)
            )
    folders = tuple(sorted({p.relative_to(root).as_posix() for p in listed}))
    return DomainMap(
        tuple(domains),
        tuple(dict.fromkeys(shared)),
        app,
        tables,
        folders,
        cacheable,
        {
            n: exports.get(n, ()) + declared_exports.get(n, ())
            for n in {*exports, *declared_exports}
        },
        deps,
        tuple(warnings),
    )


def _configured(root: Path, matches: list[Path]) -> list[_Found]:
    """The domains that ``domains`` glob matches make: a folder, or a root file (whose folder,
    beside it, need not exist)."""
    out: list[_Found] = []
    for match in matches:
        if match.name.startswith((".", "_")):
            continue
        rel = match.relative_to(root).as_posix()
        if match.is_dir():
            out.append((rel, _stack_of(match), _root_file(root, rel)))
        elif match.suffix in (".ex", ".py") and match.is_file():
            stack: Stack = "elixir" if match.suffix == ".ex" else "python"
            out.append((rel.rsplit(".", 1)[0], stack, rel))
    return out


def _root_file(root: Path, rel: str) -> str:
    """``lib/my_app/orders.ex`` beside the folder ``lib/my_app/orders``, if it is there."""
    beside = root / f"{rel}.ex"
    return f"{rel}.ex" if beside.is_file() and not beside.is_symlink() else ""


def _merged(found: list[_Found]) -> list[_Found]:
    """One entry per folder (a glob may match both ``orders/`` and ``orders.ex``)."""
    by_path: dict[str, _Found] = {}
    for rel, stack, file in found:
        known = by_path.get(rel)
        by_path[rel] = (rel, stack, file or (known[2] if known else ""))
    return list(by_path.values())


def _declared(domains: list[Domain], config: Config, warnings: list[str]) -> list[Domain]:
    """Apply ``modules`` (a domain's module name) and ``namespaces`` (domains by module)."""
    settings = config.lint.boundaries
    by_name = {d.name: d for d in domains}
    for name, module in settings.modules.items():
        if name in by_name:
            by_name[name] = replace(by_name[name], module=module)
        else:
            warnings.append(
                f"[lint.boundaries] modules names '{name}', which is no domain; fix the name "
                "or remove it"
            )
    for name, namespace in settings.namespaces.items():
        if name in by_name:
            by_name[name] = replace(by_name[name], module=namespace)
        else:
            stack: Stack = config.stack or ("python" if namespace.islower() else "elixir")
            by_name[name] = Domain(name, "", namespace, stack)
    return list(by_name.values())


def _boundary_contracts(
    root: Path, domains: list[Domain]
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The deps (as domain names where they are domains) and export globs that each Elixir
    domain's root file declares with ``use Boundary``."""
    from slicegen.model.boundary_decl import read_declaration

    by_module = {d.module: d.name for d in domains}
    deps: dict[str, tuple[str, ...]] = {}
    exports: dict[str, tuple[str, ...]] = {}
    for domain in domains:
        folder, name = domain.path, domain.path.rsplit("/", 1)[-1]
        candidates = [domain.root_file]
        if folder:  # an umbrella app's root, or the root inside the context's folder
            candidates += [f"{folder}/lib/{name}.ex", f"{folder}/{name}.ex"]
        file = next((f for f in candidates if f.endswith(".ex") and (root / f).is_file()), "")
        if not file:
            continue
        declared = read_declaration(root / file)
        if declared is not None:
            deps[domain.name] = tuple(dict.fromkeys(by_module.get(m, m) for m in declared.deps))
            exports[domain.name] = declared.exports
    for name, apps in _umbrella_deps(root, domains).items():
        deps[name] = tuple(dict.fromkeys((*deps.get(name, ()), *apps)))
    return deps, exports


#: A dependency on one line of a ``mix.exs``: ``{:cluster_manager, in_umbrella: true}``.
_DEP_LINE = re.compile(r"^[^\S\n]*\{[^\S\n]*:([a-z_][a-z0-9_]*)\b([^}\n]*)\}", re.MULTILINE)
_IN_UMBRELLA = re.compile(r"\bin_umbrella:\s*true\b")


def _umbrella_deps(root: Path, domains: list[Domain]) -> dict[str, tuple[str, ...]]:
    """The domains that each umbrella app taken whole as a domain depends on in its
    ``mix.exs`` (``{:cluster_manager, in_umbrella: true}``, not ``only:`` some environments):
    a dependency declared in the build, explicit as an ``allow`` entry."""
    by_folder = {d.path: d.name for d in domains if d.stack == "elixir" and d.path}
    out: dict[str, tuple[str, ...]] = {}
    for folder, name in by_folder.items():
        text = read_text_or_none(root / folder / "mix.exs") if "/" in folder else None
        parent = folder.rsplit("/", 1)[0]
        apps = [
            by_folder.get(f"{parent}/{m.group(1)}")
            for m in _DEP_LINE.finditer(text or "")
            if _IN_UMBRELLA.search(m.group(2)) and "only:" not in m.group(2)
        ]
        if found := tuple(a for a in apps if a is not None and a != name):
            out[name] = found
    return out


def _expand(root: Path, pattern: str, listed: set[Path]) -> list[Path]:
    """Glob ``pattern`` under ``root`` step by step, noting every directory whose entries count."""
    if "**" in pattern:  # symlinks are never domains: lint follows none (see model.discovery)
        return sorted(p for p in root.glob(pattern.strip("/")) if not linked_below(root, p))
    current = [root]
    for part in pattern.strip("/").split("/"):
        following: list[Path] = []
        for folder in current:
            listed.add(folder)
            if any(ch in part for ch in "*?["):
                if folder.is_dir():
                    following.extend(
                        c
                        for c in sorted(folder.iterdir())
                        if fnmatch.fnmatchcase(c.name, part) and not c.is_symlink()
                    )
            elif (folder / part).exists() and not (folder / part).is_symlink():
                following.append(folder / part)
        current = following
    listed.update(p for p in current if p.is_dir())
    return current


def _stack_of(folder: Path) -> Stack:
    if (folder / "mix.exs").is_file() or "lib" in folder.parts[-3:-1]:
        return "elixir"
    if any(p.suffix in (".ex", ".exs") for p in folder.iterdir() if p.is_file()):
        return "elixir"
    return "python"


def _from_layout(root: Path, config: Config, listed: set[Path]) -> tuple[list[_Found], list[str]]:
    found: list[_Found] = []
    shared: list[str] = []
    bases: list[Path] = []
    if config.stack in (None, "python"):
        if config.app:
            bases.append(root / (config.domains_dir or f"src/{config.app}"))
        elif (root / "src").is_dir() and not (root / "src").is_symlink():
            listed.add(root / "src")
            bases.extend(
                p
                for p in sorted((root / "src").iterdir())
                if not p.is_symlink()
                and (p / "__init__.py").is_file()
                and not shows_its_use(root, p.name, listed)
            )
        if not config.app:
            bases.extend(c for c in _module_containers(root, listed) if c not in bases)
    for base in bases:
        if not base.is_dir() or linked_below(root, base) or base.name in PYTHON_LAYER_FOLDERS:
            continue  # a symlinked base folder is never followed (see model.discovery)
        listed.add(base)
        shared.append(module_of_dir(base.relative_to(root).as_posix(), "python") + ".shared")
        container = base.name in MODULE_CONTAINERS
        if not container and any((base / name).is_dir() for name in MODULE_CONTAINERS):
            continue  # its domains are in its contexts/ folder; scripts/ beside it is none
        # with no app configured, a package outside a modules folder is a domain only with
        # evidence (_shows_slices); the app's packages are what a configured app declares
        needs_evidence = not config.declares_domains and not container
        for child in sorted(base.iterdir()):
            if child.is_symlink():
                continue
            if child.is_dir():
                listed.add(child)
            if _is_python_domain(child, container) and (
                not needs_evidence
                or _has_public_api(child, root, listed)
                or _shows_slices(child, listed)
            ):
                found.append((child.relative_to(root).as_posix(), "python", ""))
    if config.stack in (None, "elixir"):
        found.extend(_elixir_domains(root, config, listed, shared))
    return found, shared


#: Folders a modular monolith keeps its modules in (``app/modules/<module>``, ``src/contexts``).
MODULE_CONTAINERS = ("modules", "contexts", "bounded_contexts")


def _module_containers(root: Path, listed: set[Path]) -> list[Path]:
    """``<top>/modules`` (or ``contexts``, ``bounded_contexts``) right in the root, in ``src``
    or in a top-level package (also one in ``src``): each child package in it is a domain
    (``app/modules/accounts``, ``src/todo/contexts/tasks``)."""
    tops = [root, root / "src"]
    tops += [
        p
        for p in (*_children(root, root), *_children(root / "src", root))
        if (p / "__init__.py").is_file() and p.name not in ("test", "tests")
    ]
    listed.update(top for top in tops if top.is_dir())
    return [
        top / name
        for top in tops
        for name in MODULE_CONTAINERS
        if (top / name).is_dir() and not linked_below(root, top / name)
    ]


def _elixir_domains(
    root: Path, config: Config, listed: set[Path], shared: list[str]
) -> list[_Found]:
    """Umbrella apps, or the contexts inside an app (``lib/my_app/orders/`` beside
    ``lib/my_app/orders.ex``) when it has any, else the app's code (``lib/my_app``) as one
    domain; a mix project in a folder of the repository counts as an umbrella app does. Web
    apps (``my_app_web``) and the folders of a web layer (``lib/my_app_web/plugs/`` beside
    ``plugs.ex``) are never domains."""
    apps = root / (
        config.domains_dir if config.stack == "elixir" and config.domains_dir else "apps"
    )
    projects: list[Path] = []
    if apps.is_dir() and not linked_below(root, apps):
        listed.add(apps)
        for child in sorted(apps.iterdir()):
            if child.is_symlink():
                continue  # never followed (see model.discovery)
            if child.is_dir():
                listed.add(child)
            if (child / "mix.exs").is_file():
                projects.append(child)
    elif (root / "mix.exs").is_file():
        projects.append(root)
    else:  # a repository holding its mix project in a folder (``ptah/mix.exs``)
        for c in _children(root, root):
            if c.name in SKIP_DIRS or c.name.startswith(".") or not (c / "mix.exs").is_file():
                continue
            apps_of = [a for a in _children(c / "apps", root) if (a / "mix.exs").is_file()]
            if apps_of:  # an umbrella in a folder (``weather/apps/core``): its apps, as above
                listed.update((c / "apps", *apps_of))
            projects.extend(apps_of or [c])
    found: list[_Found] = []
    # the layout slicegen writes (a <app>_shared kernel beside the domain apps) names each app
    # after its domain, whatever the word: an app named after a layer is a domain there only
    kernel = any(p.name.endswith("_shared") for p in projects)
    # an umbrella whose every app ends in one layer word (smoothie_api, provider_api) names its
    # apps so: the word is its convention, no layer
    layered = {p.name.rsplit("_", 1)[-1] for p in projects if not p.name.endswith("_web")}
    convention = len(layered) == 1 and layered <= LAYER_FOLDERS
    for project in projects:
        rel = project.relative_to(root).as_posix()
        name = project.name
        _watch(project / "mix.exs", listed)  # its ``package:`` decides
        mix = read_text_or_none(project / "mix.exs")  # read once: library, app, deps
        if _library(project, mix):
            if (project / "lib").is_dir():
                listed.add(project / "lib")  # a web layer made there makes it an application
            continue
        if name.endswith("_shared") or name == "shared":
            shared.append(module_of_dir(rel, "elixir"))
            continue
        lib = project / "lib"
        standalone = project == root or project.parent == root  # not an umbrella's app
        if (
            not standalone
            and not (kernel or convention)
            and name.rsplit("_", 1)[-1] in LAYER_FOLDERS
        ):
            continue  # shop_projections, shop_core, shop_api: a layer of the apps, no context
        codes = _children(lib, root) if standalone else [lib / name]
        codes = [c for c in codes if not c.name.endswith("_web")]  # the web layer's folders
        if standalone and lib.is_dir():
            listed.add(lib)  # its folders decide the domains (for the result cache)
        # the contexts of the app (lib/<app>/) when it has some: teslamate's lib/tesla_api/ is
        # an API client kept beside them, its folders no bounded contexts
        app_code = lib / (_app(mix) or name)
        contexts = _contexts(root, app_code, listed) if standalone and app_code in codes else []
        contexts = contexts or [c for code in codes for c in _contexts(root, code, listed)]
        if standalone and not _divides_into_contexts(mix):
            contexts = []  # hex's lib/hex/http.ex beside http/: a program's modules
        own = [c for c in codes if c.name != "mix"]  # lib/mix/tasks: the project's tasks
        if contexts:
            found.extend(contexts)
        elif standalone and len(own) == 1:  # an app without contexts: one domain
            code = own[0].relative_to(root).as_posix()
            found.append((code, "elixir", _root_file(root, code)))
        elif project != root and not name.endswith("_web") and name not in LAYER_FOLDERS:
            found.append((rel, "elixir", ""))
    return found


#: ``package: [...]`` (or ``package: package()``) in a mix project: what ``mix hex.publish`` reads.
# A line's indent is [^\S\n]*, not \s*: from each line start \s* rescans the blank lines below,
# quadratic in a planted file of them.
_HEX_PACKAGE = re.compile(r"^[^\S\n]*package:\s", re.MULTILINE)
#: ``releases: [...]`` in a mix project: a system deployed as a release, not a library.
_RELEASES = re.compile(r"^[^\S\n]*releases:\s", re.MULTILINE)


#: The dependencies of a mix project whose code its team divides into bounded contexts:
#: Phoenix's contexts over Ecto, Commanded's aggregates, Ash's domains, Boundary's.
_CONTEXT_DEPS = re.compile(
    r"\{[^\S\n]*:(?:phoenix|ecto|ecto_sql|commanded|eventstore|ash|boundary)[^\S\n]*,"
)


#: A dependency in a mix project: ``{:cowboy, "~> 2.14"}``.
_MIX_DEP = re.compile(r"\{[^\S\n]*:[a-z_][a-z0-9_]*[^\S\n]*,")


def _divides_into_contexts(text: str | None) -> bool:
    """Whether the mix project whose ``mix.exs`` is ``text`` may divide its code into bounded
    contexts: it depends on a framework of them (:data:`_CONTEXT_DEPS`), or lists no dependency
    at all (its folders decide). A program whose dependencies are none of them (Hex: cowboy,
    bypass) keeps modules in folders beside their root files, as contexts are kept, but they
    are no contexts: the app is one domain."""
    return text is None or _CONTEXT_DEPS.search(text) is not None or not _MIX_DEP.search(text)


def is_library(project: Path) -> bool:
    """Whether the Mix project in ``project`` is a library published as a Hex package (its
    ``mix.exs`` declares ``package:``): its folders are modules of an API, not bounded contexts.
    A project that also declares ``releases:`` (glific), or keeps a Phoenix app's web layer
    (``lib/<app>_web/``: teiserver), is an application its team deploys, its Hex metadata
    notwithstanding."""
    return _library(project, read_text_or_none(project / "mix.exs"))


def _library(project: Path, text: str | None) -> bool:
    """:func:`is_library` of a ``mix.exs`` already read (None: no such file)."""
    if text is None or not _HEX_PACKAGE.search(text) or _RELEASES.search(text):
        return False
    return not (project / "lib" / f"{_app(text) or project.name}_web").is_dir()


def compiles(project: Path, folder: str) -> bool:
    """Whether the Mix project in ``project`` compiles its top folder ``folder``: ``lib``
    (Mix's default ``elixirc_paths``) and ``apps`` (an umbrella's) always, another only when
    its ``mix.exs`` names it (``elixirc_paths: ["lib", "web"]``). A folder it never names holds
    no code of the app: commanded/generator's ``templates/aggregate/events/event.ex`` is an EEx
    template."""
    if folder in ("lib", "apps"):
        return True
    text = read_text_or_none(project / "mix.exs")
    return text is None or f'"{folder}"' in text or f'"{folder}/' in text


#: ``app: :my_app`` in a mix project: the OTP application, whose code is ``lib/my_app``.
MIX_APP = re.compile(r"\bapp:\s*:([a-z_][a-z0-9_]*)")


def mix_app(project: Path) -> str | None:
    """The ``app:`` that the mix project in ``project`` declares (None without one)."""
    return _app(read_text_or_none(project / "mix.exs"))


def _app(text: str | None) -> str | None:
    """:func:`mix_app` of a ``mix.exs`` already read."""
    found = MIX_APP.search(text or "")
    return found.group(1) if found else None


#: ``{:commanded, "~> 0.18"}`` in a mix project's deps: the version it is written for.
_COMMANDED_DEP = re.compile(r'\{\s*:commanded\s*,\s*"[~>=<\s]*(\d+)\.')


def commanded_before_1(root: Path, paths: list[str]) -> bool:
    """Whether every mix project of the tree (``paths``: the walked files) that names a
    Commanded version asks for one before 1.0, and one does: Commanded had no application
    module (``use Commanded.Application``) then, so its router was how commands were
    dispatched."""
    majors = []
    for rel in paths:
        if rel == "mix.exs" or rel.endswith("/mix.exs"):
            text = read_text_or_none(root / rel)  # regular files only: no symlink followed
            majors += [int(m) for m in _COMMANDED_DEP.findall(text or "")]
    return bool(majors) and max(majors) == 0


def _children(folder: Path, root: Path) -> list[Path]:
    """The folders right inside ``folder`` (none when it is missing or a symlink)."""
    if not folder.is_dir() or linked_below(root, folder):
        return []
    return sorted(c for c in folder.iterdir() if c.is_dir() and not c.is_symlink())


def _contexts(root: Path, code: Path, listed: set[Path]) -> list[_Found]:
    """The folders of ``code`` that have their root file beside them (or inside, named after
    the folder) and code of their own; a test-data factory (``use ExMachina``), the app's Ecto
    repository (``use Ecto.Repo`` in ``repo.ex`` beside ``repo/``), its Commanded application
    (``dispatcher.ex`` beside ``dispatcher/router.ex``), a schema with its embedded schemas
    beside it (``actor.ex`` and ``actor/preferences.ex``), a ``commands/`` folder or a folder
    holding its root module alone (``gen_counter/gen_counter.ex``: a module, no internals) is
    none."""
    if not code.is_dir() or linked_below(root, code):
        return []
    listed.add(code)
    out: list[_Found] = []
    for child in sorted(code.iterdir()):
        if child.is_symlink() or not child.is_dir() or child.name in LAYER_FOLDERS:
            continue
        if child.name in _KIND_FOLDERS:
            continue  # lib/my_app/commands/ beside commands.ex: the app's commands, no context
        if child.name.startswith((".", "_")) or not holds_name_ending(child, ".ex"):
            continue
        rel = child.relative_to(root).as_posix()
        if _root_file(root, rel):
            _watch(root / f"{rel}.ex", listed)  # its ``use ExMachina`` (and ``use Boundary``)
            if _no_context(root / f"{rel}.ex"):
                continue  # lib/my_app/factory.ex: the tests' data; lib/my_app/repo.ex: the Repo
            if _exceptions_only(child, listed):
                continue  # edgehog's error.ex beside error/: the app's errors, no context
            out.append((rel, "elixir", f"{rel}.ex"))
        elif _root_inside(child):
            out.append((rel, "elixir", ""))
    return out


def _root_inside(folder: Path) -> bool:
    """Whether a folder holds its root module (``accounts/accounts.ex``) and code besides it:
    ``gen_counter/gen_counter.ex`` alone is a module kept in a folder, with no internals."""
    root = f"{folder.name}.ex"
    return (folder / root).is_file() and holds_name_ending(folder, ".ex", besides=root)


#: ``use ExMachina`` (``ExMachina.Ecto``): a module that builds test data for every context;
#: ``use Ecto.Repo``: the app's repository, which every context's queries go through;
#: ``use Ecto.Schema``: an entity, not the API of a context (``Accounts``) holding it;
#: ``use Commanded.Application``: the app's one way to dispatch (its router in the folder);
#: ``defprotocol``: a protocol, whose folder holds its implementations (``FileSystem.Local``).
_NO_CONTEXT = re.compile(
    r"^[^\S\n]*(?:use\s+(?:ExMachina|Ecto\.Repo|Ecto\.Schema|Commanded\.Application)\b"
    r"|defprotocol\s)",
    re.MULTILINE,
)
#: Folders of one artifact kind that no business is named after: ``commands/`` beside
#: ``commands.ex`` holds an app's commands, never a bounded context (an ``Events`` context of a
#: meetup app, an insurer's ``Policies`` may well be one: those names decide nothing here).
_KIND_FOLDERS = frozenset(
    folder for folder, kind in TECHNICAL_FOLDERS.items() if kind is not None
) - {"events", "policies"}
#: The technical folders a Python app keeps a layer in (``models/``, ``services/``,
#: ``controllers/``, ``commands/``): SG308 flags them inside a domain; none is one itself.
_PYTHON_TECHNICAL = _KIND_FOLDERS | {f for f, kind in TECHNICAL_FOLDERS.items() if kind is None}

#: Packages of a Python program that serve its every part, whatever their ``__init__.py``
#: exports: its server (the web layer), its utilities, its configuration schemas, its plugin
#: framework. A modules container's children are domains by their place, even so named.
PROGRAM_PARTS = frozenset({"server", "util", "helpers", "schema", "schemas", "plugin", "plugins"})


#: An exception module: ``defexception``, or a library's error macro (``use Splode.Error``).
_EXCEPTION = re.compile(
    r"^[^\S\n]*(?:defexception\b|use\s+(?:[A-Z]\w*\.)*\w*Error\b)", re.MULTILINE
)


def _exceptions_only(folder: Path, listed: set[Path]) -> bool:
    """Whether every source file right inside ``folder`` defines an exception (edgehog's
    ``error/device_offline.ex``: ``use Splode.Error``): the app's errors, not a context."""
    files = [f for f in sorted(folder.iterdir()) if f.name.endswith(".ex") and f.is_file()]
    files = [f for f in files if not f.is_symlink()]
    if not files or any(c.is_dir() for c in folder.iterdir()):
        return False
    for file in files:  # up to the first that is none: its text decides
        _watch(file, listed)
        if not _EXCEPTION.search(read_text_or_none(file) or ""):
            return False
    listed.add(folder)  # a file added there may be no exception
    return True


def _no_context(file: Path) -> bool:
    """Whether an Elixir root file is a test-data factory, the Repo, a schema or a protocol
    rather than a context's API."""
    text = read_text_or_none(file)
    return text is not None and _NO_CONTEXT.search(text) is not None


def _watch(file: Path, listed: set[Path]) -> None:
    """List a regular file whose text decides the domains: the result cache compares its
    mtime too (a symlink is neither read nor listed)."""
    if file.is_file() and not file.is_symlink():
        listed.add(file)


#: Folders where a library's repository shows how it is used (``examples/basic.py`` importing
#: the library, protean's ``docs_src/``, neuroglia's ``samples/``, litestar's ``docs/examples/``).
USAGE_FOLDERS = ("examples", "example", "samples", "docs_src", "docs/examples")
#: The files there whose imports tell: scripts, and pages whose code blocks show the use
#: (opsdroid's ``docs/examples/*.md``: ``from opsdroid.skill import Skill``).
USAGE_SUFFIXES = (".py", ".md", ".rst")


def shows_its_use(root: Path, package: str, listed: set[Path]) -> bool:
    """Whether the repository holds examples that import ``package`` as its users do: the
    package is then a library, one product whose subpackages (``cqrs/events``,
    ``cqrs/dispatcher``) are its parts, not bounded contexts. An app is run, not imported by
    examples of itself; the examples' own package (``examples/``) is none. Every folder looked
    into is ``listed``; the file that decides too."""
    if any(package == name.split("/", 1)[0] for name in USAGE_FOLDERS):
        return False
    uses = re.compile(rf"^[ \t]*(?:from|import)[ \t]+{re.escape(package)}\b", re.MULTILINE)
    for name in USAGE_FOLDERS:
        top = root / name
        if not top.is_dir() or linked_below(root, top):
            continue
        for folder, dirs, files in walk_down(top):  # follows no symlinked folder
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            listed.add(Path(folder))
            for file in (Path(folder) / f for f in files if f.endswith(USAGE_SUFFIXES)):
                if uses.search(read_text_or_none(file) or ""):
                    _watch(file, listed)
                    return True
    return False


def _has_public_api(package: Path, root: Path, listed: set[Path]) -> bool:
    """Whether a package's ``__init__.py`` is an API: it re-exports its own modules' names
    (``from .app import place``, ``from shop.orders.app import place``) or declares
    ``__all__``; an empty one, or a docstring, makes a folder importable, not a boundary. The
    file is ``listed``: the result cache compares its mtime too."""
    init = package / "__init__.py"
    _watch(init, listed)  # one that appears changes its folder, which is listed
    text = read_text_or_none(init)  # None for a symlink: never followed
    if not text:
        return False
    own = re.escape(module_of_dir(package.relative_to(root).as_posix(), "python"))
    return re.search(rf"^(?:from[ \t]+(?:\.|{own}\.)|__all__\b)", text, re.MULTILINE) is not None


def _shows_slices(package: Path, listed: set[Path]) -> bool:
    """Whether a package of an app holds what only a domain of this design holds: a
    ``domain/`` layer, a folder of one artifact kind (``commands/``, ``events/``...), or a
    file named as a slice's (``command_v1.py``, ``events.py``). A package of a layered app
    (``src/dispatch/tag/`` with ``models.py``, ``service.py``, ``views.py`` and an empty
    ``__init__.py``) is a package, not a bounded context: its name alone makes no domain.
    Every folder looked into is ``listed`` (the result cache watches them)."""
    from slicegen.stacks.artifacts import GROUPED_STEMS, in_framework_folder, is_anchor

    for folder, dirs, files in walk_down(package):  # follows no symlinked folder
        here = Path(folder)
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and d not in ("tests", "test")]
        listed.add(here)
        if in_framework_folder(here.relative_to(package.parent).as_posix()):
            continue
        if any(d == "domain" or _slice_kind(TECHNICAL_FOLDERS.get(d)) for d in dirs):
            return True
        stems = (f[:-3] for f in files if f.endswith(".py"))
        if any(is_anchor(stem) or _slice_kind(GROUPED_STEMS.get(stem)) for stem in stems):
            return True
    return False


def _slice_kind(kind: str | None) -> bool:
    """Whether a technical folder's or grouped file's kind is one that only slices hold: a
    Python app's ``handlers.py`` holds its signal, exception or log handlers as often as command
    handlers, and its ``policies/`` its access rules (paperless' ``documents/signals/``)."""
    return kind is not None and kind not in ("handler", "policy")


def _is_python_domain(child: Path, contained: bool = False) -> bool:
    """Whether ``child`` is a domain: a package (or a folder of modules) that is no layer; in a
    modules container, a folder of packages counts too (``contexts/backoffice/users/``)."""
    if child.is_symlink() or not child.is_dir():  # a symlink is never followed
        return False
    if child.name in PYTHON_LAYER_FOLDERS or child.name in MODULE_CONTAINERS:
        return False
    if child.name in _PYTHON_TECHNICAL:
        return False  # winemaking/models/ re-exporting a Django app's models: a layer of the app
    if child.name in PROGRAM_PARTS and not contained:
        return False  # OctoPrint's octoprint/server/, util/, plugin/: parts of one program
    if child.name.startswith((".", "_")):
        return False
    if (child / "__init__.py").is_file() or (contained and holds_name_ending(child, ".py")):
        return True
    with os.scandir(child) as entries:
        return any(e.name.endswith(".py") for e in entries)


def _named(found: list[_Found], app: str) -> list[Domain]:
    names = [rel.rsplit("/", 1)[-1] for rel, _, _ in found]
    umbrella = [
        n for n, (rel, s, _) in zip(names, found, strict=True) if s == "elixir" and "lib" not in rel
    ]
    prefix = f"{app}_" if app else _common_prefix(umbrella)
    domains: list[Domain] = []
    for (rel, stack, file), name in zip(found, names, strict=True):
        if stack == "elixir" and prefix and name.startswith(prefix) and name != prefix:
            name = name[len(prefix) :]
        if name in ("shared", "facts"):
            continue
        domains.append(Domain(name, rel, module_of_dir(rel, stack), stack, file))
    return domains


def _common_prefix(names: list[str]) -> str:
    heads = {n.split("_", 1)[0] for n in names if "_" in n}
    if len(names) >= 2 and len(heads) == 1 and all("_" in n for n in names):
        return heads.pop() + "_"
    return ""


def _kernel(config: Config) -> list[str]:
    kernel: list[str] = []
    if config.app:
        kernel += [f"{config.app}.shared", f"{naming.to_pascal(config.app)}Shared"]
    if config.facts_dir:
        stack: Stack = "elixir" if config.stack == "elixir" else "python"
        kernel.append(module_of_dir(config.facts_dir.strip("/"), stack))
    return kernel
