"""``_op_call`` (an Alembic ``op.`` call, the boundary relevance test) answers as the pattern
search it replaced, and as ``\\bop\\.\\w+\\(``, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.boundaries.relevance import _op_call

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
