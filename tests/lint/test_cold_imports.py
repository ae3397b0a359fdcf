"""A plain cold lint run in one process loads only what it uses: not ``subprocess`` (git, for
``--since``) nor ``concurrent.futures`` (the read pool and the boundary worker)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import loaded_by


def test_a_plain_lint_loads_no_subprocess_nor_pool(tmp_path: Path) -> None:
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n', encoding="utf-8")
    slice_dir = tmp_path / "src/shop/accounts/domain/open_account"
    slice_dir.mkdir(parents=True)
    (slice_dir / "command_v1.py").write_text("class OpenAccountV1:\n    x: int\n", encoding="utf-8")
    (slice_dir / "event_v1.py").write_text(
        'class AccountOpenedV1:\n    event_type = "account_opened:v1"\n', encoding="utf-8"
    )
    args = ["lint", ".", "--no-cache", "--format", "json"]
    modules = ("subprocess", "concurrent.futures")
    assert loaded_by(args, tmp_path, modules, exit_codes=(0, 1)) == []
