"""The event shapes at a git revision (``slicegen lint --since REF``), read with ``git``
plumbing: no checkout, the working tree is never touched."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from slicegen.contracts.lock import Locked
from slicegen.errors import SlicegenError
from slicegen.model.readers.fields import shapes_in
from slicegen.stacks.artifacts import GROUPED_STEMS, kind_from_stem


def resolve(root: Path, ref: str) -> str:
    """The commit ``ref`` names, or a clear error."""
    if ref.startswith("-"):
        raise SlicegenError(f"--since {ref!r} is not a git revision: give a branch, tag or commit")
    try:
        import subprocess  # only with --since: a plain lint does not load it

        done = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        raise SlicegenError("--since needs git, which is not installed: install it") from None
    if done.returncode != 0:
        raise SlicegenError(
            f"--since {ref!r}: no such git revision in {root} (is it a git repository?): "
            "give a branch, tag or commit it has"
        )
    return done.stdout.strip()


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
    texts = _cat(root, [oid for oid, _ in paths])
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
    import subprocess

    done = subprocess.run(
        ["git", *args],
        cwd=root,
        capture_output=True,
        encoding="utf-8",
        errors="surrogateescape",  # a committed name need not be UTF-8
        check=False,
    )
    if done.returncode != 0:
        raise SlicegenError(f"git {args[0]} failed in {root}: {done.stderr.strip()}")
    return done.stdout


def _cat(root: Path, oids: list[str]) -> list[str | None]:
    """Each blob's text, in one ``git cat-file --batch``: asked for by object id, one a line,
    since a path may hold a newline (and would then be read as two requests)."""
    if not oids:
        return []
    import subprocess

    request = "".join(f"{oid}\n" for oid in oids).encode()
    done = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True, check=False
    )
    data, at = done.stdout, 0
    texts: list[str | None] = []
    for _ in oids:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] != b"blob":
            texts.append(None)
            continue
        size = int(header[2])
        texts.append(data[at : at + size].decode("utf-8", "replace"))
        at += size + 1
    return texts
