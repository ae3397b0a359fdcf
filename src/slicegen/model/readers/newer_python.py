"""Newer Python syntax, read by an older interpreter's ``ast``.

Valid Python that ``ast.parse`` rejects on this interpreter is rewritten, every line kept where
it was, and parsed again, rather than reported as a syntax error (SG001) and skipped; what the
readers record (classes, functions, imports, constant strings) does not depend on what is
rewritten:

- Python 3.12's type parameters (PEP 695): ``class Box[T]:``, ``def first[T](xs: list[T]) ->
  T:`` and ``type Pair[T] = tuple[T, T]``: the lists are blanked with spaces and ``type X =
  ...`` becomes ``X = ...``;
- Python 3.12's f-strings (PEP 701: quotes of their own kind, line breaks and comments inside
  a replacement field): each f-string becomes an empty string, parenthesised when it spans
  lines (``(""`` then its line breaks, then ``)``);
- Python 3.14's ``except A, B:`` (PEP 758): the types are parenthesised.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize

#: Whether this interpreter's ``ast`` reads type parameters and PEP 701 f-strings itself.
NATIVE = sys.version_info >= (3, 12)
#: Whether it reads ``except A, B:`` itself.
NATIVE_EXCEPT = sys.version_info >= (3, 14)
_PREFIX_CHARS = frozenset("rRbBuUfF")


def parse_newer(text: str) -> ast.Module | None:
    """The module ``text`` holds once its newer syntax is rewritten, or None when there is none
    (or when this interpreter reads it natively, or the file is invalid anyway)."""
    if NATIVE_EXCEPT:
        return None
    changed = False
    if not NATIVE and ("f'" in text or 'f"' in text or "F'" in text or 'F"' in text):
        blanked = blank_fstrings(text)
        changed = blanked is not None and blanked != text
        text = blanked if blanked is not None else text
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    lines = text.splitlines(keepends=True)
    changed = _parenthesise_excepts(lines, tokens) or changed
    if not NATIVE and "[" in text:
        changed = _blank_type_params(lines, tokens) or changed
    if not changed:
        return None
    try:
        return ast.parse("".join(lines))
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None


def _parenthesise_excepts(lines: list[str], tokens: list[tokenize.TokenInfo]) -> bool:
    """``except A, B:`` (and ``except* A, B:``) -> ``except (A, B):``, in ``lines``."""
    edits: list[tuple[int, int, int]] = []  # row, column of the first type, of the ':'
    for i, tok in enumerate(tokens):
        if tok.string != "except" or not _starts_statement(tokens, i):
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].string == "*":
            j += 1
        first, depth, comma = j, 0, False
        while j < len(tokens) and tokens[j].type not in (tokenize.NEWLINE, tokenize.ENDMARKER):
            s = tokens[j].string
            if s in ("(", "[", "{"):
                depth += 1
            elif s in (")", "]", "}"):
                depth -= 1
            elif depth == 0 and s == ",":
                comma = True
            elif depth == 0 and s in (":", "as"):
                break
            j += 1
        if comma and j < len(tokens) and tokens[j].string == ":" and first < j:
            start, end = tokens[first].start, tokens[j].start
            if start[0] == end[0]:  # one line: the common case, and the only one rewritten
                edits.append((start[0], start[1], end[1]))
    for row, a, b in reversed(edits):
        line = lines[row - 1]
        lines[row - 1] = line[:a] + "(" + line[a:b] + ")" + line[b:]
    return bool(edits)


def _blank_type_params(lines: list[str], tokens: list[tokenize.TokenInfo]) -> bool:
    """PEP 695's type parameter lists blanked in ``lines``, ``type X = v`` made ``X = v``."""
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
                return False
            _blank(lines, after.start, tokens[close].end)
            blanked = True
        if alias and (after.string == "=" or after.string == "["):
            aliases.append((tok.start[0], tok.start[1], nxt.start[1]))
    for row, col, name_col in reversed(aliases):  # ``type X = v`` -> ``X = v``
        line = lines[row - 1]
        lines[row - 1] = line[:col] + line[name_col:]
    return bool(aliases or blanked)


