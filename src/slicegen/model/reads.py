"""What a lint rule reads of the source files, so that the loader parses exactly what is needed.

Each rule declares ``READS``, a set of :class:`Reads`; the loader parses the files the selected
rules' declarations ask for (:func:`slicegen.model.load.plan_reads`). A rule that needs only
names and paths declares the empty set, and then no file is parsed for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

#: Stands for "the start of a type string" (``:v`` and a digit), searched as a pattern, not as
#: bytes (see :func:`slicegen.model.load.mentions`).
TYPE_STRING_MARK = rb":v\d"


class Reads(Enum):
    """A kind of fact a rule reads in parsed files."""

    #: what slices, facts, technical folders, artifact-named files and a domain's top-level
    #: modules define (these files are always parsed)
    DEFINITIONS = "definitions"
    #: ``dispatch`` calls
    CALLS = "calls"
    #: pub/sub topics
    TOPICS = "topics"
    #: emitted and referenced event type strings
    TYPE_STRINGS = "type strings"
    #: events an aggregate declares with the eventsourcing library (``@event``, nested classes)
    DECLARED_EVENTS = "declared events"
    #: imports of another domain (a file naming no other domain imports none; the other
    #: domains' names are the loader's, which knows the layout)
    IMPORTS = "imports"


#: The bytes a file must contain to hold the fact (one of them; none listed: no bytes tell).
NEEDLES: dict[Reads, tuple[bytes, ...]] = {
    Reads.DEFINITIONS: (),
    Reads.CALLS: (b"dispatch",),
    Reads.TOPICS: (b"subscribe", b"publish", b"broadcast", b"topic", b":facts:"),
    Reads.TYPE_STRINGS: (b"event_type", TYPE_STRING_MARK),
    Reads.DECLARED_EVENTS: (b"@event", b"Aggregate.Created", b"Aggregate.Event"),
    Reads.IMPORTS: (),
}

#: Everything any rule may read (``--parse-all`` aside): what the default rule set reads.
ALL: frozenset[Reads] = frozenset(Reads)


def needles_of(reads: Iterable[Reads]) -> tuple[bytes, ...]:
    """The trigger bytes of ``reads``, in declaration order (a stable cache key)."""
    wanted = set(reads)
    return tuple(n for r in Reads if r in wanted for n in NEEDLES[r])
