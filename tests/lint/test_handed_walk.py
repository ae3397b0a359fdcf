"""The walk a replay hands on (:func:`slicegen.lint.fast.walked`): when a fresh ``slicegen lint``
finds only a few edited files and cannot answer from the stored output, the normal run takes the
replay's stats instead of walking again. The tree it hands on is the walk's, field for field
(but the time it started), and none is handed on when a folder or a ``.gitignore`` changed."""

from __future__ import annotations

import io
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slicegen.lint import fast
from slicegen.lint.engine import LintOptions, run_lint
from slicegen.model.discovery import Tree, walk

from .test_fast_path import SETTLED_NS, run, settle
from .trees import clean, py_slice, write

EVENT = "src/shop/accounts/domain/create_account/event_v1.py"
HELPER = "src/shop/accounts/read_models/helpers.py"
POLICY = (
    "src/shop/profiles/domain/establish_profile/when_account_activated_then_establish_profile_v1.py"
)
CROSSING = "from shop.profiles.domain.establish_profile import event_v1\n"


def _tree(root: Path) -> Path:
    files = clean("python")
    files.update(py_slice("accounts", "create_account", "account_created"))  # a finding
    files[HELPER] = "def total() -> int:\n    return 1\n"
    files["docs/notes.md"] = "notes\n"  # a kept file that is no source file
    files["src/.gitignore"] = "ignored_*.py\n"
    files["src/ignored_one.py"] = "X = 1\n"
    files["src/shop/accounts/infrastructure/peek.py"] = CROSSING  # SG501, kept by every edit
    write(root, files)
    (root / "src/shop/link.py").symlink_to("../ignored_one.py")
    settle(root)
    return root


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tree(tmp_path_factory.mktemp("pristine") / "ws")


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


def _replay(root: Path, monkeypatch: pytest.MonkeyPatch) -> int | None:
    """A replay in this process: its exit code, None when it did not answer."""
    monkeypatch.chdir(root)
    fast._HANDED.clear()
    return fast.replay(["lint", ".", "--format", "json"], io.StringIO())


def _handed(root: Path, monkeypatch: pytest.MonkeyPatch) -> Tree | None:
    """The walk a replay in this process hands on after the edits."""
    _replay(root, monkeypatch)
    handed = fast.walked(str(root), [], True)
    return handed.tree if handed is not None else None


def _same_walk(handed: Tree, root: Path) -> None:
    fresh = walk(root, [], True)
    assert replace(handed, started_ns=0) == replace(fresh, started_ns=0)
    assert list(handed.stats) == list(fresh.stats)  # the walk's order, too
    assert list(handed.dir_stats) == list(fresh.dir_stats)


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return edit


def _dated(rel: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        old = SETTLED_NS + 5 * 10**9
        os.utime(root / rel, ns=(old, old))

    return edit


#: edits, and what a replay makes of them: "seen" (a rule sees it: the walk is handed on),
#: "unseen" (the replay answers it), "full" (a folder or .gitignore changed: nothing handed on)
_EDITS: list[tuple[Callable[[Path], None], str]] = [
    (_append(EVENT, "    extra: int = 0\n"), "seen"),  # a field: every rule sees it
    (_append(EVENT, "# a comment\n"), "unseen"),  # its record keeps all the rules read of it
    (_append(POLICY, '# "map name from AccountActivatedFactV1: x"\n'), "seen"),  # SG406 reads it
    (_dated(EVENT), "unseen"),  # stats changed, bytes not
    (_append(HELPER, "# a comment\n"), "unseen"),
    (_append("src/.gitignore", "more_*.py\n"), "full"),  # the walk may keep other paths
    (lambda root: (root / "docs/more.md").write_text("x\n"), "full"),  # a folder changed
    (lambda root: (root / HELPER).unlink(), "full"),  # a file gone
]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(st.sampled_from(range(len(_EDITS))), min_size=1, max_size=3, unique=True))
def test_the_handed_walk_is_the_walk(
    pristine: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch, edits: list[int]
) -> None:
    root = scratch / "ws"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(pristine, root, symlinks=True)
    settle(root)
    assert not run(root, ".", "--format", "json")[2]
    assert run(root, ".", "--format", "json")[2]  # remembered
    kinds = {_EDITS[at][1] for at in edits}
    for at in edits:
        _EDITS[at][0](root)
    handed = _handed(root, monkeypatch)
    if kinds == {"unseen"}:
        assert handed is None
        assert fast.replay(["lint", ".", "--format", "json"], io.StringIO()) is not None
    elif "full" in kinds:
        assert handed is None
    else:
        assert handed is not None
        _same_walk(handed, root)


def test_a_walk_is_handed_on_once_and_for_its_own_root_and_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "ws")
    run(root, ".", "--format", "json")
    _append(EVENT, "    extra: int = 0\n")(root)
    assert _handed(root, monkeypatch) is not None
    assert fast.walked(str(root), [], True) is None  # taken once
    for other in ((str(tmp_path), [], True), (str(root), ["docs"], True), (str(root), [], False)):
        _replay(root, monkeypatch)
        assert fast._HANDED  # handed on, but not to another root or other settings
        assert fast.walked(*other) is None


def test_a_full_run_after_a_seen_edit_prints_what_a_full_run_prints(tmp_path: Path) -> None:
    root = _tree(tmp_path / "ws")
    run(root, ".", "--format", "json")
    _append(EVENT, "    extra: int = 0\n")(root)
    code, out, replayed = run(root, ".", "--format", "json")
    assert not replayed
    assert (code, out) == run(root, ".", "--format", "json", "--no-cache")[:2]
    assert run(root, ".", "--format", "json")[2]  # and the next run replays


def test_the_violations_handed_on_are_what_a_full_check_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "ws")
    run(root, ".", "--format", "json")
    _append(EVENT, "    extra: int = 0\n")(root)  # its boundary record stays as it was
    _replay(root, monkeypatch)
    handed = fast.walked(str(root), [], True)
    assert handed is not None and handed.violations
    full = run_lint(root, LintOptions(use_cache=False)).state
    assert full is not None and full.boundaries is not None
    assert any(v.code == "SG501" for v in full.boundaries)
    assert pickle.loads(handed.violations) == full.boundaries
    for n in range(2):  # again after runs that took the findings (the boundary cache as it was)
        assert not run(root, ".", "--format", "json")[2]
        _append(EVENT, f"    again_{n}: int = 0\n")(root)  # seen (a comment would replay)
        _replay(root, monkeypatch)
        handed = fast.walked(str(root), [], True)
        assert handed is not None and handed.violations
        assert pickle.loads(handed.violations) == full.boundaries
        assert EVENT in handed.stamps
    init = "src/shop/accounts/__init__.py"  # its API can decide what is a domain
    _append(init, "# seen\n")(root)
    _replay(root, monkeypatch)
    handed = fast.walked(str(root), [], True)
    assert handed is not None and handed.violations is None
    _append(EVENT, CROSSING)(root)  # its boundary record changed: the normal run checks
    _replay(root, monkeypatch)
    handed = fast.walked(str(root), [], True)
    assert handed is not None and handed.violations is None
