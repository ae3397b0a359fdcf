"""Running the installed ``slicegen`` executable, as a user or a CI step would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SLICEGEN = Path(sys.executable).with_name("slicegen")


def slicegen(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed ``slicegen`` with plain output."""
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(SLICEGEN), *args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )
    if check and proc.returncode not in (0, 1):
        raise AssertionError(f"slicegen {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc
