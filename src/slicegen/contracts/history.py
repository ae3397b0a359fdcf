"""The event shapes at a git revision (``slicegen lint --since REF``), read with ``git``
plumbing: no checkout, the working tree is never touched."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from slicegen.child_process import tied_to_us
from slicegen.contracts.lock import Locked
from slicegen.contracts.repository import Foreign, check
from slicegen.errors import SlicegenError
from slicegen.model.readers.fields import shapes_in
from slicegen.safe_files import MAX_BYTES
from slicegen.stacks.artifacts import GROUPED_STEMS, kind_from_stem

if TYPE_CHECKING:
    import subprocess

#: Options of every git run: the repository may be a stranger's, and its own config (or a
#: planted ``.git``) may name programs. Plumbing runs no hook, pager, textconv or filter, but a
#: partial clone fetches a missing object through the remote its config names, with its
#: ``core.sshCommand``: no transport is allowed (``GIT_ALLOW_PROTOCOL`` empty, which no
#: ``protocol.*.allow`` of the repository overrides), nor a lazy fetch, a prompt or replaced
#: objects; fsmonitor and hooks are off besides. Neither the system's nor the user's git config
#: is read (what git answers does not depend on them, and nothing they name runs), except the
#: user's ``safe.directory`` entries, which are passed on (:func:`_safe_directories`).
_GIT = ("git", "--no-pager", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null")
_GIT_ENV = {
    "GIT_ALLOW_PROTOCOL": "",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_PAGER": "cat",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}


#: Seconds a git command may take: a planted ``.git`` may hold a FIFO where git reads its
#: ``HEAD``, config or refs, and git would wait on it for ever.
GIT_SECONDS = float(os.environ.get("SLICEGEN_GIT_SECONDS", "") or 60)


def _run(
    root: Path, args: list[str], data: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``git args`` in ``root`` (``data`` on its input), with :data:`_GIT`'s options and
    environment; its output captured."""
    safe = [arg for folder in _safe_directories() for arg in ("-c", f"safe.directory={folder}")]
    return _bounded([*_GIT, *safe, *args], root, {**os.environ, **_GIT_ENV}, data)


def _safe_directories() -> tuple[str, ...]:
    """The ``safe.directory`` entries of the system's and the user's git config (a CI job in a
    container marks its checkout safe there); no repository's config is read."""
    argv = ["git", "config", "--show-scope", "--get-all", "safe.directory"]
    done = _bounded(argv, Path("/"), {**os.environ, "GIT_DIR": os.devnull})
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    return tuple(
        value
        for scope, _, value in (line.partition("\t") for line in lines)
        if scope in ("system", "global")
    )


