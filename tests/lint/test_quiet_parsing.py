"""Parsing a user's file prints nothing of Python's own about it: an ``invalid escape sequence``
(a DeprecationWarning on 3.11, a SyntaxWarning shown by default from 3.12 on) is no finding and
no line on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_users_invalid_escape_prints_no_warning(tmp_path: Path) -> None:
    slice_folder = tmp_path / "src/shop/accounts/domain/open_account"
    slice_folder.mkdir(parents=True)
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    (slice_folder / "command_v1.py").write_text(
        'PATTERN = "\\d+\\="\n\n\nclass OpenAccountV1:\n    pass\n'
    )
    env = {**os.environ, "PYTHONWARNINGS": "default"}  # show every warning Python would
    done = subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", ".", "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the slice's findings, nothing else went wrong
    assert "OpenAccountV1" not in done.stderr and "escape sequence" not in done.stderr
    assert done.stderr == ""
