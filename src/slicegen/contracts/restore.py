"""The locked shape ``add-version`` writes back: a slice's newest event edited in place (SG205)."""

from __future__ import annotations

import re

from slicegen.change_set import ChangeSet
from slicegen.contracts.compare import breaks, renamed
from slicegen.contracts.lock import LOCK_FILE, parse, slice_of
from slicegen.model.readers.fields import shapes_in
from slicegen.scaffold.requests import LockedField, Restore

_VERSION = re.compile(r"_v(\d+)\.\w+$")


def restore_of(cs: ChangeSet, domain: str, slice_name: str) -> Restore | None:
    """The locked shape of the slice's newest locked event if its code breaks it; None when the
    lock does not know the event or its shape is compatible."""
    text = cs.read(LOCK_FILE) if cs.exists(LOCK_FILE) else None
    if not text:
        return None
    locked = [s for s in parse(text).get(domain, {}).values() if slice_of(s.path) == slice_name]
    if not locked:
        return None
    newest = max(locked, key=lambda s: int(m[1]) if (m := _VERSION.search(s.path)) else 0)
    shapes = shapes_in(newest.path, cs.read(newest.path) or "")
    current = next((s for s in shapes if s.identity == newest.identity), None)
    if current is None or not breaks(newest.fields, current.fields):
        return None
    fields = tuple(LockedField(n, f.type, f.required) for n, f in newest.fields.items())
    return Restore(newest.path, fields, renamed(newest.fields, current.fields))
