"""``slicegen lint`` killed while it saves its cache (SIGKILL, SIGTERM: no handler runs) leaves
the temporary file it was writing; the next run removes those whose writer is gone, so a cache
folder of a CI runner or an editor's save hook killed again and again does not grow without end,
and the next run's findings are an uninterrupted run's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lint.trees import clean, write

#: ``slicegen lint --format json ROOT`` that sends itself ``SIG`` at its ``AT``-th rename of a
#: temporary file over a cache file: killed between writing the file and renaming it.
KILLED = """
import os, sys
sig, at = int(sys.argv[1]), int(sys.argv[2])
real, seen = os.replace, [0]
def replace(src, dst, *args, **kwargs):
    if str(src).endswith(".tmp"):
        seen[0] += 1
        if seen[0] == at:
            os.kill(os.getpid(), sig)
    return real(src, dst, *args, **kwargs)
os.replace = replace
from slicegen.entry import main
main(["lint", "--format", "json", sys.argv[3]])
"""


def _lint(root: Path, sig: int = 0, at: int = 0) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-c", KILLED, str(sig), str(at), str(root)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=root)


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / ".slicegen_cache").iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    write(folder, clean("python"))
    (folder / "src/shop/accounts/notes.py").write_text("X = 1\n")
    return folder


def test_a_run_after_kills_mid_save_removes_their_files(root: Path) -> None:
    for n, sig in enumerate([signal.SIGKILL, signal.SIGTERM, signal.SIGKILL, signal.SIGTERM]):
        (root / "src/shop/accounts/notes.py").write_text(f"X = {n}\n")  # a save each time
        assert _lint(root, sig, 2 + n % 2).returncode == -sig
    # each kill leaves the file it was writing (main kept all four); each run removes the
    # earlier ones when it first writes
    assert len(_leftovers(root)) == 1
    (root / "src/shop/accounts/notes.py").write_text("X = 1\n")
    after = _lint(root)
    assert after.returncode in (0, 1), after.stderr
    assert _leftovers(root) == []
    cold = subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", "--no-cache", "--format", "json", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
    )
    assert json.loads(after.stdout) == json.loads(cold.stdout)


def test_a_running_writers_file_and_the_users_own_are_kept(root: Path) -> None:
    assert _lint(root).returncode in (0, 1)
    cache = root / ".slicegen_cache"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead = int(gone.stdout)
    planted = {
        f"run.pickle.{dead}.0123456789ab.tmp": False,  # a killed writer's: removed
        f"run.pickle.{os.getpid()}.0123456789ab.tmp": True,  # a running writer's: kept
        "notes.tmp": True,  # not named as slicegen names its own
        f"run.pickle.{dead}.not-hex-here.tmp": True,
    }
    for name in planted:
        (cache / name).write_bytes(b"half")
    (root / "src/shop/accounts/notes.py").write_text("X = 2\n")
    assert _lint(root).returncode in (0, 1)
    assert {n: (cache / n).exists() for n in planted} == planted
