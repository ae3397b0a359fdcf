"""Reading generated slices back (stdlib ``ast``): their messages, versions and fields.

Commands that build on an existing slice (add-projection, add-policy, add-fact, add-version) find
what they need here instead of asking the user again.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.fields import FieldSpec
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.pysource import parse_annotation

_VERSIONED = re.compile(r"(?P<kind>command|event)_v(?P<version>\d+)\.py")


@dataclass(frozen=True)
class Message:
    """A command or event class found in a slice file."""

    class_name: str
    version: int
    fields: list[FieldSpec] = field(default_factory=list)
    event_type: str | None = None

    @property
    def event_name(self) -> str:
        """``account_initialized:v1`` -> ``account_initialized``."""
        return (self.event_type or "").partition(":")[0]


@dataclass(frozen=True)
class SliceInfo:
    """What a slice holds, newest version last."""

    name: str
    commands: list[Message]
    events: list[Message]

    @property
    def latest_event(self) -> Message:
        return self.events[-1]

    def event(self, version: int) -> Message | None:
        return next((e for e in self.events if e.version == version), None)


def _message(source: str, path: str, version: int) -> Message:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise SlicegenError(
            f"{path} is not valid Python (line {exc.lineno}): fix it, then re-run"
        ) from None
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            fields: list[FieldSpec] = []
            event_type = None
            for item in node.body:
                if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
                    continue
                name = item.target.id
                if name == "event_type" and isinstance(item.value, ast.Constant):
                    event_type = str(item.value.value)
                    continue
                spec = parse_annotation(name, ast.unparse(item.annotation))
                if spec is not None:
                    fields.append(spec)
            return Message(node.name, version, fields, event_type)
    raise SlicegenError(f"{path} defines no class: restore the slice's message, then re-run")


def message_of(cs: ChangeSet, path: str, version: int) -> Message:
    """The message class defined in ``path`` (planned or on disk)."""
    source = cs.read(path)
    if source is None:
        raise SlicegenError(f"{path} is missing: restore it or re-run the command that creates it")
    return _message(source, path, version)


def read_slice(cs: ChangeSet, paths: PyPaths, slice_name: str) -> SliceInfo | None:
    """The slice's commands and events (planned files included), or None if there is none."""
    folder = paths.slice_dir(slice_name)
    names: set[str] = set()
    disk = cs.root / folder
    if disk.is_dir():
        names.update(p.name for p in disk.iterdir())
    prefix = folder + "/"
    names.update(
        p[len(prefix) :] for p in cs.paths() if p.startswith(prefix) and "/" not in p[len(prefix) :]
    )
    commands: list[Message] = []
    events: list[Message] = []
    for name in sorted(names):
        match = _VERSIONED.fullmatch(name)
        if not match:
            continue
        path = f"{folder}/{name}"
        source = cs.read(path)
        if source is None:
            continue
        message = _message(source, path, int(match["version"]))
        (commands if match["kind"] == "command" else events).append(message)
    if not commands or not events:
        return None
    commands.sort(key=lambda m: m.version)
    events.sort(key=lambda m: m.version)
    return SliceInfo(slice_name, commands, events)


def require_slice(cs: ChangeSet, paths: PyPaths, slice_name: str) -> SliceInfo:
    """:func:`read_slice`, or a one-line error saying how to add the slice."""
    info = read_slice(cs, paths, slice_name)
    if info is None:
        raise SlicegenError(
            f"domain '{paths.domain}' has no slice '{slice_name}' "
            f"({paths.slice_dir(slice_name)}/ lacks command_v1.py or event_v1.py): "
            f"run 'slicegen add-slice {paths.domain} {slice_name}' first"
        )
    return info


def slices_of(cs: ChangeSet, paths: PyPaths) -> list[SliceInfo]:
    """Every slice of the domain, by name."""
    folder = cs.root / paths.domain_slices_dir()
    names = {p.name for p in folder.iterdir() if p.is_dir()} if folder.is_dir() else set()
    prefix = paths.domain_slices_dir() + "/"
    names.update(p[len(prefix) :].split("/")[0] for p in cs.paths() if p.startswith(prefix))
    found = [read_slice(cs, paths, name) for name in sorted(names)]
    return [info for info in found if info is not None]


def slice_emitting(cs: ChangeSet, paths: PyPaths, event: str) -> SliceInfo | None:
    """The slice whose events include ``event`` (any version)."""
    for info in slices_of(cs, paths):
        if any(e.event_name == event for e in info.events):
            return info
    return None
