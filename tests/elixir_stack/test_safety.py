"""Re-runs, user edits, dry runs and broken files: slicegen never clobbers the user's work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli, tree_hash

ROUTER = "apps/reckon_accounts/lib/reckon_accounts/router.ex"
COMMAND = "apps/reckon_accounts/lib/reckon_accounts/domain/initialize_account/command_v1.ex"

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("new-domain", "accounts"),
    ("new-domain", "profiles"),
    ("add-slice", "accounts", "initialize_account", "-f", "email:str", "-p", "summary"),
    ("add-slice", "accounts", "activate_account", "-f", "activated_at:datetime"),
    ("add-projection", "accounts", "activate_account", "summary"),
    ("add-fact", "accounts", "account_activated"),
    ("add-slice", "profiles", "establish_profile", "-f", "email:str"),
    ("add-policy", "profiles", "establish_profile", "--on", "accounts:account_activated"),
    ("add-policy", "accounts", "activate_account", "--on", "accounts:account_initialized"),
)


def ok(cli: RunCli, root: Path, *args: str) -> str:
    result = cli(*args, cwd=root)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace after COMMANDS, built once (in-process CLI) and copied for each test."""
    from typer.testing import CliRunner

    from slicegen.cli import app

    root = tmp_path_factory.mktemp("elixir_pristine")
    runner = CliRunner()
    for args in (("init", "--stack", "elixir", "--app", "reckon", str(root)), *COMMANDS):
        extra = () if args[0] == "init" else ("-C", str(root))
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 0, (args, result.output)
    return root


