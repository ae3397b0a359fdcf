"""SG602 calls ``slicegen.storm.drift.drift_by_domain`` and reports what it returns."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import lint_json


def _fake(differences: dict[str, list[str]]) -> types.ModuleType:
    module = types.ModuleType("slicegen.storm.drift")
    module.drift_by_domain = lambda model, texts, store, known=None, digests=None, designs=None: {  # type: ignore[attr-defined]
        domain: differences.get(domain, []) for domain in texts
    }
    return module


def test_drift_is_reported_at_the_document(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        sys.modules, "slicegen.storm.drift", _fake({"profiles": ["slice 'x' is missing"]})
    )
    code, findings = lint_json(make_tree("python"), select=["SG602"])
    assert code == 1
    assert [(f["code"], f["path"], f["line"]) for f in findings] == [
        ("SG602", "design_docs/profiles/event-storming.md", 1)
    ]
    assert "slice 'x' is missing" in findings[0]["message"]


def test_no_drift_no_finding(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "slicegen.storm.drift", _fake({}))
    assert lint_json(make_tree("elixir"), select=["SG602"]) == (0, [])
