"""Assembling the workspace model: which file is which artifact, in which slice and domain.

An artifact's kind comes from its file name (``command_v1``, ``maybe_x_v1``, ``x_to_state_v1``,
``when_x_then_y_v1``, ``x_to_summary_v1``, ``x_fact``), from the technical folder it sits in
(``commands/``, ``events/``), from a grouped file (``commands.ex``, ``events.py``) or, for Elixir,
from what the module ``use``s (``Commanded.Projections.Ecto``). A slice is a directory under a
domain's ``domain/`` folder, or any other directory of the domain holding a command or an event.

This runs on every lint that is not replayed, over every source file: what depends only on a
file's folder (its domain, whether it is a test folder, its Python package) is worked out once
per folder, and what depends only on its name through the cached classifiers of
:mod:`slicegen.model.discovery`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

from slicegen import naming
from slicegen.model.discovery import (
    ANCHOR_KINDS,
    GROUPED_STEMS,
    TECHNICAL_FOLDERS,
    Layout,
    Tree,
    is_test_folder,
    kind_from_stem,
    python_module,
    split_file_version,
)
from slicegen.model.domains import LAYER_FOLDERS, PYTHON_LAYER_FOLDERS
from slicegen.model.readers.python import DECLARED_EVENT
from slicegen.model.readers.source import EMBEDDED, TYPE_STRING
from slicegen.model.workspace import (
    Artifact,
    Definition,
    Domain,
    FileInfo,
    Slice,
    WorkspaceModel,
)
from slicegen.stacks import registry
from slicegen.stacks.artifacts import (
    ABSTRACT_BASES,
    BASE_WORDS,
    EVENT_FOLDER,
    HANDLING_WORDS,
    POLICY,
    SIGNAL_METHODS,
    in_framework_folder,
    is_payload,
    kind_macro,
    slice_named_kind,
)

#: What an Elixir module ``use``s to handle events (a policy when it also dispatches).
PROCESS_MANAGER = "Commanded.ProcessManagers.ProcessManager"
POLICY_BASES = ("Commanded.Event.Handler", PROCESS_MANAGER)
#: Functions of an Elixir module that others build on (``defmacro __using__``, ``@callback``).
FRAMEWORK_FUNCTIONS = frozenset({"__using__", "behaviour_info"})
#: What an Elixir module ``use``s to project events.
PROJECTION_BASES = ("Commanded.Projections.Ecto", "Commanded.Event.Handler")
#: Unversioned names a slice's files may have (reckon's ``evt.ex``); outside a slice, a file so
#: named holds a base, an envelope, a protocol or an aggregate called ``Event``.
BARE_STEMS = frozenset({"command", "event", "cmd", "evt"})
#: The base of a Django management command (``class Command(BaseCommand)`` in
#: ``<app>/management/commands/``): a program ``manage.py`` runs, not a domain command.
CLI_COMMAND_BASES = frozenset({"BaseCommand", "LabelCommand", "AppCommand"})
#: Bases of a Python class that is a value, never a message: an enumeration (``RiskTier(str,
#: Enum)`` beside the events of ``models/events.py``).
VALUE_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"})
#: The last words of a class that serves a framework, never a message's (SG306's grouped files).
ROLE_WORDS = frozenset({"serializer", "viewset", "mixin"})
#: Folders of a domain that are never slices: its layers (``application/``, ``infra/``, ...)
#: and the folders that hold what several slices share.
NOT_SLICES = frozenset(
    {"domain", "shared", "projections", "read_models", "facts", "tests", "test"} | LAYER_FOLDERS
)


def build_model(tree: Tree, layout: Layout, files: dict[str, FileInfo]) -> WorkspaceModel:
    """The workspace model of a walked tree whose source files have been read."""
    domains = [Domain(p.name, p.root, p.app_dir, p.public_module) for p in layout.domains]
    model = WorkspaceModel(
        root=tree.root,
        stack=layout.stack,
        app=layout.app,
        domains=domains,
        files=files,
        paths=tree.files,
        dirs=tree.dirs,
        facts_dir=layout.facts_dir,
        storming_docs=dict(layout.storming_docs),
    )
    if layout.stack == "python":
        model.python_modules = python_modules(files, layout.source_roots)
    suffixes = (registry.conventions(layout.stack).ext,)
    slice_dirs = _slice_dirs(tree, model, suffixes)
    slices: dict[str, Slice] = {}
    technical = [
        d
        for d in tree.dirs
        if d[d.rfind("/") + 1 :] in TECHNICAL_FOLDERS
        and not in_framework_folder(d)
        and not is_test_folder(d)  # ryu's tests/unit/services/: the tests of its services
    ]
    for dom in domains:
        prefix = dom.root + "/"
        dom.technical_folders.extend(d for d in technical if d.startswith(prefix))
    for sdir, (dom, under) in sorted(slice_dirs.items()):
        found = Slice(sdir.rsplit("/", 1)[-1], dom.name, sdir, under)
        slices[sdir] = found
        dom.slices.append(found)
    by_name: dict[str, Domain] = {}
    for dom in domains:
        by_name.setdefault(dom.name, dom)
    facts_prefix = f"{layout.facts_dir}/" if layout.facts_dir else None
    artifacts = model.artifacts
    paired = _paired_event_folders(tree.dirs) if layout.stack == "python" else set()
    # per folder: whether it is a test folder, its domain, its slice, its name (None: the top)
    folders: dict[str, tuple[bool, Domain | None, Slice | None, str | None]] = {}
    for path in sorted(files):
        if not path.endswith(suffixes):
            continue
        slash = path.rfind("/")
        parent = path[:slash] if slash >= 0 else ""
        facts = folders.get(parent)
        if facts is None:
            facts = folders[parent] = (
                slash >= 0 and is_test_folder(parent),
                model.folder_domain(parent),
                slices.get(parent),
                parent[parent.rfind("/") + 1 :] if slash >= 0 else None,
            )
        tested, owner_dom, found_slice, folder = facts
        if found_slice is None and path.endswith(".py"):
            root = owner_dom.root if owner_dom else None
            folder = "events" if parent in paired else _kind_folder(parent, folder, root)
        elif found_slice is None and owner_dom is not None and parent == owner_dom.root:
            folder = None if folder in TECHNICAL_FOLDERS else folder  # mobilizon's events/
        name = _name_facts(path[slash + 1 :])
        if name.kind is None and folder is not None:  # submit_x/submit_x_command.py: ambar's
            name = name._replace(kind=slice_named_kind(folder, name.stem))
        if tested or name.test or in_framework_folder(parent):
            continue  # is_test(path), or a framework's program or migration
        info = files[path]
        in_facts = facts_prefix is not None and path.startswith(facts_prefix)
        if owner_dom is None and not in_facts and not _looks_like_fact(name, info):
            continue
        made = _artifacts(path, name, folder, info, model, owner_dom, found_slice, facts_prefix)
        for artifact in made:
            artifacts.append(artifact)
            owner = by_name.get(artifact.domain) if artifact.domain else None
            if owner is not None:
                owner.artifacts.append(artifact)
            if found_slice is not None and artifact.kind != "fact":
                found_slice.artifacts.append(artifact)
    _drop_idle_handlers(model)
    return model


#: The kinds of artifacts that are messages (classes or structs, no functions).
MESSAGE_KINDS = frozenset({"command", "event", "fact"})


def _imports_commands(model: WorkspaceModel, path: str) -> bool:
    """Whether a file imports from a module of commands (``shop.billing.commands``, whose
    file may lie outside the tree), not just a name like a chat library's ``Command`` filter,
    nor a helper of that package (``app.core.commands.ports.flusher``, ``...exceptions``)."""
    info = model.files.get(path)
    return info is not None and any(_command_module(i.module) for i in info.imports)


def _command_module(module: str) -> bool:
    parts = module.lower().split(".")
    at = next((n for n, part in enumerate(parts) if "command" in part), None)
    return at is not None and not HELPERS.intersection(parts[at + 1 :])


def _uses_commanded(model: WorkspaceModel, path: str) -> bool:
    """Whether an Elixir module shows it takes part in Commanded: it ``use``s one of its
    behaviours (an event handler, a projector), aliases a module of commands or events, or
    handles a command for the aggregate it belongs to (``Shell.Handler.handle(%Shell{}, ...)``,
    Commanded's command handler, the aggregate's state first)."""
    info = model.files.get(path)
    if info is None:
        return False
    aliases = [f".{i.module}" for i in info.imports if i.kind == "alias"]
    defs = info.definitions
    return (
        any(b.startswith("Commanded.") for d in defs for b in d.bases)
        or any(".Command" in a or ".Event" in a for a in aliases)
        or any(d.qualname.rpartition(".")[0] in d.handles for d in defs if "." in d.qualname)
    )


def _idle(model: WorkspaceModel, artifact: Artifact) -> bool:
    """Whether an artifact outside a slice has nothing to work on in a domain with no message:
    a Python handler importing no module of commands; an Elixir handler or projection that
    shows no Commanded part (lexical's ``provider/handlers/hover.ex``, a language server's
    request handler, and ``go_to_definition.ex`` there, a projection only by its name)."""
    if artifact.slice is not None:
        return False
    if artifact.path.endswith(".py"):
        return artifact.kind == "handler" and not _imports_commands(model, artifact.path)
    kinds = ("handler", "projection")
    return artifact.kind in kinds and not _uses_commanded(model, artifact.path)


def _drop_idle_handlers(model: WorkspaceModel) -> None:
    """A domain that holds no command, event or fact has nothing for a handler to handle: a
    handler outside a slice, known by its folder or name only (aiogram's example bot's
    ``handlers/echo.py``, a chat message's handler), is none (see ``_idle``)."""
    idle: set[Artifact] = set()
    for dom in model.domains:
        inside = dom.root + "/"  # a domain re-linted alone sees only its own files
        if any(a.kind in MESSAGE_KINDS and a.path.startswith(inside) for a in dom.artifacts):
            continue
        idle.update(a for a in dom.artifacts if _idle(model, a))
    if idle:
        for dom in model.domains:
            dom.artifacts[:] = [a for a in dom.artifacts if a not in idle]
        model.artifacts[:] = [a for a in model.artifacts if a not in idle]


def python_modules(files: dict[str, FileInfo], source_roots: list[str]) -> dict[str, str]:
    """Each Python file's dotted module, as :func:`slicegen.model.discovery.python_module` gives
    it, with each folder's part worked out once."""
    prefixes: dict[str, str] = {}
    out: dict[str, str] = {}
    for rel in files:
        if not rel.endswith(".py"):
            continue
        slash = rel.rfind("/")
        stem = rel[slash + 1 : -3]
        if stem == "__init__":  # a package: one per folder
            out[rel] = python_module(rel, source_roots)
            continue
        folder = rel[: slash + 1]  # with its '/'; "" at the top
        prefix = prefixes.get(folder)
        if prefix is None:
            prefix = prefixes[folder] = _module_prefix(folder, source_roots)
        out[rel] = prefix + stem
    return out


def _module_prefix(folder: str, source_roots: list[str]) -> str:
    """``src/shop/a/`` -> ``shop.a.``: the dotted package of a folder below its source root."""
    for base in source_roots:
        if base and folder.startswith(base + "/"):
            folder = folder[len(base) + 1 :]
            break
    return folder.replace("/", ".")


def _stem(name: str) -> str:
    """A file name without its extension (``command_v1.py`` -> ``command_v1``)."""
    dot = name.rfind(".")
    return name[:dot] if dot >= 0 else name


#: The most source files a folder outside ``domain/`` holds to be one operation's slice (its
#: command, event, handler, evolver, projections and policies); a folder of more is a package
#: of modules, whatever one of them is named.
MAX_SLICE_FILES = 20


def _slice_dirs(
    tree: Tree, model: WorkspaceModel, suffixes: tuple[str, ...]
) -> dict[str, tuple[Domain, bool]]:
    """Slice folders: a domain's ``domain/<x>/`` holding source files (``<x>`` no technical
    folder such as ``events/``), and any other folder of a domain (not its root, not a test,
    shared or technical folder) holding a source file whose name only a slice holds: a command
    or an event, or two of the handler and evolver (a lone ``handler.ex`` is a library's
    behaviour as often as a slice's)."""
    holding: dict[str, int] = {}  # folder -> how many source files it holds
    anchored: set[str] = set()
    anchor_kinds: dict[str, set[str]] = {}
    for path in tree.files:
        if not path.endswith(suffixes):
            continue
        slash = path.rfind("/")
        if slash < 0:
            continue
        parent = path[:slash]
        holding[parent] = holding.get(parent, 0) + 1
        if parent not in anchored:
            name = _name_facts(path[slash + 1 :])
            if name.kind is None and not name.test:  # submit_x/submit_x_command.py: ambar's
                name = name._replace(kind=slice_named_kind(parent.rpartition("/")[2], name.stem))
            if not name.test and name.kind in ANCHOR_KINDS:  # is_anchor(stem), tests aside
                if _named_loosely(path, name) and _no_record(path, name.kind, model.files):
                    continue  # event.py holding `class Event: ...`, a bus's base
                anchor_kinds.setdefault(parent, set()).add(name.kind)
                shapeless = name.stem in BARE_STEMS and _shapeless(model.files.get(path))
                if name.kind == "command" or (name.kind == "event" and not shapeless):
                    anchored.add(parent)
                elif len(anchor_kinds[parent]) > 1:
                    anchored.add(parent)  # one handler.ex alone makes no slice, nor that event.py
    out: dict[str, tuple[Domain, bool]] = {}
    by_root: dict[str, Domain] = {}
    for dom in model.domains:
        by_root[dom.root] = dom  # the last domain of a root, as the scan in domain order gave
    for d in tree.dirs:
        if d not in holding:
            continue
        parent = d[: d.rfind("/")] if "/" in d else ""
        base = d[d.rfind("/") + 1 :]  # domain/event/: the kind's package, no operation
        if parent.endswith("/domain") and base not in TECHNICAL_FOLDERS and base not in BARE_STEMS:
            found = by_root.get(parent[: -len("/domain")])  # domain/events/ is a layer (SG308)
            if found is not None:
                out[d] = (found, True)
    for parent in anchored:
        if parent in out or is_test_folder(parent):
            continue
        owner = model.folder_domain(parent)
        if owner is None or parent == owner.root:
            continue
        folder = parent[parent.rfind("/") + 1 :]
        if folder in NOT_SLICES or folder in TECHNICAL_FOLDERS or folder in BARE_STEMS:
            continue  # event/event.py: a client's Event envelope, no operation's slice
        if f"{parent}.ex" in model.files:
            continue  # names.ex beside names/: the module's own parts (Names.Command), no slice
        if holding[parent] > MAX_SLICE_FILES:
            continue  # elixir-ls' protocol/structures/: 200 structs, one named command.ex
        # under the domain's domain/ folder, or in a context of a top-level one (ambar's)
        under = parent.startswith(f"{owner.root}/domain/") or owner.root.startswith("domain/")
        out[parent] = (owner, under)
    return out


def _named_loosely(path: str, name: _Name) -> bool:
    """Whether a file's name calls it a command or an event less surely than slicegen's
    ``command_v1``: a bare ``event.py``, or an unversioned Python ``x_cmd.py``/``x_evt.py`` or
    ``<slice>/<slice>_command.py`` (synapse's ``app/admin_cmd.py``, a program's module), whose
    code decides."""
    if name.stem in BARE_STEMS:
        return True
    return path.endswith(".py") and name.version is None and name.kind in ("command", "event")


#: What makes an Elixir module a record besides ``defstruct``: a schema or a typed struct.
RECORD_MACROS = frozenset({"Ecto.Schema", "TypedStruct", "TypedEctoSchema", "Domo"})
#: The macros of those that write a plain struct (no table: Claper's ``Events.Event`` schema is
#: a meetup's event, no message).
TYPED_STRUCTS = frozenset({"TypedStruct", "Domo"})


def _no_record(path: str, kind: str | None, files: Mapping[str, FileInfo]) -> bool:
    """Whether a file named only for its kind (``event.py``, ``command.ex``) holds no command
    or event: a base class (:func:`_marker_class`), a Python module with no class that is a
    message (:func:`_python_message`: a conference app's ``views/event.py`` holding
    ``EventPageMixin``, ``forms/event.py``'s ``EventForm``), or an Elixir module that is no
    struct (a meetup app's ``graphql/resolvers/event.ex``, ``activity/renderer/event.ex``, a
    protocol implementation ``defimpl ..., for: Events.Event``)."""
    info = files.get(path)
    if info is not None and info.parsed and info.language == "python" and kind is not None:
        tops = [d for d in info.definitions if "." not in d.qualname]
        if not any(d.kind == "class" for d in tops) and kind in ("command", "event"):
            return True  # a docs extension's templates/command.py: a template string, no class
        # a slice's generic ``class Command``; not a window's widget, nor a shell's command node
        generic = _marker_base(tops) and not (_gui_module(info) or _cli_class(tops[0]))
        if tops and not generic and not any(_python_message(d, kind, info, files) for d in tops):
            return True
    if info is None or not info.parsed or info.language != "elixir":
        return _marker_class(info)
    first = info.definitions[0] if info.definitions else None
    return first is None or not (
        "__struct__" in first.functions or RECORD_MACROS & set(first.bases)
    )


def _shapeless(info: FileInfo | None) -> bool:
    """Whether a Python ``event.py`` declares no event's shape: none of its classes has a
    field or a type string (ryu's ``topology/event.py``: the notifications its apps send their
    observers in-process, each carrying a live switch set in ``__init__``) and it is no slice's
    one generic ``class Event``. Alone in its folder it makes no slice."""
    if info is None or info.language != "python" or not info.parsed or info.event_shapes:
        return False
    return not _marker_base([d for d in info.definitions if "." not in d.qualname])


def _marker_base(tops: list[Definition]) -> bool:
    """Whether a file's one top-level class is named after a kind (``class Event(BaseModel)``):
    a slice's own message, named generically, is judged as before; not an interface (nonebot's
    ``class Event(abc.ABC, BaseModel)``, what a chat platform's adapters implement)."""
    one = tops[0] if len(tops) == 1 else None
    return (
        one is not None
        and one.kind == "class"
        and one.name.lower() in BARE_STEMS
        and not _interface(one)
    )


def _marker_class(info: FileInfo | None) -> bool:
    """Whether a Python file defines only empty classes named after a kind, with no base but
    an abstract one and no field (``class Event: ...``, ``class Command(ABC): pass``): a base
    others build on, no command or event of a slice."""
    if info is None or info.language != "python" or not info.parsed:
        return False
    classes = [d for d in info.definitions if d.kind == "class"]
    if not classes or any(
        set(d.bases) - ABSTRACT_BASES or d.name.lower() not in BARE_STEMS for d in classes
    ):
        return False
    shapes = [f for _, _, f in info.event_shapes or ()] + [f for _, f in info.class_fields or ()]
    return not any(shapes)


class _Name(NamedTuple):
    """What a file's name says."""

    stem: str
    version: int | None  # split_file_version(stem)
    grouped: str | None  # the kind of a grouped file (``commands``, ``events_v2``)
    kind: str | None  # kind_from_stem(stem)
    test: bool  # a test file's name (``test_x``, ``x_test``)


@lru_cache(maxsize=1 << 16)
def _name_facts(name: str) -> _Name:
    stem = _stem(name)
    base, version = split_file_version(stem)
    test = stem.startswith("test_") or stem.endswith("_test")
    return _Name(stem, version, GROUPED_STEMS.get(base), kind_from_stem(stem), test)


def _looks_like_fact(name: _Name, info: FileInfo) -> bool:
    if name.kind == "fact" and name.stem != "fact":  # logatron's schema/fact.ex: an envelope
        return True
    return any(_fact_name(d.name) for d in info.definitions)


@lru_cache(maxsize=1 << 16)
def _fact_name(name: str) -> bool:
    """Whether a class or module is named as an integration fact: what happened, then ``Fact``
    (``AccountActivatedFact``); a static analysis's ``CallFact`` names no past."""
    base, _ = naming.split_version(name)
    if not base.endswith("Fact") or base == "Fact":
        return False
    return any(naming.names_a_past(w) for w in naming.words(base[: -len("Fact")]))


def _elixir_kind(info: FileInfo, in_slice: bool) -> str | None:
    """The kind an Elixir module's code tells: what it ``use``s, or (in a slice) an
    aggregate's ``apply/2`` without ``execute`` (an evolver whatever its file is called)."""
    for definition in info.definitions:
        if "Commanded.Projections.Ecto" in definition.bases:
            return "projection"
        if _dispatching_handler(definition, info):
            return "policy"
        if in_slice and "apply" in definition.functions and "execute" not in definition.functions:
            return "evolver"
    return None


def _dispatching_handler(definition: Definition, info: FileInfo) -> bool:
    """A process manager (its commands are dispatched for it), or an event handler that
    dispatches commands: a policy."""
    if PROCESS_MANAGER in definition.bases:
        return True
    handles = any(b in definition.bases for b in POLICY_BASES)
    return handles and any(c.function == "dispatch" for c in info.calls)


def _folder_kind(folder: str | None, info: FileInfo, files: Mapping[str, FileInfo]) -> str | None:
    """The kind a technical folder suggests, checked against the code: an Elixir command or
    event is a struct, so a router, validator or behaviour in ``commands/`` is none (a struct
    nested in it, such as a dispatcher's payload, does not count); a Python file that is a
    command-line program (a Django management command) holds no command."""
    kind = TECHNICAL_FOLDERS.get(folder) if folder is not None else None
    if kind is not None and info.language == "python" and _module_stem(info.path) in HELPERS:
        return None  # synapse's events/utils.py: the folder's helpers, no event
    defs = info.definitions
    elixir = info.parsed and info.language == "elixir"
    if kind in ("command", "event") and elixir and not (defs and _elixir_message(defs[0], kind)):
        return None  # defs[0]: the file's module, not a nested one
    if kind == "command" and info.language == "python" and _cli_commands(info, files):
        return None
    if kind in ("command", "event", "handler") and info.language == "python" and _base_module(defs):
        return None
    if kind in ("command", "event") and info.language == "python" and _handlers_only(defs):
        return None  # handlers kept beside the kind they handle: logic/events/messages.py
    return kind


#: Python modules of a technical folder named as a layer holds its helpers (``events/utils.py``,
#: ``commands/types.py``, ``handlers/exceptions.py``): none of the folder's kind.
HELPERS = PYTHON_LAYER_FOLDERS | {"helpers", "constants", "errors"}


def _module_stem(path: str) -> str:
    return path[path.rfind("/") + 1 : path.rfind(".")]


def _elixir_message(module: Definition, kind: str) -> bool:
    """Whether an Elixir module is a command or event of ``kind``: a struct (``defstruct``, a
    typed struct: ecstatic's ``use TypedStruct``), or a module that
    ``use``s its app's own macro for that kind (trento's ``use Trento.Support.Event`` with a
    ``defevent`` block, an embedded schema; perme8's ``use Perme8.Events.DomainEvent``, whose
    ``__using__`` writes the ``defstruct``)."""
    functions = module.functions
    record = "__struct__" in functions or EMBEDDED in functions or TYPED_STRUCTS & set(module.bases)
    return bool(record) or any(kind_macro(b, kind) for b in module.bases)


def _handlers_only(defs: tuple[Definition, ...]) -> bool:
    """Whether every top-level class of a Python file is a handler (``NewChatCreatedHandler``,
    a subclass of ``EventHandler[...]``): what it handles, not a command or an event."""
    classes = [d for d in defs if d.kind == "class" and "." not in d.qualname]
    return bool(classes) and all(_handler_class(d) for d in classes)


def _handler_class(d: Definition) -> bool:
    """Whether a Python class handles messages (``NewChatCreatedHandler``, a subclass of
    ``EventHandler[...]``)."""
    return d.name.endswith("Handler") or any(b.endswith("Handler") for b in d.bases)


def _base_module(defs: tuple[Definition, ...]) -> bool:
    """Whether a Python file in a technical folder holds the kind's base rather than one of it:
    its first class is abstract (``BaseEvent(ABC)``, ``EventHandler(ABC, Generic[E, R])``) or
    named as a base (``DomainEvent``, ``BaseCommand``): ``events/base.py``, ``events/core.py``."""
    first = next((d for d in defs if d.kind == "class" and "." not in d.qualname), None)
    if first is None:
        return False
    abstract = any(b in ABSTRACT_BASES for b in first.bases)
    words = naming.words(naming.split_version(first.name)[0])
    return abstract or (bool(words) and set(words) <= BASE_WORDS)


def _tool_of_kind(name: str, kind: str) -> bool:
    """Whether a class of a grouped file works with its kind or for a framework rather than
    being one of it: its name starts with the kind's word and names no past (``EventContext``,
    ``EventType``, ``CommandBus`` in ``events.py``/``commands.py``; ``EventPublished`` of a
    ticketing domain is an event), or ends with a framework role (``WebhookSerializer``)."""
    words = naming.words(naming.split_version(name)[0])
    if len(words) > 1 and words[-1] in ROLE_WORDS:
        return True
    return (
        len(words) > 1 and words[0] == kind and not any(naming.names_a_past(w) for w in words[1:])
    )


def _interface(d: Definition) -> bool:
    """Whether a Python class is an interface (``Protocol``, ``ABC``): implemented, not run."""
    return d.kind == "class" and any(b in ABSTRACT_BASES for b in d.bases)


def _paired_event_folders(dirs: list[str]) -> set[str]:
    """ambar's singular ``event/`` folders: beside a ``command/`` folder (an aggregate's
    ``membership/command/`` and ``membership/event/``) ``event/`` holds its events. Alone, an
    ``event/`` folder is as often a business area (polar's, dispatch's)."""
    folders = set(dirs)
    tail = f"/{EVENT_FOLDER}"
    return {d for d in dirs if d.endswith(tail) and f"{d[: -len(tail)]}/command" in folders}


def _kind_folder(parent: str, folder: str | None, domain_root: str | None) -> str | None:
    """The folder that gives a Python file outside a slice its kind: its own, or the
    ``events/`` or ``commands/`` its folder groups one aggregate's in (``dto/events/user/``).
    A domain's own folder is none (indico's ``modules/events/``: a domain of conferences)."""
    if parent == domain_root:
        return None if folder in TECHNICAL_FOLDERS else folder
    if folder is None or folder in TECHNICAL_FOLDERS or "/" not in parent:
        return folder
    if split_file_version("x_" + folder)[1] is not None:
        return folder  # events/v1/: a version's folder, its files versioned by it
    above_path = parent[: parent.rfind("/")]
    above = above_path[above_path.rfind("/") + 1 :]
    if above_path == domain_root:
        return folder
    return above if TECHNICAL_FOLDERS.get(above) in ("command", "event") else folder


#: The methods of a command-line program's command class (pip's ``CheckCommand.run``, scrapy's
#: ``Command.add_options``/``short_desc``, argparse and Django's ``add_arguments``) or of a
#: command a program runs (buildbot's worker ``Command.start``, a text game's ``CmdLook.func``
#: run on what a player typed): a class holding one is a program's command, no message.
CLI_METHODS = frozenset(
    {
        "run",
        "handle",  # cleo's (poetry's AboutCommand.handle) and Django's BaseCommand.handle
        "add_options",
        "add_arguments",
        "add_parser",
        "syntax",
        "short_desc",
        "run_from_argv",
        "start",  # a build worker's remote commands (buildbot's Command.start, .interrupt)
        "interrupt",
        "func",  # a text game engine's command runs itself (evennia's Command.func)
        "action",  # a shell's command node runs its action (ryu's BGP operator Command.action)
        "invoke",  # a debugger's commands and functions run themselves (gdb.Command.invoke)
    }
)


#: Folders of a web interface: a handler there answers a request (a route that may send a
#: command), never a command's handler.
WEB_LAYERS = frozenset({"api", "web", "presentation", "entrypoints", "routes", "routers", "views"})
#: Folders of a console or graphical interface: the commands there are what its user types or
#: clicks (beets' ``ui/commands/import_/session.py``), never messages to a domain.
CONSOLE_LAYERS = frozenset({"ui", "gui", "tui", "cli"})
#: Libraries that read a program's command line: a module importing one is a program's (a
#: ``setup.py`` command's: setuptools' ``Command``, ``build_py``).
CLI_LIBRARIES = frozenset(
    {"argparse", "optparse", "click", "typer", "docopt", "cleo", "setuptools", "distutils"}
)
#: Packages of GUI toolkits (a program's own wrapper of Qt is a ``qt`` package: qutebrowser's
#: ``qutebrowser.qt.core``): a module importing one is a window's, as a ``gui/`` folder's is.
GUI_PACKAGES = frozenset({"PyQt5", "PyQt6", "PySide2", "PySide6", "qt", "tkinter", "wx", "gi"})


def _gui_module(info: FileInfo) -> bool:
    """Whether a Python module imports a GUI toolkit (:data:`GUI_PACKAGES`): its classes are
    widgets (qutebrowser's status bar ``Command(misc.CommandLineEdit)``, where the user types
    the browser's commands), no messages."""
    return any(GUI_PACKAGES.intersection(i.module.split(".")) for i in info.imports)


#: How a Python class's name ends when it is a part of a web or admin interface, whatever the
#: words before (``LoggedInEventPageMixin``: "logged" is no event's participle there).
_ROLE_SUFFIXES = (
    "Mixin",
    "Form",
    "FormSet",
    "View",
    "ViewSet",
    "Serializer",
    "Admin",
    "Page",
    "Widget",
    "Field",
)


def _cli_class(d: Definition) -> bool:
    """Whether a Python class is a command-line program's command: Django runs the class named
    ``Command`` that subclasses its ``BaseCommand`` (a ``ReserveStock(BaseCommand)`` is a
    domain's own), other programs' commands have :data:`CLI_METHODS`; a command handler's
    ``handle`` (``CreateChatCommandHandler(CommandHandler[...])``, kept beside its command) is
    no program's; a class holding commands (iterable, a container) is the program's too."""
    if d.name == "Command" and CLI_COMMAND_BASES & set(d.bases):
        return True
    if {"__iter__", "__contains__"} <= set(d.functions):
        return True  # a text game's CmdSet: the set of commands a player's input is matched to
    methods = CLI_METHODS & set(d.functions)
    if methods == {"handle"}:
        return not (d.name.endswith("Handler") or any("Handler" in b for b in d.bases))
    return bool(methods)


def _python_message(
    d: Definition, kind: str, info: FileInfo, files: Mapping[str, FileInfo]
) -> bool:
    """Whether a Python definition that a technical folder or a grouped file calls a command or
    an event is one by its own code: a message is a class (not ``emit_event()`` in
    ``events.py``); an event's class also says it is one, by a type string its file emits, an
    event base (``(DomainEvent)``, the ``eventsourcing`` library's ``Created``), or a name that
    tells what happened (``UserRegistered``) or ends with ``Event``. A Django app's
    ``EventsAppConfig`` or a web API's ``EventsResource`` in ``events/`` says none of that."""
    if d.kind != "class" or any(b in VALUE_BASES or b.endswith("Service") for b in d.bases):
        return False
    if d.name.startswith("_") or _exception(d):
        return False  # a module's private helper; qutebrowser's commands/cmdexc.py: errors
    if _interface(d):
        return False  # mediator/command.py's CommandMediator(ABC): what dispatches commands
    if django_model(d, info):
        return False  # awx's models/events.py: Django models (a table of a job's log lines)
    words = naming.words(naming.split_version(d.name)[0])
    if is_payload(d.name, {x.name for x in info.definitions}):
        return False  # UserCreatedDataV1: what the event UserCreatedV1 carries
    if kind == "command":  # pip's CheckCommand.run: a program's module, none of its classes
        if d.name.endswith("Mixin"):
            return False  # ryu's commands/show/route_formatter_mixin.py: what commands share
        in_console = CONSOLE_LAYERS.intersection(info.path.split("/")[:-1])
        return not (in_console or _gui_module(info) or _cli_commands(info, files))
    if SIGNAL_METHODS & set(d.functions):
        return False  # xonsh's LoadEvent.fire: a kind of in-process signal, calling its handlers
    if _behaviour_base(d, info, files, 4):
        return False  # a chat client's MessageDeleted(EventBuilder): it filters updates
    if _emits_within(d, info):
        return True
    if words and set(words) <= BASE_WORDS:
        return False  # the kind's base (``BaseEvent(BaseModel)`` among the events it bases)
    if d.name.endswith(_ROLE_SUFFIXES):
        return False  # pretalx's LoggedInEventPageMixin, BaseEventExtraLinkFormSet: no event
    if any(b.endswith("Event") or b in ("Created", DECLARED_EVENT) for b in d.bases):
        return True
    return bool(words) and (words[-1] == "event" or any(naming.names_a_past(w) for w in words))


def _exception(d: Definition) -> bool:
    """Whether a Python class derives from an exception (``NoSuchCommandError(Error)``,
    ``Error(Exception)``): raised, never dispatched or stored."""
    return any(b.rpartition(".")[2].endswith(_EXCEPTION_ENDINGS) for b in d.bases)


#: How the name of a Python exception class ends (``Exception``, ``ValueError``, ``Warning``).
_EXCEPTION_ENDINGS = ("Error", "Exception", "Warning")


def django_model(d: Definition, info: FileInfo) -> bool:
    """Whether a Python class is a Django model: its file imports Django's ORM and the class,
    through the classes of its file, subclasses a ``...Model`` (``models.Model``, awx's
    ``CreatedModifiedModel``; not pydantic's ``BaseModel``)."""
    if not any(i.module.startswith("django.db") for i in info.imports):
        return False
    classes = {x.name: x for x in info.definitions if x.kind == "class" and "." not in x.qualname}
    seen: set[str] = set()
    todo = [d]
    while todo:
        for base in todo.pop().bases:
            if base.endswith("Model") and base != "BaseModel":
                return True
            if base in classes and base not in seen:
                seen.add(base)
                todo.append(classes[base])
    return False


def _emits_within(d: Definition, info: FileInfo) -> bool:
    """Whether a type string of the file is emitted in the body of the top-level class ``d``
    (up to the file's next top-level definition), not by another class of a grouped file."""
    after = [x.line for x in info.definitions if x.line > d.line and "." not in x.qualname]
    end = min(after, default=float("inf"))
    return any(s.role == "emit" and d.line <= s.line < end for s in info.strings)


#: Last words of a class's base that make the class one that handles, builds or extends on
#: messages (:data:`HANDLING_WORDS`; a chat client's ``EventBuilder``, a player's ``EventPlugin``).
_BEHAVIOUR_WORDS = HANDLING_WORDS | {"builder", "plugin"}


def _behaviour_base(
    d: Definition, info: FileInfo, files: Mapping[str, FileInfo], depth: int
) -> bool:
    """Whether a Python class derives from one that handles, builds or extends on messages
    (:data:`_BEHAVIOUR_WORDS`), by its base's name or, up to ``depth`` modules away, its base's
    bases (``MessageEdited(NewMessage)``, ``NewMessage(EventBuilder)``): it is one too."""
    for base in d.bases:
        words = naming.words(base.rpartition(".")[2])
        if words and words[-1] in _BEHAVIOUR_WORDS:
            return True
        found = _imported_class(base, info, files) if depth else None
        if found is not None and _behaviour_base(*found, files, depth - 1):
            return True
    return False


def _cli_commands(info: FileInfo, files: Mapping[str, FileInfo]) -> bool:
    """Whether a Python file is a command-line program: it reads a command line
    (:data:`CLI_LIBRARIES`), one of its classes is a program's command (:func:`_cli_class`),
    or subclasses one that the tree defines (poetry's
    ``EnvCommand(Command)``, ``SyncCommand(InstallCommand)``: bases of its cleo commands and
    their subclasses, in modules beside them)."""
    if any(i.module.partition(".")[0] in CLI_LIBRARIES for i in info.imports):
        return True
    return any(_cli_class(d) or _cli_base(d, info, files, 4) for d in info.definitions)


def _cli_base(d: Definition, info: FileInfo, files: Mapping[str, FileInfo], depth: int) -> bool:
    """Whether a base of the class ``d`` of ``info`` is a program's command, up to ``depth``
    modules away, found through the file's imports."""
    if depth == 0 or d.kind != "class":
        return False
    for base in d.bases:
        found = _imported_class(base, info, files)
        if found is not None and (_cli_class(found[0]) or _cli_base(*found, files, depth - 1)):
            return True
    return False


def _imported_class(
    name: str, info: FileInfo, files: Mapping[str, FileInfo]
) -> tuple[Definition, FileInfo] | None:
    """The class a Python file's base ``name`` (``Command``; ``base.Command`` is read as
    ``Command``) names, with the tree's file defining it, when an import of the file brings it
    or its module from the folder holding the file's technical folder (``commands/`` and the
    ``command.py`` beside it, ryu's BGP shell; else the file's own folder): its domain's, which a
    re-lint of that domain holds."""
    parts = info.path.split("/")[:-1]
    tech = [i for i, p in enumerate(parts) if p in TECHNICAL_FOLDERS]
    scope = "/".join(parts[: max(tech[-1], 1)] if tech else parts) + "/"
    for imp in info.imports:
        folder = _module_folder(info.path, imp.module, imp.level)
        if folder is None:
            continue
        wanted = name.rpartition(".")[2]
        modules = [f"{folder}/{n}" for n in imp.names]  # from pkg import base: base.Command
        for module in ([folder] if wanted in imp.names else []) + modules:
            for path in (f"{module}.py", f"{module}/__init__.py"):
                held = files.get(path) if path.startswith(scope) else None
                defined = (
                    next((x for x in held.definitions if x.name == wanted), None) if held else None
                )
                if held is not None and defined is not None:
                    return defined, held
    return None


def _module_folder(path: str, module: str, level: int) -> str | None:
    """The path (no extension) of ``module`` imported by the file ``path``: relative to its
    folder (``level`` > 0), or below the folder holding its top package (``src/`` for
    ``poetry.console...`` imported by ``src/poetry/...``); None for a module from elsewhere."""
    parts = path.split("/")[:-1]
    names = module.split(".") if module else []
    if level > 0:
        if level - 1 > len(parts):
            return None
        return "/".join([*parts[: len(parts) - (level - 1)], *names])
    if not names or names[0] not in parts:
        return None
    return "/".join([*parts[: parts.index(names[0])], *names])


def _python_storing_handler(info: FileInfo) -> bool:
    """A Python event handler class that can dispatch no command: it calls no ``dispatch`` and
    imports no command (nor a command bus), so it only stores what happened: a projection."""
    commands = any("command" in " ".join((i.module, *i.names)).lower() for i in info.imports)
    classes = any(d.kind == "class" for d in info.definitions)
    return classes and not commands and not info.calls


def _python_operation(kind: str | None, stem: str, info: FileInfo) -> bool:
    """Outside a slice, whether a Python handler or policy file whose name is no slice's own
    (``handler.py``, ``handlers.py``, ``policy.py``, a file in ``policies/``; not ``maybe_x_v1``,
    ``when_x_then_y_v1``) shows in its code what it handles: it names a command (a handler) in
    what it imports or defines, or dispatches or names a command (a policy), and a handler lies
    in no web layer (:data:`WEB_LAYERS`). An AWS Lambda
    ``handler.py``, a Slack app's, an authorisation policy's ``can_read`` (synapse's
    ``handlers/room_policy.py``, which reads events to judge them) are none."""
    if info.language != "python" or kind not in ("handler", "policy") or not info.parsed:
        return True
    if kind == "handler" and WEB_LAYERS.intersection(info.path.split("/")[:-1]):
        return False  # application/api/messages/handlers.py: web routes sending commands
    base = split_file_version(stem)[0]
    if base.startswith("maybe_") or POLICY.fullmatch(base) or (kind == "policy" and info.calls):
        return True  # a policy dispatches; a handler's ``app.dispatch(request)`` is a web app's
    return _names(info, ("command",))


def _names(info: FileInfo, words: tuple[str, ...]) -> bool:
    """Whether a Python file's imports or classes (not ``render_command_x()``) name one of
    ``words``: ``from ..commands import``, ``OrderPlacedEvent``."""
    named = [i.module for i in info.imports] + [n for i in info.imports for n in i.names]
    named += [d.name for d in info.definitions if d.kind == "class"]
    return any(w in n.lower() for n in named for w in words)


#: The last words of a Python class that a file named ``projection`` holds and that projects
#: nothing: an error raised by projections, a store that keeps their read models.
_NOT_PROJECTING = frozenset({"error", "exception", "store"})


def _python_projects(stem: str, info: FileInfo) -> bool:
    """Outside a slice, whether a Python file that only its name calls a projection
    (``projection.py``, ``memory_projection.py``; not ``x_to_y_v1``) defines one: a public
    class or function that is no error, no store and no base, and no test. ``exceptions/
    projection.py`` (its ``ProjectionError``), a module re-exporting a library's projection
    classes, a ``MemoryProjectionStore`` beside a private helper, ``common/projection.py``'s
    ``Projection(ProcessApplication)`` that the projections subclass and a documentation's
    ``wait_for_projection.py`` holding ``test_*`` functions define none. An unversioned
    ``x_to_y`` projects an event only when ``x`` names one (``order_placed_to_summary``) or
    its code names events: synapse's ``move_remote_media_to_new_store.py`` (a script) and
    ``end_to_end_keys.py`` (a storage module) project nothing."""
    if info.language != "python" or not info.parsed:
        return True
    base, version = split_file_version(stem)
    if "_to_" in base:
        source = base.split("_to_", 1)[0]
        past = any(naming.names_a_past(w) for w in source.split("_"))
        return version is not None or past or _names(info, ("event",))
    public = [
        d
        for d in info.definitions
        if "." not in d.qualname and not d.name.startswith(("_", "test_"))
    ]
    return any(d.kind != "class" or _projects(naming.words(d.name)) for d in public)


def _projects(words: list[str]) -> bool:
    """Whether a class named with ``words`` can project: no error or store
    (``ProjectionError``), no base named after the kind (``Projection``, ``BaseProjection``)."""
    return not _NOT_PROJECTING & set(words[-1:]) and not set(words) <= BASE_WORDS | {"projection"}


def _library_handler(info: FileInfo) -> bool:
    """Whether an Elixir module is another library's handler, not a command handler: the
    callbacks it ``use``s (teslamate's ``mqtt/handler.ex``: ``use Tortoise311.Handler``), or a
    module whose code shows nothing it handles (Elixir's own ``Logger.Backends.Handler``, the
    Erlang logger's callbacks): no command or event it matches on, no ``handle``/``execute``
    function, no ``use`` of Commanded and no alias of a command. A parsed file defining no
    module (signal's ``command/handler.ex``: a ``defprotocol`` and its ``defimpl``) is none."""
    defs = info.definitions
    if not defs or info.language != "elixir":
        return info.language == "elixir" and info.parsed
    uses = defs[0].bases
    if any(b.endswith("Handler") and not b.startswith("Commanded.") for b in uses):
        return True
    if not info.parsed:
        return False
    shows = (
        any(d.handles for d in defs)
        or any(f in ("handle", "execute") for d in defs for f in d.functions)
        or any(b.startswith("Commanded.") for d in defs for b in d.bases)
        or any(".Command" in f".{i.module}" for i in info.imports if i.kind == "alias")
    )
    return not shows


def _loose_kind_from_code(
    kind: str | None, stem: str, info: FileInfo, by_folder: str | None
) -> str | None:
    """A kind the name only suggests (``x_projection``, an unversioned ``x_to_y``,
    ``x_policy``, a ``policies/`` folder), checked against the code. A projection
    handles events: an Ecto schema named ``x_projection`` is its read model (in
    ``event_handlers/`` no policy either), and
    ``subscribe_x_to_y`` in ``commands/`` is what its folder says; one that also dispatches is a
    policy. A policy handles events or dispatches: an authorisation policy is none, and an event
    handler in ``event_handlers/`` that dispatches nothing (no process manager) is a projection.
    Python: only the last holds, for a handler class that neither dispatches nor imports a
    command."""
    if not info.parsed:
        return kind
    if info.language == "python":
        handler = kind == "policy" and info.path.rsplit("/", 2)[-2:-1] == ["event_handlers"]
        stores = handler and not POLICY.fullmatch(split_file_version(stem)[0])
        return "projection" if stores and _python_storing_handler(info) else kind
    if info.language != "elixir":
        return kind
    if kind == "projection" and any(_dispatching_handler(d, info) for d in info.definitions):
        return "policy"
    base, version = split_file_version(stem)
    if kind == "projection" and not (version is not None and "_to_" in base):
        handles = any(
            any(b in d.bases for b in PROJECTION_BASES) or {"project", "handle"} & set(d.functions)
            for d in info.definitions
        )
        if handles or by_folder in (None, kind):
            return kind if handles else by_folder
        return _loose_kind_from_code(by_folder, stem, info, by_folder)  # checked like any other
    if kind == "policy" and not POLICY.fullmatch(base):
        dispatches = any(c.function == "dispatch" for c in info.calls)
        handles = any(b in d.bases for d in info.definitions for b in POLICY_BASES)
        pm = any(_dispatching_handler(d, info) for d in info.definitions)
        if handles and kind == by_folder and not pm:
            return "projection"  # an event handler in event_handlers/ that only stores state
        return kind if dispatches or handles else None
    return kind


def _artifacts(
    path: str,
    name: _Name,
    folder: str | None,
    info: FileInfo,
    model: WorkspaceModel,
    dom: Domain | None,
    found_slice: Slice | None,
    facts_prefix: str | None,
) -> list[Artifact]:
    stem, version = name.stem, name.version
    defs = info.definitions
    if info.language == "elixir" and defs and FRAMEWORK_FUNCTIONS & set(defs[0].functions):
        return []  # a behaviour or a `use` macro is a framework's, not an operation's
    if info.language == "python" and not stem.isidentifier():
        return []  # no import can name it (a documentation snippet's 001.py): a script
    # the kind: a grouped file's, the name's, the technical folder's, what an Elixir module uses
    kind = name.grouped or _nested_messages(stem, info)
    grouped = kind is not None
    if kind == "policy" and info.language == "elixir":  # firezone's policies.ex: access rules
        kind = _loose_kind_from_code(kind, name.stem, info, None)
    if kind is None:
        by_folder = _folder_kind(folder, info, model.files)
        named = name.kind if found_slice is not None or stem not in BARE_STEMS else None
        kind = _loose_kind_from_code(named or by_folder, stem, info, by_folder)
        if kind is None and info.language == "elixir":
            kind = _elixir_kind(info, found_slice is not None)
    if found_slice is None and not _python_operation(kind, stem, info):
        kind = None  # a handler or policy only by its name or folder
    if info.language == "python" and stem in BARE_STEMS and kind in ("command", "event"):
        # a DDD library's domain/model/event.py: its DomainEvent base, no event
        kind = None if _no_record(path, kind, model.files) else kind
    if found_slice is None and kind == "projection" and not _python_projects(stem, info):
        kind = None
    if found_slice is None and kind == "handler" and _library_handler(info):
        kind = None
    if kind == "fact" and stem == "fact" and found_slice is None and info.language == "elixir":
        kind = None  # wanda's catalog/fact.ex: gathered data; slicegen writes <event>_fact.ex
    domain_name = dom.name if dom else None
    if facts_prefix is not None and path.startswith(facts_prefix):
        rest = path[len(facts_prefix) :].split("/")
        if stem == "__init__" or (len(rest) == 1 and not _looks_like_fact(name, info)):
            return []  # the facts area's own infrastructure (bus, application)
        kind = "fact"
        domain_name = rest[0] if len(rest) > 1 else domain_name
    elif kind is None and _looks_like_fact(name, info):
        kind = "fact"
    if kind is None or (stem == "__init__" and not any(d.kind == "class" for d in defs)):
        return []  # a package's __init__ re-exporting its modules' classes is none of them
    slice_name = found_slice.name if found_slice else None
    if grouped:
        # a Python module's private helper (``_node_id()``) is none of its operations
        chosen = [d for d in defs if info.language != "python" or not d.name.startswith("_")]
        chosen = [d for d in chosen if d.kind != "function" or info.language == "python"]
        chosen = [d for d in chosen if d.kind != "function"] or chosen
        tools = [d for d in chosen if d.kind == "class" and _tool_of_kind(d.name, kind)]
        if tools and len(tools) == len(chosen):
            return []  # netbox's events.py: an EventContext(UserDict), no event
        chosen = [d for d in chosen if d not in tools]
        elixir_message = info.language == "elixir" and info.parsed and kind in ("command", "event")
        if elixir_message and not any(_elixir_message(d, kind) for d in chosen):
            return []  # lexical's handlers/commands.ex: a request's handler, no struct
    else:
        primary = _primary(defs, stem, kind, info.language)
        chosen = [primary] if primary is not None else []
    if info.language == "python" and info.parsed and found_slice is None:
        if kind in ("command", "event") and not any(d.kind == "class" for d in defs):
            return []  # celery's events/event.py: an Event() factory function, no message
        if chosen and all(_interface(d) for d in chosen):
            return []  # ports/projection.py's IProjectionWriter(Protocol): what one implements
        chosen = [d for d in chosen if not _interface(d)]
        if kind in ("command", "event") and (name.kind != kind or version is None):
            # by its folder, a grouped file or a bare name (pretalx's views/event.py: a page)
            if not grouped and kind == "event":  # events/wine_lot.py: an enum of its types,
                chosen = [d for d in defs if "." not in d.qualname and not _interface(d)]
            chosen = [d for d in chosen if _python_message(d, kind, info, model.files)]
            if not chosen:
                return []  # taiga's events/apps.py: an EventsAppConfig(AppConfig), no event
    if not chosen:
        return [
            _make(
                kind, path, 1, 1, stem, version, stem, stem, domain_name, slice_name, grouped, info
            )
        ]
    return [
        _make(
            kind,
            path,
            d.line,
            d.col,
            stem,
            version,
            d.name,
            _qualname(d, path, model),
            domain_name,
            slice_name,
            grouped,
            info,
            d,
        )
        for d in chosen
    ]


def _nested_messages(stem: str, info: FileInfo) -> str | None:
    """The kind of an Elixir file named for it after a noun (``wallet_events.ex``,
    ``wallet_commands.ex``) whose module nests two or more structs (p2p-loan's
    ``WalletEvents.WalletCreated``): a grouped file, as ``events.ex`` is."""
    noun, _, last = stem.rpartition("_")
    kind = GROUPED_STEMS.get(last) if noun and info.language == "elixir" else None
    if kind not in ("command", "event"):
        return None
    nested = [d for d in info.definitions[1:] if "__struct__" in d.functions]
    return kind if len(nested) > 1 else None


def _primary(
    defs: tuple[Definition, ...], stem: str, kind: str, language: str
) -> Definition | None:
    if not defs:
        return None
    if language == "elixir":
        return defs[0]
    for d in defs:
        if d.name == stem or naming.to_snake(d.name) == stem:
            return d
    want = "class" if kind in MESSAGE_KINDS else "function"
    if want == "class" and language == "python":  # a command's handler kept in its file
        defs = tuple(d for d in defs if not _handler_class(d)) or defs
    versioned = [d for d in defs if d.kind == want and naming.split_version(d.name)[1] is not None]
    same = [d for d in defs if d.kind == want]
    return (versioned or same or defs)[0]


def _qualname(d: Definition, path: str, model: WorkspaceModel) -> str:
    if d.kind == "module":
        return d.qualname
    module = model.python_modules.get(path, path)
    return f"{module}.{d.name}"


def _make(
    kind: str,
    path: str,
    line: int,
    col: int,
    stem: str,
    version: int | None,
    name: str,
    qualname: str,
    domain: str | None,
    slice_name: str | None,
    grouped: bool,
    info: FileInfo,
    definition: Definition | None = None,
) -> Artifact:
    def_version = naming.split_version(name)[1] if definition is not None else None
    business = (
        _business_name(kind, stem, name, qualname, slice_name, grouped, info)
        if kind in MESSAGE_KINDS
        else ""  # what _business_name says of the other kinds
    )
    return Artifact(  # positionally: the fields in order
        kind,  # type: ignore[arg-type]
        path,
        line,
        col,
        stem,
        version,
        name,
        qualname,
        business,
        domain,
        slice_name,
        grouped,
        def_version,
    )


def _strip(name: str, *suffixes: str) -> str:
    base, _ = naming.split_version(name)
    for suffix in suffixes:
        if base.endswith(suffix) and base != suffix:
            base = base[: -len(suffix)]
    return base


def _business_name(
    kind: str,
    stem: str,
    name: str,
    qualname: str,
    slice_name: str | None,
    grouped: bool,
    info: FileInfo,
) -> str:
    """The snake_case command or event an artifact is about ("" when it cannot be told)."""
    segments = qualname.split(".")
    if kind == "command":
        if slice_name and not grouped:
            return slice_name
        base = _strip(name, "Command")
        if base in ("Command", "Cmd") and len(segments) >= 2:
            base = segments[-2]
        return naming.to_snake(base)
    if kind == "event":
        emitted = [s.value for s in info.strings if s.role == "emit"]
        if emitted and not grouped and TYPE_STRING.fullmatch(emitted[0]):
            return emitted[0].split(":", 1)[0]
        if name == stem and split_file_version(stem)[0] in BARE_STEMS:
            return ""  # an event_v1 defining nothing readable (binary, a FIFO): no name told
        base = _strip(name, "Event")
        if base == "Event":
            prev = segments[-2] if len(segments) >= 2 else ""
            words = naming.words(prev)
            if words and naming.is_past_participle(words[-1]):
                return naming.to_snake(prev)
            return ""
        return naming.to_snake(base)
    if kind == "fact":
        base, _ = split_file_version(stem)
        if base.endswith("_fact"):
            return base[: -len("_fact")]
        return naming.to_snake(_strip(name, "Fact"))
    return ""
