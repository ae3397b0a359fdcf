"""Fixtures shared by the language-server tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the module's ``built`` workspace, for a test to edit."""
    root = tmp_path / "ws"
    shutil.copytree(built, root)
    return root
