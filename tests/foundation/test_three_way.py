"""The three-way merge: each side's change kept, both sides' overlapping changes marked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.three_way import merge

lines = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "e\n", "x"]), max_size=12)
text = lines.map("".join)


@settings(deadline=None)
@given(text, text)
def test_a_side_left_alone_takes_the_other_sides_change(base: str, changed: str) -> None:
    assert merge(base, base, changed, "o", "t").text == changed
    assert merge(base, changed, base, "o", "t").text == changed
    assert merge(base, changed, changed, "o", "t").conflicts == 0


distinct = st.lists(st.integers(0, 99).map(lambda n: f"line {n}\n"), unique=True, max_size=12)


@settings(deadline=None)
@given(distinct, st.integers(0, 11), st.integers(0, 11))
def test_changes_to_distant_lines_merge_without_conflict(
    base: list[str], mine: int, theirs: int
) -> None:
    if len(base) < 2 or abs(mine - theirs) < 2 or max(mine, theirs) >= len(base):
        return
    ours, new = list(base), list(base)
    ours[mine] = "OURS\n"
    new[theirs] = "THEIRS\n"
    expected = list(base)
    expected[mine], expected[theirs] = "OURS\n", "THEIRS\n"

    merged = merge("".join(base), "".join(ours), "".join(new), "o", "t")

    assert (merged.text, merged.conflicts) == ("".join(expected), 0)


def test_repeated_lines_are_aligned_by_a_shortest_edit_script() -> None:
    base = "c\nc\na\nc\nc\na\n"  # difflib matches the first 'c c a' to the last one here

    merged = merge(base, base + "z\n", "c\nc\nX\nc\nc\na\n", "o", "t")

    assert (merged.text, merged.conflicts) == ("c\nc\nX\nc\nc\na\nz\n", 0)


def test_both_sides_changing_a_line_differently_is_marked() -> None:
    merged = merge("a\nb\nc\n", "a\nB\nc\n", "a\nX\nc\n", "yours", "new")

    assert merged.conflicts == 1
    assert merged.text == "a\n<<<<<<< yours\nB\n=======\nX\n>>>>>>> new\nc\n"


def test_a_conflict_on_a_last_line_without_newline_keeps_markers_on_their_own_lines() -> None:
    merged = merge("a\nb", "a\nB", "a\nX", "yours", "new")

    assert merged.text == "a\n<<<<<<< yours\nB\n=======\nX\n>>>>>>> new\n"
