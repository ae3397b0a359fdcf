"""Regexes over a tree's text take time linear in it: a planted file cannot hold a lint for hours.

Each case runs slicegen's own code (or, where it searches a whole text with one pattern, that
pattern) on an adversarial text and on the text doubled, and counts the steps a backtracking
engine takes (:mod:`regex_steps`: steps, not seconds). Linear doubles them; the patterns these
cases were written against quadrupled them (or worse).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from slicegen.boundaries import contract_import, imports_python
from slicegen.design import extract
from slicegen.lint.rules.integration.generic_topic import TOPIC
from slicegen.lint.rules.names.event_type_string import STRICT
from slicegen.model import boundary_decl, domains
from slicegen.stacks.elixir import domain as elixir_domain
from slicegen.stacks.elixir import remove as elixir_remove
from slicegen.stacks.elixir import slice as elixir_slice

from .regex_steps import Counting, steps

N = 60
LINEAR = 2.6  # doubling the input: about 2 when linear, 4 when quadratic


def _scan(source: str) -> object:
    return imports_python.scan_imports(source, "pkg.a", "pkg")


def _exports(listing: str) -> object:
    return boundary_decl._exports(listing, "MyApp.Accounts")


CODE_CASES: list[tuple[str, object, str, Callable[[str], object], Callable[[int], str]]] = [
    ("from+blanks", imports_python, "_STATEMENT", _scan, lambda n: "from" + " " * n + "!\n"),
    ("from+dots", imports_python, "_STATEMENT", _scan, lambda n: "from " + "." * n + "!\n"),
    ("unclosed (", imports_python, "_STATEMENT", _scan, lambda n: "from a import (\n" * n),
    (
        "# line",
        imports_python,
        "_TRIPLE_IN_COMMENT",
        imports_python._needs_parse,
        lambda n: "x = '''a'''\n" + "#" * n,
    ),
    (
        "word in define_layers",
        contract_import,
        "_PAIR",
        contract_import._archtest,
        lambda n: "define_layers(" + "a" * n + ")",
    ),
    ("unclosed @a [", contract_import, "_SLICES_ATTR", contract_import._archtest, "@a [".__mul__),
    (
        "use Boundary lines",
        boundary_decl,
        "_DEFMODULE",
        boundary_decl.declarations,
        "use Boundary\n".__mul__,
    ),
    ("blank lines", boundary_decl, "_USE", boundary_decl.declarations, "\n".__mul__),
    ("capitals", boundary_decl, "_GROUP", boundary_decl._modules, "Ab".__mul__),
    # exponential before: "[]" pairs could be read two ways each (tens of pairs: hours)
    ("mass exports", boundary_decl, "_MASS", _exports, lambda n: "[{" + "[]" * (n // 6) + "]"),
]


@pytest.mark.parametrize(
    ("module", "name", "run", "make"),
    [case[1:] for case in CODE_CASES],
    ids=[case[0] for case in CODE_CASES],
)
def test_code_over_a_doubled_text_does_twice_the_steps(
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    run: Callable[[str], object],
    make: Callable[[int], str],
) -> None:
    counted = []
    pattern = getattr(module, name)
    for n in (N, 2 * N):
        counting = Counting(pattern)
        monkeypatch.setattr(module, name, counting)
        run(make(n))
        counted.append(counting.total)
    assert counted[0] > 0, "the case no longer reaches the pattern"
    assert counted[1] / counted[0] < LINEAR, counted


PATTERN_CASES: list[tuple[str, re.Pattern[str], str, Callable[[int], str]]] = [
    ("def after blank lines", extract._DEF, "finditer", "\n".__mul__),
    ("hex package", domains._HEX_PACKAGE, "search", "\n".__mul__),
    ("no context", domains._NO_CONTEXT, "search", "\n".__mul__),
    ("releases", domains._RELEASES, "search", "\n".__mul__),
    ("port", elixir_domain._PORT, "finditer", "\n".__mul__),
    ("a def line after blank lines", elixir_remove.def_line("apply"), "search", "\n".__mul__),
    ("a uuid fixture line", elixir_slice.uuid_pairs("0" * 8), "finditer", "\n".__mul__),
    # held before: one start, no split of a run between two parts
    ("type string", STRICT, "fullmatch", lambda n: "a" + "_a" * n + "!"),
    ("topic", TOPIC, "fullmatch", lambda n: "a" * n),
]


@pytest.mark.parametrize(
    ("pattern", "how", "make"),
    [case[1:] for case in PATTERN_CASES],
    ids=[case[0] for case in PATTERN_CASES],
)
def test_pattern_over_a_doubled_text_does_twice_the_steps(
    pattern: re.Pattern[str], how: str, make: Callable[[int], str]
) -> None:
    assert steps(pattern, make(2 * N), how) / steps(pattern, make(N), how) < LINEAR


# The patterns before they were made linear: the answers must not change.
_OLD_STATEMENT = re.compile(
    r"^([ \t]*)(?:from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n]*)"
    r"|import[ \t]+([^\n]*))",
    re.MULTILINE,
)
_OLD_TRIPLE_IN_COMMENT = re.compile(r"#[^\n]*?(?:\"\"\"|''')")
_OLD_GROUP = re.compile(r"([A-Z]\w*(?:\.[A-Z]\w*)*)\.\{([^}]*)\}")

_PIECES = ["from", "import", " ", "\t", ".", "..", "a", "b.c", "(", ")", ",", "#", "\n", "'''", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join))
@example("from . import a\nfrom .. import (a,\n b)\nfrom  import a\nfrom import a\n")
@example("from .a import b\nfrom . .a import b\nfrom a importb\nimport a, b\n")
def test_import_scan_answers_as_before(source: str) -> None:
    new = _scan(source), imports_python._needs_parse(source)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(imports_python, "_STATEMENT", _OLD_STATEMENT)
        patch.setattr(imports_python, "_TRIPLE_IN_COMMENT", _OLD_TRIPLE_IN_COMMENT)
        old = _scan(source), imports_python._needs_parse(source)
    assert new == old


def _old_modules(listing: str) -> list[str]:
    expanded = _OLD_GROUP.sub(
        lambda m: ", ".join(f"{m.group(1)}.{p.strip()}" for p in m.group(2).split(",")), listing
    )
    return re.findall(rf"(?<![\w.:]){boundary_decl._MODULE}", expanded)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["A", "b", "É", "é", "_", "1", ".", ".{", "}", ",", " "]), max_size=20)
)
def test_module_groups_expand_as_before(pieces: list[str]) -> None:
    listing = "".join(pieces)
    assert boundary_decl._modules(listing) == _old_modules(listing)


_OLD_MASS = re.compile(r"\{[^{}]*(?:\[[^\]]*\][^{}]*)*\}")
_FLAT_BRACKETS = re.compile(r"\[[^\[\]{}]*\]")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["{", "}", "[", "]", "A", "B.C", ",", " ", ":only"]), max_size=16))
def test_mass_exports_are_removed_as_before(pieces: list[str]) -> None:
    """The same on lists whose brackets are closed before any other bracket or brace (as in
    Elixir: ``{Accounts, only: [User]}``); before, a ``[`` with no ``]`` was taken as text."""
    inner = "".join(pieces)
    assume(not re.search(r"[\[\]]", _FLAT_BRACKETS.sub("", inner)))
    assert boundary_decl._MASS.sub("", inner) == _OLD_MASS.sub("", inner)