@pytest.fixture
def workspace(pristine: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(pristine, root)
    return root


def test_every_command_run_again_changes_nothing(cli: RunCli, workspace: Path) -> None:
    before = tree_hash(workspace, ignore=(".slicegen",))
    for args in COMMANDS:
        out = ok(cli, workspace, *args)
        assert "nothing to do" in out, (args, out)
    assert tree_hash(workspace, ignore=(".slicegen",)) == before


def test_a_user_edit_in_a_generated_file_is_a_conflict(cli: RunCli, workspace: Path) -> None:
    path = workspace / COMMAND
    path.write_text(path.read_text().replace("defstruct [", "# my rule\n  defstruct ["))
    before = tree_hash(workspace, ignore=(".slicegen",))
    result = cli("add-slice", "accounts", "initialize_account", "-f", "email:str", cwd=workspace)
    assert result.exit_code == 1
    assert COMMAND in result.stderr and "nothing was written" in result.stderr
    assert tree_hash(workspace, ignore=(".slicegen",)) == before


def test_registration_keeps_the_users_router_code_and_comments(
    cli: RunCli, workspace: Path
) -> None:
    path = workspace / ROUTER
    original = path.read_text()
    edited = original.replace(
        "  use Commanded.Commands.Router\n",
        "  use Commanded.Commands.Router\n\n  # Audit every command (team decision, 2024).\n"
        "  middleware(ReckonAccounts.Audit)\n",
    )
    edited = edited.replace("\nend\n", "\n\n  # keep me: routes below are reviewed\nend\n")
    path.write_text(edited)
    ok(cli, workspace, "add-slice", "accounts", "close_account", "-f", "reason:str")
    text = path.read_text()
    assert (
        "  # Audit every command (team decision, 2024).\n  middleware(ReckonAccounts.Audit)\n"
        in text
    )
    assert "# keep me: routes below are reviewed" in text
    new = (
        "dispatch(ReckonAccounts.Domain.CloseAccount.CommandV1, to: ReckonAccounts.Shared.Account)"
    )
    assert text.count(new) == 1
    # (a policy's command: dispatched through PolicyOnce, over several lines)
    last_old = text.index("ReckonAccounts.Domain.ActivateAccount.CommandV1,")
    assert last_old < text.index(new) < text.index("# keep me")
    # Everything that was there is still there, in order, byte for byte.
    assert text.replace("\n\n  " + new, "") == edited
    assert "nothing to do" in ok(
        cli, workspace, "add-slice", "accounts", "close_account", "-f", "reason:str"
    )


def test_add_version_upgrades_only_an_untouched_api_function(cli: RunCli, workspace: Path) -> None:
    api = workspace / "apps/reckon_accounts/lib/reckon_accounts.ex"
    text = api.read_text()
    edited = text.replace(
        "    |> ReckonAccounts.Domain.ActivateAccount.CommandV1.new()\n",
        "    |> Map.put_new(:activated_at, DateTime.utc_now())\n"
        "    |> ReckonAccounts.Domain.ActivateAccount.CommandV1.new()\n",
    )
    api.write_text(edited)
    ok(cli, workspace, "add-version", "accounts", "activate_account", "-f", "channel:str?")
    ok(cli, workspace, "add-version", "accounts", "initialize_account", "-f", "referrer:str?")
    after = api.read_text()
    assert "ActivateAccount.CommandV1.new()" in after and "Map.put_new(:activated_at" in after
    assert "|> ReckonAccounts.Domain.InitializeAccount.CommandV2.new()" in after
    assert (
        after.replace("InitializeAccount.CommandV2", "InitializeAccount.CommandV1").replace(
            "account_id, email, referrer.", "account_id, email."
        )
        == edited
    )


def test_the_aggregate_is_the_one_the_router_identifies(cli: RunCli, workspace: Path) -> None:
    """Other modules in shared/ do not confuse slicegen; the router's `identify` decides."""
    shared = workspace / "apps/reckon_accounts/lib/reckon_accounts/shared"
    (shared / "money.ex").write_text("defmodule ReckonAccounts.Shared.Money do\nend\n")
    ok(cli, workspace, "add-slice", "accounts", "close_account")
    aggregate = (shared / "account.ex").read_text()
    assert "%ReckonAccounts.Domain.CloseAccount.CommandV1{} = command" in aggregate
    assert (shared / "money.ex").read_text() == "defmodule ReckonAccounts.Shared.Money do\nend\n"


def test_dry_run_writes_nothing_and_shows_the_diff(cli: RunCli, workspace: Path) -> None:
    before = tree_hash(workspace)
    out = ok(
        cli, workspace, "--dry-run", "add-slice", "accounts", "suspend_account", "-f", "why:str"
    )
    assert "+  dispatch(ReckonAccounts.Domain.SuspendAccount.CommandV1" in out
    assert "dry run, nothing written" in out
    out = ok(cli, workspace, "add-version", "accounts", "initialize_account", "--dry-run")
    assert "upcast_event_v1_to_v2.ex" in out
    assert tree_hash(workspace) == before


def test_a_router_without_its_module_is_an_error_not_a_guess(cli: RunCli, workspace: Path) -> None:
    path = workspace / ROUTER
    path.write_text(
        path.read_text().replace("defmodule ReckonAccounts.Router do", "defmodule MyRouter do")
    )
    before = tree_hash(workspace, ignore=(".slicegen",))
    result = cli("add-slice", "accounts", "suspend_account", cwd=workspace)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message
    assert ROUTER in message and "defmodule ReckonAccounts.Router do" in message
    assert tree_hash(workspace, ignore=(".slicegen",)) == before


def test_a_router_that_does_not_parse_is_an_error(cli: RunCli, workspace: Path) -> None:
    path = workspace / ROUTER
    path.write_text(path.read_text().replace("use Commanded.Commands.Router", "use Commanded.(("))
    result = cli("add-slice", "accounts", "suspend_account", cwd=workspace)
    assert result.exit_code == 2
    assert ROUTER in result.stderr and "syntax error near line" in result.stderr


def test_a_policy_across_domains_needs_a_fact(cli: RunCli, workspace: Path) -> None:
    ok(cli, workspace, "add-slice", "profiles", "personalize_profile")
    result = cli(
        "add-policy",
        "profiles",
        "personalize_profile",
        "--on",
        "accounts:account_initialized",
        cwd=workspace,
    )
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message
    assert "slicegen add-fact accounts account_initialized" in message and "--with-fact" in message
    assert not (
        workspace
        / "apps/reckon_profiles/lib/reckon_profiles/domain/personalize_profile"
        / "when_account_initialized_then_personalize_profile_v1.ex"
    ).exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("add-slice", "billing", "open_invoice"), "slicegen new-domain billing"),
        (
            ("add-projection", "accounts", "close_account", "summary"),
            "slicegen add-slice accounts close_account",
        ),
        (("add-fact", "accounts", "account_closed"), "records no event 'account_closed'"),
        (("add-projection", "accounts", "initialize_account", "state"), "is reserved"),
        (
            ("add-version", "accounts", "initialize_account", "-f", "email:str"),
            "already exists in v1",
        ),
        (("new-domain", "shared"), "the shared facts app"),
    ],
)
def test_user_errors_are_one_line_and_say_what_to_do(
    cli: RunCli, workspace: Path, args: tuple[str, ...], expected: str
) -> None:
    before = tree_hash(workspace, ignore=(".slicegen",))
    result = cli(*args, cwd=workspace)
    assert result.exit_code == 2
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert tree_hash(workspace, ignore=(".slicegen",)) == before


def test_cluster_ports_are_derived_from_the_name_and_unique(cli: RunCli, tmp_path: Path) -> None:
    ports = {}
    for name in ("one", "two"):
        root = tmp_path / name
        root.mkdir()
        ok(cli, root, "init", "--stack", "elixir", "--app", "reckon", ".")
        domains = ("accounts", "profiles") if name == "one" else ("profiles", "accounts")
        for domain in domains:
            ok(cli, root, "new-domain", domain)
        ports[name] = {
            d: (root / f"apps/reckon_{d}/config/config.exs")
            .read_text()
            .split("port: ")[1]
            .split(",")[0]
            for d in domains
        }
    assert ports["one"] == ports["two"]
    assert ports["one"]["accounts"] != ports["one"]["profiles"]


def test_a_policy_on_its_own_slices_event_is_refused(cli: RunCli, workspace: Path) -> None:
    """Dispatching a command on the event it records loops (each dispatch triggers the next)."""
    before = tree_hash(workspace, ignore=(".slicegen",))
    result = cli(
        "add-policy",
        "accounts",
        "activate_account",
        "--on",
        "accounts:account_activated",
        cwd=workspace,
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "loops" in result.stderr and "another slice's event" in result.stderr
    assert tree_hash(workspace, ignore=(".slicegen",)) == before
