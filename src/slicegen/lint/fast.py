"""Replaying a repeated ``slicegen lint`` before the CLI (typer, pydantic, the rules) is imported.

After a cached run with default options (a path and ``--format`` at most), :func:`remember`
stores what it printed, its exit code and a :class:`TreeProbe`: the walk's settings, the storming
documents, and a key of every walked path and source file stat; plus the content hash of each
config file candidate that the config search looked at. :func:`replay` walks the tree again
(reading no file but those candidates) and prints the stored output when everything matches;
otherwise it returns None and the normal path runs. Only ``os``-level work happens here.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from slicegen import __version__, signed_pickle

if TYPE_CHECKING:
    from slicegen.model.discovery import Tree

CACHE_DIR = ".slicegen_cache"  # as slicegen.lint.cache.CACHE_DIR
REPLAY_FILE = f"replay-{__version__}.pickle"
CONFIG_NAMES = ("slicegen.toml", "pyproject.toml")  # the order slicegen.config.find_config uses
FORMATS = ("text", "json", "sarif", "github", "junit")


class TreeProbe(NamedTuple):
    """What a later run re-checks, without importing the engine, to know the tree is unchanged."""

    root: str
    exclude: list[str]
    respect_gitignore: bool
    docs: list[str]  # storming documents (absolute paths), stat-checked
    key: str  # see :func:`tree_key`
    configured: bool = True  # a config file was found (else the search went up to "/")


class Replay(NamedTuple):
    request: tuple[str, ...]
    configs: list[tuple[str, str]]  # config candidate -> content digest ("" when not a file)
    probe: TreeProbe
    output: str
    code: int


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def stat_of(path: str) -> tuple[str, int, int]:
    """``(path, mtime_ns, size)``; size -1 when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return path, 0, -1
    return path, info.st_mtime_ns, info.st_size


def tree_key(tree: Tree, docs: list[tuple[str, int, int]]) -> str:
    """A digest of the walked paths, the source files' stats and the storming documents' stats."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (tree.files, tree.dirs, sorted(tree.stats.items()), docs):
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _request(path: str, output_format: str, color: bool) -> tuple[str, ...]:
    return (__version__, os.getcwd(), str(Path(path).resolve()), output_format, str(color))


def _start(path: str) -> Path:
    resolved = Path(path).resolve()
    return resolved if resolved.is_dir() else resolved.parent


def _digest(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return ""


def _config_candidates(start: Path, root: Path, configured: bool) -> list[tuple[str, str]]:
    """Every config file candidate the config search reads from ``start`` up to the root."""
    out: list[tuple[str, str]] = []
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            out.append((str(candidate), _digest(candidate) if candidate.is_file() else ""))
        if configured and folder == root:
            break
    return out


def remember(
    probe: TreeProbe | None, path: Path, output_format: str, color: bool, output: str, code: int
) -> None:
    """Store a default-options run's output for :func:`replay`; never fails the run."""
    if probe is None:
        return
    root = Path(probe.root)
    start = _start(str(path))
    replay = Replay(
        _request(str(path), output_format, color),
        _config_candidates(start, root, probe.configured),
        probe,
        output,
        code,
    )
    try:
        folder = root / CACHE_DIR
        if not folder.is_dir():
            return
        signed_pickle.dump(folder / REPLAY_FILE, replay)
    except OSError:
        pass


def parse_args(args: list[str]) -> tuple[str, str] | None:
    """``lint [PATH] [--format F]`` -> (PATH, F); None for anything else."""
    if not args or args[0] != "lint":
        return None
    path, output_format, seen_path = ".", "text", False
    rest = args[1:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--format" and i + 1 < len(rest):
            output_format, i = rest[i + 1], i + 2
            continue
        if arg.startswith("--format="):
            output_format, i = arg[len("--format=") :], i + 1
            continue
        if arg.startswith("-") or seen_path or not arg:
            return None
        path, seen_path, i = arg, True, i + 1
    return (path, output_format) if output_format in FORMATS else None


def _load(start: Path) -> Replay | None:
    for folder in [start, *start.parents]:
        path = folder / CACHE_DIR / REPLAY_FILE
        if not path.exists():
            continue
        data = signed_pickle.load(path)  # a damaged or foreign file reads as None: run normally
        return data if isinstance(data, Replay) else None
    return None


def replay(args: list[str], stream: TextIO | None = None) -> int | None:
    """Print the stored output of the same lint run and return its exit code, or None when
    the tree, settings or request changed (or nothing is stored)."""
    parsed = parse_args(args)
    if parsed is None or "_SLICEGEN_COMPLETE" in os.environ:
        return None
    out = stream or sys.stdout
    path, output_format = parsed
    try:
        start = _start(path)
        if not start.exists():
            return None
        stored = _load(start)
        color = output_format == "text" and use_color(out)
        if stored is None or stored.request != _request(path, output_format, color):
            return None
        probe = stored.probe
        root = Path(probe.root)
        if stored.configs != _config_candidates(start, root, probe.configured):
            return None
        from slicegen.model.discovery import walk

        tree = walk(root, probe.exclude, probe.respect_gitignore)
        docs = sorted(stat_of(d) for d in probe.docs)
        if tree_key(tree, docs) != probe.key:
            return None
    except (OSError, RuntimeError, ValueError):
        return None
    out.write(stored.output)
    return stored.code
