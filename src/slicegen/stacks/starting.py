"""Which new slice starts its aggregate, for every stack.

A starting slice's handler refuses an aggregate that exists already; every other handler refuses
one that does not exist yet. A new slice starts the aggregate if the user says so, else if its
verb says so (``initialize_account``, ``open_ticket``), else if the domain has no other slice.
Once written, the slice's handler says which it is (each stack reads its own).
"""

from __future__ import annotations

from slicegen import naming

#: Verbs whose command brings an aggregate into being.
STARTING_VERBS = frozenset(
    {
        "begin",
        "create",
        "enroll",
        "establish",
        "found",
        "initialize",
        "launch",
        "open",
        "place",
        "register",
        "start",
        "submit",
    }
)


def new_slice_starts(command: str, others: list[str], explicit: bool | None = None) -> bool:
    """Whether the slice ``command`` starts its aggregate: as the user said, else as its verb
    says, else when ``others`` (the domain's other slices) is empty."""
    if explicit is not None:
        return explicit
    if naming.words(command)[0] in STARTING_VERBS:
        return True
    return not [s for s in others if s != command]
