"""A storming document reached through a symlinked folder (``design_docs/accounts`` -> a folder
outside the tree) is never read: ``O_NOFOLLOW`` guards the file's last part only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.lint.conftest import lint_json
from tests.lint.trees import clean, write

HANG_GUARD = 120  # seconds: far beyond any honest run of this small tree
SECRET = "TOP-SECRET-LINE"


def _linked_tree(tmp_path: Path) -> tuple[Path, Path]:
    """The clean Python tree with ``design_docs/accounts`` moved out and linked back."""
    root = tmp_path / "ws"
    write(root, clean("python"))
    outside = tmp_path / "outside" / "accounts"
    outside.parent.mkdir()
    (root / "design_docs" / "accounts").rename(outside)
    doc = outside / "event-storming.md"
    doc.write_text(f"# accounts\n\n{SECRET}\n", encoding="utf-8")  # no markers: drift if read
    (root / "design_docs" / "accounts").symlink_to(outside, target_is_directory=True)
    return root, doc


def test_lint_reads_no_storming_document_through_a_symlinked_folder(tmp_path: Path) -> None:
    root, doc = _linked_tree(tmp_path)
    _, found = lint_json(root, select=["SG6"])
    assert [f for f in found if f["path"].startswith("design_docs/accounts")] == []
    assert SECRET not in str(found)
    assert doc.read_text(encoding="utf-8").endswith(f"{SECRET}\n")


def test_storm_check_reports_a_document_in_a_symlinked_folder(tmp_path: Path) -> None:
    root, _ = _linked_tree(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "slicegen", "storm", "--check"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cachehome")},
        timeout=HANG_GUARD,
        check=False,
    )
    assert proc.returncode == 1
    assert SECRET not in proc.stdout + proc.stderr
    assert "design_docs/accounts/event-storming.md: is in a symlinked folder" in proc.stdout
