"""Walking the tree and finding its layout: stack, app, domains, facts area, storming documents.

The walk skips tool folders (``.git``, ``_build``, ``deps``, ``.venv``, ``node_modules``, ...),
the config's ``exclude`` globs and what ``.gitignore`` files list (matched by RE2, in linear
time). It never follows a symlink, to a folder or to a file: a symlink is kept as a leaf entry
(lint reports a symlinked source file as SG001 and does not read it, unless it links to a
source file the walk keeps, which is linted where it is), so nothing outside the tree
is walked or read and symlink loops cannot arise. The layout comes from the config when it says
where domains are, and is inferred from file names otherwise (see :func:`infer_layout`).
"""

from __future__ import annotations

import errno
import os
import time
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from slicegen import naming
from slicegen.errors import SlicegenError
from slicegen.safe_files import UnsafePath, read_regular
from slicegen.stacks import artifacts
from slicegen.stacks.registry import StackName, conventions, source_suffixes

if TYPE_CHECKING:
    from slicegen.config import Config

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "_build",
        "deps",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".slicegen_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".tox",
        ".nox",
        ".elixir_ls",
        ".direnv",
        ".eggs",
        "__pypackages__",
        "cover",
    }
)
SOURCE_SUFFIXES = source_suffixes()
# the artifact names, declared in slicegen.stacks.artifacts; here too, where the readers use them
TECHNICAL_FOLDERS = artifacts.TECHNICAL_FOLDERS
GROUPED_STEMS = artifacts.GROUPED_STEMS
ANCHOR_KINDS = artifacts.ANCHOR_KINDS
split_file_version = artifacts.split_file_version
kind_from_stem = artifacts.kind_from_stem
is_anchor = artifacts.is_anchor


#: Per-name answers are remembered: a tree repeats its file and folder names.
_NAMES = 1 << 16


def is_test(rel: str) -> bool:
    """Test files and folders are not artifacts (``tests/``, ``test_x.py``, ``x_test.exs``)."""
    if "test" not in rel:  # each case below spells it: most paths are settled by one scan
        return False
    slash = rel.rfind("/")
    stem = rel[slash + 1 :].rsplit(".", 1)[0]
    return (
        stem.startswith("test_")
        or stem.endswith("_test")
        or (slash >= 0 and is_test_folder(rel[:slash]))
    )


@lru_cache(maxsize=_NAMES)
def is_test_folder(folder: str) -> bool:
    """Whether a folder is or is inside a ``test``/``tests`` folder."""
    return any(p in ("test", "tests") for p in folder.split("/"))


@dataclass
class Tree:
    """Every file and directory the walk kept, relative to ``root`` with '/' separators."""

    root: Path
    files: list[str] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # source files: mtime, size
    # for the replay probe (slicegen.lint.fast): what a later run stats to know nothing changed
    started_ns: int = 0  # wall clock when the walk began
    dir_stats: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # ino, mtime, ctime
    ignore_stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # .gitignore files read
    links: list[str] = field(default_factory=list)  # kept non-folder entries that are symlinks
    #: source files the walk's ``lstat`` found regular, so the reader need not ``lstat`` them
    #: again: a hint, not part of what the tree is (empty in a walk handed on: each is checked)
    regular: set[str] = field(default_factory=set, compare=False, repr=False)
    #: folders the walk could not list, and why (nested past the system's path length, no
    #: permission): left out, and lint warns of each
    unlisted: dict[str, str] = field(default_factory=dict, compare=False)


def _matches(pattern: str, rel: str) -> bool:
    pattern = pattern.strip().rstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if fnmatch(rel, pattern) or fnmatch(rel, pattern + "/*"):
        return True
    return "/" not in pattern and fnmatch(rel.rsplit("/", 1)[-1], pattern)


def matches_any(patterns: list[str], rel: str) -> bool:
    """Whether a relative path matches one of the globs (a glob naming a folder covers it)."""
    return any(_matches(p, rel) for p in patterns)


#: The most ``.gitignore`` patterns one walk compiles, over all the files (the corpus's most is
#: 325): compiling costs ~70 us a pattern and every path is matched against each file's, so a
#: tree with ten 100,000-line files held lint for over a minute.
MAX_IGNORE_PATTERNS = 10_000