def blank_fstrings(text: str) -> str | None:
    """``text`` with each f-string made an empty string (see the module docstring), every
    other character where it was; None when a string or a replacement field is not closed."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        end = _lexeme_end(text, i)
        if end is None:
            return None
        if end == i:
            out.append(text[i])
            i += 1
            continue
        out.append(_blanked(text[i:end]))
        i = end
    return "".join(out)


def _blanked(lexeme: str) -> str:
    """An f-string literal made an empty string on as many lines, anything else as it is."""
    quote = _string_start(lexeme, 0)
    if quote is None or "f" not in lexeme[:quote].lower():
        return lexeme
    breaks = lexeme.count("\n")
    if not breaks:
        return '""' + " " * (len(lexeme) - 2)
    tail = len(lexeme) - lexeme.rfind("\n") - 1
    return '(""' + "\n" * breaks + " " * max(tail - 1, 0) + ")"


def _lexeme_end(text: str, i: int) -> int | None:
    """The index just past the comment, string literal (prefix included) or name that starts
    at ``i`` (a prefix letter inside a name starts no string); ``i`` itself when none does;
    None when a string or a replacement field in it is not closed."""
    c = text[i]
    if c == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if c in "'\"" or (c in _PREFIX_CHARS and _string_start(text, i) is not None):
        return _string_end(text, i)
    if c.isalnum() or c == "_":
        while i < len(text) and (text[i].isalnum() or text[i] == "_"):
            i += 1
    return i


def _string_start(text: str, i: int) -> int | None:
    """The index of the opening quote when a string literal (with its prefix) starts at ``i``."""
    j = i
    while j < len(text) and j - i < 3 and text[j] in _PREFIX_CHARS:
        j += 1
    if j < len(text) and text[j] in "'\"" and j - i <= 2:
        return j
    return None


def _string_end(text: str, i: int) -> int | None:
    """The index just past the string literal starting at ``i`` (its prefix included)."""
    q = _string_start(text, i)
    if q is None:
        return None
    prefix = text[i:q].lower()
    quote = text[q] * 3 if text.startswith(text[q] * 3, q) else text[q]
    j = q + len(quote)
    n = len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if text.startswith(quote, j):
            return j + len(quote)
        if c == "\n" and len(quote) == 1:
            return None
        if "f" in prefix and c in "{}":
            if text.startswith(c * 2, j):
                j += 2
                continue
            if c == "}":
                return None
            end = _field_end(text, j + 1)
            if end is None:
                return None
            j = end
            continue
        j += 1
    return None


def _field_end(text: str, i: int) -> int | None:
    """The index just past the ``}`` that closes the replacement field whose expression starts
    at ``i``: strings, brackets and comments of the expression skipped, then its format spec
    (literal text holding fields of its own)."""
    depth, n = 0, len(text)
    while i < n:
        end = _lexeme_end(text, i)  # a comment up to the end of the text ends the loop: None
        if end is None:
            return None
        if end > i:
            i = end
            continue
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]" or (c == "}" and depth > 0):
            depth -= 1
        elif c == "}":
            return i + 1
        elif depth == 0 and c == "!" and not text.startswith("!=", i):
            i += 1  # a conversion (!r, !s, !a): then the spec or the end
            continue
        elif depth == 0 and c == ":":
            return _spec_end(text, i + 1)
        i += 1
    return None


def _spec_end(text: str, i: int) -> int | None:
    """The index just past the ``}`` ending a format spec that starts at ``i``."""
    n = len(text)
    while i < n:
        c = text[i]
        if c == "{":
            end = _field_end(text, i + 1)
            if end is None:
                return None
            i = end
            continue
        if c == "}":
            return i + 1
        if c == "\n":
            return None
        i += 1
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
