"""A fresh ``slicegen lint`` after a few edited files (:mod:`slicegen.lint.persist`): it prints
the stored output only when no rule can see the edits, and whatever path answers, the output
and exit code are a full ``--no-cache`` run's, in every format."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slicegen import signed_pickle
from slicegen.lint import fast, persist
from slicegen.lint.cache import LintCache

from .test_fast_path import SETTLED_NS, run, settle
from .trees import clean, py_slice, write

HELPER = "src/shop/accounts/read_models/helpers.py"
POLICY = (
    "src/shop/profiles/domain/establish_profile/when_account_activated_then_establish_profile_v1.py"
)
STORE = "src/shop/accounts/infrastructure/store.py"
_HELPER_TEXT = (
    "def total(values: list[int]) -> int:\n"
    "    return sum(values)\n"
    "\n"
    "\n"
    "def label() -> str:\n"
    '    return "total"\n'
)
#: its own database variable: the boundary check keeps the line it is used on
_STORE_TEXT = (
    'import os\n\n\ndef url() -> str:\n    return os.environ["SHOP_ACCOUNTS_DATABASE_URL"]\n'
)


def _tree(root: Path) -> Path:
    files = clean("python")
    files.update(py_slice("accounts", "create_account", "account_created"))  # a finding
    files[HELPER] = _HELPER_TEXT
    files[STORE] = _STORE_TEXT
    write(root, files)
    settle(root)
    return root


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return _tree(tmp_path / "ws")


def _remembered(root: Path, *args: str) -> tuple[int, str]:
    """A full run (remembered with what answers later edits), then a replay of it."""
    code, out, replayed = run(root, ".", *args)
    assert not replayed
    assert run(root, ".", *args) == (code, out, True)
    return code, out


def _full(root: Path, *args: str) -> tuple[int, str]:
    code, out, _ = run(root, ".", *args, "--no-cache")
    return code, out


def _just_now(path: Path) -> None:
    """Date ``path`` within the racy window of any run (however slow the machine): ahead of
    the clock, as a file system that stamps in coarse ticks can."""
    ahead = time.time_ns() + 60 * 10**9
    os.utime(path, ns=(ahead, ahead))


def _append(root: Path, rel: str, text: str) -> None:
    with (root / rel).open("a", encoding="utf-8") as handle:
        handle.write(text)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_an_edit_no_rule_sees_replays_what_a_full_run_prints(tree: Path, fmt: str) -> None:
    _remembered(tree, "--format", fmt)
    _append(tree, HELPER, "# a comment\n")
    _append(tree, STORE, "# another\n")
    code, out, replayed = run(tree, ".", "--format", fmt)
    assert replayed  # no engine imported: two files read and parsed, nothing else
    assert (code, out) == _full(tree, "--format", fmt)


@pytest.mark.parametrize(
    ("rel", "text", "code"),
    [
        # a file no rule parses (no trigger word in it): a new definition is unseen too
        (HELPER, "\n\ndef more() -> int:\n    return 2\n", None),
        (HELPER, "# slicegen: ignore[SG101]\n", None),  # a suppression comment
        (HELPER, 'T = "account_initialized:v1"\n', None),  # a type string: parsed, seen
        (STORE, "\n\nA = os.environ['SHOP_PROFILES_DATABASE_URL']\n", "SG506"),
        (STORE, "\nfrom shop.profiles.domain.establish_profile import event_v1\n", "SG501"),
    ],
    ids=["definition", "suppression", "type-string", "database-variable", "import"],
)
def test_an_edit_that_may_be_seen_prints_what_a_full_run_prints(
    tree: Path, rel: str, text: str, code: str | None
) -> None:
    before = _remembered(tree, "--format", "json")
    _append(tree, rel, text)
    found, out, replayed = run(tree, ".", "--format", "json")
    assert (found, out) == _full(tree, "--format", "json")
    if code is not None:  # the boundary check saw it: the output changed, no replay
        assert code in out and (found, out) != before and not replayed


def _prepend_to_store(root: Path) -> None:  # its database variable moves down a line
    path = root / STORE
    path.write_text("\n" + path.read_text())


def _add_file(root: Path) -> None:
    write(root, {"src/shop/accounts/read_models/more.py": "X = 1\n"})


def _remove_file(root: Path) -> None:
    (root / HELPER).unlink()


def _rename_folder(root: Path) -> None:
    (root / "src/shop/accounts/read_models").rename(root / "src/shop/accounts/views")


def _edit_policy(root: Path) -> None:  # SG406 reads a policy's text, marks in comments too
    _append(root, POLICY, '# "map display_name from AccountActivatedFactV1: none"\n')


@pytest.mark.parametrize(
    "change", [_prepend_to_store, _add_file, _remove_file, _rename_folder, _edit_policy]
)
def test_other_changes_run_in_full(tree: Path, change: object) -> None:
    _remembered(tree, "--format", "json")
    assert callable(change)
    change(tree)
    code, out, replayed = run(tree, ".", "--format", "json")
    assert not replayed
    assert (code, out) == _full(tree, "--format", "json")


def _stored(root: Path) -> fast.Record:
    found = fast.load_record(str(root), fast.REPLAY_FILE)
    assert found is not None
    return found


def test_an_edit_in_the_same_clock_tick_is_judged_by_content(tree: Path) -> None:
    """An unseen edit that was just made is judged every time (its stats are not kept): a
    second edit of the same size within the same tick is still seen."""
    _remembered(tree, "--format", "json")
    path = tree / STORE
    original = path.read_text()
    path.write_text(original.replace("def url", "def uri"))  # unseen
    _just_now(path)
    stamp = path.stat().st_mtime_ns
    assert run(tree, ".", "--format", "json")[2]
    index = _stored(tree)[5].index(STORE)
    assert _stored(tree)[8][2 * index] == SETTLED_NS  # not kept: taken too close to the edit
    path.write_text(original.replace("ACCOUNTS", "PROFILES"))  # the same size: SG506
    os.utime(path, ns=(stamp, stamp))  # and the same mtime, as within one clock tick
    code, out, replayed = run(tree, ".", "--format", "json")
    assert not replayed and "SG506" in out
    assert (code, out) == _full(tree, "--format", "json")


def test_an_older_unseen_edit_keeps_its_new_stats(tree: Path) -> None:
    _remembered(tree, "--format", "json")
    _append(tree, STORE, "# a comment\n")
    old = SETTLED_NS + 10**9
    os.utime(tree / STORE, ns=(old, old))  # an edit made a while ago
    assert run(tree, ".", "--format", "json")[2]
    stored = _stored(tree)
    index = stored[5].index(STORE)
    assert stored[8][2 * index : 2 * index + 2] == [old, (tree / STORE).stat().st_size]
    assert run(tree, ".", "--format", "json")[2]  # now by the stats alone
    path = tree / STORE
    path.write_text(path.read_text().replace("ACCOUNTS", "PROFILES"))  # then a seen one
    code, out, replayed = run(tree, ".", "--format", "json")
    assert not replayed and "SG506" in out
    assert (code, out) == _full(tree, "--format", "json")


def test_a_file_edited_just_before_the_full_run_is_judged_by_content_later(tree: Path) -> None:
    """A run right after an edit keeps that file's stats as never equal (racy): the next
    runs read it again, and replay while it is unchanged or changed unseen."""
    _append(tree, HELPER, "# just now\n")
    _just_now(tree / HELPER)
    code, out, replayed = run(tree, ".", "--format", "json")
    assert not replayed
    stored = _stored(tree)
    index = stored[5].index(HELPER)
    assert stored[8][2 * index : 2 * index + 2] == [fast.RACY, fast.RACY]
    assert run(tree, ".", "--format", "json") == (code, out, True)
    _append(tree, HELPER, "# and again\n")
    _just_now(tree / HELPER)
    assert run(tree, ".", "--format", "json") == (code, out, True)


def test_a_run_answered_from_the_last_findings_keeps_what_answers_edits(tree: Path) -> None:
    """A text run after a JSON one is answered from the last run's findings (no model to judge
    edits from): it keeps the JSON run's side, made for the same files with the same stats."""
    _remembered(tree, "--format", "json")
    code, out, replayed = run(tree, ".", "--format", "text")
    assert not replayed
    _append(tree, HELPER, "# a comment\n")
    assert run(tree, ".", "--format", "text") == (code, out, True)
    assert (code, out) == _full(tree, "--format", "text")


