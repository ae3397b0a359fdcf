"""A regular file over the bytes slicegen reads of it is refused with the fix for a file too
big, not the one for a file that is no regular file: the scaffolding commands and
``storm --check`` said "replace it with a regular file" of an ``events.lock.toml`` that was one.
The fix is worded once (``safe_files.too_big_fix``); followed as printed, it works."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slicegen import safe_files
from tests.conftest import RunCli

CAP = 2**16


def _files(root: Path) -> dict[str, bytes]:
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            out[str(path.relative_to(root))] = path.read_bytes()
    out.pop(".slicegen/lock", None)  # taken by a command even when it writes nothing
    return out


@pytest.fixture
def ws(cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--stack", "python", "--app", "shop").exit_code == 0
    for step in (("new-domain", "accounts"), ("add-slice", "accounts", "open_account")):
        assert cli(*step, "-C", str(root)).exit_code == 0
    return root


def test_a_lock_over_its_cap_names_the_fix_that_works(
    cli: RunCli, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_files, "LOCK_MAX_BYTES", CAP)
    lock = ws / "events.lock.toml"
    lock.write_text(lock.read_text() + "# padding\n" * CAP)
    size = lock.stat().st_size
    fix = "restore it from git, or delete it and run 'slicegen storm' to lock the current shapes"
    too_big = f"is {size:,} bytes, over the {CAP:,} bytes slicegen reads of a file"
    before = _files(ws)
    refused = cli("add-slice", "accounts", "close_account", "-C", str(ws))
    assert refused.exit_code == 2
    assert refused.stderr.splitlines() == [f"error: {lock} {too_big}: {fix}"]
    assert _files(ws) == before
    checked = cli("storm", "--check", "-C", str(ws))
    assert checked.exit_code == 1
    assert f"events.lock.toml: {too_big}; {fix}" in checked.stdout.splitlines()
    lock.unlink()  # the fix, as printed
    assert cli("storm", "-C", str(ws)).exit_code == 0
    assert cli("add-slice", "accounts", "close_account", "-C", str(ws)).exit_code == 0


def test_a_manifest_over_its_cap_names_the_fix_that_works(
    cli: RunCli, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_files, "OWN_FILE_MAX_BYTES", CAP)
    manifest = ws / ".slicegen/manifest.json"
    manifest.write_text(manifest.read_text() + " " * CAP)
    refused = cli("add-slice", "accounts", "close_account", "-C", str(ws))
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[-1].endswith(
        "slicegen reads of a file: restore it from git, or delete it (slicegen then treats "
        "every file as the user's)"
    )
    manifest.unlink()  # the fix, as printed
    assert cli("add-slice", "accounts", "close_account", "-C", str(ws)).exit_code == 0


def test_a_source_over_the_cap_is_to_be_made_smaller(
    cli: RunCli, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_files, "MAX_BYTES", CAP)
    router = ws / "src/shop/accounts/router.py"
    router.write_text(router.read_text() + "# padding\n" * CAP)
    refused = cli("add-slice", "accounts", "close_account", "-C", str(ws))
    assert refused.exit_code == 2
    assert refused.stderr.splitlines() == [
        f"error: {router} is {router.stat().st_size:,} bytes, over the {CAP:,} bytes slicegen "
        "reads of a file: split it into smaller files, or restore it from git"
    ]
