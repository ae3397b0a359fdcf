"""Which slice starts its aggregate: its handler refuses an aggregate that exists already.

Every other slice refuses an aggregate that does not exist yet, and may be repeated. A new slice
starts the aggregate if its verb says so (``initialize_account``, ``open_ticket``) or if the
domain has no other slice; once written, its handler says which it is, so re-running a command
keeps the choice.
"""

from __future__ import annotations

from slicegen.change_set import ChangeSet
from slicegen.stacks.python.paths import PyPaths
from slicegen.stacks.python.reader import SliceInfo, slices_of
from slicegen.stacks.python.slice_files import SliceNames
from slicegen.stacks.starting import new_slice_starts

#: The line a starting handler's precondition begins with.
START_CHECK = "if state.exists:"


def handler_starts(cs: ChangeSet, paths: PyPaths, info: SliceInfo) -> bool | None:
    """What the slice's newest handler says (None if it has none or says neither)."""
    version = info.commands[-1].version
    source = cs.read(paths.slice_file(info.name, f"maybe_{info.name}_v{version}"))
    if source is None:
        return None
    if START_CHECK in source:
        return True
    return False if "if not state.exists:" in source else None


def slice_starts(cs: ChangeSet, paths: PyPaths, command: str, explicit: bool | None = None) -> bool:
    """Whether the slice ``command`` starts the aggregate: as the user said, else as its
    written handler says, else as its verb or its being the domain's first slice implies."""
    if explicit is not None:
        return explicit
    slices = slices_of(cs, paths)
    own = next((s for s in slices if s.name == command), None)
    if own is not None:
        said = handler_starts(cs, paths, own)
        if said is not None:
            return said
    return new_slice_starts(command, [s.name for s in slices])


def starting_slice(cs: ChangeSet, paths: PyPaths, *but: str) -> SliceInfo | None:
    """The domain's slice (other than ``but``) whose handler starts the aggregate."""
    for info in slices_of(cs, paths):
        if info.name not in but and handler_starts(cs, paths, info):
            return info
    return None


def start_names(cs: ChangeSet, paths: PyPaths, aggregate: str, *but: str) -> SliceNames | None:
    """The names of the starting slice (other than ``but``) at its first command, for tests
    that start first.

    Its v1 command stays routed whatever versions come later, so the tests stay valid.
    """
    info = starting_slice(cs, paths, *but)
    if info is None:
        return None
    return SliceNames.of(paths, aggregate, info, info.commands[0])
