"""Type strings that an event type mapper declares for an event class or module.

An event need not emit its own type string: a mapper may give it one, as Commanded's
``to_event_type(MyApp.Domain.X.EventV1), do: "x_happened:v1"`` clauses or a Python dict
``{"x_happened:v1": XHappenedV1}`` do. The reader records such strings as referenced; this
module pairs each with the event it names, reading the text of the few files that hold them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from slicegen.lint.rule import RuleContext
from slicegen.lint.rules.parts import each_part
from slicegen.model.workspace import FileInfo

_VALUE = r"[\"'](?P<value>[a-z][a-z0-9_]*:v\d+)[\"']"
_MODULE = r"(?P<module>[A-Z][\w.]*)"
#: ``def to_event_type(Elixir.MyApp.X.EventV1), do: "x:v1"`` or a table's
#: ``{MyApp.X.EventV1, "x:v1"}`` (an ExESDB mapper's ``@mappings``: Elixir); ``"x:v1": XV1``
#: or ``XV1: "x:v1"`` in a dict (Python).
_PATTERNS = {
    "elixir": (
        re.compile(rf"\bto_event_type\(\s*(?:Elixir\.)?{_MODULE}\s*\)\s*,\s*do:\s*{_VALUE}"),
        re.compile(rf"\{{\s*(?:Elixir\.)?{_MODULE}\s*,\s*{_VALUE}\s*\}}"),
    ),
    "python": (re.compile(rf"{_VALUE}\s*:\s*{_MODULE}"), re.compile(rf"{_MODULE}\s*:\s*{_VALUE}")),
}


class Mapped(NamedTuple):
    path: str
    line: int
    col: int
    value: str
    event: str  # the module or class it is declared for, as written


def mapped(ctx: RuleContext) -> list[Mapped]:
    """Every type string a mapper declares for an event, in path order, computed once per run
    domain by domain (:mod:`parts`): a domain's stand while its files do."""
    if "mapped" in ctx.memo:
        found: list[Mapped] = ctx.memo["mapped"]
        return found
    parts = each_part(ctx, "mapped", (), lambda p: _mapped(ctx.text_of, p.files))
    found = ctx.memo["mapped"] = sorted(chain.from_iterable(parts), key=_PATH)
    return found


_PATH = attrgetter("path")  # a stable sort: a file's own stay in the order they were found


def _mapped(text_of: Callable[[str], str | None], files: dict[str, FileInfo]) -> list[Mapped]:
    found = []
    for path, info in files.items():
        if not info.strings:
            continue
        refs = {(s.line, s.value): s for s in info.strings if s.role == "ref"}
        if not refs:
            continue
        text = text_of(path)
        if text is None:
            continue
        for pattern in _PATTERNS.get(info.language, ()):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start("value")) + 1
                s = refs.get((line, match.group("value")))
                if s is not None:
                    found.append(Mapped(path, s.line, s.col, s.value, match.group("module")))
    return found