def test_a_file_with_the_bytes_the_run_judged_is_no_edit(tree: Path) -> None:
    """An event file touched (or saved back as it was) is no edit, though rules read its text;
    so is one edited just before the full run that judged it (remembered as racy)."""
    _remembered(tree, "--format", "json")
    event = tree / "src/shop/accounts/domain/initialize_account/event_v1.py"
    event.touch()
    code, out, replayed = run(tree, ".", "--format", "json")
    assert replayed and (code, out) == _full(tree, "--format", "json")
    _append(tree, str(event.relative_to(tree)), "# slicegen: ignore[SG101]\n")  # seen
    _just_now(event)
    code, out, replayed = run(tree, ".", "--format", "json")  # a full run: the event is racy
    assert not replayed
    index = _stored(tree)[5].index(str(event.relative_to(tree)))
    assert _stored(tree)[8][2 * index] == fast.RACY
    _append(tree, HELPER, "# a comment\n")
    assert run(tree, ".", "--format", "json") == (code, out, True)
    assert (code, out) == _full(tree, "--format", "json")


@pytest.mark.parametrize("which", ["cache-shard", "boundary-cache"])
def test_a_changed_or_foreign_cache_file_runs_in_full(tree: Path, which: str) -> None:
    _remembered(tree, "--format", "json")
    cache = tree / ".slicegen_cache"
    pattern = "files-*.marshal" if which == "cache-shard" else "boundaries-files-*.json"
    assert list(cache.glob(pattern))
    for path in cache.glob(pattern):
        path.write_bytes(b"\0" * 32 + path.read_bytes()[32:])  # foreign: another signature
    _append(tree, HELPER, "# a comment\n")
    code, out, replayed = run(tree, ".", "--format", "json")
    assert not replayed
    assert (code, out) == _full(tree, "--format", "json")


