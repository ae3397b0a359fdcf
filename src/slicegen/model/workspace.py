"""The workspace model's data: plain, immutable, picklable records.

Per-file records are named tuples: they are cached between runs, and tuples unpickle fast.

Two levels: a :class:`FileInfo` is what a reader found in one file (definitions, string literals,
imports, dispatch calls, suppression comments); a :class:`WorkspaceModel` is the interpreted tree
(domains, slices, artifacts) built from every file's info and the tree's layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from slicegen.stacks.registry import StackName

Language = Literal["python", "elixir", "other"]
ArtifactKind = Literal[
    "command", "event", "handler", "evolver", "projection", "policy", "fact", "upcaster"
]
#: Artifact kinds that must carry a version in their file name (SG201).
VERSIONED_KINDS: tuple[ArtifactKind, ...] = (
    "command",
    "event",
    "handler",
    "evolver",
    "projection",
    "policy",
)
StringRole = Literal["emit", "ref", "topic"]
ImportKind = Literal["import", "from", "alias", "use", "require", "import_ex", "call", "use_option"]


class Definition(NamedTuple):
    """A class or function (Python) or a module (Elixir) that a file defines."""

    name: str  # short name: class/function name, or an Elixir module's last segment
    qualname: str  # Python: the name again; Elixir: the full module name
    kind: Literal["class", "function", "module"]
    line: int
    col: int
    bases: tuple[str, ...] = ()  # Python base classes; Elixir modules it `use`s
    functions: tuple[str, ...] = ()  # Elixir: its functions; Python: a class's methods
    handles: tuple[str, ...] = ()  # Elixir: structs matched by its handle/interested? clauses


class StringUse(NamedTuple):
    """A string literal that matters: an emitted or referenced type string, or a topic."""

    value: str
    line: int
    col: int
    role: StringRole


class ImportRef(NamedTuple):
    """A dependency of a file on a module (for SG404 and the SG5xx boundary rules).

    Python: ``import``/``from`` (``level`` > 0 for relative imports, ``module`` as written).
    Elixir: ``alias``/``import``/``require``/``use``, module names in ``use`` options
    (``use_option``) and remote calls (``call``, ``names`` holds the function), aliases expanded.
    """

    module: str
    names: tuple[str, ...]
    line: int
    col: int
    kind: ImportKind
    level: int = 0
    in_function: bool = False
    type_checking: bool = False


class Call(NamedTuple):
    """A ``dispatch`` call: ``receiver`` is what it is called on (``Router``, ``self.router``)."""

    receiver: str
    function: str
    line: int
    col: int


class Suppression(NamedTuple):
    """A ``# slicegen: ignore[...]`` comment; no codes means every code."""

    codes: tuple[str, ...]
    line: int
    col: int
    file_level: bool
    reason: str


