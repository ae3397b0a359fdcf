"""The Python reader walks only the statements that can hold what ``expressions`` records:
its records equal those of a walk over every node, in the same order."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.model.readers import python as reader

TRICKY = {
    "escaped type string": 'X = 1\nLABEL = "accounts:v\\x31"\n',
    "split over adjacent literals": 'def f():\n    return ("account_opened:" \n        "v2")\n',
    "decorator dispatches": "@bus.dispatch(cmd)\ndef handle():\n    pass\n",
    "topic keyword in capitals": 'bus.publish(x, TOPIC="a:facts:b")\nsend(Topic_x="c:facts:d")\n',
    "normalised identifier": "router.\uff44ispatch(cmd)\nbus.publish('x')\n",
    "continued string": 'def g():\n    y = "opened:\\\nv1"\n    bus.publish(y)\n',
    "carriage returns": 'bus.publish("a:facts:b")\r\nZ = "closed:v1"\r\n',
    "nested in class and try": (
        "class A:\n    def h(self):\n        try:\n            self.bus.dispatch(c)\n"
        "        except E:\n            pass\n        return 'a_b:v3'\nQ = 'plain'\n"
    ),
}


def records(text: str, walk: object) -> tuple[object, ...]:
    tree = ast.parse(text)
    collector = reader._Collector()
    collector.statements(tree.body, in_function=False, type_checking=False)
    original = reader._walk_spots
    reader._walk_spots = walk  # type: ignore[assignment]
    try:
        collector.expressions(tree, text)
    finally:
        reader._walk_spots = original
    return tuple(collector.strings), tuple(collector.calls)


def whole(tree: ast.Module, text: str) -> object:
    return ast.walk(tree)


@pytest.mark.parametrize("text", TRICKY.values(), ids=list(TRICKY))
def test_same_records_as_a_walk_of_every_node(text: str) -> None:
    assert records(text, reader._walk_spots) == records(text, whole)


def test_the_tricky_cases_are_recorded() -> None:
    strings = {
        name: {s.value for s in records(text, reader._walk_spots)[0]}  # type: ignore[attr-defined]
        for name, text in TRICKY.items()
    }
    assert "accounts:v1" in strings["escaped type string"]
    assert "account_opened:v2" in strings["split over adjacent literals"]
    assert {"a:facts:b", "c:facts:d"} <= strings["topic keyword in capitals"]
    assert "opened:v1" in strings["continued string"]
    assert "a_b:v3" in strings["nested in class and try"]
    calls = records(TRICKY["decorator dispatches"], reader._walk_spots)[1]
    assert [c.function for c in calls] == ["dispatch"]  # type: ignore[attr-defined]
    calls = records(TRICKY["normalised identifier"], reader._walk_spots)[1]
    assert [c.function for c in calls] == ["dispatch"]  # type: ignore[attr-defined]


_PIECES = st.sampled_from(
    [
        "x = 1\n",
        "bus.publish('a:facts:b')\n",
        "y = 'opened:v1'\n",
        "z = 'opened:' 'v1'\n",
        "w = 'closed:\\x76' '2'\n",
        "app.dispatch(cmd)\n",
        "f(topic='t:facts:u', other=1)\n",
        "@subscribe('q')\n",
        "def handler():\n    return 'x_y:v9'\n",
        "class C:\n    event_type = 'c:v1'\n    def m(self):\n        self.bus.dispatch(1)\n",
        "if x:\n    g(TOPIC_NAME='v:facts:w')\nelse:\n    pass\n",
        "'''doc\nopened:v1\n'''\n",
    ]
)


@settings(deadline=None, max_examples=150)
@given(st.lists(_PIECES, max_size=8))
def test_same_records_on_generated_modules(pieces: list[str]) -> None:
    text = "".join(p if not p.startswith("@") else p + "def s():\n    pass\n" for p in pieces)
    assert records(text, reader._walk_spots) == records(text, whole)
