"""The artifact kinds of a slice and their file names, to write and to recognise.

Both stacks name a slice's files alike (``command_v1``, ``maybe_<command>_v1``,
``<event>_to_state_v1``...): the ``*_stem`` functions give the names slicegen writes and
:func:`kind_from_stem` recognises them (and the looser names hand-written trees use) when a tree
is read. A new artifact kind is a stem function and a line in :func:`kind_from_stem` here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from slicegen import naming

#: Folders named after a technical layer (SG308); their files are artifacts of that kind.
TECHNICAL_FOLDERS: dict[str, str | None] = {
    "commands": "command",
    "events": "event",
    "handlers": "handler",
    "command_handlers": "handler",
    "event_handlers": "policy",
    "policies": "policy",
    "evolvers": "evolver",
    "services": None,
    "controllers": None,
    "models": None,
}
#: A singular events folder: ambar's aggregate keeps its events in ``event/`` beside its
#: ``command/`` slices. Alone it is as often a business area (polar's, dispatch's): its files
#: are parsed, as a technical folder's are, and read as events only beside ``command/``.
EVENT_FOLDER = "event"
#: Files that group one kind of artifact of several slices (``commands.py``).
GROUPED_STEMS: dict[str, str] = {
    "commands": "command",
    "events": "event",
    "handlers": "handler",
    "policies": "policy",
    "evolvers": "evolver",
}
#: Words that make a ``...Event``/``...Command`` class a base class of the kind, not one of it
#: (``DomainEvent``, ``BaseCommand``), and an aggregate class a framework's (``MetaAggregate``).
BASE_WORDS = frozenset(
    {"domain", "integration", "base", "abstract", "composite", "generic", "event", "command"}
    | {"meta", "aggregate"}
)


def kind_macro(module: str, kind: str) -> bool:
    """Whether an Elixir module that another ``use``s makes it one of ``kind``: its last name
    is the kind's, maybe after base words (trento's ``Trento.Support.Event``, perme8's
    ``Perme8.Events.DomainEvent``; not ``Commanded.Event.Handler``)."""
    words = naming.words(module.rpartition(".")[2])
    return bool(words) and words[-1] == kind and set(words[:-1]) <= BASE_WORDS


#: Last words of a class that is what a message carries or its transport form, not a message:
#: an event's ``UserCreatedDataV1`` beside its ``UserCreatedV1``, an API's
#: ``CreateBankAccountCommandDto``.
_PAYLOAD_WORDS = frozenset({"data", "payload", "dto"})
#: Bases that make a Python class an abstract one: an interface, not an operation.
ABSTRACT_BASES = frozenset({"ABC", "abc.ABC", "Protocol", "typing.Protocol", "ABCMeta", "Generic"})
#: Last words of a Python class that handles messages rather than being one, whatever its base
#: says (``AddBookToAuthorEventHandler(BaseEvent)``: a base protocol misnamed ``BaseEvent``).
HANDLING_WORDS = frozenset({"handler", "listener", "subscriber", "consumer", "processor"})
#: The methods of an in-process signal (an observer's event species: xonsh's ``Event.fire``,
#: a ``blinker``-style ``connect``): a class holding one calls its handlers, it is no message.
SIGNAL_METHODS = frozenset({"fire", "fire_iter", "connect", "disconnect", "subscribe"})
#: The kinds of the files that only a slice holds.
ANCHOR_KINDS = frozenset({"command", "event", "handler", "evolver"})

_VERSIONED = re.compile(r"(?P<base>.+?)_v(?P<n>\d+)")
#: A part of a policy's name (its event, its command): a snake_case name, digits allowed.
_NAME_PART = r"\w+"
#: A policy's name without its version, ``when_<event>_then_<command>``.
POLICY = re.compile(rf"when_(?P<event>{_NAME_PART})_then_(?P<command>{_NAME_PART})")
#: Per-name answers are remembered: a tree repeats its file and folder names.
_NAMES = 1 << 16


# --- the names slicegen writes --------------------------------------------------------------


def command_stem(version: int) -> str:
    return f"command_v{version}"


def event_stem(version: int) -> str:
    return f"event_v{version}"


def handler_stem(command: str, version: int) -> str:
    return f"maybe_{command}_v{version}"


def evolver_stem(event_short: str, version: int) -> str:
    return f"{event_short}_to_state_v{version}"


def projection_stem(event_short: str, read_model: str, version: int) -> str:
    return f"{event_short}_to_{read_model}_v{version}"


def publisher_stem(event_short: str, version: int = 1) -> str:
    return f"{event_short}_to_fact_v{version}"


def policy_stem(event: str, command: str, version: int) -> str:
    """The policy that dispatches ``command`` when ``event`` happens."""
    return f"when_{event}_then_{command}_v{version}"


@lru_cache(maxsize=64)
def _policy_file(ext: str, event: str | None, command: str | None) -> re.Pattern[str]:
    e = re.escape(event) if event is not None else _NAME_PART
    c = re.escape(command) if command is not None else _NAME_PART
    return re.compile(rf"when_(?P<event>{e})_then_(?P<command>{c})_v\d+{re.escape(ext)}")


def policy_file(
    path: str, ext: str, *, event: str | None = None, command: str | None = None
) -> tuple[str, str] | None:
    """``(event, command)`` of a policy file slicegen writes, ``when_<event>_then_<command>_v<N>``
    with the stack's extension ``ext`` (the last part of ``path``), or None. A given ``event`` or
    ``command`` must be the file's: it settles a name with ``_then_`` in it."""
    match = _policy_file(ext, event, command).fullmatch(path.rpartition("/")[2])
    return (match["event"], match["command"]) if match else None


