"""Whether the code shows that a command or event artifact really is one.

The model takes a file for a command or event from its name (``command_v1``, ``event_v1``), its
technical folder (``commands/``, ``events/``) or a grouped file (``events.py``). Only the first
is slicegen's own convention; a folder or a grouped file also holds validators, routers,
dispatchers and base classes. The naming rules judge a name only once the code shows it is an
event (it emits a type string, subclasses an event base, is applied by an aggregate or handled by
an event handler or projection) or a command (it subclasses a command base, is routed by a
Commanded router or executed by an aggregate, or a Python handler class is named after it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from slicegen import naming
from slicegen.model.discovery import kind_from_stem
from slicegen.model.readers.fields import split_top
from slicegen.model.readers.python import DECLARED_EVENT
from slicegen.model.workspace import Artifact, Definition, FileInfo, WorkspaceModel
from slicegen.safe_files import read_text_or_none
from slicegen.stacks.artifacts import BASE_WORDS, HANDLING_WORDS, SIGNAL_METHODS, kind_macro

#: Modules an Elixir event consumer ``use``s.
_EVENT_CONSUMERS = frozenset(
    {
        "Commanded.Event.Handler",
        "Commanded.Projections.Ecto",
        "Commanded.ProcessManagers.ProcessManager",
    }
)
_ROUTER = "Commanded.Commands.Router"
#: How a Python command handler's class name ends: ``<command class>Handler``.
_HANDLER = "Handler"
#: Function heads that match on commands (``execute``, a command handler's ``handle``) or on
#: events (``apply`` or a hand-rolled aggregate's ``apply_event``, an event handler's, process
#: manager's or projection's ``handle``).
_HEAD = re.compile(r"\bdefp?\s+(?P<fun>apply(?:_event)?|execute|handle)\s*\((?P<args>[^)]*)\)")
#: ``project(%Event{} = e, _metadata, fn multi -> ... end)`` in a Commanded Ecto projection.
_PROJECTED = re.compile(r"\bproject\s*\(?\s*%(?:[A-Z]\w*\.)*([A-Z]\w*)\s*\{")
_STRUCT = re.compile(r"%(?:[A-Z]\w*\.)*([A-Z]\w*)\s*\{")
_DISPATCH = re.compile(r"\bdispatch\s*\(?\s*(\[[^\]]*\]|[A-Z][\w.]*)")
_MODULE = re.compile(r"\b[A-Z]\w*(?:\.[A-Z]\w*)*")
#: ``defimpl Lobby.Event, for: Lobby.Events.AddSpectator``: the struct a protocol is for.
_IMPL_FOR = re.compile(r"\bdefimpl\s+[A-Z][\w.]*\s*,\s*for:\s*(?:[A-Z]\w*\.)*([A-Z]\w*)")


@dataclass
class Evidence:
    """The Python class names used as bases (a class others subclass is a base class, not an
    event), and the Elixir structs that aggregates, handlers, projections and routers use (read
    from the Elixir files' text the first time an Elixir artifact needs them)."""

    bases: set[str] = field(default_factory=set)
    elixir_files: list[str] = field(default_factory=list)  # not read yet
    events: set[str] = field(default_factory=set)  # matched by `apply`, a handler, a projection
    #: routed, or matched by `execute`; Python: a class a ``<Name>Handler`` class is named after
    commands: set[str] = field(default_factory=set)
    #: the names a question about these files' code can ask of a tree's evidence: their
    #: definitions' names and owners' (the classes they are declared in), their artifacts'
    asked: set[str] = field(default_factory=set)
    #: the editor's unsaved buffers by path (the language server's), read instead of the files
    buffers: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def established(
        self, model: WorkspaceModel, a: Artifact, files: Mapping[str, FileInfo] | None = None
    ) -> bool:
        """Whether ``a`` (a command or an event) is shown to be one by more than its folder
        (``files``: the records holding its file's, by default the model's)."""
        if not a.grouped and kind_from_stem(a.file_stem) == a.kind:
            return True  # slicegen's own file names: command_v1, event_v1
        info = (model.files if files is None else files).get(a.path)
        if info is None:
            return False
        if a.kind == "event" and any(s.role == "emit" for s in info.strings):
            return True
        definition = next((d for d in info.definitions if d.name == a.name), None)
        if info.language == "elixir":
            if definition is not None and any(kind_macro(b, a.kind) for b in definition.bases):
                return True  # use Perme8.Events.DomainEvent: the app's macro for its events
            self._read_elixir(model)
            return a.name in (self.events if a.kind == "event" else self.commands)
        return definition is not None and self._python_class(definition, a.kind)

    def elixir_events(self, model: WorkspaceModel) -> set[str]:
        """The Elixir structs that aggregates apply or handlers and projections handle."""
        self._read_elixir(model)
        return self.events

    def _read_elixir(self, model: WorkspaceModel) -> None:
        self.read(model.root, self.buffers)

    def read(self, root: Path, buffers: Mapping[str, str]) -> None:
        """Read the Elixir files not read yet (an editor's ``buffers`` before the disk)."""
        for path in self.elixir_files:
            text = buffers.get(path)
            if text is None:
                text = read_text_or_none(root / path)
            if text is not None:
                _read_elixir(text, self)
        self.elixir_files.clear()

    def _python_class(self, d: Definition, kind: str) -> bool:
        nested = "." in d.qualname  # declared in an aggregate: its name may be a base's too
        if d.kind != "class" or (d.name in self.bases and not nested):
            return False  # a class others subclass is a base class
        suffix = "Event" if kind == "event" else "Command"
        words = naming.words(naming.split_version(d.name)[0])
        if words and words[-1] == suffix.lower() and set(words[:-1]) <= BASE_WORDS:
            return False  # DomainEvent, IntegrationEvent, CompositeDomainEvent, BaseCommand
        if words and words[-1] in HANDLING_WORDS:
            return False  # an ...EventHandler handles events, whatever its base is named
        if SIGNAL_METHODS & set(d.functions):
            return False  # xonsh's LoadEvent(AbstractEvent).fire: an in-process signal
        if kind == "event" and (DECLARED_EVENT in d.bases or "Created" in d.bases):
            return True  # @event("Registered"), class Registered(Aggregate.Created)
        if kind == "command" and d.name in self.commands:
            return True  # CreateUserCommand(BaseModel), handled by CreateUserCommandHandler
        return any(b.endswith(suffix) or _kind_base(b, suffix) for b in d.bases)

    def event_class(self, d: Definition) -> bool:
        """Whether a module-level Python class subclasses an event base (``class
        SeatBookedDomainEvent(DomainEvent)`` in a ``domain_events/`` folder) and is no base."""
        return "." not in d.qualname and self._python_class(d, "event")

    def declared_event(self, d: Definition) -> bool:
        """Whether a Python definition is an event an aggregate class declares; not in a
        framework's base aggregate (``Aggregate.Created`` where ``Dog(Aggregate)`` exists)."""
        owner = d.qualname.rpartition(".")[0]
        if not owner or owner in self.bases or set(naming.words(owner)) <= BASE_WORDS:
            return False
        return self._python_class(d, "event")


def gather(files: Mapping[str, FileInfo], artifacts: Iterable[Artifact] = ()) -> Evidence:
    """The evidence of ``files`` (a tree's, or a part's, whose artifacts are ``artifacts``):
    the Python classes used as bases, and the structs that Elixir aggregates, handlers and
    projections match on or routers route (read later from the text of the files that hold
    such code, parsed or not)."""
    found = Evidence()
    asked = found.asked
    for path, info in files.items():
        if info.language == "python":
            for d in info.definitions:
                found.bases.update(d.bases)
                if d.kind == "class" and d.name.endswith(_HANDLER) and d.name != _HANDLER:
                    found.commands.add(d.name[: -len(_HANDLER)])  # CreateUserCommandHandler
                asked.add(d.name)
                asked.add(d.qualname.rpartition(".")[0])
        elif info.language == "elixir":
            found.elixir_files.append(path)
            asked.update(d.name for d in info.definitions)
    asked.update(a.name for a in artifacts)
    return found


def _read_elixir(text: str, found: Evidence) -> None:
    consumer = any(f"use {m}" in text for m in _EVENT_CONSUMERS)
    if _ROUTER in text:
        for listed in _DISPATCH.findall(text):
            found.commands.update(m.rsplit(".", 1)[-1] for m in _MODULE.findall(listed))
    if "Commanded.Projections.Ecto" in text:
        found.events.update(_PROJECTED.findall(text))
    if "def" not in text:
        return
    # an event protocol's implementation applies the struct it is for: teiserver's
    # ``apply_event(%AddSpectator{} = ev, %LT.Aggregate{} = agg)``, the state last
    implemented = set(_IMPL_FOR.findall(text)) if "defimpl" in text else set()
    for head in _HEAD.finditer(text):
        fun, args = head.group("fun"), head.group("args")
        own = implemented.intersection(_STRUCT.findall(args)) if fun != "handle" else None
        if own:
            found.events.update(own)
            continue
        if fun != "handle":  # apply(state, event), execute(state, command): not the state
            args = ", ".join(split_top(args)[1:])
        structs = _STRUCT.findall(args)
        if fun.startswith("apply") or (fun == "handle" and consumer):
            found.events.update(structs)
        else:
            found.commands.update(structs)


#: Words after the kind in a base's name that make it the kind's base class in the form of a
#: data object: ``EventDTO``, ``EventModel``, ``EventBase`` (not ``EventHandler``, ``EventRecord``).
_DATA_FORMS = frozenset({"dto", "model", "base"})


def _kind_base(base: str, suffix: str) -> bool:
    """Whether ``base`` is the kind's base as a data object (``EventDTO[UserCreatedDataV1]``)."""
    words = naming.words(base)
    return len(words) > 1 and words[0] == suffix.lower() and set(words[1:]) <= _DATA_FORMS
