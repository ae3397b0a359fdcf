"""``rename-event`` and ``rename-command`` (python): libcst renames across the domain, with the
user's code kept, and the events stored under the old name still loading."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from slicegen import manifest
from slicegen.stacks.python.rename import rename_source
from slicegen.stacks.word_rules import Rule
from tests.conftest import RunCli
from tests.scaffold.test_remove_slice import files

PKG = "src/shop/accounts"


@pytest.fixture
def ws(cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--app", "shop", cwd=tmp_path).exit_code == 0
    steps = (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "open_account", "-f", "owner:str"),
        ("add-slice", "accounts", "close_account", "-p", "account_list"),
    )
    for step in steps:
        made = cli(*step, cwd=root)
        assert made.exit_code == 0, made.stderr
    return root


STORE = """
import sys
from uuid import UUID

from shop import accounts

accounts.start(sys.argv[1])
if sys.argv[2] == "write":
    accounts.open_account(UUID(int=7), owner="ann")
state = accounts.state(UUID(int=7))
print(state.exists, getattr(state, sys.argv[3]))
accounts.stop()
"""


def run_store(ws: Path, tmp_path: Path, *args: str) -> str:
    script = tmp_path / "store.py"
    script.write_text(textwrap.dedent(STORE))
    url = f"sqlite:///{tmp_path / 'events.sqlite3'}"
    done = subprocess.run(
        [sys.executable, str(script), url, *args],
        cwd=ws,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ws / "src"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_events_stored_before_a_rename_load_after_it(cli: RunCli, ws: Path, tmp_path: Path) -> None:
    assert run_store(ws, tmp_path, "write", "account_opened") == "True True"
    renamed = cli("rename-event", "accounts", "account_opened", "account_registered", cwd=ws)
    assert renamed.exit_code == 0, renamed.stderr
    event = (ws / PKG / "domain/open_account/event_v1.py").read_text()
    assert 'event_type: ClassVar[str] = "account_registered:v1"' in event
    assert "class AccountRegisteredV1(Event)" in event
    assert (ws / PKG / "domain/open_account/registered_to_state_v1.py").is_file()
    assert not (ws / PKG / "domain/open_account/opened_to_state_v1.py").exists()
    retired = (ws / PKG / "retired/account_opened_v1.py").read_text()
    assert '"account_opened:v1"' in retired
    router = (ws / PKG / "router.py").read_text()
    assert "ROUTES.upcast(AccountOpenedV1, AccountRegisteredV1, as_account_registered_v1)" in router
    # a fresh process reads the stored account_opened:v1 event as AccountRegisteredV1
    assert run_store(ws, tmp_path, "read", "account_registered") == "True True"
    assert cli("lint", cwd=ws).exit_code == 0


def test_the_renamed_project_passes_its_own_tests_and_linters(cli: RunCli, ws: Path) -> None:
    handler = ws / PKG / "domain/open_account/maybe_open_account_v1.py"
    handler.write_text(handler.read_text() + "\n\n# my rule: owners are never blank\n")
    steps = (
        ("add-fact", "accounts", "account_opened"),  # its topic is a contract: never renamed
        ("rename-event", "accounts", "account_opened", "account_registered"),
        ("rename-command", "accounts", "open_account", "register_account"),
    )
    for step in steps:
        done = cli(*step, cwd=ws)
        assert done.exit_code == 0, done.stderr
    slice_dir = ws / PKG / "domain/register_account"
    assert not (ws / PKG / "domain/open_account").exists()
    kept = (slice_dir / "maybe_register_account_v1.py").read_text()
    assert kept.endswith("# my rule: owners are never blank\n")
    api = (ws / PKG / "__init__.py").read_text()
    assert "def register_account(" in api and "open_account" not in api
    assert (ws / "tests/accounts/register_account/test_event_v1.py").is_file()
    entries = json.loads((ws / manifest.PATH).read_text())["files"]
    assert f"{PKG}/domain/register_account/command_v1.py" in entries  # moved, still generated
    assert f"{PKG}/domain/register_account/maybe_register_account_v1.py" not in entries  # yours
    assert "close_account" in api  # the other slice is untouched
    assert cli("lint", cwd=ws).exit_code == 0
    env = {"PYTHONPATH": str(ws / "src"), "PATH": "/usr/bin:/bin"}
    for tool in (["ruff", "check", "src", "tests"], ["ruff", "format", "--check", "src", "tests"]):
        done = subprocess.run(
            [sys.executable, "-m", *tool], cwd=ws, capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=ws,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout[-2000:]


def test_dry_run_shows_the_diff_and_writes_nothing(cli: RunCli, ws: Path) -> None:
    before = files(ws)
    dry = cli("--dry-run", "rename-command", "accounts", "close_account", "shut_account", cwd=ws)
    assert dry.exit_code == 0, dry.stderr
    assert "+class ShutAccountV1(Command):" in dry.stdout
    assert files(ws) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rename-event", "accounts", "account_opened", "account_created"), "CRUD event"),
        (("rename-command", "accounts", "open_account", "create_account"), "CRUD verb"),
        (("rename-command", "accounts", "open_account", "open_account_v2"), "SG202"),
        (("rename-event", "accounts", "account_reopened", "account_revived"), "no event"),
        (("rename-event", "accounts", "account_opened", "account_closed"), "already"),
        (("rename-command", "accounts", "open_account", "close_account"), "already"),
        (("rename-command", "accounts", "open_account", "open_account"), "same command"),
    ],
)
def test_bad_names_are_refused_and_nothing_written(
    cli: RunCli, ws: Path, args: tuple[str, ...], message: str
) -> None:
    before = files(ws)
    refused = cli(*args, cwd=ws)
    assert refused.exit_code == 2
    assert message in refused.stderr
    assert files(ws) == before


def test_rename_keeps_comments_and_leaves_foreign_imports_alone() -> None:
    source = textwrap.dedent(
        """\
        from shop.accounts.domain.open_account.event_v1 import AccountOpenedV1
        from shop.shared.facts.account_opened import account_opened

        # AccountOpenedV1 is the first event  (a comment: kept as written)
        x = AccountOpenedV1  # trailing comment
        y = account_opened
        z = f"{x} account_opened:v1"
        """
    )
    rules = [
        Rule.word("AccountOpened", "AccountRegistered", r"V\d+"),
        Rule.word("account_opened", "account_registered"),
    ]
    out = rename_source(source, rules, ("shop.accounts.",), "shop")
    assert "from shop.accounts.domain.open_account.event_v1 import AccountRegisteredV1\n" in out
    assert "from shop.shared.facts.account_opened import account_opened\n" in out
    assert "# AccountOpenedV1 is the first event  (a comment: kept as written)\n" in out
    assert "x = AccountRegisteredV1  # trailing comment\n" in out
    assert "y = account_opened\n" in out
    assert 'z = f"{x} account_registered:v1"' in out


EX_APP = "apps/shop_accounts"
EX_LIB = f"{EX_APP}/lib/shop_accounts"
#: The renames both elixir tests make: the event, then its slice's command.
EX_RENAMES = (
    ("rename-event", "accounts", "account_opened", "account_registered"),
    ("rename-command", "accounts", "open_account", "register_account"),
)


def _elixir_workspace(cli: RunCli, tmp_path: Path, *steps: tuple[str, ...]) -> Path:
    """An elixir workspace (app ``shop``) made by ``init`` and then ``steps``."""
    root = tmp_path / "ex"
    assert cli("init", str(root), "--stack", "elixir", "--app", "shop", cwd=tmp_path).exit_code == 0
    _run(cli, root, steps)
    return root


def _run(cli: RunCli, root: Path, steps: tuple[tuple[str, ...], ...]) -> None:
    for step in steps:
        done = cli(*step, cwd=root)
        assert done.exit_code == 0, done.stderr


def test_elixir_rename_parses_lints_clean_and_maps_the_old_type(
    cli: RunCli, tmp_path: Path
) -> None:
    from slicegen.stacks.elixir.source_edits import parse

    root = _elixir_workspace(
        cli, tmp_path, ("new-domain", "accounts"), ("add-slice", "accounts", "open_account")
    )
    aggregate = root / EX_LIB / "shared/account.ex"
    aggregate.write_text(
        aggregate.read_text().replace("  def apply(", "  # my note\n  def apply(", 1)
    )
    _run(cli, root, EX_RENAMES)
    sources = {p: p.read_text() for p in (root / EX_APP).rglob("*.ex*")}
    for path, text in sources.items():
        parse(str(path), text)  # raises on a syntax error
    live = {p: t for p, t in sources.items() if "/retired/" not in str(p)}
    leftovers = [p for p, t in live.items() if "OpenAccount" in t or "open_account" in t]
    assert leftovers == []
    assert "# my note\n" in aggregate.read_text()
    slice_dir = root / EX_LIB / "domain/register_account"
    assert "MaybeRegisterAccountV1" in (slice_dir / "maybe_register_account_v1.ex").read_text()
    assert '"account_registered:v1"' in (slice_dir / "event_v1.ex").read_text()
    mapper = (root / EX_LIB / "event_type_mapper.ex").read_text()
    assert '"account_registered:v1" => ShopAccounts.Domain.RegisterAccount.EventV1' in mapper
    assert '"account_opened:v1" => ShopAccounts.Retired.AccountOpenedV1' in mapper
    retired = (root / EX_LIB / "retired/account_opened_v1.ex").read_text()
    assert 'def event_type, do: "account_opened:v1"' in retired
    assert "defimpl Commanded.Event.Upcaster, for: ShopAccounts.Retired.AccountOpenedV1" in retired
    assert "struct(ShopAccounts.Domain.RegisterAccount.EventV1, Map.from_struct(event))" in retired
    assert cli("lint", cwd=root).exit_code == 0


def _subscription_names(app: Path) -> set[str]:
    """The ``name:`` of every handler, projector and policy of the app: what the event store
    keeps each one's position under."""
    found = set()
    for path in app.rglob("*.ex"):
        found.update(re.findall(r'^\s+name: "([^"]+)"', path.read_text(), re.MULTILINE))
    return found


def test_elixir_renames_keep_the_handlers_subscription_names(cli: RunCli, tmp_path: Path) -> None:
    """A handler's ``name:`` is its subscription: a new one would replay every stored event
    into it (each fact published again, each projection row inserted again)."""
    root = _elixir_workspace(
        cli,
        tmp_path,
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "open_account", "-f", "owner:str"),
        ("add-slice", "accounts", "greet_owner"),
        ("add-projection", "accounts", "open_account", "account_list"),
        ("add-policy", "accounts", "greet_owner", "--on", "accounts:account_opened"),
        ("add-fact", "accounts", "account_opened"),
    )
    app = root / EX_APP
    before = _subscription_names(app)
    assert len(before) >= 3 and any("Opened" in name for name in before)
    modules = {p.name for p in app.rglob("*.ex")}
    _run(cli, root, EX_RENAMES)
    assert _subscription_names(app) == before
    assert {p.name for p in app.rglob("*.ex")} != modules  # the modules themselves moved
    assert cli("lint", cwd=root).exit_code == 0
