"""The replay misses (the normal run answers) whenever the normal run could answer differently,
and still answers when only things the lint never looks at changed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .test_fast_path import SETTLED_NS, run, settle
from .trees import clean, py_slice, write

Change = Callable[[Path], None]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    files = clean("python")
    files.update(py_slice("accounts", "create_account", "account_created"))
    files.update(py_slice("legacy", "delete_thing", "thing_deleted", where="old/legacy"))
    files.update(py_slice("ignored", "update_thing", "thing_updated", where="build/gen"))
    files[".gitignore"] = "build/\n"
    files["README.md"] = "notes\n"
    write(root, files)
    (tmp_path / "target").write_text("a file for now\n")
    (root / "src" / "shop" / "link.txt").symlink_to(tmp_path / "target")
    settle(root)
    return root


def _remembered(root: Path) -> str:
    """Run once (normal path, remembered), check that the next run replays; the output."""
    code, out, replayed = run(root, ".", "--format", "json")
    assert not replayed and code == 1
    assert run(root, ".", "--format", "json") == (code, out, True)
    return out


def _source(root: Path) -> Path:
    return next((root / "src/shop/accounts/domain/create_account").glob("command_v1.py"))


def _same_size_edit(root: Path) -> None:
    path = _source(root)
    text = path.read_text()
    path.write_text(text.replace("CreateAccount", "UpdateAccount"))  # same size: the mtime tells
    assert path.stat().st_size == len(text)


def _add_source(root: Path) -> None:
    write(root, py_slice("accounts", "delete_account", "account_deleted"))


def _remove_source(root: Path) -> None:
    _source(root).unlink()


def _rename_source(root: Path) -> None:
    path = _source(root)
    path.rename(path.with_name("command_v2.py"))


def _add_folder(root: Path) -> None:
    (root / "src/shop/accounts/domain/empty_slice").mkdir()


def _remove_folder(root: Path) -> None:
    shutil.rmtree(root / "old/legacy")


def _edit_gitignore(root: Path) -> None:
    (root / ".gitignore").write_text("")  # build/ is walked again


def _new_nested_gitignore(root: Path) -> None:
    (root / "src/shop/.gitignore").write_text("accounts/\n")


def _edit_config(root: Path) -> None:
    with (root / "slicegen.toml").open("a") as handle:
        handle.write('\n[lint]\nexclude = ["old"]\n')


def _edit_storming_doc(root: Path) -> None:
    docs = sorted(root.glob("design_docs/*/event-storming.md"))
    if docs:
        with docs[0].open("a") as handle:
            handle.write("\n- AccountPurged\n")
    else:
        write(root, {"design_docs/accounts/event-storming.md": "# accounts\n"})


def _symlink_now_a_folder(root: Path) -> None:
    target = root.parent / "target"
    target.unlink()
    target.mkdir()
    (target / "create_thing").mkdir()
    (target / "create_thing" / "command_v1.py").write_text("class CreateThingV1:\n    pass\n")


@pytest.mark.parametrize(
    "change",
    [
        _same_size_edit,
        _add_source,
        _remove_source,
        _rename_source,
        _add_folder,
        _remove_folder,
        _edit_gitignore,
        _new_nested_gitignore,
        _edit_config,
        _edit_storming_doc,
    ],
)
def test_a_change_the_lint_could_see_runs_normally(tree: Path, change: Change) -> None:
    _remembered(tree)
    change(tree)
    normal = run(tree, ".", "--format", "json", "--no-cache")
    code, out, replayed = run(tree, ".", "--format", "json")
    assert not replayed
    assert (code, out) == normal[:2]


def test_an_unexcluded_folder_is_linted_again(tree: Path) -> None:
    _edit_config(tree)
    settle(tree)
    before = _remembered(tree)
    assert "old/legacy" not in before and "build/gen" not in before
    # inside excluded or ignored folders, nothing is looked at: the replay still answers
    write(tree, py_slice("legacy", "delete_other", "other_deleted", where="old/other"))
    write(tree, py_slice("ignored", "purge_thing", "thing_purged", where="build/gen"))
    assert run(tree, ".", "--format", "json") == (1, before, True)
    (tree / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    code, out, replayed = run(tree, ".", "--format", "json")
    assert not replayed and code == 1
    assert "old/legacy/event_v1.py" in out and "old/other/event_v1.py" in out


def test_what_the_lint_never_reads_keeps_the_replay(tree: Path) -> None:
    before = _remembered(tree)
    (tree / "README.md").write_text("other notes\n")  # not a source: its content is never read
    (tree.parent / "target").write_text("another text\n")  # a symlinked non-source file
    assert run(tree, ".", "--format", "json") == (1, before, True)
    assert run(tree, ".", "--format", "json", "--no-cache")[:2] == (1, before)
    _symlink_now_a_folder(tree)  # symlinks are never followed: what they lead to never counts
    assert run(tree, ".", "--format", "json") == (1, before, True)
    assert run(tree, ".", "--format", "json", "--no-cache")[:2] == (1, before)


def test_a_folder_recreated_under_the_same_name_runs_normally(tree: Path) -> None:
    _remembered(tree)
    legacy = tree / "old" / "legacy"
    shutil.move(legacy, tree / "moved")
    shutil.copytree(tree / "moved", legacy)
    shutil.rmtree(tree / "moved")
    os.utime(tree / "old", ns=(SETTLED_NS, SETTLED_NS))  # mtimes as they were: a new inode
    assert (legacy.stat().st_mtime_ns, (tree / "old").stat().st_mtime_ns) == (SETTLED_NS,) * 2
    assert not run(tree, ".", "--format", "json")[2]


def test_a_config_file_appearing_between_path_and_root_runs_normally(tree: Path) -> None:
    # build/ is ignored, so its folder is not watched: only the config candidates tell
    _remembered_at = run(tree, "build/gen", "--format", "json")
    assert run(tree, "build/gen", "--format", "json") == (*_remembered_at[:2], True)
    (tree / "build" / "slicegen.toml").write_text('stack = "python"\napp = "gen"\n')
    normal = run(tree, "build/gen", "--format", "json", "--no-cache")
    code, out, replayed = run(tree, "build/gen", "--format", "json")
    assert not replayed and (code, out) == normal[:2]
    assert out != _remembered_at[1]
