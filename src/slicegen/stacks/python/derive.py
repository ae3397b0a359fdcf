"""Deriving the next version of a hand-edited module from the current one (libcst).

``add-version`` must not drop the rules a user wrote into ``maybe_<command>_v1``: the v2 handler
(and its test) is the v1 module with the v1 names switched to v2 (classes, handler, the slice's
message modules, docstrings included) and the fields v2 adds passed on wherever the new command
or event is built. When that cannot be done safely the caller gets a :class:`SlicegenError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from slicegen.errors import SlicegenError
from slicegen.stacks.python.pysource import call


@dataclass(frozen=True)
class Derivation:
    """What to rename, and which arguments to add to the calls of which classes."""

    renames: Mapping[str, str]  # old identifier or dotted module -> new
    added: Mapping[str, Sequence[str]]  # class name (new) -> ``name=value`` arguments to add
    dropped: Mapping[str, Sequence[str]] = field(default_factory=dict)  # -> keywords to remove


def derive(source: str, how: Derivation) -> str:
    """``source`` with ``how`` applied; raises a one-line SlicegenError when it cannot."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise SlicegenError(
            f"it is not valid Python ({exc.message}, line {exc.raw_line})"
        ) from None
    renamed = module.visit(_Renamer(how.renames))
    if not any(how.added.values()) and not any(how.dropped.values()):
        return renamed.code
    wrapper = MetadataWrapper(renamed)
    adder = _ArgumentAdder(wrapper, how.added, how.dropped)
    result = wrapper.visit(adder)
    missing = sorted(cls for cls in how.added if how.added[cls] and cls not in adder.seen)
    if missing:
        raise SlicegenError(f"it builds no {' or '.join(missing)} with keyword arguments")
    return result.code


class _Renamer(cst.CSTTransformer):
    """Switch names, dotted module names and whole words in strings."""

    def __init__(self, renames: Mapping[str, str]) -> None:
        self.renames = renames
        words = "|".join(re.escape(w) for w in sorted(renames, key=len, reverse=True))
        # ``_`` separates words too: test_maybe_x_v1_records -> test_maybe_x_v2_records
        self.pattern = re.compile(rf"(?<![A-Za-z0-9])({words})(?![A-Za-z0-9])")

    def _sub(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.renames[m.group(1)], text)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self._sub(updated.value))

    def leave_SimpleString(
        self, original: cst.SimpleString, updated: cst.SimpleString
    ) -> cst.SimpleString:
        return updated.with_changes(value=self._sub(updated.value))

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        if updated.module is None:
            return updated
        dotted = cst.Module(body=[]).code_for_node(updated.module)
        if dotted not in self.renames:
            return updated
        parsed = cst.parse_statement(f"from {self.renames[dotted]} import x")
        assert isinstance(parsed, cst.SimpleStatementLine)
        node = parsed.body[0]
        assert isinstance(node, cst.ImportFrom)
        return updated.with_changes(module=node.module)


class _ArgumentAdder(cst.CSTTransformer):
    """Add (and drop) keyword arguments of every call of the given classes, laid out as ruff
    would."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(
        self,
        wrapper: MetadataWrapper,
        added: Mapping[str, Sequence[str]],
        dropped: Mapping[str, Sequence[str]],
    ) -> None:
        super().__init__()
        self.lines = wrapper.module.code.split("\n")
        self.module = wrapper.module
        self.added = added
        self.dropped = dropped
        self.seen: set[str] = set()

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if not isinstance(updated.func, cst.Name) or updated.func.value not in {
            *self.added,
            *self.dropped,
        }:
            return updated
        cls = updated.func.value
        if any(arg.star for arg in updated.args):
            self.seen.add(cls)  # Cls(**values): the values carry the new fields
            return updated
        code = self.module.code_for_node(original)
        if "#" in code:
            raise SlicegenError(f"a call of {cls} holds a comment")
        drop = set(self.dropped.get(cls, ()))
        kept = [a for a in updated.args if a.keyword is None or a.keyword.value not in drop]
        given = {arg.keyword.value for arg in kept if arg.keyword is not None}
        new = [a for a in self.added.get(cls, ()) if a.split("=", 1)[0] not in given]
        self.seen.add(cls)
        if not new and len(kept) == len(updated.args):
            return updated
        start = self.get_metadata(PositionProvider, original).start
        line = self.lines[start.line - 1]
        indent = line[: len(line) - len(line.lstrip())]
        prefix = line[len(indent) : start.column]
        args = [
            self.module.code_for_node(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT))
            for arg in kept
        ]
        end = self.get_metadata(PositionProvider, original).end
        # what follows the call on its last line (``)]`` of ``return [Cls(...)]``) counts too
        suffix = len(self.lines[end.line - 1]) - end.column if end.line == start.line else 0
        text = call(
            f"{prefix}{cls}", [*(a.strip() for a in args), *new], 100 - suffix, indent=indent
        )
        # libcst adds the enclosing block's indentation to each continuation line
        first, *rest = text[len(indent) + len(prefix) :].split("\n")
        return cst.parse_expression("\n".join([first, *(r.removeprefix(indent) for r in rest)]))
