"""Views of the model that several rules walk, worked out once per run (kept in ``ctx.memo``).

Most files of a large tree hold no string literal, import or call that a rule looks at: rules
walk these short lists, in path order, instead of sorting and scanning every file.
"""

from __future__ import annotations

from typing import Literal

from slicegen.lint.rule import RuleContext
from slicegen.model.workspace import FileInfo

Holding = Literal["strings", "imports", "calls", "error"]


def files_with(ctx: RuleContext, what: Holding) -> list[tuple[str, FileInfo]]:
    """The files (path, info), sorted by path, that have ``what``: string literals, imports,
    calls, or an error."""
    key = f"files with {what}"
    found: list[tuple[str, FileInfo]] | None = ctx.memo.get(key)
    if found is None:
        files = ctx.model.files
        if what == "error":
            paths = [p for p, info in files.items() if info.error is not None]
        else:
            paths = [p for p, info in files.items() if getattr(info, what)]
        found = ctx.memo[key] = [(p, files[p]) for p in sorted(paths)]
    return found
