"""Reading sasa1977's ``use Boundary, deps: [...], exports: [...]`` declarations.

A declaration says what a boundary may use (``deps``, absolute module names, grouping syntax
``Foo.{Bar, Baz}`` included) and which of its modules others may use besides its root
(``exports``, relative to the declaring module; ``{Schemas, ...}`` and ``:all`` export whole
namespaces). Text only, no Elixir parser: a declaration is one call with plain module lists.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from slicegen.safe_files import UnsafePath, read_regular

# A line's indent is [^\S\n]*, not \s*: from each line start \s* rescans the blank lines below,
# quadratic in a planted file of them.
_USE = re.compile(r"^[^\S\n]*use\s+Boundary\b(.*)$", re.MULTILINE)
_MODULE = r"[A-Z]\w*(?:\.[A-Z]\w*)*"
#: ``Foo.{Bar, Baz}``, from the first capital of a word (group 1: the word's letters before it,
#: kept): a search from each capital of ``AAAA...`` rescanned the word, quadratic.
_GROUP = re.compile(rf"(?<!\w)([^\WA-Z]*+)({_MODULE})\.\{{([^}}]*)\}}")
#: A ``{Module, only: [...]}`` export, removed before the plain names are read. Brackets are
#: taken only as the bracketed part: ``[^{}]*`` also took ``[``, and the two ways to read
#: ``[][]...`` made the search exponential (a 100-byte ``exports: [{[][]...`` held ``adopt`` for
#: ever); a bracketed part holds no brace, so each search ends at the next brace.
_MASS = re.compile(r"\{[^{}\[]*(?:\[[^\]{}]*\][^{}\[]*)*\}")
_DEFMODULE = re.compile(rf"^[^\S\n]*defmodule\s+({_MODULE})\s+do", re.MULTILINE)
#: A heredoc's opening or closing quotes (``@moduledoc """``, ``~S"""``).
_HEREDOC = re.compile(r'"""')


@dataclass(frozen=True, slots=True)
class Declaration:
    """One ``use Boundary``: the declaring module, its deps, and its exports as module globs."""

    module: str
    deps: tuple[str, ...]
    exports: tuple[str, ...]


def read_declaration(path: Path) -> Declaration | None:
    """The first ``use Boundary`` declaration in the file at ``path``, if any."""
    try:
        text = read_regular(path)[0].decode("utf-8", errors="replace")
    except (OSError, UnsafePath):
        return None
    found = declarations(text)
    return found[0] if found else None


def declarations(text: str) -> list[Declaration]:
    """Every ``use Boundary`` in an Elixir source, with the module that encloses it."""
    out: list[Declaration] = []
    defined = list(_DEFMODULE.finditer(text))  # once: not again for each use (quadratic)
    quotes = [m.start() for m in _HEREDOC.finditer(text)] if '"""' in text else []
    for match in _USE.finditer(text):
        if bisect_left(quotes, match.start()) % 2:
            continue  # in a heredoc: a @moduledoc's example (the Boundary library's own docs)
        modules = [m for m in defined if m.start() < match.start()]
        module = modules[-1].group(1) if modules else ""
        options = _call_text(text, match.start(1))
        if _option(options, "classify_to"):
            continue  # a mix task put into another boundary (``classify_to: MySystem.Mix``)
        deps = tuple(_modules(_option(options, "deps")))
        exports = _exports(_option(options, "exports"), module)
        out.append(Declaration(module, deps, exports))
    return out


def _call_text(text: str, start: int) -> str:
    """The call's arguments: up to the end of a line where brackets balance and no comma
    continues them."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char in "[{(":
            depth += 1
        elif char in "]})":
            depth -= 1
        elif char == "\n" and depth <= 0 and not text[start:index].rstrip().endswith(","):
            return text[start:index]
    return text[start:]


def _option(options: str, key: str) -> str:
    """The text of ``key: value`` (a bracketed list or an atom), or ""."""
    match = re.search(rf"\b{key}:\s*", options)
    if match is None:
        return ""
    rest = options[match.end() :]
    if not rest.startswith(("[", "{")):
        return rest.split(",", 1)[0].strip()
    depth = 0
    for index, char in enumerate(rest):
        depth += char in "[{("
        depth -= char in "]})"
        if depth == 0:
            return rest[: index + 1]
    return rest


def _modules(listing: str) -> list[str]:
    """Module names in a deps list, ``Foo.{Bar, Baz}`` expanded, ``{Mix, :compile}`` kept."""
    expanded = _GROUP.sub(
        lambda m: m[1] + ", ".join(f"{m[2]}.{p.strip()}" for p in m[3].split(",")), listing
    )
    return re.findall(rf"(?<![\w.:]){_MODULE}", expanded)


def _exports(listing: str, module: str) -> tuple[str, ...]:
    """Export globs over absolute module names (``User`` -> ``MyApp.Accounts.User``)."""
    if listing.startswith(":all") or listing.startswith("{:all"):
        return (f"{module}.**",)
    inner = listing.strip()[1:-1] if listing.startswith("[") else ""
    out: list[str] = []
    for mass in re.finditer(rf"\{{\s*({_MODULE})\s*,", inner):
        out.append(f"{module}.{mass.group(1)}.**")
    plain = _MASS.sub("", inner)
    out.extend(f"{module}.{name}" for name in _modules(plain))
    return tuple(dict.fromkeys(out))
