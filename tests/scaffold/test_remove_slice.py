"""``remove-slice`` (python): the reverse of ``add-slice``, keeping the user's edits and the
events already stored."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from slicegen import manifest
from tests.conftest import RunCli

ROUTER = "src/shop/accounts/router.py"
SLICE = "src/shop/accounts/domain/close_account"
TOMBSTONE = (
    "from shop.accounts.retired import unchanged\n",
    "from shop.accounts.retired.close_account_event_v1 import AccountClosedV1\n",
    "ROUTES.evolve(AccountClosedV1, unchanged)\n",
)


def files(root: Path) -> dict[str, bytes]:
    """Every file but slicegen's records and the documents' sessions (one per command)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(".slicegen/") and "__pycache__" not in rel:
            out[rel] = path.read_bytes().split(b"\n## Sessions\n")[0]
    return out


@pytest.fixture
def ws(cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (("new-domain", "accounts"), ("add-slice", "accounts", "open_account")):
        assert cli(*step, cwd=root).exit_code == 0
    return root


def add_close(cli: RunCli, root: Path) -> None:
    made = cli(
        "add-slice", "accounts", "close_account", "-f", "reason:str", "-p", "account_list", cwd=root
    )
    assert made.exit_code == 0, made.stderr


def test_add_then_remove_gives_back_the_tree_but_the_tombstone(cli: RunCli, ws: Path) -> None:
    before = files(ws)
    add_close(cli, ws)
    removed = cli("remove-slice", "accounts", "close_account", cwd=ws)
    assert removed.exit_code == 0, removed.stderr
    after = files(ws)
    retired = {p for p in after if "/retired/" in p}
    assert retired == {
        "src/shop/accounts/retired/__init__.py",
        "src/shop/accounts/retired/close_account_event_v1.py",
    }
    router = after.pop(ROUTER).decode()
    for line in TOMBSTONE:
        assert line in router
        router = router.replace(line, "")
    assert router.encode() == before.pop(ROUTER)
    # the retired event's stored shape stays locked (SG205), at its new file
    lock = after.pop("events.lock.toml").decode()
    assert (
        '"account_closed:v1"]\npath = "src/shop/accounts/retired/close_account_event_v1.py"' in lock
    )
    assert {p: b for p, b in after.items() if p not in retired} == {
        p: b for p, b in before.items() if p not in (ROUTER, "events.lock.toml")
    }
    assert cli("lint", cwd=ws).exit_code == 0
    entries = json.loads((ws / manifest.PATH).read_text())["files"]
    assert not [p for p in entries if p.startswith(SLICE)]


def test_a_user_edit_is_kept_unless_forced(cli: RunCli, ws: Path) -> None:
    add_close(cli, ws)
    handler = ws / SLICE / "maybe_close_account_v1.py"
    handler.write_text(handler.read_text() + "# my rule\n")
    router = ws / ROUTER
    router.write_text(router.read_text().replace("ROUTES = ", "# my comment\nROUTES = "))
    removed = cli("remove-slice", "accounts", "close_account", cwd=ws)
    assert removed.exit_code == 0, removed.stderr
    assert f"kept {SLICE}/maybe_close_account_v1.py" in removed.stderr
    assert handler.read_text().endswith("# my rule\n")
    assert not (ws / SLICE / "command_v1.py").exists()
    assert "# my comment\nROUTES = " in router.read_text()
    assert "CloseAccountV1" not in router.read_text()
    forced = cli("remove-slice", "accounts", "close_account", "--force", cwd=ws)
    assert forced.exit_code == 2  # nothing left to remove: the slice has no command any more
    assert handler.exists()


def test_dry_run_shows_the_diff_and_writes_nothing(cli: RunCli, ws: Path) -> None:
    add_close(cli, ws)
    before = files(ws)
    dry = cli("--dry-run", "remove-slice", "accounts", "close_account", cwd=ws)
    assert dry.exit_code == 0, dry.stderr
    assert f"remove  {SLICE}/command_v1.py" in dry.stdout
    assert "-ROUTES.handle(CloseAccountV1, maybe_close_account_v1)" in dry.stdout
    assert files(ws) == before


def test_an_unknown_slice_is_refused(cli: RunCli, ws: Path) -> None:
    refused = cli("remove-slice", "accounts", "close_account", cwd=ws)
    assert refused.exit_code == 2
    assert "no slice 'close_account'" in refused.stderr


STORE = """
import sys
from uuid import UUID

from shop import accounts

accounts.start(sys.argv[1])
if sys.argv[2] == "write":
    accounts.open_account(UUID(int=7))
    accounts.close_account(UUID(int=7), reason="moved away")
state = accounts.state(UUID(int=7))
print(state.exists, state.account_opened)
accounts.stop()
"""


def test_stored_events_of_a_removed_slice_still_load(cli: RunCli, ws: Path, tmp_path: Path) -> None:
    add_close(cli, ws)
    script = tmp_path / "store.py"
    script.write_text(textwrap.dedent(STORE))
    url = f"sqlite:///{tmp_path / 'events.sqlite3'}"

    def run(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, str(script), url, mode],
            cwd=ws,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(ws / "src"), "PATH": "/usr/bin:/bin"},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run("write") == "True True"
    assert cli("remove-slice", "accounts", "close_account", cwd=ws).exit_code == 0
    assert run("read") == "True True"


