"""The cache: an unchanged tree is answered from the last run; a touched but unchanged file is
not parsed again; an edit is seen; a damaged cache is rebuilt; the process pool gives the same
answer as one process."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from slicegen.lint.cache import CACHE_DIR, LintCache, shard_of
from slicegen.lint.engine import LintOptions, run_lint
from slicegen.model import load

from .trees import py_slice, write

EVENT = "src/shop/accounts/domain/update_account/event_v1.py"


def _codes(root: Path, **kwargs: object) -> list[tuple[str, str, int]]:
    result = run_lint(root, LintOptions(**kwargs))  # type: ignore[arg-type]
    return [(f.code, f.path, f.line) for f in result.findings]


def test_warm_run_reuses_the_last_run(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    first = run_lint(root, LintOptions(ignore=["SG5", "SG602"]))
    assert not first.cached_run and first.parsed > 0
    assert (root / CACHE_DIR / "CACHEDIR.TAG").is_file()
    second = run_lint(root, LintOptions(ignore=["SG5", "SG602"]))
    assert second.cached_run
    assert second.findings == first.findings


def test_touched_file_is_not_parsed_again(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    run_lint(root, LintOptions(ignore=["SG5", "SG602"]))
    event = root / EVENT
    stat = event.stat()
    os.utime(event, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    again = run_lint(root, LintOptions(ignore=["SG5", "SG602"]))
    assert not again.cached_run
    assert again.parsed == 1  # read and hashed, but the stored parse was reused
    assert any(f.path == EVENT for f in again.findings)


def test_edit_is_seen(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    before = _codes(root, select=["SG101"])
    assert ("SG101", EVENT, 1) in before
    write(root, {EVENT: 'class AccountRevisedV1:\n    event_type = "account_revised:v1"\n'})
    after = _codes(root, select=["SG101"])
    assert all(path != EVENT for _, path, _ in after)


def test_settings_change_invalidates_the_run_cache(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    assert {c for c, _, _ in _codes(root, select=["SG101"])} == {"SG101"}
    assert {c for c, _, _ in _codes(root, select=["SG102"])} == {"SG102"}


def test_damaged_cache_is_rebuilt(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    expected = _codes(root, select=["SG1"])
    for file in (root / CACHE_DIR).glob("*-*"):
        file.write_bytes(b"not a cache file")
    assert _codes(root, select=["SG1"]) == expected


def test_no_cache_writes_nothing(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python")
    run_lint(root, LintOptions(use_cache=False))
    assert not (root / CACHE_DIR).exists()


def test_process_pool_gives_the_same_findings(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = {}
    for i in range(12):
        extra.update(py_slice("accounts", f"update_thing{i}", f"thing{i}_updated"))
    root = make_tree("python", extra)
    single = _codes(root, select=["SG1"], use_cache=False, workers=1)
    monkeypatch.setattr(load, "POOL_THRESHOLD", 4)
    pooled = _codes(root, select=["SG1"], use_cache=False, workers=2)
    assert pooled == single
    assert len(single) >= 24


def test_singulars_are_remembered_between_runs(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drift check's singular domain names come from the cache once seen (no lemminflect)."""
    from slicegen import naming
    from slicegen.design import extract
    from slicegen.lint.cache import LintCache

    root = make_tree("python")
    monkeypatch.setattr(extract, "KNOWN_SINGULARS", {})
    first = run_lint(root, LintOptions())
    assert LintCache(root).words().singulars()["accounts"] == naming.singular("accounts")

    def unavailable(name: str) -> str:
        raise AssertionError(f"inflection library asked for {name}")

    monkeypatch.setattr(extract, "KNOWN_SINGULARS", {})
    monkeypatch.setattr(naming, "singular", unavailable)
    write(root, {"src/shop/accounts/notes.py": "X = 1\n"})
    again = run_lint(root, LintOptions())
    assert not again.cached_run and again.findings == first.findings
    assert extract.KNOWN_SINGULARS["accounts"] == "account"