def test_the_side_is_stored_with_the_output(tree: Path) -> None:
    _remembered(tree, "--format", "json")
    stored = _stored(tree)
    side = stored[12]
    assert side is not None
    _, (kinds, unjudged, roots), signatures, sg5 = side
    files, cache = stored[5], LintCache(tree)

    def unseen(rel: str) -> bool:
        at = files.index(rel)
        assert at not in unjudged  # its entry holds the record the run judged
        entry = cache.get(rel)
        assert entry is not None
        return persist.can_go_unseen(rel, entry.info, kinds[at], frozenset(roots))

    assert unseen(HELPER)
    event = "src/shop/accounts/domain/initialize_account/event_v1.py"
    assert kinds[files.index(event)] == persist.KIND_BITS["event"]
    assert unseen(event)  # its record keeps its shapes
    assert not unseen(POLICY)  # a policy: SG406 reads its text
    assert not unseen("src/shop/accounts/app.py")  # a domain's top-level file
    assert not unseen("src/shop/shared/facts/bus.py")  # outside every domain
    assert sg5 is not None and all(signatures)
    payload = signed_pickle.load_signed(tree / ".slicegen_cache" / fast.REPLAY_FILE)
    assert payload is not None and marshal.loads(payload)[12] == side


# --- edits the rules see: the normal run takes the replay's walk (and SG5xx findings) ---------

ACCOUNTS_EVENT = "src/shop/accounts/domain/create_account/event_v1.py"
PROFILES_EVENT = "src/shop/profiles/domain/establish_profile/event_v1.py"
INITIALIZED = "src/shop/accounts/domain/initialize_account/event_v1.py"
CROSSING = "from shop.profiles.domain.establish_profile import event_v1\n"


