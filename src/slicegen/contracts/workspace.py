"""The event shapes of a workspace: its model's event files, read again (they are few)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from slicegen.contracts.lock import Locked, merge, slice_of
from slicegen.model.readers.fields import EventShape, shapes_in, unpacked
from slicegen.model.workspace import WorkspaceModel
from slicegen.safe_files import UnsafePath, read_regular
from slicegen.stacks.artifacts import is_retired


def event_files(model: WorkspaceModel) -> dict[str, str]:
    """Event file path -> its domain."""
    return {a.path: a.domain for a in model.artifacts if a.kind == "event" and a.domain}


def current_shapes(
    model: WorkspaceModel, read: Callable[[str], str | None] | None = None
) -> list[tuple[str, EventShape]]:
    """``(domain, shape)`` of every event the model's event files define; ``read`` gives a
    file's text (an editor's unsaved buffer), else it is read from disk."""
    found: list[tuple[str, EventShape]] = []
    for path, domain in sorted(event_files(model).items()):
        found.extend((domain, shape) for shape in shapes_of(model, path, read))
    return found


def shapes_of(
    model: WorkspaceModel, path: str, read: Callable[[str], str | None] | None = None
) -> list[EventShape]:
    """The shapes one file of the model defines (``read``: as in :func:`current_shapes`);
    those its reader kept when the file was read, if it kept them."""
    text = read(path) if read is not None else None
    info = model.files.get(path)
    if text is None and info is not None and info.event_shapes is not None:
        return unpacked(path, info.event_shapes)
    if text is None:
        try:
            data, _ = read_regular(model.root / path)
        except (OSError, UnsafePath):
            return []
        text = data.decode("utf-8", "replace")
    return shapes_in(path, text)


def refreshed(locked: Locked, model: WorkspaceModel) -> Locked:
    """The lock after ``slicegen storm``: the code's shapes merged in; entries of slices and
    domains that no longer exist dropped. A retired event's entry stays while its module does
    (its events are still stored)."""
    current = current_shapes(model)
    live = {f"{d}/{slice_of(s.path)}" for d, s in current}
    gone: Iterable[str] = {
        f"{d}/{slice_of(s.path)}"
        for d, events in locked.items()
        for s in events.values()
        if f"{d}/{slice_of(s.path)}" not in live and not is_retired(s.path)
    }
    merged = merge(locked, current, gone)
    kept = {
        d: {
            identity: s
            for identity, s in events.items()
            if not is_retired(s.path) or (model.root / s.path).is_file()
        }
        for d, events in merged.items()
    }
    return {d: events for d, events in kept.items() if events}


def lock_changes(locked: Locked, model: WorkspaceModel, domain: str | None = None) -> list[str]:
    """What ``slicegen storm`` would change in the lock (of one ``domain``, or all): event
    types to add, entries to drop, compatible changes to take; empty when it is current. A
    breaking change is not one: storm keeps the locked shape and lint reports it (SG205)."""
    after = refreshed(locked, model)
    changes = []
    for name in sorted({*locked, *after}):
        if domain not in (None, name):
            continue
        old, new = locked.get(name, {}), after.get(name, {})
        for identity in sorted({*old, *new}):
            if identity not in old:
                changes.append(f"'{identity}' is not locked")
            elif identity not in new:
                changes.append(f"'{identity}' is locked but no longer in the code")
            elif old[identity] != new[identity]:
                changes.append(f"'{identity}' changed compatibly")
    return changes
