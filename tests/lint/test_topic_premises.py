"""SG402 judges the pub/sub topics of the product: not tests, not the eventsourcing library's
stored topics (object paths) or names that only hold the word ``topic``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import lint_json

PY = "src/shop/accounts"


def test_only_real_topics_outside_tests_are_judged(make_tree: Callable[..., Path]) -> None:
    code = (
        'MAPPER_TOPIC = "MAPPER_TOPIC"\n'
        'stored = StoredEvent(topic="topic1")\n'
        'factory = Factory(topic="eventsourcing.sqlite:Factory")\n'
        'bus.publish("accounts:events")\n'
    )
    root = make_tree("python", {f"{PY}/bus.py": code, "tests/accounts/test_bus.py": code})
    _, found = lint_json(root, select=["SG402"])
    assert [(f["path"], f["line"], f["names"][0]) for f in found] == [
        (f"{PY}/bus.py", 4, "accounts:events")
    ]