def _gitignore(folder: str, budget: list[int]) -> tuple[object | None, tuple[int, int]]:
    """The folder's ``.gitignore`` spec and the file's (mtime, size) as it was read; its
    patterns are taken from ``budget`` (over it: a one-line error).

    Like git, a ``.gitignore`` that is a symlink is not followed; one that is no regular file
    or is over the read cap is not read either (no spec; its lstat is kept, so that a change
    shows); an unreadable one has no spec and (-1, -1)."""
    try:
        data, info = read_regular(os.path.join(folder, ".gitignore"))
    except UnsafePath as exc:
        seen = exc.info
        return None, (seen.st_mtime_ns, seen.st_size) if seen is not None else (-1, -1)
    except OSError:
        return None, (-1, -1)
    lines = data.decode("utf-8", errors="replace").splitlines()
    budget[0] -= sum(1 for line in lines if line.strip() and not line.startswith("#"))
    if budget[0] < 0:
        path = os.path.join(folder, ".gitignore")
        raise SlicegenError(
            f"{path}: the .gitignore files hold over {MAX_IGNORE_PATTERNS:,} "
            "patterns, more than lint matches every path against: trim them, or set "
            "respect-gitignore = false under [lint]"
        )
    return _compile(lines), (info.st_mtime_ns, info.st_size)


def _compile(lines: list[str]) -> object | None:
    """The gitignore spec of ``lines``, matched by RE2 (linear time: a pattern such as
    ``*a*a*a*a*b`` cannot make the walk backtrack for ever); None when the lines cannot be
    compiled (RE2's size limits, a pattern pathspec refuses): then they ignore nothing."""
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines, backend=_backend())
    except Exception:
        return None


@lru_cache(maxsize=1)
def _backend() -> str | None:
    """pathspec's RE2 backend (google-re2 is a dependency); its default where RE2 is missing."""
    from importlib.util import find_spec

    return "re2" if find_spec("re2") is not None else None


