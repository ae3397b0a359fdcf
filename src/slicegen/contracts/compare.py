"""Compatible or breaking: what a change of an event's stored shape does to events already stored.

Stored events of a type are read with the type's current code for as long as the stream lives.
A new optional field reads them fine; a field removed, renamed or retyped, or a new required
field, does not: that change is a new version with an upcaster instead.
"""

from __future__ import annotations

from slicegen.model.readers.fields import FieldShape


def breaks(old: dict[str, FieldShape], new: dict[str, FieldShape]) -> list[str]:
    """What makes ``new`` unable to read events stored as ``old``, one phrase each; [] if none."""
    removed = [n for n in old if n not in new]
    added = [n for n in new if n not in old]
    found = []
    for name in list(removed):
        twin = next((a for a in added if new[a].type == old[name].type), None)
        if twin is not None:
            found.append(f"field '{name}' renamed to '{twin}'")
            removed.remove(name)
            added.remove(twin)
    found += [f"field '{n}' removed" for n in removed]
    for name in old:
        if name in new and new[name].type != old[name].type:
            found.append(f"field '{name}' retyped from '{old[name].type}' to '{new[name].type}'")
    found += [f"required field '{n}' added" for n in added if new[n].required]
    return found
