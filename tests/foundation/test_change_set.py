"""The change set: statuses, dry runs, conflicts, atomic writes and path safety."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from slicegen import transaction
from slicegen.change_set import ChangeSet, Status, safe_relative
from slicegen.errors import ConflictError, SlicegenError
from slicegen.execute import execute
from tests.conftest import snapshot, tree_hash


def _build(files: dict[str, str]):  # type: ignore[no-untyped-def]
    def build(cs: ChangeSet) -> None:
        for path, content in files.items():
            cs.add(path, content)

    return build


def test_statuses(tmp_path: Path) -> None:
    (tmp_path / "same.txt").write_text("same\n")
    (tmp_path / "user.txt").write_text("user's own\n")
    (tmp_path / "router.py").write_text("routes = []\n")
    cs = ChangeSet(tmp_path)
    cs.add("new/file.txt", "hello\n")
    cs.add("same.txt", "same\n")
    cs.add("user.txt", "generated\n")
    cs.edit("router.py", lambda text: text + "routes.append(1)\n")
    statuses = {p.path: p.status for p in cs.plan()}
    assert statuses == {
        "new/file.txt": Status.CREATE,
        "same.txt": Status.IDENTICAL,
        "user.txt": Status.CONFLICT,
        "router.py": Status.UPDATE,
    }
    assert {p.path: p.status for p in cs.plan(force=True)}["user.txt"] is Status.FORCE


def test_edit_sees_planned_content(tmp_path: Path) -> None:
    cs = ChangeSet(tmp_path)
    cs.add("router.py", "routes = []\n")
    cs.edit("router.py", lambda text: text + "# more\n")
    [planned] = cs.plan()
    assert planned.status is Status.CREATE
    assert planned.new == "routes = []\n# more\n"


def test_edit_of_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SlicegenError, match=r"router\.py does not exist"):
        ChangeSet(tmp_path).edit("router.py", lambda t: t)


def test_dry_run_prints_diff_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old line\n")
    before = tree_hash(tmp_path)
    out = io.StringIO()

    def build(cs: ChangeSet) -> None:
        cs.add("b/c.txt", "created\n")
        cs.edit("a.txt", lambda t: "new line\n")

    execute(tmp_path, build, dry_run=True, out=out)
    assert tree_hash(tmp_path) == before
    text = out.getvalue()
    assert "create  b/c.txt" in text
    assert "+++ b/b/c.txt" in text and "+created" in text
    assert "-old line" in text and "+new line" in text
    assert "dry run, nothing written" in text


def test_apply_then_rerun_is_a_no_op(tmp_path: Path) -> None:
    files = {"x/y.txt": "y\n", "z.txt": "z\n"}
    execute(tmp_path, _build(files), out=io.StringIO())
    assert (tmp_path / "x/y.txt").read_text() == "y\n"
    before = snapshot(tmp_path)
    out = io.StringIO()
    plan = execute(tmp_path, _build(files), out=out)
    assert all(p.status is Status.IDENTICAL for p in plan)
    assert "nothing to do" in out.getvalue()
    assert snapshot(tmp_path) == before


def test_conflict_aborts_everything(tmp_path: Path) -> None:
    (tmp_path / "user.txt").write_text("mine\n")
    before = tree_hash(tmp_path, ignore=(".slicegen",))
    with pytest.raises(ConflictError, match=r"user\.txt") as info:
        execute(tmp_path, _build({"new.txt": "n\n", "user.txt": "gen\n"}), out=io.StringIO())
    assert info.value.exit_code == 1
    assert tree_hash(tmp_path, ignore=(".slicegen",)) == before
    assert not (tmp_path / "new.txt").exists()


def test_force_overwrites(tmp_path: Path) -> None:
    (tmp_path / "user.txt").write_text("mine\n")
    execute(tmp_path, _build({"user.txt": "gen\n"}), force=True, out=io.StringIO())
    assert (tmp_path / "user.txt").read_text() == "gen\n"


def test_failure_part_way_restores_prior_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("a0\n")
    (tmp_path / "b.txt").write_text("b0\n")
    before = snapshot(tmp_path)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        if "txn" in str(src) and "new" in str(src):
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(transaction.os, "replace", failing_replace)

    def build(cs: ChangeSet) -> None:
        cs.edit("a.txt", lambda t: "a1\n")
        cs.edit("b.txt", lambda t: "b1\n")
        cs.add("c/d.txt", "d\n")

    with pytest.raises(SlicegenError, match="nothing was changed"):
        execute(tmp_path, build, out=io.StringIO())
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "c").exists()
    assert not (tmp_path / ".slicegen" / "txn").exists()


def test_interrupted_transaction_is_rolled_back_by_next_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a0\n")
    before = snapshot(tmp_path)
    plan_cs = ChangeSet(tmp_path)
    plan_cs.edit("a.txt", lambda t: "a1\n")
    plan_cs.add("n/new.txt", "new\n")
    plan = plan_cs.plan()
    txn = tmp_path / ".slicegen" / "txn"
    journal = transaction._stage(tmp_path, plan, txn, transaction._Ops())
    # Simulate a crash after the first rename: the tree is half-written.
    os.replace(txn / "new" / "0", tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_text() == "a1\n"
    assert journal.files
    assert transaction.recover(tmp_path) is True
    assert snapshot(tmp_path) == before
    assert not txn.exists()


@pytest.mark.parametrize("path", ["../outside.txt", "a/../../x", "/etc/passwd", "", "a\x00b"])
def test_paths_leaving_the_root_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(SlicegenError, match="refusing"):
        safe_relative(tmp_path, path)


def test_symlink_escape_is_refused_and_nothing_written(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(SlicegenError, match="outside the workspace root"):
        execute(root, _build({"ok.txt": "x\n", "link/evil.txt": "x\n"}), out=io.StringIO())
    assert list(outside.iterdir()) == []
    assert not (root / "ok.txt").exists()


def test_crlf_and_missing_trailing_newline_survive_a_structured_edit(tmp_path: Path) -> None:
    from slicegen.markers import upsert_block

    (tmp_path / "doc.md").write_bytes(b"# Title\r\nline two")
    execute(
        tmp_path,
        lambda cs: cs.edit("doc.md", lambda t: upsert_block(t, "x", "generated\n")),
        out=io.StringIO(),
    )
    data = (tmp_path / "doc.md").read_bytes()
    assert data.startswith(b"# Title\r\nline two\r\n")
    assert b"\r\ngenerated\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_file_mode_is_kept_on_update(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_text("echo 1\n")
    script.chmod(0o755)
    execute(tmp_path, lambda cs: cs.edit("run.sh", lambda t: "echo 2\n"), out=io.StringIO())
    assert script.read_text() == "echo 2\n"
    assert script.stat().st_mode & 0o777 == 0o755