EX_APP = "apps/shop_accounts"
EX_LIB = f"{EX_APP}/lib/shop_accounts"


def test_elixir_add_then_remove_gives_back_the_tree_but_the_tombstone(
    cli: RunCli, tmp_path: Path
) -> None:
    root = tmp_path / "ex"
    assert cli("init", str(root), "--stack", "elixir", "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (("new-domain", "accounts"), ("add-slice", "accounts", "open_account")):
        assert cli(*step, cwd=root).exit_code == 0
    before = files(root)
    assert (
        cli("add-slice", "accounts", "close_account", "-f", "reason:str", cwd=root).exit_code == 0
    )
    handler = root / EX_LIB / "domain/close_account/maybe_close_account_v1.ex"
    handler.write_text(handler.read_text() + "# my rule\n")
    mapper = (root / EX_LIB / "event_type_mapper.ex").read_bytes()
    removed = cli("remove-slice", "accounts", "close_account", cwd=root)
    assert removed.exit_code == 0, removed.stderr
    assert "kept" in removed.stderr and handler.read_text().endswith("# my rule\n")
    handler.unlink()
    handler.parent.rmdir()
    after = files(root)
    tombstone = {
        f"{EX_LIB}/event_type_mapper.ex",  # still maps account_closed:v1
        f"{EX_LIB}/shared/account.ex",  # its apply clause leaves the state unchanged
        f"{EX_LIB}/retired/close_account_event_v1.ex",  # the event module, same name
        "events.lock.toml",  # still locks account_closed:v1's stored shape (SG205)
    }
    assert f"{EX_LIB}/retired/close_account_event_v1.ex" in after["events.lock.toml"].decode()
    assert after[f"{EX_LIB}/event_type_mapper.ex"] == mapper
    aggregate = after[f"{EX_LIB}/shared/account.ex"].decode()
    assert "%ShopAccounts.Domain.CloseAccount.EventV1{} = event" in aggregate
    assert "CloseAccount.CommandV1" not in aggregate and "ClosedToStateV1" not in aggregate
    assert (
        "defmodule ShopAccounts.Domain.CloseAccount.EventV1"
        in after[f"{EX_LIB}/retired/close_account_event_v1.ex"].decode()
    )
    assert {p: b for p, b in after.items() if p not in tombstone} == {
        p: b for p, b in before.items() if p not in tombstone
    }
    assert cli("lint", cwd=root).exit_code == 0


def test_removing_a_slice_whose_event_was_renamed_keeps_both_type_strings_loading(
    cli: RunCli, ws: Path, tmp_path: Path
) -> None:
    add_close(cli, ws)
    script = tmp_path / "store.py"
    script.write_text(textwrap.dedent(STORE))
    url = f"sqlite:///{tmp_path / 'events.sqlite3'}"
    env = {"PYTHONPATH": str(ws / "src"), "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=ws, capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run(str(script), url, "write") == "True True"  # stored as account_closed:v1
    renamed = cli("rename-event", "accounts", "account_closed", "account_shut", cwd=ws)
    assert renamed.exit_code == 0, renamed.stderr
    assert run(str(script), url, "write") == "True True"  # stored as account_shut:v1
    with sqlite3.connect(tmp_path / "events.sqlite3") as db:
        topics = {t for (t,) in db.execute("select topic from accounts_events")}
    assert {"account_closed:v1", "account_shut:v1"} <= topics
    removed = cli("remove-slice", "accounts", "close_account", cwd=ws)
    assert removed.exit_code == 0, removed.stderr
    retired = (ws / "src/shop/accounts/retired/account_closed_v1.py").read_text()
    assert "domain.close_account" not in retired
    assert "from shop.accounts.retired.close_account_event_v1 import AccountShutV1" in retired
    router = (ws / ROUTER).read_text()
    assert "ROUTES.upcast(AccountClosedV1, AccountShutV1, as_account_shut_v1)" in router
    assert "ROUTES.evolve(AccountShutV1, unchanged)" in router
    assert run("-c", "import shop.accounts") == ""
    linted = cli("lint", cwd=ws)
    assert linted.exit_code == 0, linted.stdout
    assert run(str(script), url, "read") == "True True"  # both type strings load
