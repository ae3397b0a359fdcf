"""Fixtures of the python stack's tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]


@pytest.fixture
def sg(cli: Run) -> Run:
    """Run slicegen in-process in a directory: ``sg(path, "add-slice", ...)`` -> Result."""

    def run(cwd: Path, *args: str) -> Any:
        return cli(*args, cwd=cwd)

    return run


@pytest.fixture
def ok(sg: Run) -> Callable[..., str]:
    """Like ``sg`` but the command must succeed; its stdout."""

    def run(cwd: Path, *args: str) -> str:
        result = sg(cwd, *args)
        assert result.exit_code == 0, f"slicegen {' '.join(args)}: {result.stdout}{result.stderr}"
        return str(result.stdout)

    return run


@pytest.fixture
def workspace(tmp_path: Path, ok: Callable[..., str]) -> Path:
    """A fresh python workspace with one domain."""
    ok(tmp_path, "init", "--stack", "python", "--app", "shop")
    ok(tmp_path, "new-domain", "accounts")
    return tmp_path