def _locked(root: Path) -> Path:
    """The tree with a field in an event, a cross-domain import (SG501) that stays, another
    in an event, and the event lock ``slicegen storm`` writes."""
    write(
        root,
        {
            ACCOUNTS_EVENT: 'class AccountCreatedV1:\n    event_type = "account_created:v1"\n'
            "    reference: str\n",
            PROFILES_EVENT: CROSSING.replace("profiles", "accounts").replace(
                "establish_profile", "activate_account"
            )
            + '\n\nclass ProfileEstablishedV1:\n    event_type = "profile_established:v1"\n',
            "src/shop/accounts/infrastructure/peek.py": CROSSING,
        },
    )
    done = subprocess.run(
        [sys.executable, "-m", "slicegen", "storm"], cwd=root, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    settle(root)
    return root


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))

    return edit


def _appended(rel: str, text: str) -> Callable[[Path], None]:
    return lambda root: _append(root, rel, text)


def _both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        for one in edits:
            one(root)

    return edit


COMMAND = "src/shop/accounts/domain/create_account/command_v1.py"
HANDLER = "src/shop/accounts/domain/create_account/maybe_create_account_v1.py"

#: edits of artifacts that leave their records as they were: no rule sees them
_UNSEEN_EDITS = {
    "event-comment": _appended(ACCOUNTS_EVENT, "# a note\n"),
    "event-docstring-in-body": _replace(
        ACCOUNTS_EVENT, "    reference: str\n", '    reference: str\n    """Theirs."""\n'
    ),
    "command-comment": _appended(COMMAND, "# why\n"),
    "handler-comment": _appended(HANDLER, "# decides nothing yet\n"),
    "handler-docstring-in-body": _replace(
        HANDLER, "    return []\n", '    """Nothing yet."""\n    return []\n'
    ),
}


@pytest.mark.parametrize("name", list(_UNSEEN_EDITS))
def test_an_artifact_edit_its_record_keeps_replays(tmp_path: Path, name: str) -> None:
    root = _locked(_tree(tmp_path / "ws"))
    _remembered(root, "--format", "json")
    _UNSEEN_EDITS[name](root)
    code, out, replayed = run(root, ".", "--format", "json")
    assert replayed
    assert (code, out) == _full(root, "--format", "json")
    assert run(root, ".", "--format", "json") == (code, out, True)  # and the next run replays


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_an_event_edited_then_its_field_added_prints_a_full_runs_output(
    tmp_path: Path, fmt: str
) -> None:
    """A comment in an event replays; a field added then runs (the rules see it), and the
    run after that replays: each prints what a full ``--no-cache`` run prints."""
    root = _locked(_tree(tmp_path / "ws"))
    _remembered(root, "--format", fmt)
    _UNSEEN_EDITS["event-comment"](root)
    code, out, replayed = run(root, ".", "--format", fmt)
    assert replayed and (code, out) == _full(root, "--format", fmt)
    _replace(ACCOUNTS_EVENT, "    reference: str\n", "    reference: str\n    extra: int\n")(root)
    code, out, replayed = run(root, ".", "--format", fmt)
    assert not replayed and (code, out) == _full(root, "--format", fmt)
    assert "SG205" in out
    assert run(root, ".", "--format", fmt) == (code, out, True)  # the next run replays


