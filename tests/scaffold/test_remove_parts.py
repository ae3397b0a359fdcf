"""``remove-projection``, ``remove-policy`` and ``remove-fact`` (python): each the exact reverse of
its add command, keeping the user's edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.scaffold.test_remove_slice import files

SLICE = "src/shop/accounts/domain/open_account"
POLICY = (
    "src/shop/profiles/domain/establish_profile/when_account_opened_then_establish_profile_v1.py"
)


@pytest.fixture
def ws(cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--app", "shop", cwd=tmp_path).exit_code == 0
    steps = (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "open_account", "-f", "owner:str"),
        ("new-domain", "profiles"),
        ("add-slice", "profiles", "establish_profile", "-f", "owner:str"),
    )
    for step in steps:
        done = cli(*step, cwd=root)
        assert done.exit_code == 0, done.stderr
    return root


def run(cli: RunCli, ws: Path, *args: str) -> None:
    done = cli(*args, cwd=ws)
    assert done.exit_code == 0, done.stderr


ADD_REMOVE = [
    (
        ("add-projection", "accounts", "open_account", "account_summary"),
        ("remove-projection", "accounts", "open_account", "account_summary"),
    ),
    (("add-fact", "accounts", "account_opened"), ("remove-fact", "accounts", "account_opened")),
    (
        (
            "add-policy",
            "profiles",
            "establish_profile",
            "--on",
            "accounts:account_opened",
            "--with-fact",
        ),
        ("remove-policy", "profiles", "establish_profile", "--on", "accounts:account_opened"),
    ),
]


@pytest.mark.parametrize(("add", "remove"), ADD_REMOVE, ids=["projection", "fact", "policy"])
def test_add_then_remove_gives_the_tree_back(
    cli: RunCli, ws: Path, add: tuple[str, ...], remove: tuple[str, ...]
) -> None:
    if add[0] == "add-policy":
        run(cli, ws, "add-fact", "accounts", "account_opened")
    before = files(ws)
    run(cli, ws, *add)
    assert files(ws) != before
    run(cli, ws, *remove)
    assert files(ws) == before
    assert cli("lint", cwd=ws).exit_code == 0


def test_a_projection_s_read_model_used_elsewhere_stays(cli: RunCli, ws: Path) -> None:
    run(cli, ws, "add-slice", "accounts", "close_account")
    run(cli, ws, "add-projection", "accounts", "open_account", "account_list")
    run(cli, ws, "add-projection", "accounts", "close_account", "account_list")
    run(cli, ws, "remove-projection", "accounts", "open_account", "account_list")
    assert (ws / "src/shop/accounts/projections/account_list.py").is_file()
    assert not (ws / SLICE / "opened_to_account_list_v1.py").exists()
    router = (ws / "src/shop/accounts/router.py").read_text()
    assert "ROUTES.project(AccountList, AccountClosedV1, closed_to_account_list_v1)" in router
    assert "opened_to_account_list_v1" not in router
    assert cli("lint", cwd=ws).exit_code == 0


def test_a_user_edit_is_kept_unless_forced(cli: RunCli, ws: Path) -> None:
    run(cli, ws, "add-projection", "accounts", "open_account", "account_summary")
    projection = ws / SLICE / "opened_to_account_summary_v1.py"
    projection.write_text(projection.read_text() + "# my tweak\n")
    removed = cli("remove-projection", "accounts", "open_account", "account_summary", cwd=ws)
    assert removed.exit_code == 0, removed.stderr
    assert f"kept {SLICE}/opened_to_account_summary_v1.py" in removed.stderr
    assert projection.read_text().endswith("# my tweak\n")
    assert "opened_to_account_summary_v1" not in (ws / "src/shop/accounts/router.py").read_text()


def test_a_consumed_fact_is_refused_and_nothing_written(cli: RunCli, ws: Path) -> None:
    run(
        cli,
        ws,
        "add-policy",
        "profiles",
        "establish_profile",
        "--on",
        "accounts:account_opened",
        "--with-fact",
    )
    before = files(ws)
    refused = cli("remove-fact", "accounts", "account_opened", cwd=ws)
    assert refused.exit_code == 2
    assert "still consumed" in refused.stderr and "remove-policy" in refused.stderr
    assert files(ws) == before


@pytest.mark.parametrize(
    "args",
    [
        ("remove-projection", "accounts", "open_account", "nothing"),
        ("remove-policy", "profiles", "establish_profile", "--on", "accounts:account_opened"),
        ("remove-fact", "accounts", "account_opened"),
    ],
)
def test_something_missing_is_refused(cli: RunCli, ws: Path, args: tuple[str, ...]) -> None:
    refused = cli(*args, cwd=ws)
    assert refused.exit_code == 2
    assert "check the names" in refused.stderr


def test_dry_run_writes_nothing(cli: RunCli, ws: Path) -> None:
    run(cli, ws, "add-fact", "accounts", "account_opened")
    before = files(ws)
    dry = cli("--dry-run", "remove-fact", "accounts", "account_opened", cwd=ws)
    assert dry.exit_code == 0, dry.stderr
    assert "-ROUTES.publish(AccountOpenedV1, opened_to_fact_v1)" in dry.stdout
    assert files(ws) == before


@pytest.fixture
def ex_ws(cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "ex"
    assert cli("init", str(root), "--stack", "elixir", "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "open_account", "-f", "owner:str"),
        ("add-slice", "accounts", "close_account"),
    ):
        run(cli, root, *step)
    return root


EX_SLICE = "apps/shop_accounts/lib/shop_accounts/domain/open_account"


def test_elixir_add_then_remove_projection_gives_the_tree_back(cli: RunCli, ex_ws: Path) -> None:
    before = files(ex_ws)
    run(cli, ex_ws, "add-projection", "accounts", "open_account", "summary")
    assert files(ex_ws) != before
    run(cli, ex_ws, "remove-projection", "accounts", "open_account", "summary")
    assert files(ex_ws) == before
    assert cli("lint", cwd=ex_ws).exit_code == 0


def test_elixir_read_model_another_projection_writes_stays(cli: RunCli, ex_ws: Path) -> None:
    run(cli, ex_ws, "add-projection", "accounts", "open_account", "summary")
    run(cli, ex_ws, "add-projection", "accounts", "close_account", "summary")
    run(cli, ex_ws, "remove-projection", "accounts", "open_account", "summary")
    lib = ex_ws / "apps/shop_accounts/lib/shop_accounts"
    assert (lib / "projections/summary.ex").is_file()
    assert not (ex_ws / EX_SLICE / "opened_to_summary_v1.ex").exists()
    app = (lib / "application.ex").read_text()
    assert "ClosedToSummaryV1" in app and "OpenedToSummaryV1" not in app


def test_elixir_projection_the_user_changed_is_kept(cli: RunCli, ex_ws: Path) -> None:
    run(cli, ex_ws, "add-projection", "accounts", "open_account", "summary")
    projection = ex_ws / EX_SLICE / "opened_to_summary_v1.ex"
    projection.write_text(projection.read_text() + "# mine\n")
    done = cli("remove-projection", "accounts", "open_account", "summary", cwd=ex_ws)
    assert done.exit_code == 0 and "kept" in done.stderr
    assert projection.read_text().endswith("# mine\n")


EX_POLICIES = [
    ("profiles", "establish_profile", "accounts:account_opened"),  # through the fact
    ("accounts", "close_account", "accounts:account_opened"),  # in its own domain
]


@pytest.mark.parametrize(("domain", "command", "trigger"), EX_POLICIES, ids=["fact", "local"])
def test_elixir_add_then_remove_policy_gives_the_tree_back(
    cli: RunCli, ex_ws: Path, domain: str, command: str, trigger: str
) -> None:
    run(cli, ex_ws, "new-domain", "profiles")
    run(cli, ex_ws, "add-slice", "profiles", "establish_profile", "-f", "owner:str")
    run(cli, ex_ws, "add-fact", "accounts", "account_opened")
    before = files(ex_ws)
    run(cli, ex_ws, "add-policy", domain, command, "--on", trigger)
    assert files(ex_ws) != before
    run(cli, ex_ws, "remove-policy", domain, command, "--on", trigger)
    assert files(ex_ws) == before
    assert cli("lint", cwd=ex_ws).exit_code == 0


def test_elixir_fact_subscriber_stays_for_its_other_policy(cli: RunCli, ex_ws: Path) -> None:
    run(cli, ex_ws, "new-domain", "profiles")
    run(cli, ex_ws, "add-slice", "profiles", "establish_profile", "-f", "owner:str")
    run(cli, ex_ws, "add-slice", "profiles", "greet_owner", "-f", "owner:str")
    run(cli, ex_ws, "add-fact", "accounts", "account_opened")
    for command in ("establish_profile", "greet_owner"):
        run(cli, ex_ws, "add-policy", "profiles", command, "--on", "accounts:account_opened")
    run(
        cli,
        ex_ws,
        "remove-policy",
        "profiles",
        "establish_profile",
        "--on",
        "accounts:account_opened",
    )
    lib = ex_ws / "apps/shop_profiles/lib/shop_profiles"
    subscriber = (lib / "integration/account_opened_fact_subscriber.ex").read_text()
    assert "WhenAccountOpenedThenGreetOwnerV1" in subscriber
    assert "WhenAccountOpenedThenEstablishProfileV1" not in subscriber
    assert "AccountOpenedFactSubscriber" in (lib / "application.ex").read_text()
    assert cli("lint", cwd=ex_ws).exit_code == 0


def test_a_fact_publisher_the_user_changed_is_kept(cli: RunCli, ws: Path) -> None:
    """The python side of the elixir test (test_remove_fact_elixir): an edit survives."""
    run(cli, ws, "add-fact", "accounts", "account_opened")
    publisher = ws / SLICE / "opened_to_fact_v1.py"
    publisher.write_text(publisher.read_text() + "# my tweak\n")
    removed = cli("remove-fact", "accounts", "account_opened", cwd=ws)
    assert removed.exit_code == 0, removed.stderr
    assert f"kept {SLICE}/opened_to_fact_v1.py" in removed.stderr
    assert publisher.read_text().endswith("# my tweak\n")
    assert "opened_to_fact_v1" not in (ws / "src/shop/accounts/router.py").read_text()
