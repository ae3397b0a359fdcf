"""The lock as slicegen writes it is read without tomllib, with the same result; any other text
(edited by hand, reordered, damaged) is read by tomllib as before."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.contracts import lock
from slicegen.contracts.lock import EventShape, FieldShape, Locked, parse, render
from slicegen.errors import SlicegenError

_TEXT = st.text(min_size=1, max_size=12)
_NAMES = st.one_of(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), _TEXT)


@st.composite
def locks(draw: st.DrawFn) -> Locked:
    out: Locked = {}
    for domain in draw(st.lists(_NAMES, max_size=3, unique=True)):
        for identity in draw(st.lists(_NAMES, min_size=1, max_size=3, unique=True)):
            fields = draw(st.dictionaries(_NAMES, st.tuples(_TEXT, st.booleans()), max_size=4))
            shape = {n: FieldShape(t, r) for n, (t, r) in fields.items()}
            out.setdefault(domain, {})[identity] = EventShape(identity, draw(_TEXT), 1, shape)
    return out


def by_tomllib(text: str) -> Locked | None:
    original = lock._as_written
    lock._as_written = lambda text: None  # type: ignore[assignment]
    try:
        return parse(text)
    except SlicegenError:
        return None
    finally:
        lock._as_written = original


@settings(deadline=None, max_examples=200)
@given(locks())
def test_a_written_lock_reads_as_tomllib_reads_it(locked: Locked) -> None:
    text = render(locked)
    expected = by_tomllib(text)
    if expected is None:  # tomllib refuses it (a DEL character): so does parse
        with pytest.raises(SlicegenError):
            parse(text)
        return
    read = parse(text)
    assert read == expected
    assert list(read) == list(expected)
    assert lock._as_written(text) is not None  # the fast path took it


TABLE = '\n[events.accounts."opened:v1"]\npath = "a.py"\nfields = {{ {f} }}\nrequired = [{r}]\n'


@pytest.mark.parametrize(
    "body",
    [
        TABLE.format(f='b = "int", a = "str"', r='"a", "a"'),  # a name twice
        TABLE.format(f='a = "str"', r='"zz"'),  # required but no such field
        TABLE.format(f='a = "s\\/t"', r=""),  # an escape TOML has, written differently
        TABLE.format(f='a = "str"', r="") + TABLE.format(f='a = "int"', r=""),  # a table twice
        '\n[events.b."x:v1"]\npath = "b.py"\nfields = {}\nrequired = []\n'
        + TABLE.format(f='a = "str"', r=""),  # domains out of order
        TABLE.format(f='a = "str"', r="") + "# a note\n",
        TABLE.format(f='a = "x\x7f"', r=""),
    ],
)
def test_other_texts_go_to_tomllib(body: str) -> None:
    text = lock._HEADER + body
    assert lock._as_written(text) is None
    expected = by_tomllib(text)
    if expected is None:
        with pytest.raises(SlicegenError):
            parse(text)
    else:
        assert parse(text) == expected == _loaded(text)


def _loaded(text: str) -> Locked:
    data = tomllib.loads(text)
    out: Locked = {}
    for domain, events in data["events"].items():
        for identity, entry in events.items():
            required = set(entry["required"])
            fields = {n: FieldShape(t, n in required) for n, t in entry["fields"].items()}
            out.setdefault(domain, {})[identity] = EventShape(identity, entry["path"], 1, fields)
    return out