class FileInfo(NamedTuple):
    """What one file holds; ``error`` is set when it could not be read or parsed (SG001)."""

    path: str  # relative to the workspace root, '/' separators
    language: Language
    parsed: bool = False
    error: str | None = None
    error_line: int = 1
    error_col: int = 1
    definitions: tuple[Definition, ...] = ()
    strings: tuple[StringUse, ...] = ()
    imports: tuple[ImportRef, ...] = ()
    calls: tuple[Call, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    #: For command-named files (else None): the module docstring (or the first class's) or
    #: ``@moduledoc``, stripped; and each top-level class's (struct's) fields as (name, type
    #: as written). The design model reads these instead of reading the file again.
    doc: str | None = None
    class_fields: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None = None
    #: For files whose name or folder may make them events (else None): the event shapes
    #: (:func:`slicegen.model.readers.fields.packed`), so that SG205 reads no file again.
    event_shapes: tuple[tuple[str, int, tuple[tuple[str, str, bool], ...]], ...] | None = None


class Artifact(NamedTuple):
    """One command, event, handler, evolver, projection, policy, fact or upcaster.

    A named tuple, like the per-file records: a large tree has thousands, made on every run."""

    kind: ArtifactKind
    path: str
    line: int
    col: int
    file_stem: str  # the file name without extension (``command_v1``)
    version: int | None  # the version in the file name
    name: str  # the defining class/function/module short name, or the file stem if none
    qualname: str  # full module (Elixir) or ``package.module.Class`` (Python)
    business_name: str  # snake_case command or event name (``initialize_account``), or ""
    domain: str | None
    slice: str | None
    grouped: bool = False  # defined in a grouped file (``commands.ex``, ``events.py``)
    definition_version: int | None = None  # the version in the class/module name


@dataclass
class Slice:
    """A slice directory (one business operation)."""

    name: str
    domain: str
    path: str
    under_domain_dir: bool
    artifacts: list[Artifact] = field(default_factory=list)

    def kinds(self) -> set[str]:
        return {a.kind for a in self.artifacts}


@dataclass
class Domain:
    """A bounded context: its name, where its code is, and its public module."""

    name: str
    root: str  # the directory holding its code (``src/shop/accounts``, ``apps/x/lib/x``)
    app_dir: str  # python: same as root; elixir: the umbrella app (``apps/reckon_accounts``)
    public_module: str  # ``shop.accounts`` or ``ReckonAccounts``
    slices: list[Slice] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    technical_folders: list[str] = field(default_factory=list)


@dataclass
class WorkspaceModel:
    """The interpreted tree that rules, documents and scaffolders read."""

    root: Path
    stack: StackName
    app: str | None
    domains: list[Domain]
    files: dict[str, FileInfo]  # source files read (python/elixir), by relative path
    paths: list[str]  # every file walked, relative
    dirs: list[str]  # every directory walked, relative
    facts_dir: str | None
    artifacts: list[Artifact] = field(default_factory=list)
    storming_docs: dict[str, str] = field(default_factory=dict)  # domain -> expected doc path
    python_modules: dict[str, str] = field(default_factory=dict)  # path -> dotted module
    _roots: dict[str, Domain] = field(default_factory=dict, repr=False)  # root -> domain
    # what the indexes below were built from (the number of domains); folder -> domain_of
    _indexed: int = field(default=-1, repr=False, compare=False)
    _folders: dict[str, Domain | None] = field(default_factory=dict, repr=False, compare=False)
    _names: dict[str, Domain] = field(default_factory=dict, repr=False, compare=False)

    def _index(self) -> None:
        """(Re)build the root and name indexes when the domains changed."""
        self._roots.clear()
        self._roots.update((d.root, d) for d in self.domains)  # the last domain of a root
        self._names.clear()
        for d in self.domains:
            self._names.setdefault(d.name, d)  # the first domain of a name
        self._folders.clear()
        self._indexed = len(self.domains)

    def domain(self, name: str) -> Domain | None:
        if self._indexed != len(self.domains):
            self._index()
        return self._names.get(name)

    def domain_of(self, path: str) -> Domain | None:
        """The domain whose root is ``path`` or holds it (the deepest one)."""
        if self._indexed != len(self.domains):
            self._index()
        if not path:
            return None
        found = self._roots.get(path)
        if found is not None:
            return found
        end = path.rfind("/")
        if end <= 0:
            return None
        folder = path[:end]
        folders = self._folders
        return folders[folder] if folder in folders else self._folder_domain(folder)

    def folder_domain(self, folder: str) -> Domain | None:
        """:meth:`domain_of` a folder (remembered per folder); for a file, the same as
        :meth:`domain_of` its folder, since domain roots are folders."""
        if self._indexed != len(self.domains):
            self._index()
        return self._folder_domain(folder) if folder else None

    def _folder_domain(self, folder: str) -> Domain | None:
        """The domain of ``folder``: the nearest root at or above it, remembered for every
        folder on the way (a loop, not recursion: a tree may nest folders thousands deep)."""
        folders, roots = self._folders, self._roots
        unknown: list[str] = []
        found: Domain | None = None
        while folder:
            if folder in folders:
                found = folders[folder]
                break
            found = roots.get(folder)
            unknown.append(folder)
            if found is not None:
                break
            end = folder.rfind("/")
            folder = folder[:end] if end > 0 else ""
        for seen in unknown:
            folders[seen] = found
        return found

    def events(self) -> list[Artifact]:
        return [a for a in self.artifacts if a.kind == "event"]
