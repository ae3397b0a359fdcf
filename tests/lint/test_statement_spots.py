"""The Python reader enters only the compound statements whose lines can hold an import, an emit
target or a topic name (``_statement_lines``): what it records is what a full visit records."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.model.readers import python

LEAVES = [
    "import os",
    "from a.b import (\n    c,\n    d,\n)",
    "from . import x",
    "from \\\n  a import b",
    'event_type = "a:v1"',
    "EVENT_TYPE: str = 'b:v2'",
    'type_string = \\\n    "c:v3"',
    'self.__event_type__ = "d:v4"',
    'ORDERS_TOPIC = "orders:facts:x"',
    'my_Topic = "a:b"',
    "x = 1",
    "y = f(2)",
    "pass",
]
HEADS = [
    "def f():",
    "async def g():",
    "def event_type():",
    "class C:",
    "if x:",
    "if TYPE_CHECKING:",
    "for i in y:",
    "while z:",
    "with m:",
    "try:",
]


@st.composite
def modules(draw: st.DrawFn, depth: int = 0) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth < 3 and draw(st.booleans()):
            head = draw(st.sampled_from(HEADS))
            body = draw(modules(depth + 1))  # type: ignore[call-arg]
            lines.append(head)
            lines.extend("    " + line for line in body.splitlines())
            if head == "try:":
                lines.append("except E:")
                lines.append("    " + draw(st.sampled_from(LEAVES)).replace("\n", "\n    "))
        else:
            lines.extend(draw(st.sampled_from(LEAVES)).splitlines())
    return "\n".join(lines) + "\n"


def _read(source: str, monkeypatch: pytest.MonkeyPatch, spots: bool) -> object:
    with monkeypatch.context() as patch:
        if spots:
            patch.setattr(python, "SPOTS_FROM", 0)  # short texts too
        else:
            patch.setattr(python, "_statement_lines", lambda text: None)
        return python.read_python("pkg/mod.py", source.encode())


@settings(max_examples=400, deadline=None)
@given(modules())
def test_entering_only_spotted_statements_records_the_same(source: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        full = _read(source, monkeypatch, spots=False)
        assert _read(source, monkeypatch, spots=True) == full, source


def test_a_function_without_spots_is_not_entered(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "def f():\n    x = 1\n\nimport os\n"
    assert python._statement_lines(source) is None  # short: every statement is entered
    monkeypatch.setattr(python, "SPOTS_FROM", 0)
    assert python._statement_lines(source) == [4]
    assert python._statement_lines("x = 'é'\n") is None  # non-ASCII: every statement entered
    assert python._statement_lines("import os\r\n") is None