_SEEN_EDITS = {
    "field-added": _appended(ACCOUNTS_EVENT, "    extra: int\n"),  # SG205: a new required field
    "optional-field": _appended(ACCOUNTS_EVENT, "    note: str | None = None\n"),
    "field-renamed": _replace(ACCOUNTS_EVENT, "reference:", "ref:"),
    "field-removed": _replace(ACCOUNTS_EVENT, "    reference: str\n", ""),
    "field-retyped": _replace(ACCOUNTS_EVENT, "reference: str", "reference: int"),
    "crud-event": _replace(INITIALIZED, "AccountInitializedV1", "AccountUpdatedV1"),
    "suppression": _appended(ACCOUNTS_EVENT, "# slicegen: ignore[SG101]\n"),
    "class-renamed": _replace(ACCOUNTS_EVENT, "AccountCreatedV1", "AccountOpenedV1"),
    "command-docstring": _replace(COMMAND, "    pass\n", '    """Open an account."""\n'),
    "command-field": _replace(COMMAND, "    pass\n", "    owner: str\n"),
    "policy-mark": _edit_policy,
    "import-made": _appended(ACCOUNTS_EVENT, CROSSING),  # SG501 in an event
    "import-fixed": _replace(PROFILES_EVENT, "from shop.accounts", "# from shop.accounts"),
    "package-init": _appended("src/shop/accounts/__init__.py", "from . import app\n"),
    "two-domains": _both(
        _appended(ACCOUNTS_EVENT, "    extra: int\n"), _appended(PROFILES_EVENT, "# seen\n")
    ),
    "new-slice-file": lambda root: write(
        root, {"src/shop/accounts/domain/create_account/notes_v1.py": "X = 1\n"}
    ),
    "file-deleted": lambda root: (
        root / "src/shop/accounts/domain/initialize_account/initialized_to_summary_v1.py"
    ).unlink(),
}


@pytest.mark.parametrize("name", list(_SEEN_EDITS))
def test_an_edit_the_rules_see_prints_what_a_full_run_prints(tmp_path: Path, name: str) -> None:
    root = _locked(_tree(tmp_path / "ws"))
    before = _remembered(root, "--format", "json")
    assert "SG501" in before[1]  # the import that stays: its finding is handed on
    _SEEN_EDITS[name](root)
    code, out, replayed = run(root, ".", "--format", "json")
    assert not replayed
    assert (code, out) == _full(root, "--format", "json")
    if name not in ("new-slice-file", "file-deleted"):  # a folder changed just now: racy
        assert run(root, ".", "--format", "json") == (code, out, True)  # the next run replays
    if name == "field-added":
        assert "SG205" in out and (code, out) != before


# --- random edits ---------------------------------------------------------------------------

_BODIES = [
    "# a comment\n",
    "\n\ndef extra() -> int:\n    return 3\n",
    "\nA = os.environ['SHOP_PROFILES_DATABASE_URL']\n",
    "\nfrom shop.profiles.domain.establish_profile import event_v1\n",
    "\n# slicegen: ignore[SG101]\n",
    'T = "account_initialized:v1"\n',
    "    extra: int\n",  # a new required field in an event (SG205 against the lock)
    '    """A docstring."""\n',  # a command's (its record keeps it) or in a body
    '# "map display_name from AccountActivatedFactV1: none"\n',  # a policy's mark (SG406)
]
_TARGETS = [
    HELPER,
    STORE,
    "src/shop/accounts/domain/initialize_account/event_v1.py",
    "src/shop/profiles/app.py",
    COMMAND,
    HANDLER,
    POLICY,
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _locked(_tree(tmp_path_factory.mktemp("pristine") / "ws"))


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(_TARGETS),
            st.sampled_from(_BODIES),
            st.booleans(),  # prepend (every definition moves) or append
            st.booleans(),  # dated back (its stats kept) or just made
        ),
        min_size=1,
        max_size=3,
    ),
    fmt=st.sampled_from(["text", "json", "sarif"]),
)
def test_random_edits_print_what_a_full_run_prints(
    pristine: Path, scratch: Path, steps: list[tuple[str, str, bool, bool]], fmt: str
) -> None:
    root = scratch / "ws"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(pristine, root, symlinks=True)
    settle(root)
    _remembered(root, "--format", fmt)
    for n, (rel, body, prepend, dated) in enumerate(steps):
        path = root / rel
        text = path.read_text()
        path.write_text(body + text if prepend else text + body)
        if dated:
            old = SETTLED_NS + (n + 1) * 10**9
            os.utime(path, ns=(old, old))
        code, out, _ = run(root, ".", "--format", fmt)
        assert (code, out) == _full(root, "--format", fmt), (rel, body, prepend)
