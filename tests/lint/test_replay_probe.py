"""The replay probe: the walk keeps exactly what it kept before it recorded stats for the probe,
the digest taken when remembering equals the one a replay computes on the same tree, racy or
unreadable stats are never remembered, and the signing key is found where the cache keeps it."""

from __future__ import annotations

import os
from fnmatch import fnmatch
from pathlib import Path

import pytest

from slicegen import signed_pickle
from slicegen.lint import fast
from slicegen.model.discovery import SKIPPED_DIRS, Tree, _is_source, walk
from slicegen.user_cache import cache_home

from .test_fast_path import SETTLED_NS, settle
from .trees import clean, py_slice, write


def _matches(pattern: str, rel: str) -> bool:
    pattern = pattern.strip().rstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if fnmatch(rel, pattern) or fnmatch(rel, pattern + "/*"):
        return True
    return "/" not in pattern and fnmatch(rel.rsplit("/", 1)[-1], pattern)


def _old_walk(root: Path, exclude: list[str], respect_gitignore: bool) -> Tree:
    """The walk as it was before it recorded the probe's stats (opening .gitignore in every
    folder, sorting entries by a key), kept here as the reference; like the walk, it follows
    no symlink."""
    import pathspec

    def gitignore(folder: str) -> object | None:
        try:
            with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return None
        return pathspec.GitIgnoreSpec.from_lines(lines)

    def ignored(specs: list[tuple[str, object]], rel: str, is_dir: bool) -> bool:
        for base, spec in specs:
            sub = rel[len(base) + 1 :] if base else rel
            if base and not rel.startswith(base + "/"):
                continue
            if spec.match_file(sub + "/" if is_dir else sub):  # type: ignore[attr-defined]
                return True
        return False

    tree = Tree(root=root)
    top = os.stat(root)
    seen = {(top.st_dev, top.st_ino)}
    stack: list[tuple[str, list[tuple[str, object]]]] = [("", [])]
    base = str(root)
    while stack:
        rel_dir, parent_specs = stack.pop()
        folder = os.path.join(base, rel_dir) if rel_dir else base
        active = parent_specs
        if respect_gitignore:
            spec = gitignore(folder)
            if spec is not None:
                active = [*parent_specs, (rel_dir, spec)]
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and entry.name in SKIPPED_DIRS:
                continue
            if exclude and any(_matches(p, rel) for p in exclude):
                continue
            if active and ignored(active, rel, is_dir):
                continue
            if is_dir:
                info = entry.stat(follow_symlinks=False)
                key = (info.st_dev, info.st_ino)
                if key in seen:
                    continue
                seen.add(key)
                tree.dirs.append(rel)
                stack.append((rel, active))
                continue
            tree.files.append(rel)
            if _is_source(entry.name):
                try:
                    info = entry.stat(follow_symlinks=False)
                    tree.stats[rel] = (info.st_mtime_ns, info.st_size)
                except OSError:
                    tree.stats[rel] = (0, -1)
    tree.files.sort()
    tree.dirs.sort()
    return tree


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    files = clean("python")
    files.update(py_slice("accounts", "create_account", "account_created"))
    files.update(py_slice("gen", "make_thing", "thing_made", where="build/gen"))
    files.update(py_slice("keep", "keep_thing", "thing_kept", where="src/shop/kept/keep_thing"))
    files[".gitignore"] = "build/\n*.log\n!keep.log\n"
    files["src/shop/.gitignore"] = "kept/\n!kept/\n*.tmp\n"
    files["src/shop/a.log"] = "x"
    files["src/shop/keep.log"] = "x"
    files["src/shop/b.tmp"] = "x"
    files["node_modules/x.py"] = ""
    files["old/legacy/x.py"] = ""
    files[".gitignore_not/y.py"] = ""
    write(root, files)
    (root / "src" / "shop" / "again").symlink_to(root / "src" / "shop" / "accounts")
    (root / "src" / "loop").symlink_to(root / "src")
    (root / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    (root / "linked.py").symlink_to(root / "src" / "shop" / "__init__.py")
    return root


@pytest.mark.parametrize("respect_gitignore", [True, False])
@pytest.mark.parametrize("exclude", [[], ["old"], ["*.log", "src/shop/kept"]])
def test_the_walk_keeps_what_it_kept_before(
    tree: Path, exclude: list[str], respect_gitignore: bool
) -> None:
    new = walk(tree, exclude, respect_gitignore)
    old = _old_walk(tree, exclude, respect_gitignore)
    # a link to a source file the walk keeps is passed over (its target is linted)
    old.files.remove("linked.py")
    del old.stats["linked.py"]
    assert (new.files, new.dirs, list(new.stats.items())) == (
        old.files,
        old.dirs,
        list(old.stats.items()),
    )
    assert set(new.dir_stats) == {"", *new.dirs}
    assert new.dir_stats["src"][0] == (tree / "src").stat().st_ino
    assert set(new.links) == {f for f in new.files if (tree / f).is_symlink()}
    read = {".gitignore", "src/shop/.gitignore"} if respect_gitignore else set()
    assert set(new.ignore_stats) == {f for f in read if os.path.dirname(f) in ["", *new.dirs]}


def _changes(
    root: str, folders: list[str], files: list[str], stats: list[int]
) -> tuple[int, list[int]]:
    """The replay's digest of the folders' stats and the positions of the changed files."""
    values, moved = fast._changes(root, folders, files, stats)
    return hash(tuple(values)), moved


def test_remembered_stats_equal_the_replayed_ones(tree: Path) -> None:
    (tree / "dangling.py").unlink()  # a source that cannot be stat'ed is never remembered
    settle(tree)
    walked = walk(tree, [], True)
    key = fast.tree_key(walked, [])
    assert key is not None
    folders, files, links, digest, stats, _ = key
    assert set(files) == {*walked.stats, *walked.ignore_stats}
    # leaves, never followed (linked.py links to a source file the walk keeps: passed over)
    assert set(links) == {"src/loop", "src/shop/again"}
    here = os.getcwd()
    folders = [d or "." for d in folders]
    assert _changes(str(tree), folders, files, stats) == (digest, [])
    assert os.getcwd() == here
    edited = "src/shop/accounts/__init__.py"
    (tree / edited).write_text("# edited\n")
    assert _changes(str(tree), folders, files, stats) == (digest, [files.index(edited)])
    (tree / "src" / "new.py").write_text("")
    assert _changes(str(tree), folders, files, stats)[0] != digest  # a folder changed


def test_the_forked_half_gives_the_same_changes_and_sees_edits_and_removals(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "dangling.py").unlink()
    settle(tree)
    walked = walk(tree, [], True)
    key = fast.tree_key(walked, [])
    assert key is not None
    folders, files, _, digest, stats, _ = key
    folders = [d or "." for d in folders]
    monkeypatch.setattr(fast, "FORK_AT", 1)  # the child stats the second half of the files
    assert len(files) > 2
    assert _changes(str(tree), folders, files, stats) == (digest, [])
    last = tree / files[-1]  # a file in the child's half
    original = last.read_bytes()
    last.write_bytes(original + b"# edited\n")
    assert _changes(str(tree), folders, files, stats) == (digest, [len(files) - 1])
    last.unlink()
    with pytest.raises(OSError):
        _changes(str(tree), folders, files, stats)
    last.write_bytes(original)


def test_racy_or_unreadable_stats_are_not_remembered(tree: Path) -> None:
    """A racy folder or document: nothing remembered; a racy file: remembered as never equal
    to a stat (the replay judges it by its content)."""
    (tree / "dangling.py").unlink()
    settle(tree)
    walked = walk(tree, [], True)
    assert fast.tree_key(walked, []) is not None
    fresh = walked.started_ns - fast.RACY_NS // 2
    for field, value in (("stats", (fresh, 1)), ("ignore_stats", (fresh, 1))):
        racy = walk(tree, [], True)
        first = next(iter(getattr(racy, field)))
        getattr(racy, field)[first] = value
        key = fast.tree_key(racy, [])
        assert key is not None
        at = key[1].index(first)
        assert key[4][2 * at : 2 * at + 2] == [fast.RACY, fast.RACY]
    racy = walk(tree, [], True)
    racy.dir_stats["src"] = (1, fresh, 0)
    assert fast.tree_key(racy, []) is None
    assert fast.tree_key(walked, [("doc.md", fresh, 3)]) is None
    unreadable = walk(tree, [], True)
    unreadable.ignore_stats[".gitignore"] = (-1, -1)
    assert fast.tree_key(unreadable, []) is None
    assert fast.tree_key(walked, [("doc.md", SETTLED_NS, 3), ("gone.md", 0, -1)]) is not None


def test_the_replay_reads_the_key_the_cache_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cachehome"))
    signed_pickle._key.cache_clear()
    blob = tmp_path / "blob.bin"
    assert signed_pickle._keys_dir(blob) == os.path.join(str(cache_home()), "keys")
    assert signed_pickle.read_key(blob) is None  # reading never creates it
    signed_pickle.dump_signed(blob, b"payload")
    assert signed_pickle.read_key(blob) == signed_pickle._key(blob) is not None
    assert signed_pickle.load_signed(blob) == b"payload"
    blob.write_bytes(blob.read_bytes()[:-1] + b"X")
    assert signed_pickle.load_signed(blob) is None
    signed_pickle.dump(blob, b"payload")  # a signed pickle is not a signed payload
    assert signed_pickle.load_signed(blob) is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    assert signed_pickle.read_key(blob) is None
    signed_pickle._key.cache_clear()
