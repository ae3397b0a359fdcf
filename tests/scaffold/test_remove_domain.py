"""``remove-domain``: the reverse of ``new-domain``, for a domain without slices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slicegen import manifest
from tests.conftest import RunCli, snapshot


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_new_then_remove_domain_gives_back_the_tree(
    cli: RunCli, tmp_path: Path, stack: str
) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path).exit_code == 0
    ignored = (".slicegen/lock", manifest.PATH)  # its files compared; its command log grows
    before = snapshot(root, ignore=ignored)
    generated = json.loads((root / manifest.PATH).read_text())["files"]
    assert cli("new-domain", "accounts", cwd=root).exit_code == 0
    assert cli("add-slice", "accounts", "open_account", cwd=root).exit_code == 0
    refused = cli("remove-domain", "accounts", cwd=root)
    assert refused.exit_code == 2 and "remove-slice accounts open_account" in refused.stderr
    assert cli("remove-slice", "accounts", "open_account", cwd=root).exit_code == 0
    retired = cli("remove-domain", "accounts", cwd=root)
    assert retired.exit_code == 2 and "--force" in retired.stderr
    assert cli("remove-domain", "accounts", "--force", cwd=root).exit_code == 0
    assert snapshot(root, ignore=ignored) == before
    assert json.loads((root / manifest.PATH).read_text())["files"] == generated
    assert cli("lint", cwd=root).exit_code == 0


def test_a_changed_file_of_the_domain_is_kept(cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--app", "shop", cwd=tmp_path).exit_code == 0
    assert cli("new-domain", "billing", cwd=root).exit_code == 0
    notes = root / "src/shop/billing/app.py"
    notes.write_text(notes.read_text() + "# mine\n")
    removed = cli("remove-domain", "billing", cwd=root)
    assert removed.exit_code == 0, removed.stderr
    assert "kept src/shop/billing/app.py" in removed.stderr
    assert notes.read_text().endswith("# mine\n")
    assert not (root / "src/shop/billing/router.py").exists()