def test_boundary_rules_in_a_worker_give_the_same_findings(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the lint cache answers most files, the boundary check runs in a worker of its own
    (with its own cache); its findings are those of a cold run in one process."""
    from slicegen.lint import engine

    leak = "from shop.profiles.domain.establish_profile.command_v1 import X\n"
    root = make_tree("python", {"src/shop/accounts/read_models/peek.py": leak})
    _codes(root, select=["SG5"], workers=1)  # the caches answer every file now
    write(root, {"src/shop/accounts/read_models/peek.py": leak + "Y = 1\n"})
    here = _codes(root, select=["SG5"], use_cache=False, workers=1)
    monkeypatch.setattr(engine, "POOL_THRESHOLD", 4)
    started: list[object] = []
    start = engine._start_boundaries
    monkeypatch.setattr(
        engine, "_start_boundaries", lambda *a: started.append(start(*a)) or started[-1]
    )
    worker = _codes(root, select=["SG5"], workers=2)
    assert started and started[0] is not None
    assert worker == here and here


def test_each_selection_keeps_its_last_run(make_tree: Callable[..., Path]) -> None:
    """A hook's ``--select`` run (or a watch) between two full runs does not make the second
    redo its work, nor the reverse."""
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    full = run_lint(root, LintOptions(ignore=["SG602"]))
    naming = run_lint(root, LintOptions(select=["SG101"]))
    assert not full.cached_run and not naming.cached_run
    again = run_lint(root, LintOptions(ignore=["SG602"]))
    assert again.cached_run and again.findings == full.findings
    assert run_lint(root, LintOptions(select=["SG101"])).cached_run


def test_a_run_with_unsaved_buffers_leaves_the_last_run_to_the_disk(
    make_tree: Callable[..., Path],
) -> None:
    """An editor's run (with buffers) is neither stored as the last run nor answered by it."""
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    disk = run_lint(root, LintOptions(ignore=["SG602"]))
    revised = 'class AccountRevisedV1:\n    event_type = "account_revised:v1"\n'
    buffered = run_lint(root, LintOptions(ignore=["SG602"], overlay={EVENT: revised}))
    assert not buffered.cached_run
    assert EVENT in {f.path for f in disk.findings if f.code == "SG101"}
    assert all(f.path != EVENT for f in buffered.findings if f.code == "SG101")
    after = run_lint(root, LintOptions(ignore=["SG602"]))
    assert after.cached_run and after.findings == disk.findings


def test_each_rule_memo_is_written_only_when_it_changed(tmp_path: Path) -> None:
    """A run that changes one rule's memo (an edited event's shapes) leaves the others' files
    (the parsed lock) as they were; each reads back what was last saved."""
    root = tmp_path / "ws"
    root.mkdir()
    first = LintCache(root)
    first.rule_memo("event-contract")["a.py"] = ("digest-a", ())
    first.rule_memo("event-contract-lock").update(digest="lock", locked={})
    first.rule_memo("odd name/../x")["k"] = 1  # any name: a file of its own in the folder
    first.save("run", [])
    memos = sorted(p.name for p in (root / CACHE_DIR).glob("memo-*"))
    assert len(memos) == 3 and all("/" not in name and ".." not in name for name in memos)
    second = LintCache(root)
    assert second.rule_memo("event-contract-lock") == {"digest": "lock", "locked": {}}
    second.rule_memo("event-contract")["b.py"] = ("digest-b", ())
    lock = next((root / CACHE_DIR).glob("memo-*-event-contract-lock.pickle"))
    lock.unlink()  # written again only if changed
    second.save("run", [])
    assert not lock.exists()
    third = LintCache(root)
    assert set(third.rule_memo("event-contract")) == {"a.py", "b.py"}
    assert third.rule_memo("odd name/../x") == {"k": 1}
    assert third.rule_memo("event-contract-lock") == {}  # gone: an empty memo, as on a miss


def test_a_workspace_without_config_is_judged_alike_with_the_cache(tmp_path: Path) -> None:
    """No slicegen.toml: a package under ``src/shop`` is a domain only with evidence, in the
    boundary check a cached run makes itself (few files read) as in a full one; once the
    cached run took ``shop`` for a declared app and reported SG501 between two packages."""
    root = tmp_path / "ws"
    place = "src/shop/orders/domain/place_order"
    write(
        root,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "src/shop/__init__.py": "",
            "src/shop/orders/__init__.py": "",
            f"{place}/command_v1.py": "class PlaceOrderV1:\n    order_id: str\n",
            f"{place}/event_v1.py": (
                'class OrderPlacedV1:\n    event_type = "order_placed:v1"\n    order_id: str\n'
            ),
            "src/shop/billing/__init__.py": "",
            "src/shop/billing/models.py": "class Invoice:\n    pass\n",
            "src/shop/reports/__init__.py": "",
            "src/shop/reports/views.py": "from shop.billing.models import Invoice\n",
        },
    )
    full = _codes(root, use_cache=False)
    assert "SG501" not in {code for code, _, _ in full}
    assert _codes(root, workers=1) == full
    write(root, {"src/shop/billing/models.py": "class Invoice:\n    pass\n# edited\n"})
    assert _codes(root, workers=1) == full  # one file read: the rule checks the boundaries


def test_drift_designs_are_kept_by_domain(make_tree: Callable[..., Path]) -> None:
    """SG602 keeps each domain's design in the shard of its name: an event edited in one
    domain rewrites that domain's shard, and the other domain's file is left as it was."""
    root = make_tree("python")
    run_lint(root, LintOptions(workers=1))
    cache = LintCache(root)
    name = "storming-doc-drift designs"
    accounts, profiles = (cache._memo_path(name, shard_of(d)) for d in ("accounts", "profiles"))
    assert accounts != profiles and accounts.exists() and profiles.exists()
    before = (profiles.read_bytes(), profiles.stat().st_mtime_ns, accounts.read_bytes())
    event = root / "src/shop/accounts/domain/activate_account/event_v1.py"
    text = event.read_text(encoding="utf-8")
    assert "class " in text
    event.write_text(text + "\n\nclass AccountAudited:\n    account_id: str\n", encoding="utf-8")
    after = run_lint(root, LintOptions(workers=1))
    assert (profiles.read_bytes(), profiles.stat().st_mtime_ns) == before[:2]
    assert accounts.read_bytes() != before[2]
    fresh = run_lint(root, LintOptions(workers=1, use_cache=False))
    assert [f.message for f in after.findings] == [f.message for f in fresh.findings]
