"""``slicegen storm --check`` also checks ``events.lock.toml``: exit 1, with the fix, for each
change ``slicegen storm`` would make to it; a breaking change is lint's (SG205), not storm's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from slicegen.contracts.lock import LOCK_FILE, parse, render

from .test_lint_contracts import CHANGES, edit, ok, slicegen


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    made = {}
    for stack, name in {"python": "shop", "elixir": "reckon"}.items():
        root = tmp_path_factory.mktemp(stack) / "ws"
        d = str(root)
        ok("init", d, "--stack", stack, "--app", name)
        for domain in ("accounts", "billing"):
            ok("new-domain", domain, "-C", d)
        ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-f", "limit:int?", "-C", d)
        ok("add-slice", "billing", "issue_invoice", "-f", "amount:int", "-C", d)
        made[stack] = root
    return made


@pytest.fixture(params=["python", "elixir"])
def ws(request: pytest.FixtureRequest, sources: dict[str, Path], tmp_path: Path) -> Path:
    root = tmp_path / request.param
    shutil.copytree(sources[request.param], root)
    return root


def check(ws: Path, *args: str) -> tuple[int, list[str]]:
    code, out = slicegen("storm", "--check", *args, "-C", str(ws))
    return code, [line for line in out.splitlines() if line.startswith(LOCK_FILE)]


def test_a_current_lock_passes(ws: Path) -> None:
    code, out = slicegen("storm", "--check", "-C", str(ws))
    assert (code, out.strip()) == (0, "every storming document and the event lock are up to date")


def test_a_compatible_change_not_locked_yet(ws: Path) -> None:
    edit(ws, *CHANGES["optional field"][ws.name])
    code, lines = check(ws)
    assert code == 1
    assert lines == [
        f"{LOCK_FILE}: 'account_opened:v1' changed compatibly; run 'slicegen storm' to update it"
    ]
    assert check(ws, "billing") == (0, [])  # another domain's entries are not its business
    ok("storm", "-C", str(ws))
    assert check(ws) == (0, [])


def test_an_event_type_not_locked_and_an_entry_of_no_code(ws: Path) -> None:
    locked = parse((ws / LOCK_FILE).read_text())
    entry = locked["billing"].pop("invoice_issued:v1")
    locked["accounts"]["account_closed:v1"] = entry._replace(
        path=entry.path.replace("billing", "accounts").replace("issue_invoice", "close_account")
    )
    (ws / LOCK_FILE).write_text(render(locked))
    code, lines = check(ws)
    assert code == 1
    assert lines == [
        f"{LOCK_FILE}: 'account_closed:v1' is locked but no longer in the code; "
        "run 'slicegen storm' to update it",
        f"{LOCK_FILE}: 'invoice_issued:v1' is not locked; run 'slicegen storm' to update it",
    ]
    assert check(ws, "billing")[1] == [
        f"{LOCK_FILE}: 'invoice_issued:v1' is not locked; run 'slicegen storm billing' to update it"
    ]
    ok("storm", "-C", str(ws))
    assert check(ws) == (0, [])


def test_a_missing_lock(ws: Path) -> None:
    (ws / LOCK_FILE).unlink()
    assert check(ws) == (
        1,
        [f"{LOCK_FILE}: missing (2 event type(s) to lock); run 'slicegen storm' to write it"],
    )
    ok("storm", "-C", str(ws))
    assert check(ws) == (0, [])


def test_a_breaking_change_is_left_to_lint(ws: Path) -> None:
    """storm never gives up a locked shape, so the lock is as current as storm can make it."""
    edit(ws, *CHANGES["retyped"][ws.name])
    assert check(ws) == (0, [])
    code, out = slicegen("lint", str(ws))
    assert code == 1 and "SG205" in out


def test_a_damaged_lock_is_a_usage_error(ws: Path) -> None:
    (ws / LOCK_FILE).write_text("[events\n")
    code, out = slicegen("storm", "--check", "-C", str(ws))
    assert code == 2 and f"{LOCK_FILE} cannot be read" in out


def test_a_retired_event_stays_locked_while_its_module_does(ws: Path) -> None:
    """``remove-slice`` retires the event (still stored): its locked shape stays, and storm
    keeps it; once the retired module is deleted for good, storm drops the entry."""
    ok("remove-slice", "billing", "issue_invoice", "-C", str(ws))
    entry = parse((ws / LOCK_FILE).read_text())["billing"]["invoice_issued:v1"]
    assert "/retired/" in entry.path and (ws / entry.path).is_file()
    code, out = slicegen("storm", "--check", "-C", str(ws))
    assert code == 0, out
    ok("storm", "-C", str(ws))
    assert "invoice_issued:v1" in parse((ws / LOCK_FILE).read_text())["billing"]
    (ws / entry.path).unlink()
    assert check(ws) == (
        1,
        [
            f"{LOCK_FILE}: 'invoice_issued:v1' is locked but no longer in the code; "
            "run 'slicegen storm' to update it"
        ],
    )
    ok("storm", "-C", str(ws))
    assert "invoice_issued:v1" not in parse((ws / LOCK_FILE).read_text()).get("billing", {})


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_a_lock_that_is_no_regular_file_is_reported_not_read(
    ws: Path, tmp_path: Path, kind: str
) -> None:
    """A stranger's tree may plant a link (to a lock elsewhere) or a FIFO: lint reads neither
    (no contract checked, no hang) and says so (SG205, with the fix); ``storm --check`` says
    what it is, not that it is missing."""
    lock = ws / LOCK_FILE
    elsewhere = tmp_path / "elsewhere.toml"
    shutil.copyfile(lock, elsewhere)
    lock.unlink()
    if kind == "symlink":
        lock.symlink_to(elsewhere)
        reason = "is a symlink"
    else:
        os.mkfifo(lock)
        reason = "is a FIFO"
    code, out = slicegen("lint", str(ws), "--select", "SG205", "--format", "text")
    assert code == 1
    assert f"{LOCK_FILE}:1:1: SG205 {LOCK_FILE} {reason}" in out
    assert "no event contract is checked; make it a regular file" in out
    code, lines = check(ws)
    assert code == 1
    assert len(lines) == 1 and reason in lines[0] and "missing" not in lines[0]
