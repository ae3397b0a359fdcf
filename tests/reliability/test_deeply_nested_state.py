"""A deeply nested ``events.lock.toml``, baseline or ``.slicegen/manifest.json`` in a
stranger's tree is one line naming the file and the fix, not a RecursionError traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.lint.trees import clean, write

DEEP_TOML = "x = " + "[" * 5_000 + "]" * 5_000 + "\n"
DEEP_JSON = "[" * 100_000 + "]" * 100_000 + "\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    write(folder, clean("python"))
    return folder


def test_a_deep_lock_is_one_line(cli: RunCli, root: Path) -> None:
    (root / "events.lock.toml").write_text(DEEP_TOML)
    result = cli("lint", str(root), cwd=root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "events.lock.toml cannot be read (nested too deeply): restore it" in result.stderr


def test_a_deep_baseline_is_one_line(cli: RunCli, root: Path) -> None:
    (root / "baseline.json").write_text(DEEP_JSON)
    result = cli("lint", str(root), "--baseline", "baseline.json", cwd=root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "is not a slicegen baseline (nested too deeply); remove it" in result.stderr


def test_a_deep_manifest_is_one_line(cli: RunCli, tmp_path: Path) -> None:
    ws = tmp_path / "made"
    assert cli("init", str(ws), "--stack", "python", "--app", "shop").exit_code == 0
    (ws / ".slicegen" / "manifest.json").write_text(DEEP_JSON)
    result = cli("new-domain", "accounts", "-C", str(ws))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert "manifest.json is not a slicegen manifest" in result.stderr
