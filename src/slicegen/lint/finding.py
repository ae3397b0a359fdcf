"""A finding: one rule's complaint about one place."""

from __future__ import annotations

from typing import NamedTuple


class Finding(NamedTuple):
    """``path`` is relative to the workspace root with '/' separators; lines and columns 1-based.

    ``names`` are the offending names (an event, a slice, a topic): the baseline keys on them,
    never on line numbers, so moving code does not resurrect a baselined finding.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    names: tuple[str, ...] = ()
    name: str = ""  # the rule's kebab-case name, set by the engine

    def named(self, rule_name: str) -> Finding:
        return self._replace(name=rule_name)


def finding(
    code: str, message: str, path: str, line: int = 1, column: int = 1, *names: str
) -> Finding:
    """Shorthand used by rules."""
    return Finding(path, max(line, 1), max(column, 1), code, message, tuple(names))
