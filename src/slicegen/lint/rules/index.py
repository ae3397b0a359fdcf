"""Views of the model that several rules walk, worked out once per run (kept in ``ctx.memo``).

Most files of a large tree hold no string literal, import or call that a rule looks at: rules
walk these short lists, in path order, instead of sorting and scanning every file.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from operator import attrgetter
from typing import Literal

from slicegen.lint.rule import RuleContext
from slicegen.lint.rules.parts import Part, each_part
from slicegen.model.workspace import FileInfo

Holding = Literal["strings", "imports", "calls", "error"]


def files_with(ctx: RuleContext, what: Holding) -> list[tuple[str, FileInfo]]:
    """The files (path, info), sorted by path, that have ``what``: string literals, imports,
    calls, or an error."""
    key = f"files with {what}"
    found: list[tuple[str, FileInfo]] | None = ctx.memo.get(key)
    if found is None:
        test: Callable[[FileInfo], object] = (
            (lambda info: info.error is not None) if what == "error" else attrgetter(what)
        )

        def holding(part: Part) -> list[tuple[str, FileInfo]]:
            return [(p, info) for p, info in part.files.items() if test(info)]

        # domain by domain (:mod:`parts`): a domain's list stands while its files do
        found = ctx.memo[key] = sorted(chain.from_iterable(each_part(ctx, key, (), holding)))
    return found
