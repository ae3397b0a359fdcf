"""The generated trees are clean under ``slicegen lint`` once their storming documents are
refreshed (scaffolding commands leave the derived sections to ``slicegen storm``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli


@pytest.mark.parametrize("tree", ["umbrella", "long_umbrella", "eventstore_umbrella"])
def test_generated_tree_is_lint_clean(
    cli: RunCli, request: pytest.FixtureRequest, tree: str, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(request.getfixturevalue(tree), root)
    assert cli("storm", cwd=root).exit_code == 0
    result = cli("lint", str(root), cwd=root)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "All checks passed" in result.stdout
