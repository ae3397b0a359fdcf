"""Keeping ``events.lock.toml`` in a command's change set (scaffolding commands, ``storm``)."""

from __future__ import annotations

from collections.abc import Callable

from slicegen.change_set import ChangeSet
from slicegen.contracts.lock import LOCK_FILE, Locked, merge, parse, render
from slicegen.model.readers.fields import EventShape, shapes_in
from slicegen.stacks.artifacts import is_retired, kind_from_stem


def lock_planned(cs: ChangeSet, domain: str, step: Callable[[ChangeSet], None]) -> None:
    """Run ``step`` (one scaffolding command for ``domain``) on ``cs``, then lock the shapes of
    the event files it planned."""
    before = set(cs.paths())
    step(cs)
    shapes: list[tuple[str, EventShape]] = []
    for path in cs.paths():
        if path in before:
            continue
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if kind_from_stem(stem) == "event":
            shapes.extend((domain, s) for s in shapes_in(path, cs.read(path) or ""))
    if shapes:
        update_lock(cs, lambda locked: merge(locked, shapes))


def lock_retired(cs: ChangeSet, domain: str, step: Callable[[ChangeSet], None]) -> None:
    """Run ``step`` (``remove-slice``), then move the locked shapes of the events it retired to
    their new files: retired events are still stored, so their shapes stay locked."""
    before = set(cs.paths())
    step(cs)
    shapes = [
        (domain, s)
        for path in cs.paths()
        if path not in before and is_retired(path)
        for s in shapes_in(path, cs.read(path) or "")
    ]
    if shapes and cs.exists(LOCK_FILE):
        update_lock(cs, lambda locked: merge(locked, shapes))


def unlock_domain(cs: ChangeSet, domain: str) -> None:
    """Drop a removed domain's entries (``remove-domain``); the lock goes when it is empty."""
    if not cs.exists(LOCK_FILE):
        return
    rest = {d: events for d, events in parse(cs.read(LOCK_FILE) or "").items() if d != domain}
    if rest:
        update_lock(cs, lambda _locked: rest)
    else:
        cs.remove(LOCK_FILE)


def update_lock(cs: ChangeSet, change: Callable[[Locked], Locked]) -> None:
    """Plan the lock file rewritten by ``change`` (created when missing)."""

    def transform(text: str) -> str:
        return render(change(parse(text) if text else {}))

    if cs.exists(LOCK_FILE) and cs.read(LOCK_FILE) is not None:
        cs.edit(LOCK_FILE, transform)
    else:
        cs.add(LOCK_FILE, transform(""))
