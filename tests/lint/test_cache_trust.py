"""A lint cache planted in a workspace (e.g. committed to a clone) is never unpickled."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from slicegen import signed_pickle
from slicegen.lint.cache import SCHEMA, SHARDS, LintCache
from slicegen.lint.fast import REPLAY_FILE


class _Planted:
    """Unpickling this creates the marker file: proof that the pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))  # Path.write_text(str, ...) would fail unpickling


def test_round_trip_and_foreign_files(private_cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "data.pickle"
    signed_pickle.dump(path, {"a": 1})
    assert signed_pickle.load(path) == {"a": 1}
    marker = tmp_path / "marker"
    path.write_bytes(pickle.dumps(_Planted(marker)))
    assert signed_pickle.load(path) is None
    path.write_bytes(b"\0" * 32 + pickle.dumps(_Planted(marker)))
    assert signed_pickle.load(path) is None
    assert not marker.exists()


def test_lint_ignores_planted_cache_files(private_cache: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "src" / "shop" / "accounts" / "domain" / "open_account").mkdir(parents=True)
    (ws / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    cache = ws / ".slicegen_cache"
    cache.mkdir()
    marker = tmp_path / "marker"
    planted = pickle.dumps(_Planted(marker))
    shards = [LintCache(ws).shard_path(i).name for i in range(SHARDS)]
    runs = ["lint", str(ws)], ["lint", str(ws), "--format", "json"]

    def lint_all() -> None:
        for args in runs:
            proc = subprocess.run(
                [sys.executable, "-m", "slicegen", *args],
                capture_output=True,
                text=True,
                env={"XDG_CACHE_HOME": str(private_cache), "PATH": "/usr/bin:/bin"},
                check=False,
            )
            assert proc.returncode in (0, 1), proc.stderr
            assert "Traceback" not in proc.stderr

    for name in (REPLAY_FILE, f"run-{SCHEMA}.pickle", f"words-{SCHEMA}.pickle", *shards):
        (cache / name).write_bytes(planted)
    lint_all()
    written = sorted(p.name for p in cache.glob("*.pickle"))
    assert any(name.startswith("run-") for name in written)
    for name in written:  # every file the runs keep, at the names they use
        (cache / name).write_bytes(planted)
    lint_all()
    assert not marker.exists()
