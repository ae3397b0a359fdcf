"""A full disk, a read-only file or folder, a failing rename: one clear line, workspace unchanged.

Tests run as root here, which ignores file permissions, so most failures are injected by
monkeypatching the file operations of :mod:`slicegen.transaction`; the chmod test runs for
non-root users only.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slicegen import change_set, transaction
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.execute import execute
from slicegen.markers import upsert_block
from tests.conftest import RunCli, snapshot

FAILURES = [errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EIO]


def _workspace(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "router.py").write_bytes(b"routes = []\r\n")
    (root / "generated.py").write_text("# the user's edit\n")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "README.md").write_text("# Docs\n")


def _build(cs: ChangeSet) -> None:
    cs.add("new/deep/slice.py", "class Slice: ...\n")
    cs.add("new/other.py", "x = 1\n")
    cs.edit("router.py", lambda text: text + "routes.append('slice')\r\n")
    cs.add("generated.py", "# generated\n")  # a conflict: written with force
    cs.edit("docs/README.md", lambda text: upsert_block(text, "slices", "- slice\n"))


def _run(root: Path) -> None:
    execute(root, _build, force=True, out=io.StringIO())


def _assert_one_line(exc: SlicegenError, *fragments: str) -> None:
    assert "\n" not in exc.message and len(exc.message) < 400
    for fragment in fragments:
        assert fragment in exc.message, exc.message


def _failing_after(
    real: Callable[..., Any], failures: int, code: int, only: Callable[..., bool] = lambda *a: True
) -> Callable[..., Any]:
    """``real``, except that the call after ``failures`` matching calls raises OSError(code)."""
    seen = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if only(*args):
            if seen["n"] == failures:
                seen["n"] += 1
                raise OSError(code, os.strerror(code))
            seen["n"] += 1
        return real(*args, **kwargs)

    return wrapper


def _sweep(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    patch: Callable[[pytest.MonkeyPatch, int], None],
    code: int,
) -> int:
    """Fail the n-th patched operation for n = 0, 1, ... until a run gets through; check each."""
    expected_after = tmp_path / "reference"
    _workspace(expected_after)
    _run(expected_after)
    after = snapshot(expected_after)
    failures = 0
    while True:
        root = tmp_path / f"w{failures}"
        _workspace(root)
        before = snapshot(root)
        with monkeypatch.context() as m:
            patch(m, failures)
            try:
                _run(root)
            except SlicegenError as exc:
                _assert_one_line(exc, os.strerror(code), "nothing was changed")
                assert snapshot(root) == before
                assert not (root / ".slicegen" / "txn").exists()
                assert not (root / "new").exists()  # created folders are removed again
                failures += 1
                continue
        assert snapshot(root) == after
        return failures


@pytest.mark.parametrize("code", FAILURES)
def test_failing_staging_write_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def patch(m: pytest.MonkeyPatch, n: int) -> None:
        m.setattr(transaction, "_fsync_write", _failing_after(transaction._fsync_write, n, code))

    # 5 files, the manifest of the generated ones and the journal are staged: each failed once
    assert _sweep(tmp_path, monkeypatch, patch, code) == 7


@pytest.mark.parametrize("code", FAILURES)
def test_failing_rename_into_place_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def into_workspace(src: Any, dst: Any) -> bool:
        return ".slicegen" not in Path(dst).parts

    def patch(m: pytest.MonkeyPatch, n: int) -> None:
        m.setattr(transaction.os, "replace", _failing_after(os.replace, n, code, into_workspace))

    assert _sweep(tmp_path, monkeypatch, patch, code) == 5  # each of the 5 renames failed once


def test_failing_folder_creation_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdir = Path.mkdir

    def new_folder(path: Path, *args: Any) -> bool:
        return path.name in ("new", "deep") and ".slicegen" not in path.parts

    def patch(m: pytest.MonkeyPatch, n: int) -> None:
        m.setattr(Path, "mkdir", _failing_after(real_mkdir, n, errno.EACCES, new_folder))

    assert _sweep(tmp_path, monkeypatch, patch, errno.EACCES) == 2  # new/ and new/deep/


def test_failing_backup_copy_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def patch(m: pytest.MonkeyPatch, n: int) -> None:
        m.setattr(transaction.shutil, "copy2", _failing_after(shutil.copy2, n, errno.ENOSPC))

    assert _sweep(tmp_path, monkeypatch, patch, errno.ENOSPC) == 3  # 3 files are replaced


def test_failed_rollback_is_finished_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path)
    before = snapshot(tmp_path)
    calls = {"n": 0}
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if ".slicegen" not in Path(dst).parts:
            calls["n"] += 1
            if calls["n"] > 3:  # router.py is renamed, generated.py fails, so does every undo
                raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(src, dst)

    with monkeypatch.context() as m:
        m.setattr(transaction.os, "replace", replace)
        with pytest.raises(SlicegenError) as info:
            _run(tmp_path)
    _assert_one_line(info.value, "so did undoing it", "the next slicegen run rolls back")
    assert snapshot(tmp_path) != before  # half-written, with the journal kept
    plan = execute(tmp_path, _build, dry_run=True, force=True, out=io.StringIO())
    assert snapshot(tmp_path) == before  # the dry run rolled it back before planning
    assert not (tmp_path / ".slicegen" / "txn").exists()
    assert {p.path for p in plan} >= {"router.py", "new/other.py"}


@pytest.mark.parametrize("special", ["fifo", "device"])
def test_an_edited_file_that_is_no_regular_file_is_refused_unread(
    tmp_path: Path, special: str
) -> None:
    _workspace(tmp_path)
    (tmp_path / "router.py").unlink()
    if special == "fifo":
        os.mkfifo(tmp_path / "router.py")  # opening it for reading would block for ever
    else:
        (tmp_path / "router.py").symlink_to("/dev/zero")  # reading it would never end
    before = snapshot(tmp_path)
    with pytest.raises(SlicegenError) as info:
        _run(tmp_path)
    _assert_one_line(info.value, "router.py")
    assert snapshot(tmp_path) == before


def test_unreadable_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _workspace(tmp_path)
    before = snapshot(tmp_path)
    real = change_set.read_named_file

    def read_named_file(path: Path, limit: int) -> bytes:
        if path.name == "router.py":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, limit)

    with monkeypatch.context() as m, pytest.raises(SlicegenError) as info:
        m.setattr(change_set, "read_named_file", read_named_file)
        _run(tmp_path)
    _assert_one_line(info.value, "router.py", "Permission denied", "check its permissions")
    assert snapshot(tmp_path) == before


def test_state_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    _workspace(tmp_path)
    (tmp_path / ".slicegen").write_text("not a folder")
    before = snapshot(tmp_path, ignore=())
    with pytest.raises(SlicegenError) as info:
        _run(tmp_path)
    _assert_one_line(info.value, "cannot create the lock", "check the workspace permissions")
    assert snapshot(tmp_path, ignore=()) == before


def test_corrupt_journal_is_a_clear_error(tmp_path: Path) -> None:
    _workspace(tmp_path)
    txn = tmp_path / ".slicegen" / "txn"
    txn.mkdir(parents=True)
    (txn / "journal.json").write_text("{not json")
    with pytest.raises(SlicegenError) as info:
        _run(tmp_path)
    _assert_one_line(info.value, "refusing", "not a journal slicegen wrote", f"rm -r {txn}")
    assert (txn / "journal.json").read_text() == "{not json"  # refused: nothing touched


def test_full_disk_through_the_cli(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        transaction, "_fsync_write", _failing_after(transaction._fsync_write, 2, errno.ENOSPC)
    )
    result = cli("init", "--app", "shop", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: staging the change failed (No space left on device")
    assert snapshot(tmp_path) == {}


def test_workspace_folder_that_cannot_be_created(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("a file, not a folder\n")
    result = cli("init", "afile/ws", "--app", "shop", cwd=tmp_path)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "cannot create the workspace folder afile/ws (Not a directory)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_workspace_with_real_permissions(tmp_path: Path) -> None:
    _workspace(tmp_path)
    _run(tmp_path)  # creates .slicegen/ while writable
    (tmp_path / "router.py").write_text("routes = []\n")
    before = snapshot(tmp_path)
    folders = [tmp_path, *[p for p in tmp_path.rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(0o555)
    try:
        with pytest.raises(SlicegenError) as info:
            _run(tmp_path)
        _assert_one_line(info.value)
        assert snapshot(tmp_path) == before
    finally:
        for folder in folders:
            folder.chmod(0o755)


def test_rollback_restores_a_replaced_dangling_symlink(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "link.md").symlink_to("missing.md")  # dangling, inside the workspace
    calls = {"n": 0}
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if ".slicegen" not in Path(dst).parts:
            calls["n"] += 1
            if calls["n"] == 2:  # link.md is replaced first, then the second file fails
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(src, dst)

    def build(cs: ChangeSet) -> None:
        cs.add("docs/link.md", "generated\n")
        cs.add("docs/other.md", "other\n")

    with monkeypatch.context() as m, pytest.raises(SlicegenError, match="nothing was changed"):
        m.setattr(transaction.os, "replace", replace)
        execute(tmp_path, build, out=io.StringIO())
    link = tmp_path / "docs" / "link.md"
    assert link.is_symlink() and os.readlink(link) == "missing.md"
    assert not (tmp_path / "docs" / "other.md").exists()
