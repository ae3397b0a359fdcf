"""Which domain a file or module belongs to, and what every domain may use.

Domains come from the layout by default (python: the packages under ``src/<app>/``, module
``<app>.<domain>``; elixir: the umbrella apps ``apps/<app>_<domain>/``, module ``<App><Domain>``),
or from ``[lint.boundaries] domains`` globs, so a new domain is covered without editing the config.
The shared kernel (``<app>.shared``, ``<App>Shared``), the facts area and ``shared`` entries are
usable by every domain.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from slicegen import naming
from slicegen.boundaries.records import Stack

if TYPE_CHECKING:
    from slicegen.config import Config

SKIP_DIRS = frozenset(
    {"__pycache__", "_build", "deps", "node_modules", "cover", "shared", "facts", "migrations"}
)


@dataclass(frozen=True, slots=True)
class Domain:
    """A bounded context: its name, its directory and its public root module."""

    name: str
    path: str
    module: str
    stack: Stack


@dataclass
class DomainMap:
    """The domains of a workspace, with lookups by path and by module name."""

    domains: tuple[Domain, ...]
    shared: tuple[str, ...] = ()
    app: str = ""
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    listed: tuple[str, ...] = ()
    """Directories whose entries decided the domains (for the result cache)."""
    cacheable: bool = True
    _by_module: dict[str, Domain] = field(init=False, repr=False)
    _by_path: dict[str, Domain] = field(init=False, repr=False)
    _memo: dict[str, Domain | None] = field(init=False, repr=False)
    _folders: dict[str, Domain | None] = field(init=False, repr=False)
    _shared: dict[str, bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_module = {d.module: d for d in self.domains}
        self._by_path = {d.path: d for d in self.domains}
        self._memo = {}
        self._folders = {}
        self._shared = {}

    def by_name(self, name: str) -> Domain | None:
        return next((d for d in self.domains if d.name == name), None)

    def of_path(self, path: str) -> Domain | None:
        """The domain whose directory holds ``path`` (the deepest one)."""
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
        """The domain whose public root is ``module`` or a dotted prefix of it."""
        if module in self._memo:
            return self._memo[module]
        found: Domain | None = None
        name = module
        while name:
            found = self._by_module.get(name)
            if found is not None:
                break
            name = name.rpartition(".")[0]
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
        if domain is not None:
            parts = [domain.module, *stem[len(domain.path) + 1 :].split("/")]
        else:
            parts = stem.removeprefix("src/").split("/")
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        return ".".join(parts), is_package

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

    def owner_of_table(self, table: str) -> Domain | None:
        """The domain that owns ``table``: by ``tables`` globs, else by ``<domain>_`` prefix."""
        table = table.lower()
        for domain in self.domains:
            if any(fnmatch.fnmatchcase(table, g) for g in self.tables.get(domain.name, ())):
                return domain
        if self.app and table.startswith(self.app + "_"):
            table = table[len(self.app) + 1 :]
        matches = [d for d in self.domains if table == d.name or table.startswith(d.name + "_")]
        return max(matches, key=lambda d: len(d.name), default=None)


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


def discover(root: Path, config: Config) -> DomainMap:
    """The workspace's domains, from ``[lint.boundaries] domains`` or from the layout."""
    settings = config.lint.boundaries
    app = config.app or ""
    found: list[tuple[str, Stack]] = []
    shared: list[str] = []
    listed: set[Path] = {root}
    cacheable = True
    if settings.domains:
        for pattern in settings.domains:
            cacheable = cacheable and "**" not in pattern
            for match in _expand(root, pattern, listed):
                if match.is_dir() and not match.name.startswith((".", "_")):
                    found.append((match.relative_to(root).as_posix(), _stack_of(match)))
    else:
        found, shared = _from_layout(root, config, listed)
    domains = _named(found, app)
    shared.extend(_kernel(config))
    for entry in settings.shared:
        named = next((d for d in domains if d.name == entry), None)
        shared.append(named.module if named else entry)
    tables = {name: tuple(globs) for name, globs in settings.tables.items()}
    folders = tuple(sorted({p.relative_to(root).as_posix() for p in listed}))
    return DomainMap(tuple(domains), tuple(dict.fromkeys(shared)), app, tables, folders, cacheable)


def _expand(root: Path, pattern: str, listed: set[Path]) -> list[Path]:
    """Glob ``pattern`` under ``root`` step by step, noting every directory whose entries count."""
    if "**" in pattern:  # symlinks are never domains: lint follows none (see model.discovery)
        return sorted(p for p in root.glob(pattern.strip("/")) if not _linked(p, root))
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


def _from_layout(
    root: Path, config: Config, listed: set[Path]
) -> tuple[list[tuple[str, Stack]], list[str]]:
    found: list[tuple[str, Stack]] = []
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
                if not p.is_symlink() and (p / "__init__.py").is_file()
            )
    for base in bases:
        if not base.is_dir() or _linked(base, root):
            continue  # a symlinked base folder is never followed (see model.discovery)
        listed.add(base)
        shared.append(module_of_dir(base.relative_to(root).as_posix(), "python") + ".shared")
        for child in sorted(base.iterdir()):
            if child.is_symlink():
                continue
            if child.is_dir():
                listed.add(child)
            if _is_python_domain(child):
                found.append((child.relative_to(root).as_posix(), "python"))
    if config.stack in (None, "elixir"):
        apps = root / (
            config.domains_dir if config.stack == "elixir" and config.domains_dir else "apps"
        )
        if apps.is_dir() and not _linked(apps, root):
            listed.add(apps)
            for child in sorted(apps.iterdir()):
                if child.is_symlink():
                    continue  # never followed (see model.discovery)
                if child.is_dir():
                    listed.add(child)
                if not (child / "mix.exs").is_file():
                    continue
                rel = child.relative_to(root).as_posix()
                if child.name.endswith("_shared") or child.name == "shared":
                    shared.append(module_of_dir(rel, "elixir"))
                else:
                    found.append((rel, "elixir"))
    return found, shared


def _linked(path: Path, root: Path) -> bool:
    """Whether ``path`` or a folder between ``root`` and it is a symlink."""
    while path != root and path != path.parent:
        if path.is_symlink():
            return True
        path = path.parent
    return False


def _is_python_domain(child: Path) -> bool:
    if child.is_symlink() or not child.is_dir():  # a symlink is never followed
        return False
    if child.name in SKIP_DIRS or child.name.startswith((".", "_")):
        return False
    if (child / "__init__.py").is_file():
        return True
    with os.scandir(child) as entries:
        return any(e.name.endswith(".py") for e in entries)


def _named(found: list[tuple[str, Stack]], app: str) -> list[Domain]:
    names = [rel.rsplit("/", 1)[-1] for rel, _ in found]
    elixir_names = [n for n, (_, s) in zip(names, found, strict=True) if s == "elixir"]
    prefix = f"{app}_" if app else _common_prefix(elixir_names)
    domains: list[Domain] = []
    for (rel, stack), name in zip(found, names, strict=True):
        if stack == "elixir" and prefix and name.startswith(prefix) and name != prefix:
            name = name[len(prefix) :]
        if name in ("shared", "facts"):
            continue
        domains.append(Domain(name, rel, module_of_dir(rel, stack), stack))
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
