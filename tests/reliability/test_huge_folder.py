"""A folder of more entries than the walk lists is left out with a warning, not held whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slicegen.model import discovery
from tests.conftest import RunCli
from tests.lint.trees import clean, write


def _fill(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"f{i:04d}.txt").touch()


def test_a_folder_over_the_cap_is_left_out_with_a_warning(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    write(root, clean("python"))
    monkeypatch.setattr(discovery, "MAX_FOLDER_ENTRIES", 40)
    _fill(root / "data" / "dump", 41)
    _fill(root / "data" / "small", 40)
    listed: list[int] = []
    real_scandir = os.scandir

    def counting(path: str) -> object:  # how many entries of the big folder are read
        entries = real_scandir(path)
        if path.endswith("dump"):

            class Counted:
                def __enter__(self) -> Counted:
                    return self

                def __exit__(self, *exc: object) -> None:
                    entries.close()

                def __iter__(self) -> object:
                    for entry in entries:
                        listed.append(1)
                        yield entry

            return Counted()
        return entries

    monkeypatch.setattr(discovery.os, "scandir", counting)
    tree = discovery.walk(root, [])
    assert tree.unlisted == {"data/dump": "it holds over 40 entries"}
    assert len(listed) == 41  # one past the cap, then no more
    assert not any(rel.startswith("data/dump/") for rel in tree.files)
    assert sum(rel.startswith("data/small/") for rel in tree.files) == 40
    monkeypatch.setattr(discovery.os, "scandir", real_scandir)
    result = cli("lint", str(root), cwd=root)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert result.stderr == (
        "warning: data/dump: folder not linted (it holds over 40 entries): move it, or exclude "
        "it with [lint] exclude\n"
    )
    (root / "slicegen.toml").write_text(
        (root / "slicegen.toml").read_text() + '\n[lint]\nexclude = ["data/dump"]\n'
    )
    assert cli("lint", str(root), cwd=root).stderr == ""


def test_gitignore_files_over_the_pattern_cap_are_one_line_error(
    cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every path is matched against each ``.gitignore`` above it, compiled once: ten nested
    files of 100,000 patterns held lint for over a minute of CPU."""
    root = tmp_path / "ws"
    write(root, clean("python"))
    monkeypatch.setattr(discovery, "MAX_IGNORE_PATTERNS", 30)
    (root / ".gitignore").write_text("# comment\n\n" + "".join(f"a{i}*\n" for i in range(20)))
    nested = root / "data" / "deeper"
    nested.mkdir(parents=True)
    (nested / ".gitignore").write_text("".join(f"b{i}*\n" for i in range(10)))
    assert cli("lint", str(root), cwd=root).exit_code in (0, 1)  # 30 patterns: read
    (nested / ".gitignore").write_text("".join(f"b{i}*\n" for i in range(11)))
    result = cli("lint", str(root), cwd=root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "data/deeper/.gitignore: the .gitignore files hold over 30 patterns" in result.stderr
    assert "respect-gitignore = false" in result.stderr
    (root / "slicegen.toml").write_text(
        (root / "slicegen.toml").read_text() + "\n[lint]\nrespect-gitignore = false\n"
    )
    assert cli("lint", str(root), cwd=root).exit_code in (0, 1)
