"""Which changes of a stored shape break old events."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.contracts.compare import breaks
from slicegen.model.readers.fields import FieldShape

OLD = {"owner": FieldShape("str", True), "limit": FieldShape("int|None", False)}


def test_unchanged_and_new_optional_field_are_compatible() -> None:
    assert breaks(OLD, dict(OLD)) == []
    assert breaks(OLD, {**OLD, "note": FieldShape("str|None", False)}) == []


def test_each_breaking_change_is_named() -> None:
    assert breaks(OLD, {"limit": OLD["limit"]}) == ["field 'owner' removed"]
    assert breaks(OLD, {"owner_name": OLD["owner"], "limit": OLD["limit"]}) == [
        "field 'owner' renamed to 'owner_name'"
    ]
    assert breaks(OLD, {**OLD, "limit": FieldShape("str|None", False)}) == [
        "field 'limit' retyped from 'int|None' to 'str|None'"
    ]
    assert breaks(OLD, {**OLD, "note": FieldShape("str", True)}) == ["required field 'note' added"]


names = st.from_regex(r"[a-z]{1,6}", fullmatch=True)
types = st.sampled_from(["str", "int", "bool", "list[str]"])
shapes = st.dictionaries(names, st.builds(FieldShape, types, st.booleans()), max_size=6)


@settings(deadline=None, max_examples=200)
@given(shapes, names, types)
def test_adding_an_optional_field_never_breaks(
    old: dict[str, FieldShape], name: str, t: str
) -> None:
    new = {**old, name: FieldShape(t, False)} if name not in old else dict(old)
    assert breaks(old, new) == []


@settings(deadline=None, max_examples=200)
@given(shapes)
def test_dropping_any_field_breaks(old: dict[str, FieldShape]) -> None:
    for name in old:
        rest = {n: f for n, f in old.items() if n != name}
        assert breaks(old, rest) == [f"field '{name}' removed"]
