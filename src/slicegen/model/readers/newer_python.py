"""Python 3.12's type parameter syntax (PEP 695), read by an older interpreter's ``ast``.

``class Box[T]:``, ``def first[T](xs: list[T]) -> T:`` and ``type Pair[T] = tuple[T, T]`` are
valid Python that ``ast.parse`` rejects before 3.12. Rather than report such a file as a syntax
error (SG001) and skip it, the type parameter lists are blanked with spaces (every other column
stays where it was) and ``type X = ...`` becomes ``X = ...``; what the readers record (classes,
functions, imports, strings) does not depend on type parameters.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize

#: Whether this interpreter's ``ast`` reads type parameters itself.
NATIVE = sys.version_info >= (3, 12)


def parse_newer(text: str) -> ast.Module | None:
    """The module ``text`` holds once its PEP 695 syntax is blanked, or None when there is none
    (or when this interpreter reads it natively, or the file is invalid anyway)."""
    if NATIVE or "[" not in text:
        return None
    lines = text.splitlines(keepends=True)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    aliases: list[tuple[int, int, int]] = []  # row, column of ``type``, column of the name
    blanked = False
    for i, tok in enumerate(tokens[:-2]):
        nxt, after = tokens[i + 1], tokens[i + 2]
        alias = tok.string == "type" and _starts_statement(tokens, i)
        if nxt.type != tokenize.NAME or not (tok.string in ("class", "def") or alias):
            continue
        if after.string == "[":
            close = _closing(tokens, i + 2)
            if close is None:
                return None
            _blank(lines, after.start, tokens[close].end)
            blanked = True
        if alias and (after.string == "=" or after.string == "["):
            aliases.append((tok.start[0], tok.start[1], nxt.start[1]))
    if not (aliases or blanked):
        return None
    for row, col, name_col in reversed(aliases):  # ``type X = v`` -> ``X = v``
        line = lines[row - 1]
        lines[row - 1] = line[:col] + line[name_col:]
    try:
        return ast.parse("".join(lines))
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None


def _closing(tokens: list[tokenize.TokenInfo], open_at: int) -> int | None:
    depth = 0
    for j in range(open_at, len(tokens)):
        if tokens[j].string in ("[", "(", "{"):
            depth += 1
        elif tokens[j].string in ("]", ")", "}"):
            depth -= 1
            if depth == 0:
                return j
    return None


def _blank(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> None:
    """Replace the text from ``start`` to ``end`` (token positions) with spaces; a line the
    text runs past ends with a backslash, so the statement still continues onto the next."""
    for row in range(start[0], end[0] + 1):
        line = lines[row - 1]
        body = line.rstrip("\r\n")
        a = start[1] if row == start[0] else 0
        if row == end[0]:
            lines[row - 1] = line[:a] + " " * (end[1] - a) + line[end[1] :]
        else:
            lines[row - 1] = line[:a] + " " * max(len(body) - a - 1, 0) + "\\" + line[len(body) :]


def _starts_statement(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    prev = next(
        (t for t in reversed(tokens[:i]) if t.type not in (tokenize.NL, tokenize.COMMENT)), None
    )
    return (
        prev is None
        or prev.type
        in (
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
        )
        or prev.string == ";"
    )
