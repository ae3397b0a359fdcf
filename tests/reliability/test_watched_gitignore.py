"""What a watcher's report asks of the ``.gitignore`` files the walk read: compiled once a tree,
within the walk's pattern budget, and never trusted once changed since the walk."""

from __future__ import annotations

from pathlib import Path

import pytest

from slicegen.model import discovery
from tests.lint.trees import clean, write


def _tree(root: Path) -> discovery.Tree:
    write(root, clean("python"))
    (root / ".gitignore").write_text("".join(f"a{i}*\n" for i in range(20)))
    (root / "data").mkdir()
    (root / "data" / ".gitignore").write_text("".join(f"b{i}*\n" for i in range(10)))
    return discovery.walk(root, [])


def test_a_report_of_many_paths_compiles_each_gitignore_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each reported path used to compile every ``.gitignore`` above it again (~70 us a
    pattern): a checkout creating 1,000 ignored files under 10,000 patterns took minutes."""
    tree = _tree(tmp_path)
    compiled: list[int] = []
    real = discovery._compile

    def counting(lines: list[str]) -> object | None:
        compiled.append(len(lines))
        return real(lines)

    monkeypatch.setattr(discovery, "_compile", counting)
    for i in range(50):
        assert discovery.walk_skips(tmp_path, f"data/b3-{i}.py", False, [], tree)
        assert not discovery.walk_skips(tmp_path, f"data/new{i}.py", False, [], tree)
    assert compiled == [20, 10]


def test_a_gitignore_grown_after_the_walk_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file used to be read again with a budget of its own: files grown past the cap
    after the walk were compiled whole, at every report. Changed since the walk, they are
    not read: the answer is "not skipped", so the re-lint is a full run (which walks again,
    and stops at the cap with its one-line error)."""
    monkeypatch.setattr(discovery, "MAX_IGNORE_PATTERNS", 30)
    tree = _tree(tmp_path)
    (tmp_path / "data" / ".gitignore").write_text("".join(f"b{i}*\n" for i in range(5_000)))
    compiled: list[int] = []
    monkeypatch.setattr(discovery, "_compile", lambda lines: compiled.append(len(lines)))
    assert not discovery.walk_skips(tmp_path, "data/b3.py", False, [], tree)
    assert 5_000 not in compiled
    with pytest.raises(discovery.SlicegenError, match="over 30 patterns"):
        discovery.walk(tmp_path, [])
