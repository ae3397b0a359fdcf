"""``find_block`` finds with ``str.find`` what the regular expression it replaced found."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.markers import find_block

BEGIN, END = "<!-- slicegen:begin diagram -->", "<!-- slicegen:end diagram -->"
PIECES = st.sampled_from([BEGIN, END, "\n", "\r\n", "\r", "x", " ", "<!--", "-->", "diagram"])


def _by_regex(text: str) -> str | None:
    match = re.search(re.escape(BEGIN) + r"\r?\n(.*?)" + re.escape(END), text, re.DOTALL)
    return match.group(1) if match else None


@settings(deadline=None, max_examples=400)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_find_block_is_the_regex(text: str) -> None:
    assert find_block(text, "diagram") == _by_regex(text)


def test_find_block_examples() -> None:
    assert find_block(f"a\n{BEGIN}\r\nbody\n{END}\n", "diagram") == "body\n"
    assert find_block(f"{BEGIN} {BEGIN}\nlater\n{END}", "diagram") == "later\n"
    assert find_block(f"{BEGIN}\nno end", "diagram") is None
    assert find_block(f"{END}\n{BEGIN}\n", "diagram") is None
