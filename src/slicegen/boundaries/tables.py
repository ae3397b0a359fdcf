"""Table names that a piece of SQL touches (for migrations' ``execute "..."``)."""

from __future__ import annotations

import re

_SQL_TABLE = re.compile(
    r"\b(?:table|from|join|into|update|references|on)\s+"
    r"(?:if\s+(?:not\s+)?exists\s+)?(?:only\s+)?"
    r'["`]?(?:[A-Za-z_][A-Za-z0-9_]*["`]?\.["`]?)?([A-Za-z_][A-Za-z0-9_]*)',
    re.IGNORECASE,
)
_NOT_TABLES = frozenset({"if", "only", "select", "set", "delete", "update", "conflict", "cascade"})


def sql_tables(sql: str) -> list[str]:
    """Names following TABLE/FROM/JOIN/INTO/UPDATE/REFERENCES/ON, in order, without repeats."""
    names: list[str] = []
    for match in _SQL_TABLE.finditer(sql):
        name = match.group(1).lower()
        if name not in _NOT_TABLES and name not in names:
            names.append(name)
    return names
