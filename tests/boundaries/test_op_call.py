"""The boundary relevance test's text searches answer as the scans they replaced, on any text:
``_op_call`` (an Alembic ``op.`` call) as the pattern search and as ``\\bop\\.\\w+\\(``, the
relative-import gate as two substring tests."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.boundaries.relevance import _RELATIVE_HERE, _op_call

_SEARCHED = re.compile(r"op\.\w+\(")


def _by_pattern(text: str) -> bool:
    """The search ``_op_call`` made before: every match, its word boundary checked by hand."""
    for match in _SEARCHED.finditer(text):
        start = match.start()
        if not start or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            return True
    return False


PIECES = st.sampled_from(
    ["op.", "op", ".", "(", "x", "_", "1", " ", "\n", "é", "٣", "sh", "shop.accounts", "op.add("]
)


@settings(deadline=None, max_examples=500)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_op_call_is_the_pattern_search(text: str) -> None:
    expected = _by_pattern(text)
    assert _op_call(text) == expected
    assert expected == (re.search(r"(?<!\w)op\.\w+\(", text) is not None)


@settings(deadline=None, max_examples=200)
@given(st.text(alphabet="op.(x_ 1é\n", max_size=30))
def test_op_call_on_any_soup(text: str) -> None:
    assert _op_call(text) == _by_pattern(text)


def test_examples() -> None:
    assert _op_call('op.create_table("x")')
    assert _op_call("def f():\n    op.add_column(t)\n")
    assert not _op_call("from shop.accounts import x\nshop.orders(")
    assert not _op_call("top.level(1)")
    assert _op_call("shop.x; op.drop(")


@settings(deadline=None, max_examples=300)
@given(st.lists(st.sampled_from(["from", " ", "\t", ".", "fro", "m", "x", "\n"]), max_size=10))
def test_the_relative_import_gate_is_the_two_scans(pieces: list[str]) -> None:
    """``Relevance.python`` looks for relative imports when either spelling occurs."""
    text = "".join(pieces)
    found = _RELATIVE_HERE.search(text) is not None
    assert found == ("from ." in text or "from\t." in text)
