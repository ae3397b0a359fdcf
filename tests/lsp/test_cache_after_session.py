"""A language-server session leaves the command line's cache to it: the next ``slicegen lint``
is correct, and answered from its replay or its last run, not linted again from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from slicegen.lint.engine import LintOptions, run_lint
from tests.lint.test_fast_path import run, settle

from .test_server import EVENT, Editor, drive, ok


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    ok("init", str(root), "--stack", "python", "--app", "shop")
    ok("new-domain", "accounts", "-C", str(root))
    ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-C", str(root))
    settle(root)
    return root


def test_an_editing_session_leaves_the_cli_its_replay_and_last_run(ws: Path) -> None:
    first = run(ws, ".")
    assert first[0] == 0 and not first[2]
    assert run(ws, ".")[2]  # replayed
    saved = (ws / EVENT).read_text()
    broken = saved.replace("    owner: str", "    owner_name: str")

    async def script(editor: Editor) -> None:
        editor.open(EVENT, saved)
        await editor.until(lambda: editor.uri(EVENT) in editor.diagnostics)
        editor.change(EVENT, broken, 2)  # typed, never saved
        await editor.until(lambda: editor.codes(EVENT) == ["SG205"])

    drive(ws, script)
    assert run_lint(ws, LintOptions()).cached_run  # the last run is still the disk's
    after = run(ws, ".")
    assert after[2] and after[:2] == first[:2]  # replayed, and the same answer


def test_after_a_saved_edit_the_cli_is_correct(ws: Path, tmp_path: Path) -> None:
    saved = (ws / EVENT).read_text()
    broken = saved.replace("    owner: str", "    owner_name: str")

    async def script(editor: Editor) -> None:
        editor.open(EVENT, saved)
        await editor.until(lambda: editor.uri(EVENT) in editor.diagnostics)
        editor.change(EVENT, broken, 2)
        await editor.until(lambda: editor.codes(EVENT) == ["SG205"])
        (ws / EVENT).write_text(broken)  # the editor saves the buffer
        await editor.save(EVENT)

    drive(ws, script)
    fresh = tmp_path / "fresh"
    shutil.copytree(ws, fresh, ignore=shutil.ignore_patterns(".slicegen_cache"))
    expected = run(fresh, ".", "--no-cache")
    got = run(ws, ".")
    assert got[:2] == expected[:2] and got[0] == 1 and "SG205" in got[1]