def walk(root: Path, exclude: list[str], respect_gitignore: bool = True) -> Tree:
    """Walk ``root``: never raises on an unreadable folder, never follows a symlink."""
    tree = Tree(root=root, started_ns=time.time_ns())
    try:
        top = os.stat(root)
    except OSError:
        return tree
    tree.dir_stats[""] = (top.st_ino, top.st_mtime_ns, top.st_ctime_ns)
    seen = {(top.st_dev, top.st_ino)}
    specs: list[tuple[str, object]] = []
    stack: list[tuple[str, list[tuple[str, object]]]] = [("", specs)]
    base = str(root)
    budget = [MAX_IGNORE_PATTERNS]  # the .gitignore patterns the walk may still compile
    while stack:
        rel_dir, parent_specs = stack.pop()
        folder = os.path.join(base, rel_dir) if rel_dir else base
        try:  # its stat came before this listing (from its parent's): a later change shows
            listed = _listing(folder)
        except FileNotFoundError:
            continue  # gone since its parent was listed
        except OSError as exc:
            tree.unlisted[rel_dir or "."] = _why_unlisted(exc)
            continue
        if listed is None:
            tree.unlisted[rel_dir or "."] = f"it holds over {MAX_FOLDER_ENTRIES:,} entries"
            continue
        if not _utf8("".join(listed)):  # a name that is not UTF-8 is no module's: left out
            listed = {name: kind for name, kind in listed.items() if _utf8(name)}
        active = parent_specs
        if respect_gitignore and ".gitignore" in listed:
            spec, read = _gitignore(folder, budget)
            tree.ignore_stats[f"{rel_dir}/.gitignore" if rel_dir else ".gitignore"] = read
            if spec is not None:
                active = [*parent_specs, (rel_dir, spec)]
        for name in sorted(listed):
            kind = listed[name]
            is_dir = kind == _FOLDER
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if is_dir and name in SKIPPED_DIRS:
                continue
            if exclude and matches_any(exclude, rel):
                continue
            if active and _ignored(active, rel, is_dir):
                continue
            if is_dir:
                try:
                    info = os.lstat(os.path.join(folder, name))
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    tree.unlisted[rel] = _why_unlisted(exc)
                    continue
                key = (info.st_dev, info.st_ino)
                if key in seen:
                    continue  # a second path to a folder already walked (a bind mount)
                seen.add(key)
                tree.dirs.append(rel)
                tree.dir_stats[rel] = (info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
                stack.append((rel, active))
                continue
            tree.files.append(rel)
            if kind == _LINK:
                tree.links.append(rel)
            if _is_source(name):
                try:
                    info = os.lstat(os.path.join(folder, name))
                    tree.stats[rel] = (info.st_mtime_ns, info.st_size)
                    if S_ISREG(info.st_mode):
                        tree.regular.add(rel)
                except OSError:
                    tree.stats[rel] = (0, -1)
    if tree.links:
        _drop_aliases(tree)
    tree.files.sort()
    tree.dirs.sort()
    return tree


#: The most entries the walk lists of one folder: a planted folder of millions of files is left
#: out (a ``warning:`` line), never held in memory whole.
MAX_FOLDER_ENTRIES = 100_000
_FILE, _FOLDER, _LINK = 0, 1, 2  # what an entry is, by its own lstat (a link is never followed)


def _listing(folder: str) -> dict[str, int] | None:
    """Each entry of ``folder`` by name: a file, a folder or a symlink (:data:`_FILE`...);
    None when it holds more than :data:`MAX_FOLDER_ENTRIES` (then it is not read further).
    Only the name and kind are kept of an entry, not the whole ``os.DirEntry``."""
    listed: dict[str, int] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if len(listed) == MAX_FOLDER_ENTRIES:
                return None
            try:
                if entry.is_dir(follow_symlinks=False):
                    listed[entry.name] = _FOLDER
                    continue
            except OSError:
                pass
            listed[entry.name] = _LINK if entry.is_symlink() else _FILE
    return listed


def _why_unlisted(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "its path is longer than the system allows"
    return (exc.strerror or type(exc).__name__).lower()


def _drop_aliases(tree: Tree) -> None:
    """A symlinked source file whose target is a regular source file the walk kept (a
    repository's own link, ``tools/x.py -> ../backend/scripts/x.py``) is no file of its own: it
    is linted where it really is. Any other symlinked source file stays (an SG001 for lint,
    which reads nothing through a link). The target is found by ``realpath`` (link names only:
    nothing is opened, a loop ends in an error)."""
    base = os.path.realpath(tree.root)
    aliases = set()
    for rel in tree.links:
        if not _is_source(rel):
            continue
        try:
            target = os.path.realpath(os.path.join(base, rel), strict=True)
        except (OSError, ValueError):  # a loop, a dangling link
            continue
        inside = os.path.relpath(target, base).replace(os.sep, "/")
        if inside in tree.regular:  # walked, kept, and regular by its own lstat
            aliases.add(rel)
    if aliases:
        tree.files = [rel for rel in tree.files if rel not in aliases]
        tree.links = [rel for rel in tree.links if rel not in aliases]
        for rel in aliases:
            tree.stats.pop(rel, None)


def _utf8(text: str) -> bool:
    """Whether ``text`` (a name as the OS gave it) is UTF-8, not undecodable bytes kept as
    surrogates, which nothing downstream (ignore patterns, output) can encode."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _is_source(name: str) -> bool:
    """``os.path.splitext(name)[1] in SOURCE_SUFFIXES``, without the call (leading dots are
    not an extension: ``.py`` and ``...py`` are not sources)."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:] in SOURCE_SUFFIXES and bool(name[:dot].strip("."))


def _ignored(specs: list[tuple[str, object]], rel: str, is_dir: bool) -> bool:
    for base, spec in specs:
        sub = rel[len(base) + 1 :] if base else rel
        if base and not rel.startswith(base + "/"):
            continue
        if spec.match_file(sub + "/" if is_dir else sub):  # type: ignore[attr-defined]
            return True
    return False


def walk_skips(root: Path, rel: str, is_dir: bool, exclude: list[str], tree: Tree) -> bool:
    """Whether :func:`walk` leaves out the entry ``rel`` of a folder it walked in ``tree`` (a
    tool folder, an ``exclude`` glob, a line of a ``.gitignore`` the walk read). A
    ``.gitignore`` changed since the walk makes the answer False: unsure, so a full run."""
    if is_dir and rel.rsplit("/", 1)[-1] in SKIPPED_DIRS:
        return True
    if exclude and matches_any(exclude, rel):
        return True
    specs = _walked_specs(root, tree)
    return specs is not None and _ignored(specs, rel, is_dir)


_Specs = list[tuple[str, object]]
#: The tree :func:`_walked_specs` compiled the ``.gitignore`` files of last, and its answer.
_specs_of: dict[int, tuple[Tree, _Specs | None]] = {}


def _walked_specs(root: Path, tree: Tree) -> _Specs | None:
    """The specs of the ``.gitignore`` files ``tree``'s walk read, compiled once a tree (a
    watcher's report of many paths asks for each) and within one :data:`MAX_IGNORE_PATTERNS`
    budget, as the walk's; None when one of them is not as the walk read it."""
    kept = _specs_of.get(id(tree))
    if kept is not None and kept[0] is tree:
        return kept[1]
    specs: _Specs = []
    budget = [MAX_IGNORE_PATTERNS]
    for path, read in sorted(tree.ignore_stats.items()):
        if read == (-1, -1):
            continue  # unreadable at the walk: no spec then either
        try:
            info = os.lstat(os.path.join(root, path))
        except OSError:
            info = None
        spec, now = (None, (-1, -1)) if info is None else (None, (info.st_mtime_ns, info.st_size))
        if now == read:  # read only if unchanged: a grown file is not compiled
            folder = path.rpartition("/")[0]
            spec, now = _gitignore(os.path.join(root, folder), budget)
        if now != read:
            break
        if spec is not None:
            specs.append((path.rpartition("/")[0], spec))
    else:
        _specs_of.clear()
        _specs_of[id(tree)] = (tree, specs)
        return specs
    return None  # not kept: the file may be put back as it was


@dataclass(frozen=True)
class DomainPlace:
    """Where one domain's code is."""

    name: str
    root: str
    app_dir: str
    public_module: str


@dataclass
class Layout:
    """What the tree's shape says, before any file is parsed."""

    stack: StackName
    app: str | None
    domains: list[DomainPlace]
    facts_dir: str | None
    storming_docs: dict[str, str]
    source_roots: list[str]  # Python: folders that hold top-level packages ("src", "")


def _stem(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def infer_stack(tree: Tree, config: Config | None) -> StackName:
    if config is not None and config.stack is not None:
        return config.stack
    ex = sum(1 for f in tree.stats if not f.endswith(".py"))
    py = len(tree.stats) - ex
    if "mix.exs" in tree.files and ex >= py / 4:
        return "elixir"
    return "elixir" if ex > py else "python"


def _domain_root_of(rel: str) -> str | None:
    parts = rel.split("/")[:-1]
    if not parts:
        return ""
    if "domain" in parts:
        idx = len(parts) - 1 - parts[::-1].index("domain")
        if idx == 0 and len(parts) >= 4 and _context(parts[1]):
            return "/".join(parts[:2])  # domain/<context>/<aggregate>/command/<slice>/: ambar's
        return "/".join(parts[:idx]) if idx > 0 else None
    if parts and parts[-1] in TECHNICAL_FOLDERS:
        return "/".join(parts[:-1]) or None
    if _stem(rel) in GROUPED_STEMS:
        return "/".join(parts) or None
    if len(parts) >= 3 and parts[-2] in TECHNICAL_FOLDERS and rel.endswith(".ex"):
        return "/".join(parts[:-2])  # commands/<command>/: a technical folder is no domain
    if len(parts) >= 2:
        return "/".join(parts[:-1])
    return None


def _context(folder: str) -> bool:
    """Whether a folder right in a top-level ``domain/`` can be a bounded context's: no layer
    or technical folder (``domain/events/``, ``domain/services/``)."""
    from slicegen.model.domains import LAYER_FOLDERS

    return folder not in LAYER_FOLDERS and folder not in TECHNICAL_FOLDERS


def _locates_domain(rel: str) -> bool:
    parts = rel.split("/")
    if is_test(rel) or artifacts.in_framework_folder("/".join(parts[:-1])):
        return False
    stem = _stem(rel)
    if is_anchor(stem) or stem in GROUPED_STEMS:
        return True
    if len(parts) >= 2 and artifacts.slice_named_kind(parts[-2], stem) in ANCHOR_KINDS:
        return True
    return len(parts) >= 2 and TECHNICAL_FOLDERS.get(parts[-2]) is not None


def _config_roots(tree: Tree, config: Config, stack: str) -> list[str] | None:
    if config.lint.boundaries.domains:  # the one discovery the boundary checks use too
        from slicegen.model.domains import discover

        walked = set(tree.dirs)  # lint's excludes and .gitignore apply
        return [d.path for d in discover(tree.root, config).domains if d.path in walked]
    base = config.domains_dir
    if base is None and config.stack is not None and config.app is not None:
        base = config.resolved_domains_dir()
        if base.strip("/") not in tree.dirs:
            return None  # a minimal config on a tree laid out otherwise: found from the files
    if base is None:
        return None
    from slicegen.model.domains import LAYER_FOLDERS

    base = base.strip("/")
    prefix = base + "/"
    return [
        d
        for d in tree.dirs
        if d.startswith(prefix)
        and "/" not in d[len(prefix) :]
        and d[len(prefix) :] not in LAYER_FOLDERS  # never a domain, as in model.domains
    ]


def _inferred_roots(
    tree: Tree, config: Config | None, stack: StackName, suffixes: tuple[str, ...]
) -> list[str]:
    """Without configured domains: the domains the one discovery (:mod:`model.domains`)
    recognises, and the folders whose files locate a domain (``domain/<slice>/``, ``commands/``,
    ``*_v1``) outside layer folders (``seedwork``, ``infrastructure/...``), not above a
    recognised domain (``lib/my_app`` holding contexts is the app, not a domain) and not in a
    library (a Hex package)."""
    from dataclasses import replace

    from slicegen.config import Config
    from slicegen.model.domains import (
        LAYER_FOLDERS,
        PYTHON_LAYER_FOLDERS,
        discover,
        is_library,
        shows_its_use,
    )

    settings = config if config is not None else Config(stack=stack)
    if settings.stack is None:
        settings = replace(settings, stack=stack)
    walked = set(tree.dirs)  # lint's excludes and .gitignore apply
    recognised = {d.path for d in discover(tree.root, settings).domains if d.path in walked}
    found: set[str] = set(recognised)
    libraries: dict[str, bool] = {}
    containers = ("lib", "apps", "src")
    layers = PYTHON_LAYER_FOLDERS if stack == "python" else LAYER_FOLDERS
    compiled: dict[tuple[str, str], bool] = {}
    for rel in tree.stats:
        if rel.endswith(suffixes) and _locates_domain(rel):
            if stack == "elixir" and not _compiled(rel, tree, compiled):
                continue  # a file its Mix project never compiles (a generator's templates)
            root = _domain_root_of(rel)
            if root is not None and stack == "elixir" and root.rsplit("/", 1)[-1] == "lib":
                root = _lib_root(rel)
            if root is not None and stack == "python":
                root = _module_of_shared(root, rel)
            if root is None or root.startswith(("test", "tests")):
                continue
            if stack == "python" and root.rsplit("/", 1)[-1].startswith("_"):
                continue  # pip's _internal, _vendor: a package's private code, no domain
            parts = _code_parts(root, stack)
            inside = parts[1:] if root.startswith("domain/") else parts
            if any(p in layers and p not in containers for p in inside):
                continue  # a layer or seedwork folder is never a domain (but ambar's domain/)
            if stack == "python" and _in_program_part(inside):
                continue  # dispatch's plugins/dispatch_slack/events.py: a plugin's, no domain
            if stack == "elixir" and any(p.endswith("_web") for p in root.split("/")):
                continue  # a web app or layer (mehungry_web's maybe_user_auth_live.ex): none
            if any(r.startswith(root + "/") for r in recognised):
                continue
            project = (root + "/").partition("lib/")[0] if "lib/" in root + "/" else None
            if stack == "elixir" and project is not None:
                known = libraries.get(project)
                if known is None:
                    known = libraries[project] = is_library(tree.root / project)
                if known:
                    continue  # a Hex package's folders are not bounded contexts
            package = _top_package(rel, tree) if stack == "python" else ""
            if package:
                known = libraries.get(package)
                if known is None:
                    known = libraries[package] = shows_its_use(tree.root, package, set())
                if known:
                    continue  # nor are a Python library's (its examples import it)
            found.add(root)
    # an Elixir app taken whole (``lib/my_app``, a project folder) gives way to the domains
    # its files locate (``lib/my_app/posts/commands/``)
    whole = [r for r in recognised if stack == "elixir" and _whole_app(r, tree)]
    found -= {w for w in whole if any(r.startswith(w + "/") for r in found)}
    return sorted(r for r in found if not any(r.startswith(o + "/") for o in found))


def _in_program_part(parts: list[str]) -> bool:
    """Whether a Python folder is in a part of a program that serves its every part (its
    ``plugins/``, ``server/``: :data:`~slicegen.model.domains.PROGRAM_PARTS`) below the
    program's own package (a program named ``server`` is none), not as a module of a modules
    container (``modules/plugins/`` is one)."""
    from slicegen.model.domains import MODULE_CONTAINERS, PROGRAM_PARTS

    inner = parts[2:] if parts[:1] == ["src"] else parts[1:]
    return any(
        p in PROGRAM_PARTS and (i == 0 or inner[i - 1] not in MODULE_CONTAINERS)
        for i, p in enumerate(inner)
    )


def _top_package(rel: str, tree: Tree) -> str:
    """The top-level package holding the file ``rel`` (``cqrs`` of ``src/cqrs/events/x.py``,
    ``textual`` of ``src/textual/events.py``, whose domain would be all of ``src``,
    ``esdbclient`` of ``esdbclient/x.py``), or "" when its top folder is no package."""
    parts = rel.split("/")[:-1]
    top = parts[:2] if parts[0] == "src" and len(parts) > 1 else parts[:1]
    return top[-1] if "/".join((*top, "__init__.py")) in tree.stats else ""


def _module_of_shared(root: str, rel: str) -> str:
    """The module whose own ``shared/domain/`` layer holds ``rel`` (petisco's and CodelyTV's
    ``transaction/shared/domain/events.py``, beside ``transaction/approve/application/``): that
    file locates ``transaction``. A top-level shared kernel (``src/shared/domain/``) stays none."""
    head, _, last = root.rpartition("/")
    if last != "shared" or not rel.startswith(f"{root}/domain/"):
        return root
    if not head or head.rsplit("/", 1)[-1] in ("src", "lib", "apps"):
        return root
    return head


def _code_parts(root: str, stack: StackName) -> list[str]:
    """The folders of ``root`` that can be a layer: in Elixir those below the project's
    ``lib/`` (an umbrella app named ``core``, ``apps/core/lib/accounts/``, is a project, its
    ``accounts/`` no layer of it), in Python all."""
    parts = root.split("/")
    if stack == "elixir" and "lib" in parts:
        return parts[len(parts) - parts[::-1].index("lib") :]
    return parts


def _compiled(rel: str, tree: Tree, known: dict[tuple[str, str], bool]) -> bool:
    """Whether the Mix project nearest above an Elixir file compiles the folder holding it
    (:func:`slicegen.model.domains.compiles`); a file in no Mix project, or at its top, is."""
    from slicegen.model.domains import compiles

    parts = rel.split("/")
    for depth in range(len(parts) - 1, -1, -1):
        project = "/".join(parts[:depth])
        if (f"{project}/mix.exs" if project else "mix.exs") not in tree.stats:
            continue
        if depth == len(parts) - 1:
            return True
        key = (project, parts[depth])
        if key not in known:
            known[key] = compiles(tree.root / project, parts[depth])
        return known[key]
    return True


def _lib_root(rel: str) -> str:
    """The domain an Elixir file locates right below ``lib/``: in ``lib/<app>/`` that folder;
    in a technical folder right in ``lib/`` (``lib/events/``, ``lib/commands/``: an app laid
    out by technical folder, its modules ``Events.UserRegistered``) the app's whole ``lib``,
    whose technical folders they are, never a domain named ``events``."""
    folder = rel.rsplit("/", 1)[0]
    return folder.rsplit("/", 1)[0] if folder.rsplit("/", 1)[-1] in TECHNICAL_FOLDERS else folder


def _whole_app(root: str, tree: Tree) -> bool:
    """Whether a domain the discovery recognised is an Elixir app's whole code: ``lib/<app>``
    of the project at the root or in a folder of it (``ptah/lib/ptah``, beside ``ptah/mix.exs``)."""
    parts = root.split("/")
    if len(parts) == 2:
        return parts[0] == "lib"
    return len(parts) == 3 and parts[1] == "lib" and f"{parts[0]}/mix.exs" in tree.stats


def infer_layout(tree: Tree, config: Config | None) -> Layout:
    """Stack, app, domains and facts area from the config, else from the tree's file names."""
    stack = infer_stack(tree, config)
    suffixes = conventions(stack).source_suffixes
    dirset = set(tree.dirs)
    app = config.app if config is not None else None
    roots = _config_roots(tree, config, stack) if config is not None else None
    if roots is None:
        roots = _inferred_roots(tree, config, stack, suffixes)
    if stack == "elixir":
        roots = [_elixir_code_root(r, dirset) for r in roots]
    roots = [r for r in roots if r.rsplit("/", 1)[-1] not in ("shared", "__pycache__", "tests")]
    if stack == "elixir":
        app = app or _elixir_app_prefix(tree, roots)
        roots = [r for r in roots if not (app and r.rsplit("/", 1)[-1] == f"{app}_shared")]
    if app is None and roots:
        from slicegen.model.domains import MODULE_CONTAINERS, SNIPPET_FOLDERS

        parents = {r.rsplit("/", 1)[0] for r in roots if "/" in r}
        parent = parents.pop().rsplit("/", 1)[-1] if len(parents) == 1 else ""
        named = ("lib", "apps", "src", *MODULE_CONTAINERS, *SNIPPET_FOLDERS)
        if parent not in named and _app_name(parent):
            app = parent  # a modules/ container names no app, nor lib/blog/Accounts/, examples/
    domains = [_place(r, stack, app, tree.root) for r in roots]
    if config is not None:
        declared = {**config.lint.boundaries.modules, **config.lint.boundaries.namespaces}
        domains = [replace(d, public_module=declared.get(d.name, d.public_module)) for d in domains]
    facts_dir = _facts_dir(tree, config, stack, app, dirset)
    docs = {d.name: _storming_doc(d, config, stack) for d in domains}
    source_roots = [*sorted({"src"} & dirset), ""] if stack == "python" else []
    return Layout(stack, app, domains, facts_dir, docs, source_roots)


def _app_name(folder: str) -> bool:
    """Whether a folder's name can be an app's (snake_case, no reserved word)."""
    from slicegen.errors import SlicegenError

    try:
        naming.validate_name(folder, "app")
    except SlicegenError:
        return False
    return True


def _elixir_code_root(root: str, dirset: set[str]) -> str:
    """``apps/reckon_accounts`` -> ``apps/reckon_accounts/lib/reckon_accounts`` when it exists."""
    name = root.rsplit("/", 1)[-1]
    for candidate in (f"{root}/lib/{name}", f"{root}/lib"):
        if candidate in dirset:
            return candidate
    return root


def _elixir_app_dir(root: str) -> str:
    parts = root.split("/")
    if "lib" in parts:
        return "/".join(parts[: parts.index("lib")]) or root
    return root


def _elixir_app_prefix(tree: Tree, roots: list[str]) -> str | None:
    for d in tree.dirs:
        parts = d.split("/")
        if len(parts) == 2 and parts[0] == "apps" and parts[1].endswith("_shared"):
            return parts[1][: -len("_shared")]
    names = [r.rsplit("/", 1)[-1] for r in roots]
    if len(names) >= 2:
        first = names[0].split("_")[0]
        if all(n.startswith(first + "_") for n in names):
            return first
    return None


def _place(root: str, stack: str, app: str | None, top: Path) -> DomainPlace:
    base = root.rsplit("/", 1)[-1]
    if stack == "python":
        module = root[4:] if root.startswith("src/") else root
        return DomainPlace(_python_name(root, top), root, root, module.replace("/", "."))
    if base == "lib":  # an app's whole code (lib/events/, lib/aggregates/): named after the app
        base = _lib_app(root, top)
    name = base[len(app) + 1 :] if app and base.startswith(app + "_") else base
    parts = root.split("/")
    after_lib = parts[parts.index("lib") + 1 :] if "lib" in parts else [base]
    public = ".".join(naming.to_pascal(p) for p in after_lib) or naming.to_pascal(base)
    return DomainPlace(name, root, _elixir_app_dir(root), public)


def _python_name(root: str, top: Path) -> str:
    """A Python domain's name: its folder's; for a source folder taken whole (a microservice's
    ``cart/src``, a root ``src`` that is the app's package) the folder holding it, never ``src``
    (a repository's microservices would all be one domain named ``src``)."""
    parts = root.split("/")
    if parts[-1] != "src":
        return parts[-1]
    return naming.to_snake(parts[-2] if len(parts) > 1 else top.resolve().name)


def _lib_app(lib: str, top: Path) -> str:
    """The name of the Elixir app whose ``lib`` folder is ``lib``: its mix project's ``app:``,
    else the project folder's name."""
    from slicegen.model.domains import mix_app

    project = lib[: -len("lib")].rstrip("/")
    return mix_app(top / project) or (project.rsplit("/", 1)[-1] if project else top.name)


def _facts_dir(
    tree: Tree, config: Config | None, stack: str, app: str | None, dirset: set[str]
) -> str | None:
    if config is not None:
        if config.facts_dir:
            return config.facts_dir.strip("/")
        if config.stack is not None and config.app is not None:
            return config.resolved_facts_dir()
    if stack == "python":
        return next((d for d in tree.dirs if d.endswith("shared/facts")), None)
    if app and f"apps/{app}_shared/lib/{app}_shared" in dirset:
        return f"apps/{app}_shared/lib/{app}_shared"
    return next((d for d in tree.dirs if _kernel_code(d)), None)


def _kernel_code(folder: str) -> bool:
    """Whether a folder is a shared facts app's code, ``<x>_shared/lib/<x>_shared``, as
    slicegen writes it (lexical's ``lexical_shared/lib/lexical`` is a library's modules)."""
    last = folder.rsplit("/", 1)[-1]
    return last.endswith("_shared") and f"/{folder}".endswith(f"/{last}/lib/{last}")


def _storming_doc(domain: DomainPlace, config: Config | None, stack: str) -> str:
    if config is not None and config.stack is not None and config.app is not None:
        return config.storming_doc(domain.name)
    if config is not None and config.design_docs_dir:
        return f"{config.design_docs_dir.strip('/')}/{domain.name}/event-storming.md"
    if stack == "python" or not domain.app_dir.startswith("apps/"):
        return f"design_docs/{domain.name}/event-storming.md"  # python, standalone elixir app
    if domain.root.count("/") - domain.app_dir.count("/") > 2:  # a context of the app's code
        return f"{domain.app_dir}/design_docs/{domain.name}/event-storming.md"  # (perme8's)
    return f"{domain.app_dir}/design_docs/event-storming.md"


def python_module(rel: str, source_roots: list[str]) -> str:
    """The dotted module of a Python file (``src/shop/a/b.py`` -> ``shop.a.b``)."""
    for base in source_roots:
        if base and rel.startswith(base + "/"):
            rel = rel[len(base) + 1 :]
            break
    rel = rel.removesuffix(".py")
    if rel.endswith("/__init__") or rel == "__init__":
        rel = rel[: -len("__init__")].rstrip("/")
    return rel.replace("/", ".")
