"""slicegen's private per-user folder (``$XDG_CACHE_HOME/slicegen`` or ``~/.cache/slicegen``).

Things that must not come from a workspace live here: compiled templates, and the key that signs
the lint caches kept inside workspaces (:mod:`slicegen.signed_pickle`).
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path:
    """The folder, whether or not it exists."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "slicegen"


def private_dir(name: str) -> Path | None:
    """``user_cache_dir()/name``, created mode 700; None if it cannot be made or is not ours."""
    folder = user_cache_dir() / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to find
        return None
    if folder.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None  # someone else could plant files there
    return folder
