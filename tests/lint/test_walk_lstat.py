"""The reader trusts the walk's ``lstat`` of a regular source file instead of repeating it: what
it reads, or refuses, is what the ``lstat``-first path gives, also when the file was swapped for
something else after the walk."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from slicegen.model.discovery import walk
from slicegen.model.load import PARSE, read_file
from slicegen.safe_files import MAX_BYTES


def _regular(path: Path) -> None:
    path.write_text("import os\n", encoding="utf-8")


def _symlink(path: Path) -> None:
    path.symlink_to(path.parent / "other.py")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _large(path: Path) -> None:
    path.write_bytes(b"#" * (MAX_BYTES + 1))


def _folder(path: Path) -> None:
    path.mkdir()


def _gone(path: Path) -> None:
    pass


SWAPS: dict[str, Callable[[Path], None]] = {
    "regular": _regular,
    "symlink": _symlink,
    "fifo": _fifo,
    "over the cap": _large,
    "folder": _folder,
    "deleted": _gone,
}


def test_the_walk_marks_regular_sources_only(tmp_path: Path) -> None:
    (tmp_path / "other.py").write_text("x = 1\n", encoding="utf-8")
    _regular(tmp_path / "a.py")
    (tmp_path / "b.py").symlink_to(os.devnull)  # out of the tree (one into it is passed over)
    _fifo(tmp_path / "c.py")
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    tree = walk(tmp_path, [])
    assert tree.regular == {"other.py", "a.py"}
    assert set(tree.stats) == {"other.py", "a.py", "b.py", "c.py"}


@pytest.mark.parametrize("swap", sorted(SWAPS))
def test_a_file_swapped_after_the_walk_reads_as_without_the_walk(tmp_path: Path, swap: str) -> None:
    (tmp_path / "other.py").write_text("x = 1\n", encoding="utf-8")
    target = tmp_path / "m.py"
    target.write_text("from a import b\n\n\nclass C:\n    pass\n", encoding="utf-8")
    assert "m.py" in walk(tmp_path, []).regular
    target.unlink()
    SWAPS[swap](target)
    trusted = read_file(str(tmp_path), "m.py", PARSE, seen_regular=True)
    checked = read_file(str(tmp_path), "m.py", PARSE, seen_regular=False)
    assert trusted == checked
    info = trusted[4]
    assert info is not None
    assert (info.error is None) == (swap == "regular")