def _bounded(
    argv: list[str], cwd: Path, env: dict[str, str], data: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``argv`` run in ``cwd``, ended after :data:`GIT_SECONDS` (then a one-line error), and
    when slicegen ends (:func:`~slicegen.child_process.tied_to_us`)."""
    import subprocess  # only with --since: a plain lint does not load it

    try:
        return subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            input=data,
            capture_output=True,
            check=False,
            timeout=GIT_SECONDS,
            preexec_fn=tied_to_us(),
        )
    except subprocess.TimeoutExpired:
        raise SlicegenError(
            f"--since: git did not answer in {GIT_SECONDS:g} s in {cwd} (a FIFO in .git?): lint "
            "a clone of the repository, set SLICEGEN_GIT_SECONDS higher, or drop --since"
        ) from None


def resolve(root: Path, ref: str) -> str:
    """The commit ``ref`` names, or a clear error."""
    if ref.startswith("-"):
        raise SlicegenError(f"--since {ref!r} is not a git revision: give a branch, tag or commit")
    folders = ["--show-toplevel", "--git-dir", "--git-common-dir"]
    try:
        done = _run(root, ["rev-parse", "--path-format=absolute", *folders])
        if done.returncode == 0:  # checked before git reads an object
            _check(root, done.stdout.decode("utf-8", "surrogateescape").split("\n")[:-1])
            done = _run(root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"])
    except OSError:
        raise SlicegenError("--since needs git, which is not installed: install it") from None
    if done.returncode != 0:
        raise SlicegenError(
            f"--since {ref!r}: no such git revision in {root} (is it a git repository?): "
            "give a branch, tag or commit it has"
        )
    return done.stdout.decode().strip()


def _check(root: Path, folders: list[str]) -> None:
    """:func:`~slicegen.contracts.repository.check` on the work tree, git folder and common
    folder ``git rev-parse`` printed (three lines: more if a name holds a newline)."""
    if len(folders) != 3:
        raise Foreign(f"--since: the git repository of {root} has a newline in its path: move it")
    top, git_dir, common_dir = map(Path, folders)
    check(top, git_dir, common_dir, root)


def shapes_at(root: Path, commit: str, domains: dict[str, str], known: Iterable[str]) -> Locked:
    """The shapes of the event files at ``commit``: the files at the ``known`` paths (today's
    event files) and any whose name says event, in the folders of ``domains`` (root -> name)."""
    prefix = _git(root, "rev-parse", "--show-prefix").strip()  # the workspace inside the repo
    listed = _git(root, "ls-tree", "-r", "-z", commit, "--", ".").split("\0")
    wanted = set(known)
    paths = []
    for line in filter(None, listed):
        meta, full = line.split("\t", 1)  # "<mode> <type> <object>", then the path
        mode, kind, oid = meta.split()
        if kind != "blob" or mode == "120000":  # a symbolic link's text is its target
            continue
        rel = full[len(prefix) :] if prefix and full.startswith(prefix) else full
        stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if rel in wanted or kind_from_stem(stem) == "event" or GROUPED_STEMS.get(stem) == "event":
            paths.append((oid, rel))
    locked: Locked = {}
    texts = _cat(root, paths)
    for (_, rel), text in zip(paths, texts, strict=True):
        domain = _domain(rel, domains)
        if domain is None or text is None:
            continue
        for shape in shapes_in(rel, text):
            locked.setdefault(domain, {})[shape.identity] = shape
    return locked


def _domain(path: str, domains: dict[str, str]) -> str | None:
    folder = path
    while "/" in folder:
        folder = folder.rsplit("/", 1)[0]
        if folder in domains:
            return domains[folder]
    return None


def _git(root: Path, *args: str) -> str:
    done = _run(root, list(args))
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip()
        raise SlicegenError(f"git {args[0]} failed in {root}: {why}")
    return done.stdout.decode("utf-8", "surrogateescape")  # a committed name need not be UTF-8


def _cat(root: Path, paths: list[tuple[str, str]]) -> list[str | None]:
    """Each blob's text (of ``(object id, path)`` pairs), in one ``git cat-file --batch``:
    asked for by object id, one a line, since a path may hold a newline (and would then be
    read as two requests). A blob over :data:`MAX_BYTES` (lint's cap of a file) is not read
    (None); one git cannot read (missing, damaged) is a one-line error: the contracts at
    ``--since`` cannot be checked without it."""
    if not paths:
        return []
    request = "".join(f"{oid}\n" for oid, _ in paths).encode()
    sizes = [line.split() for line in _checked(root, "--batch-check", request).splitlines()]
    unread = [rel for (_, rel), found in zip(paths, sizes, strict=False) if len(found) < 3]
    if unread or len(sizes) != len(paths):
        raise SlicegenError(
            f"--since: git cannot read {unread[0] if unread else 'an event file'} at that "
            f"revision in {root} (its object is missing: a partial clone, or damaged): fetch "
            "the revision's objects (a full clone), run 'git fsck', or drop --since"
        )
    wanted = [i for i, found in enumerate(sizes) if int(found[2]) <= MAX_BYTES]
    data = _checked(root, "--batch", "".join(f"{paths[i][0]}\n" for i in wanted).encode())
    texts: list[str | None] = [None] * len(paths)
    at = 0
    for i in wanted:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        texts[i] = data[at : at + size].decode("utf-8", "replace")
        at += size + 1
    return texts


def _checked(root: Path, mode: str, request: bytes) -> bytes:
    """``git cat-file <mode>``'s output for ``request``; a one-line error if git failed (a
    damaged object: its output ends early)."""
    if not request:
        return b""
    done = _run(root, ["cat-file", mode], request)
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no reason given"]
        raise SlicegenError(
            f"--since: git cat-file failed in {root} ({why[-1]}): fetch the revision's "
            "objects (a full clone), run 'git fsck', or drop --since"
        )
    return done.stdout