def upcaster_stem(subject: str, to_version: int) -> str:
    """The upcaster from ``to_version - 1`` to ``to_version`` (``subject``: see
    :meth:`~slicegen.stacks.conventions.Conventions.upcaster_subject`)."""
    return f"upcast_{subject}_v{to_version - 1}_to_v{to_version}"


# --- recognising them -----------------------------------------------------------------------

#: Folders whose place and meaning a framework fixes: their files are no slice artifacts,
#: whatever their names say. Django runs the programs of ``<app>/management/commands/`` with
#: ``manage.py`` (not domain commands); ``migrations/`` holds numbered schema changes (Django's
#: ``0041_permissions_to_groups.py`` is no projection, nor Alembic's or Ecto's).
FRAMEWORK_FOLDERS = ("management/commands", "migrations")


@lru_cache(maxsize=_NAMES)
def in_framework_folder(folder: str) -> bool:
    """Whether ``folder`` (relative, '/' separators) is or lies in a :data:`FRAMEWORK_FOLDERS`
    folder."""
    padded = f"/{folder}/"
    return any(f"/{name}/" in padded for name in FRAMEWORK_FOLDERS)


@lru_cache(maxsize=_NAMES)
def is_retired(path: str) -> bool:
    """Whether ``path`` is a module of a domain's ``retired/`` folder (python
    ``src/<app>/<domain>/retired/``, elixir ``lib/<app>/retired/``), where ``remove-slice`` and
    ``rename-event`` keep old events so that stored ones still load: their names and shapes are
    history, never renamed, still locked."""
    return "/retired/" in path and not path.endswith(("/__init__.py", "_test.exs"))


def split_file_version(stem: str) -> tuple[str, int | None]:
    """``command_v1`` -> (``command``, 1); ``commands`` -> (``commands``, None)."""
    match = _VERSIONED.fullmatch(stem)
    return (match.group("base"), int(match.group("n"))) if match else (stem, None)


def is_event_file(path: str, ext: str) -> bool:
    """Whether the last part of ``path`` is a slice's event module as slicegen writes it,
    ``event_v<N>`` with the stack's extension ``ext``."""
    name = path.rpartition("/")[2]
    base, version = split_file_version(name.removesuffix(ext))
    return name.endswith(ext) and base == "event" and version is not None


@lru_cache(maxsize=_NAMES)
def kind_from_stem(stem: str) -> str | None:
    """The artifact kind a file name announces, or None (a private module's ``_cmd`` none)."""
    if stem.startswith("_"):
        return None
    base, _ = split_file_version(stem)
    if base in ("command", "cmd") or base.endswith("_cmd"):  # reckon: <slice>_cmd_v1
        return "command"
    if base in ("event", "evt") or base.endswith("_evt"):
        return "event"
    if base.startswith("maybe_") or base in ("handler", "command_handler"):
        return "handler"
    if base.endswith(("_to_state", "_to_aggregate")) or base == "evolver":
        return "evolver"
    if POLICY.fullmatch(base) or base == "policy" or base.endswith("_policy"):
        return "policy"
    if base.startswith("upcast_") or base.endswith("upcaster"):  # not upcasting_reader
        return "upcaster"
    if "_to_" in base or base == "projection" or base.endswith("_projection"):
        return "projection"
    if base.endswith("_fact") or base == "fact":
        return "fact"
    return None


#: What a file named after its slice folder holds, by the rest of its name.
_SLICE_NAMED = {"command": "command", "command_handler": "handler"}


@lru_cache(maxsize=_NAMES)
def slice_named_kind(folder: str, stem: str) -> str | None:
    """The kind of a file named after the slice folder it is in, then its kind: ambar's
    ``submit_application/submit_application_command.py`` (a command) and
    ``..._command_handler.py`` (its handler). The folder names an operation, verb first."""
    if not stem.startswith(folder + "_") or not folder:
        return None
    kind = _SLICE_NAMED.get(split_file_version(stem[len(folder) + 1 :])[0])
    if kind is None:
        return None
    return kind if naming.names_an_act(folder.split("_", 1)[0]) else None


@lru_cache(maxsize=_NAMES)
def is_anchor(stem: str) -> bool:
    """True for file names that only a slice holds (they locate slices and domains)."""
    return kind_from_stem(stem) in ANCHOR_KINDS


def is_payload(name: str, beside: set[str]) -> bool:
    """Whether a Python class is what a message carries or its transport form: a name ending
    in ``Data``/``Payload``/``Dto`` after the name of a class ``beside`` it
    (``UserCreatedDataV1`` beside ``UserCreatedV1``) or after ``Command``/``Event``
    (``CreateBankAccountCommandDto``); ``SendData`` is a command."""
    base, version = naming.split_version(name)
    words = naming.words(base)
    if len(words) < 2 or words[-1] not in _PAYLOAD_WORDS:
        return False
    carried = base[: len(base) - len(words[-1])]
    suffix = f"V{version}" if version is not None else ""
    return words[-2] in ("command", "event") or carried + suffix in beside or carried in beside
