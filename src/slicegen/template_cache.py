"""A per-user cache of compiled templates, so a command does not recompile the same jinja2 source.

Compiling a dozen templates costs a short command such as ``add-slice`` tens of milliseconds;
jinja2's bytecode cache keeps the compiled code, checked against the template's source checksum.
It lives in the user's cache folder (``$XDG_CACHE_HOME/slicegen``, else ``~/.cache/slicegen``),
never in the workspace: compiled code is executed as is, so a cache that a cloned repository could
ship would bypass the sandbox that workspace template overrides run in. Set ``SLICEGEN_NO_CACHE``
to turn it off; any problem with the folder turns it off too.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import jinja2
import jinja2.bccache

from slicegen import __version__

NO_CACHE_ENV = "SLICEGEN_NO_CACHE"

#: Part of the folder name: compiled code depends on the environment's class and options.
_FLAVOUR = "sandboxed-strict-trim-lstrip"


class _BestEffortCache(jinja2.FileSystemBytecodeCache):
    """A cache that cannot fail a command: a full disk or a read-only folder skips the write."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "slicegen"


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """jinja2's file-system bytecode cache in a private folder of the user's, or None."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    folder = _user_cache_dir() / f"jinja-{_FLAVOUR}-{__version__}-{jinja2.__version__}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to find
        return None
    if folder.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None  # someone else could plant compiled code there
    return _BestEffortCache(str(folder))
