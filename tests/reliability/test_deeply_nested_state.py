"""A deeply nested ``events.lock.toml``, baseline or ``.slicegen/manifest.json`` in a
stranger's tree is one line naming the file and the fix, not a RecursionError traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.lint.trees import clean, write

DEEP_TOML = "x = " + "[" * 5_000 + "]" * 5_000 + "\n"
DEEP_JSON = "[" * 100_000 + "]" * 100_000 + "\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    write(folder, clean("python"))
    return folder


def test_a_deep_lock_is_one_line(cli: RunCli, root: Path) -> None:
    (root / "events.lock.toml").write_text(DEEP_TOML)
    result = cli("lint", str(root), cwd=root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "events.lock.toml cannot be read (nested too deeply): restore it" in result.stderr


def test_a_deep_baseline_is_one_line(cli: RunCli, root: Path) -> None:
    (root / "baseline.json").write_text(DEEP_JSON)
    result = cli("lint", str(root), "--baseline", "baseline.json", cwd=root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "is not a slicegen baseline (nested too deeply); remove it" in result.stderr


def test_a_deep_manifest_is_one_line(cli: RunCli, tmp_path: Path) -> None:
    ws = tmp_path / "made"
    assert cli("init", str(ws), "--stack", "python", "--app", "shop").exit_code == 0
    (ws / ".slicegen" / "manifest.json").write_text(DEEP_JSON)
    result = cli("new-domain", "accounts", "-C", str(ws))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert "manifest.json is not a slicegen manifest" in result.stderr


def test_a_huge_hand_written_lock_is_one_line_not_minutes(
    cli: RunCli, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock not as slicegen writes it is read with tomllib (~1 s and ~23 MB a MB): one of
    256 MB (the cap of a file slicegen writes itself) took minutes and GBs. Over
    ``MAX_TOML_CHARS`` it is refused; as slicegen writes it, it is still read."""
    from slicegen.contracts import lock
    from slicegen.model.readers.fields import EventShape

    monkeypatch.setattr(lock, "MAX_TOML_CHARS", 2**20)
    shapes = {f"e{i}:v1": EventShape(f"e{i}:v1", f"src/e{i}.py", 1, {}) for i in range(20_000)}
    written = lock.render({"accounts": shapes})
    assert len(written) > 2**20
    (root / "events.lock.toml").write_text(written)
    assert cli("lint", str(root), cwd=root).exit_code in (0, 1)  # as written: read
    hand = written.replace("required = []", "required=[]")  # the same, by hand: tomllib's
    (root / "events.lock.toml").write_text(hand)
    result = cli("lint", str(root), cwd=root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "events.lock.toml is over 1 MiB and not as slicegen writes it" in result.stderr


def test_a_huge_lock_as_slicegen_writes_it_is_one_line(
    cli: RunCli, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock in slicegen's own written form was read up to 256 MB: 116 MB took 23 s CPU and
    900 MB. Any lock over ``LOCK_MAX_BYTES`` is refused unread: one line, exit 2."""
    from slicegen import safe_files
    from slicegen.contracts import lock
    from slicegen.model.readers.fields import EventShape

    monkeypatch.setattr(safe_files, "LOCK_MAX_BYTES", 2**20, raising=False)
    shapes = {f"e{i}:v1": EventShape(f"e{i}:v1", f"src/e{i}.py", 1, {}) for i in range(20_000)}
    written = lock.render({"accounts": shapes})
    assert len(written) > 2**20
    (root / "events.lock.toml").write_text(written)
    result = cli("lint", str(root), cwd=root)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "events.lock.toml is 1," in result.stderr
    assert "over the 1,048,576 bytes slicegen reads of a file: restore it from git" in result.stderr
    (root / "events.lock.toml").write_text(written[: written.index("\n[", 2**19) + 1])
    assert cli("lint", str(root), cwd=root).exit_code in (0, 1)  # under the cap: read
