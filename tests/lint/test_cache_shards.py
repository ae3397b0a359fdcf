"""The per-file entries live in signed shards: they round-trip exactly, a run rewrites only the
shards it changed, and a damaged, foreign or misplaced shard is ignored (only its files are read
again) and rewritten."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from slicegen import signed_pickle
from slicegen.lint.cache import SHARDS, LintCache, shard_of
from slicegen.lint.engine import LintOptions, run_lint
from slicegen.model.load import PARSE, TRIGGERED, Entry
from slicegen.model.workspace import Call, Definition, FileInfo, ImportRef, StringUse, Suppression

from .trees import py_slice


@pytest.fixture(autouse=True)
def _own_cache_key(private_cache: Path) -> Path:
    return private_cache


def _full(path: str) -> Entry:
    """An entry with every field set, nested records included."""
    info = FileInfo(
        path,
        "python",
        parsed=True,
        error=None,
        error_line=3,
        error_col=4,
        definitions=(Definition("OpenAccountV1", "OpenAccountV1", "class", 1, 0, ("Base",)),),
        strings=(StringUse("account_opened:v1", 2, 5, "emit"),),
        imports=(ImportRef("shop.x", ("y", "z"), 1, 0, "from", 1, True, False),),
        calls=(Call("router", "dispatch", 7, 8),),
        suppressions=(Suppression(("SG101",), 9, 1, False, "legacy"),),
        doc="Open an account.",
        class_fields=(("OpenAccountV1", (("email", "str"), ("note", "str | None"))),),
        event_shapes=(("account_opened:v1", 5, (("email", "str", True), ("n", "int", False))),),
    )
    return Entry(123456789, 42, "d" * 32, info, TRIGGERED, (b"accounts", b"ACCOUNTS"))


def _plain(path: str) -> Entry:
    return Entry(1, 2, "e" * 32, FileInfo(path, "elixir", error="cannot be read"), PARSE)


def _shard_bytes(cache: LintCache) -> dict[int, bytes]:
    return {
        i: cache.shard_path(i).read_bytes() for i in range(SHARDS) if cache.shard_path(i).exists()
    }


def _saved(root: Path, entries: dict[str, Entry]) -> LintCache:
    cache = LintCache(root)
    for path, entry in entries.items():
        cache.put(path, entry)
    cache.save("fingerprint", [])
    return cache


def _paths(count: int) -> list[str]:
    return [f"src/shop/m{i}.py" for i in range(count)]


def test_entries_round_trip_with_their_record_types(tmp_path: Path) -> None:
    entries = {p: (_full(p) if i % 2 else _plain(p)) for i, p in enumerate(_paths(80))}
    _saved(tmp_path, entries)
    again = LintCache(tmp_path)
    for path, entry in entries.items():
        found = again.get(path)
        assert found == entry
        assert found is not None and type(found) is Entry and type(found.info) is FileInfo
        records = [*found.info.definitions, *found.info.strings, *found.info.imports]
        records += [*found.info.calls, *found.info.suppressions]
        assert [type(r) for r in records] == [type(r) for r in (*entry.info.definitions,
            *entry.info.strings, *entry.info.imports, *entry.info.calls,
            *entry.info.suppressions)]  # fmt: skip
    assert again.get("src/shop/absent.py") is None


def test_one_changed_entry_rewrites_one_shard(tmp_path: Path) -> None:
    paths = _paths(200)
    cache = _saved(tmp_path, {p: _plain(p) for p in paths})
    before = _shard_bytes(cache)
    assert len(before) == SHARDS
    again = LintCache(tmp_path)
    assert again.get(paths[7]) is not None
    again.put(paths[7], _full(paths[7]))
    again.save("fingerprint", [])
    after = _shard_bytes(again)
    changed = [i for i in range(SHARDS) if before[i] != after[i]]
    assert changed == [shard_of(paths[7])]
    assert LintCache(tmp_path).get(paths[7]) == _full(paths[7])


def test_pruned_entries_are_gone_after_save(tmp_path: Path) -> None:
    paths = _paths(50)
    _saved(tmp_path, {p: _plain(p) for p in paths})
    cache = LintCache(tmp_path)
    cache.prune(set(paths[1:]))
    cache.save("fingerprint", [])
    again = LintCache(tmp_path)
    assert again.get(paths[0]) is None and again.get(paths[1]) == _plain(paths[1])


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "misplaced"])
def test_a_bad_shard_costs_only_its_own_entries(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    paths = _paths(200)
    cache = _saved(tmp_path, {p: _full(p) for p in paths})
    victim = shard_of(paths[0])
    target = cache.shard_path(victim)
    if damage == "garbage":
        target.write_bytes(os.urandom(64))
    elif damage == "truncated":
        target.write_bytes(target.read_bytes()[:-10])
    elif damage == "foreign":  # a valid shard, signed by someone else's key
        monkeypatch.setenv("XDG_CACHE_HOME", str(private_cache.parent / "other"))
        signed_pickle._key.cache_clear()
        (tmp_path / "elsewhere").mkdir()
        _saved(tmp_path / "elsewhere", {p: _full(p) for p in paths})
        other = LintCache(tmp_path / "elsewhere").shard_path(victim)
        monkeypatch.setenv("XDG_CACHE_HOME", str(private_cache))
        signed_pickle._key.cache_clear()
        target.write_bytes(other.read_bytes())
    else:  # our own signature, but another shard's content
        target.write_bytes(cache.shard_path((victim + 1) % SHARDS).read_bytes())
    again = LintCache(tmp_path)
    for path in paths:
        assert again.get(path) == (None if shard_of(path) == victim else _full(path))
    for path in paths:
        if shard_of(path) == victim:
            again.put(path, _full(path))
    again.save("fingerprint", [])
    assert all(LintCache(tmp_path).get(p) == _full(p) for p in paths)


def test_lint_with_a_damaged_shard_gives_the_same_findings(
    make_tree: Callable[..., Path],
) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    first = run_lint(root, LintOptions())
    cache = LintCache(root)
    stored = [i for i in range(SHARDS) if cache.shard_path(i).exists()]
    assert len(stored) == SHARDS
    for i in range(0, SHARDS, 3):
        cache.shard_path(i).write_bytes(b"damaged")
    (root / "src" / "shop" / "accounts" / "notes.py").write_text("X = 1\n")  # not a replay
    again = run_lint(root, LintOptions())
    assert not again.cached_run
    assert [f for f in again.findings if f.path != "src/shop/accounts/notes.py"] == [
        f for f in first.findings if f.path != "src/shop/accounts/notes.py"
    ]
