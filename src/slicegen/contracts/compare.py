"""Compatible or breaking: what a change of an event's stored shape does to events already stored.

Stored events of a type are read with the type's current code for as long as the stream lives.
A new optional field reads them fine; a field removed, renamed or retyped, or a new required
field, does not: that change is a new version with an upcaster instead.
"""

from __future__ import annotations

from slicegen.model.readers.fields import FieldShape


def breaks(old: dict[str, FieldShape], new: dict[str, FieldShape]) -> list[str]:
    """What makes ``new`` unable to read events stored as ``old``, one phrase each; [] if none."""
    pairs = renamed(old, new)
    removed = [n for n in old if n not in new and n not in pairs]
    added = [n for n in new if n not in old and n not in pairs.values()]
    found = [f"field '{name}' renamed to '{twin}'" for name, twin in pairs.items()]
    found += [f"field '{n}' removed" for n in removed]
    for name in old:
        if name in new and new[name].type != old[name].type:
            found.append(f"field '{name}' retyped from '{old[name].type}' to '{new[name].type}'")
    found += [f"required field '{n}' added" for n in added if new[n].required]
    return found


def renamed(old: dict[str, FieldShape], new: dict[str, FieldShape]) -> dict[str, str]:
    """Old name -> new name of each field taken as renamed: a removed field paired, in order,
    with the first added field of the same type."""
    added = [n for n in new if n not in old]
    pairs: dict[str, str] = {}
    for name in [n for n in old if n not in new]:
        twin = next((a for a in added if new[a].type == old[name].type), None)
        if twin is not None:
            pairs[name] = twin
            added.remove(twin)
    return pairs
