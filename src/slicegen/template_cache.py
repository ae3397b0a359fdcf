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
import hashlib
import os
from pathlib import Path

import jinja2
import jinja2.bccache

from slicegen import __version__
from slicegen.safe_files import open_regular
from slicegen.user_cache import private_dir

NO_CACHE_ENV = "SLICEGEN_NO_CACHE"

#: The environment settings that change the code jinja2 compiles a template to.
_COMPILE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "finalize",
    "is_async",
    "undefined",
    "code_generator_class",
    "context_class",
)


def _flavour(env: jinja2.Environment) -> str:
    """A digest of the environment's class, options and extensions: part of the folder name."""
    options = [_describe(getattr(env, name, None)) for name in _COMPILE_OPTIONS]
    described = repr((_describe(type(env)), options, sorted(env.extensions)))
    return hashlib.sha256(described.encode()).hexdigest()[:16]


class _BestEffortCache(jinja2.FileSystemBytecodeCache):
    """A cache that cannot fail a command: a full disk or a read-only folder skips the write.
    It loads only files as jinja2 writes them: regular, this user's, private (mode 600)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = os.path.join(self.directory, self.pattern % (bucket.key,))
        try:
            fd, info = open_regular(path, owned=True, single_link=True, blocking=False)
        except OSError:
            return
        with os.fdopen(fd, "rb") as handle:
            if not info.st_mode & 0o077:
                bucket.load_bytecode(handle)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _describe(value: object) -> str:
    """A stable description: a function or class by its dotted name, not its address."""
    if callable(value):
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}"
    return repr(value)


def bytecode_cache(
    env: jinja2.Environment, workspace: Path | None = None
) -> jinja2.BytecodeCache | None:
    """jinja2's file-system bytecode cache for ``env``, in a private folder of the user's, or
    None (also where the checkout of ``workspace`` could have written that folder). The folder
    is per environment flavour, slicegen version and jinja2 version."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    name = f"jinja-{_flavour(env)}-{__version__}-{jinja2.__version__}"
    folder = private_dir(name, workspace)
    return None if folder is None else _BestEffortCache(str(folder))
