"""Fixtures of the python stack's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.python_stack.support import ok


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh python workspace with one domain."""
    ok(tmp_path, "init", "--stack", "python", "--app", "shop")
    ok(tmp_path, "new-domain", "accounts")
    return tmp_path
