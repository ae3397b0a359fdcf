"""The full cached run after an edit the rules see, made cheaper without changing what it
finds: a memo kept by path writes only the shards that changed; the run's fingerprint is
equal for equal values (in any process) and differs for others; :func:`persist.keep` judges
two lookups per file, and judges an edited file as the per-file judgement of the run did."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.lint import persist
from slicegen.lint.cache import CACHE_DIR, SHARDS, LintCache, fingerprint, shard_of
from slicegen.lint.delta import record_tells, unseen_place
from slicegen.lint.engine import run_lint
from slicegen.lint.rules import parts
from slicegen.model.workspace import FileInfo

from .test_fast_path import settle
from .trees import clean, py_slice, write


@pytest.fixture(autouse=True)
def _own_cache_key(private_cache: Path) -> Path:
    return private_cache


def _shards(root: Path) -> dict[str, int]:
    """Each memo shard file's inode (a rewrite is a new file, renamed into place)."""
    return {p.name: p.stat().st_ino for p in (root / CACHE_DIR).glob("memo-*-shapes-*.pickle")}


def test_a_memo_by_path_round_trips_and_rewrites_only_changed_shards(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    first = LintCache(root)
    values = {f"src/e{i}.py": (f"digest-{i}", (i,)) for i in range(200)}
    first.rule_memo("shapes", by_path=True).update(values)
    first.save("run", [])
    before = _shards(root)
    assert len(before) == len({shard_of(p) for p in values}) <= SHARDS
    second = LintCache(root)
    memo = second.rule_memo("shapes", by_path=True)
    assert memo == values
    memo["src/e7.py"] = ("digest-new", (7,))  # one value changed
    memo["src/e8.py"] = (*values["src/e8.py"][:1], (8,))  # an equal value, another object
    del memo["src/e9.py"]  # one gone
    second.save("run", [])
    after = _shards(root)
    changed = {name for name in after if after[name] != before.get(name)}
    expected = {shard_of("src/e7.py"), shard_of("src/e9.py")}
    assert changed == {n for n in after if int(n.rsplit("-", 1)[1][:2]) in expected}
    third = LintCache(root).rule_memo("shapes", by_path=True)
    assert third == {k: memo.get(k, v) for k, v in values.items() if k != "src/e9.py"}


def test_a_damaged_memo_shard_costs_only_its_own_values(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    cache = LintCache(root)
    values = {f"src/e{i}.py": (f"digest-{i}", ()) for i in range(100)}
    cache.rule_memo("shapes", by_path=True).update(values)
    cache.save("run", [])
    damaged = shard_of("src/e1.py")
    path = next(p for p in (root / CACHE_DIR).glob(f"memo-*-shapes-{damaged:02d}.pickle"))
    path.write_bytes(b"not a signed pickle")
    found = LintCache(root).rule_memo("shapes", by_path=True)
    assert found == {k: v for k, v in values.items() if shard_of(k) != damaged}


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.binary(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
    max_leaves=12,
)


@settings(deadline=None, max_examples=200)
@given(st.lists(_VALUES, min_size=1, max_size=4), st.lists(_VALUES, min_size=1, max_size=4))
def test_the_fingerprint_is_equal_exactly_for_equal_values(
    a: list[object], b: list[object]
) -> None:
    same = [type(x) for x in a] == [type(y) for y in b] and repr(a) == repr(b)
    assert (fingerprint(*a) == fingerprint(*b)) == same
    copies = [eval(repr(x)) for x in a]  # equal values, other (not interned) objects
    assert fingerprint(*copies) == fingerprint(*a)


def test_the_fingerprint_is_the_same_in_another_process() -> None:
    values = (["src/a.py", "src/b.py"], [("src/a.py", (1_700_000_000_123_456_789, 12))], True)
    code = (
        "from slicegen.lint.cache import fingerprint;"
        "print(fingerprint(['src/a.py', 'src/b.py'],"
        " [('src/a.py', (1_700_000_000_123_456_789, 12))], True))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == fingerprint(*values)
    assert fingerprint(Path("x")) == fingerprint(Path("x")) != fingerprint("x")  # by repr


def test_keep_judges_each_file_as_the_per_file_judgement(tmp_path: Path) -> None:
    """What :func:`persist.keep` keeps (two lookups per file) judges each file, once edited,
    as the judgement of every file at the end of the run did: its entry holds the record the
    run judged (with a digest), and an edit keeping that record can go unseen."""
    root = tmp_path / "ws"
    files = clean("python")
    files.update(py_slice("accounts", "create_account", "account_created"))
    files.update(py_slice("profiles", "establish_profile", "profile_established"))
    files["src/shop/accounts/read_models/helpers.py"] = "def total() -> int:\n    return 1\n"
    files["src/shop/accounts/emitter.py"] = 'TYPE = "account_created:v1"\n'
    files["src/shop/accounts/read_models/unread.py"] = "x = 1\n"
    write(root, files)
    settle(root)
    result = run_lint(root)
    state, probe = result.state, result.probe
    assert state is not None and probe is not None and probe.key is not None
    cache = state.memo["lint_cache"]
    stale = "src/shop/accounts/read_models/unread.py"  # an entry not holding the judged record
    cache.put(stale, cache.get(stale)._replace(info=FileInfo(stale, "python", error="stale")))
    side = persist.keep(state, probe, "replay.bin")
    assert side is not None
    kinds, unjudged, roots = side[1]
    arts: dict[str, set[str]] = {}
    for a in state.model.artifacts:
        arts.setdefault(a.path, set()).add(a.kind)
    verdicts = set()
    for at, rel in enumerate(probe.key[1]):
        info, entry = state.model.files.get(rel), cache.get(rel)
        judged = info is not None and entry is not None and entry.info == info
        assert (at not in unjudged) == judged, rel
        if judged and entry is not None and info is not None:
            unseen = unseen_place(rel, info, state.roots) and record_tells(info, arts.get(rel, ()))
            assert persist.can_go_unseen(rel, entry.info, kinds[at], frozenset(roots)) == unseen
            verdicts.add(unseen)
    assert verdicts == {True, False}  # both kinds judged
    assert probe.key[1].index(stale) in unjudged


_FOLDERS = st.lists(st.sampled_from(["src", "shop", "a", "b", "x.py"]), max_size=5)


@settings(deadline=None, max_examples=300)
@given(st.lists(_FOLDERS, max_size=5), st.lists(_FOLDERS, min_size=1, max_size=8))
def test_the_part_of_a_file_is_found_once_per_folder(
    roots: list[list[str]], folders: list[list[str]]
) -> None:
    """:func:`parts._folder_roots` (the root found once per folder, for every file of the
    tree) gives each file the root :func:`parts.root_of` finds for it alone."""
    standing = frozenset("/".join(r) for r in roots if r)
    part_of = parts._folder_roots(standing)
    for folder in folders:
        for name in ("m.py", "n.ex"):
            rel = "/".join([*folder, name])
            assert part_of(rel) == (parts.root_of(rel, standing) or "")
