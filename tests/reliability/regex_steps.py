"""How much work a backtracking regex engine does on a text: a model to prove a regex linear.

:func:`steps` runs a pattern the way CPython's ``re`` does (leftmost start first, greedy, lazy and
possessive repeats, alternatives in order, backtracking) over the parse ``re`` itself makes of
it, and counts each character tested and each node entered. A pattern is linear on a family of
inputs when doubling the input about doubles the count; a quadratic one quadruples it. Counting
steps, not seconds, makes the test deterministic on a loaded machine.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

Cont = Callable[[int], bool]

_CATEGORIES: dict[object, Callable[[str], bool]] = {
    c.CATEGORY_DIGIT: str.isdigit,
    c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    c.CATEGORY_SPACE: str.isspace,
    c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}


class _Run:
    def __init__(self, text: str, flags: int) -> None:
        self.text = text
        self.multiline = bool(flags & re.MULTILINE)
        self.dotall = bool(flags & re.DOTALL)
        self.count = 0

    def char_ok(self, op: object, av: object, ch: str) -> bool:
        self.count += 1
        if op is c.LITERAL:
            return ch == chr(av)  # type: ignore[arg-type]
        if op is c.NOT_LITERAL:
            return ch != chr(av)  # type: ignore[arg-type]
        if op is c.ANY:
            return self.dotall or ch != "\n"
        if op is c.IN:
            negate = False
            hit = False
            for sub_op, sub_av in av:  # type: ignore[attr-defined]
                if sub_op is c.NEGATE:
                    negate = True
                elif sub_op is c.LITERAL:
                    hit = hit or ch == chr(sub_av)
                elif sub_op is c.RANGE:
                    hit = hit or sub_av[0] <= ord(ch) <= sub_av[1]
                elif sub_op is c.CATEGORY:
                    hit = hit or _CATEGORIES[sub_av](ch)
                else:
                    raise NotImplementedError(sub_op)
            return hit != negate
        raise NotImplementedError(op)

    def word_at(self, i: int) -> bool:
        return 0 <= i < len(self.text) and (self.text[i].isalnum() or self.text[i] == "_")

    def at(self, where: object, i: int) -> bool:
        text = self.text
        if self.multiline:  # as re compiles them: ^ and $ of each line
            where = c.AT_MULTILINE.get(where, where)
        if where is c.AT_BEGINNING or where is c.AT_BEGINNING_STRING:
            return i == 0
        if where is c.AT_BEGINNING_LINE:
            return i == 0 or text[i - 1] == "\n"
        if where is c.AT_END:
            return i == len(text) or (i == len(text) - 1 and text[i] == "\n")
        if where is c.AT_END_LINE:
            return i == len(text) or text[i] == "\n"
        if where is c.AT_END_STRING:
            return i == len(text)
        if where is c.AT_BOUNDARY:
            return self.word_at(i - 1) != self.word_at(i)
        if where is c.AT_NON_BOUNDARY:
            return self.word_at(i - 1) == self.word_at(i)
        raise NotImplementedError(where)

    def seq(self, nodes: list[tuple[object, object]], at: int, i: int, k: Cont) -> bool:
        if at == len(nodes):
            return k(i)
        self.count += 1
        op, av = nodes[at]

        def rest(j: int) -> bool:
            return self.seq(nodes, at + 1, j, k)

        if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            return i < len(self.text) and self.char_ok(op, av, self.text[i]) and rest(i + 1)
        if op is c.AT:
            return self.at(av, i) and rest(i)
        if op is c.SUBPATTERN:
            return self.seq(list(av[3]), 0, i, rest)  # type: ignore[index]
        if op is c.ATOMIC_GROUP:
            end = self.first_end(list(av), i)  # type: ignore[call-overload]
            return end is not None and rest(end)
        if op is c.BRANCH:
            return any(self.seq(list(alt), 0, i, rest) for alt in av[1])  # type: ignore[index]
        if op in (c.ASSERT, c.ASSERT_NOT):
            direction, sub = av  # type: ignore[misc]
            sub = list(sub)
            if direction < 0:  # a lookbehind: its width is fixed
                width = _parser.SubPattern(_parser.State(), sub).getwidth()[0]
                found = i - width >= 0 and self.first_end(sub, i - width) == i
            else:
                found = self.first_end(sub, i) is not None
            return found == (op is c.ASSERT) and rest(i)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, item = av  # type: ignore[misc]
            return self.repeat(op, low, high, list(item), i, rest)
        raise NotImplementedError(op)

    def first_end(self, nodes: list[tuple[object, object]], i: int) -> int | None:
        ends: list[int] = []
        self.seq(nodes, 0, i, lambda j: ends.append(j) is None)
        return ends[0] if ends else None

    def repeat(
        self, op: object, low: int, high: int, item: list[tuple[object, object]], i: int, k: Cont
    ) -> bool:
        if len(item) == 1 and item[0][0] in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
            one_op, one_av = item[0]
            most = 0
            while (
                most < high
                and i + most < len(self.text)
                and self.char_ok(one_op, one_av, self.text[i + most])
            ):
                most += 1
            if most < low:
                return False
            if op is c.POSSESSIVE_REPEAT:
                return k(i + most)
            counts = range(most, low - 1, -1) if op is c.MAX_REPEAT else range(low, most + 1)
            return any(k(i + n) for n in counts)
        if op is c.POSSESSIVE_REPEAT:
            n, j = 0, i
            while n < high and (end := self.first_end(item, j)) is not None and end != j:
                n, j = n + 1, end
            return n >= low and k(j)

        def more(n: int, j: int) -> bool:
            def again(end: int) -> bool:
                return end != j and more(n + 1, end)

            if op is c.MAX_REPEAT:
                return (n < high and self.seq(item, 0, j, again)) or (n >= low and k(j))
            return (n >= low and k(j)) or (n < high and self.seq(item, 0, j, again))

        return more(0, i)


def steps(
    pattern: re.Pattern[str],
    text: str,
    how: str = "finditer",
    pos: int = 0,
    endpos: int | None = None,
) -> int:
    """The steps a backtracking engine takes for ``pattern.<how>(text, pos, endpos)`` (``how``:
    ``finditer``, ``search``, ``match``, ``fullmatch``; ``findall`` and ``sub`` scan as
    ``finditer`` does)."""
    nodes = list(_parser.parse(pattern.pattern, pattern.flags))
    if how == "fullmatch":
        nodes.append((c.AT, c.AT_END_STRING))
    run = _Run(text[:endpos], pattern.flags)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20 * len(run.text) + 1000))
    try:
        start = pos
        while start <= len(run.text):
            end = None
            for i in range(start, len(run.text) + 1):
                end = run.first_end(nodes, i)
                if end is not None or how in ("match", "fullmatch"):
                    break
            if end is None or how in ("search", "match", "fullmatch"):
                break
            start = end + 1 if end == i else end
    finally:
        sys.setrecursionlimit(old)
    return run.count


class Counting:
    """A compiled pattern that adds the steps of each call to ``total`` (then does the call):
    put it in place of a module's pattern to count what the module's own code makes it do."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.total = 0

    def __getattr__(self, name: str) -> object:
        real = getattr(self.pattern, name)
        if name in ("search", "match", "fullmatch", "finditer", "findall"):

            def counted(text: str, pos: int = 0, endpos: int | None = None) -> object:
                self.total += steps(self.pattern, text, name, pos, endpos)
                return real(text, pos) if endpos is None else real(text, pos, endpos)

            return counted
        if name == "sub":

            def substituted(repl: object, text: str, count: int = 0) -> object:
                self.total += steps(self.pattern, text)
                return real(repl, text, count)

            return substituted
        return real
