"""``remove-fact`` (elixir): the reverse of ``add-fact``. The fact's module is kept, under its
own name, in the source domain's ``retired/`` folder (the domain's fact log stored the facts it
published under that name); everything else ``add-fact`` wrote or registered goes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.scaffold.test_remove_slice import files as all_files

APP = "apps/shop_accounts"
LIB = f"{APP}/lib/shop_accounts"
SHARED = "apps/shop_shared/lib/shop_shared"
RETIRED = f"{LIB}/retired/account_closed_fact.ex"
CLOSED_FACT = f"{SHARED}/accounts/account_closed_fact.ex"
PUBLISHER = f"{LIB}/domain/close_account/closed_to_fact_v1.ex"


def files(root: Path) -> dict[str, bytes]:
    """The tree (documents without their sessions), lint's cache left out."""
    return {p: b for p, b in all_files(root).items() if not p.startswith(".slicegen_cache/")}


def run(cli: RunCli, root: Path, *args: str) -> str:
    done = cli(*args, cwd=root)
    assert done.exit_code == 0, done.stderr
    return done.stderr


@pytest.fixture
def ws(cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "ex"
    assert cli("init", str(root), "--stack", "elixir", "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "open_account", "-f", "owner:str"),
        ("add-slice", "accounts", "close_account", "-f", "reason:str"),
    ):
        run(cli, root, *step)
    return root


@pytest.fixture
def two_facts(cli: RunCli, ws: Path) -> Path:
    """Two facts of accounts; a policy of profiles consumes the first."""
    for step in (
        ("new-domain", "profiles"),
        ("add-slice", "profiles", "establish_profile", "-f", "owner:str"),
        ("add-fact", "accounts", "account_opened"),
        ("add-policy", "profiles", "establish_profile", "--on", "accounts:account_opened"),
    ):
        run(cli, ws, *step)
    return ws


def test_add_then_remove_gives_the_tree_back_but_the_retired_module(
    cli: RunCli, two_facts: Path
) -> None:
    before = files(two_facts)
    run(cli, two_facts, "add-fact", "accounts", "account_closed")
    added = files(two_facts)
    assert added != before
    fact = added[CLOSED_FACT]
    note = run(cli, two_facts, "remove-fact", "accounts", "account_closed")
    assert f"moved ShopShared.Accounts.AccountClosedFact to {RETIRED}" in note
    after = files(two_facts)
    assert after.pop(RETIRED) == fact  # the module as it was, under its own name
    assert after == before  # the other fact's log, facts_since and registry stay
    assert cli("lint", cwd=two_facts).exit_code == 0


def test_the_last_fact_takes_its_log_api_and_registry_along(cli: RunCli, ws: Path) -> None:
    before = files(ws)
    run(cli, ws, "add-fact", "accounts", "account_closed")
    added = files(ws)
    assert f"{LIB}/fact_log.ex" in added and f"{SHARED}/facts.ex" in added
    assert "def facts_since(" in added[f"{APP}/lib/shop_accounts.ex"].decode()
    run(cli, ws, "remove-fact", "accounts", "account_closed")
    after = files(ws)
    assert set(after) - set(before) == {RETIRED}
    assert {p: b for p, b in after.items() if p != RETIRED} == before
    assert cli("lint", cwd=ws).exit_code == 0
    # published again: the retired module comes back, and the tree is the one add-fact wrote
    run(cli, ws, "add-fact", "accounts", "account_closed")
    assert files(ws) == added


def test_a_consumed_fact_is_refused_with_the_fix_and_nothing_written(
    cli: RunCli, two_facts: Path
) -> None:
    before = files(two_facts)
    refused = cli("remove-fact", "accounts", "account_opened", cwd=two_facts)
    assert refused.exit_code == 2
    assert (
        "slicegen remove-policy profiles establish_profile --on accounts:account_opened"
        in refused.stderr
    )
    assert len(refused.stderr.strip().splitlines()) == 1
    assert files(two_facts) == before
    # once the policy is gone the fact can go
    run(
        cli,
        two_facts,
        "remove-policy",
        "profiles",
        "establish_profile",
        "--on",
        "accounts:account_opened",
    )
    run(cli, two_facts, "remove-fact", "accounts", "account_opened")
    assert cli("lint", cwd=two_facts).exit_code == 0


def test_a_publisher_the_user_changed_is_kept_unless_forced(cli: RunCli, ws: Path) -> None:
    run(cli, ws, "add-fact", "accounts", "account_closed")
    publisher = ws / PUBLISHER
    publisher.write_text(publisher.read_text() + "# my tweak\n")
    api = ws / f"{APP}/lib/shop_accounts.ex"
    api.write_text(
        api.read_text().replace(
            "defmodule ShopAccounts do\n", "defmodule ShopAccounts do\n  # mine\n"
        )
    )
    stderr = run(cli, ws, "remove-fact", "accounts", "account_closed")
    assert f"kept {PUBLISHER}" in stderr
    assert publisher.read_text().endswith("# my tweak\n")
    application = (ws / f"{LIB}/application.ex").read_text()
    assert "ClosedToFactV1" not in application
    # the kept publisher still uses the fact log, so the log and facts_since stay
    assert (ws / f"{LIB}/fact_log.ex").is_file()
    assert "  # mine\n" in api.read_text() and "def facts_since(" in api.read_text()


def test_force_removes_the_changed_publisher_too(cli: RunCli, ws: Path) -> None:
    before = files(ws)
    run(cli, ws, "add-fact", "accounts", "account_closed")
    publisher = ws / PUBLISHER
    publisher.write_text(publisher.read_text() + "# my tweak\n")
    run(cli, ws, "--force", "remove-fact", "accounts", "account_closed")
    assert not publisher.exists()
    assert {p: b for p, b in files(ws).items() if p != RETIRED} == before


def test_the_user_s_other_api_code_and_comments_stay(cli: RunCli, ws: Path) -> None:
    run(cli, ws, "add-fact", "accounts", "account_closed")
    api = ws / f"{APP}/lib/shop_accounts.ex"
    mine = "\n  # my helper\n  def ping, do: :pong\n"
    text = api.read_text()
    api.write_text(text[: text.rindex("end")].rstrip("\n") + "\n" + mine + "end\n")
    run(cli, ws, "--force", "remove-fact", "accounts", "account_closed")
    after = api.read_text()
    assert "facts_since" not in after and "FactLog" not in after
    assert mine in after


def test_dry_run_shows_the_diff_and_writes_nothing(cli: RunCli, ws: Path) -> None:
    run(cli, ws, "add-fact", "accounts", "account_closed")
    before = files(ws)
    dry = cli("--dry-run", "remove-fact", "accounts", "account_closed", cwd=ws)
    assert dry.exit_code == 0, dry.stderr
    assert "-      ShopAccounts.Domain.CloseAccount.ClosedToFactV1" in dry.stdout
    assert "-  def facts_since(topic, position, limit) do" in dry.stdout
    assert files(ws) == before


def test_an_unknown_fact_is_refused(cli: RunCli, ws: Path) -> None:
    refused = cli("remove-fact", "accounts", "account_closed", cwd=ws)
    assert refused.exit_code == 2 and "check the names" in refused.stderr


def test_a_policy_on_a_removed_fact_publishes_it_again(cli: RunCli, two_facts: Path) -> None:
    """``add-policy --with-fact`` on a retired fact brings its module back (no second module of
    the same name), and without --with-fact it asks for add-fact."""
    run(cli, two_facts, "add-fact", "accounts", "account_closed")
    run(cli, two_facts, "remove-fact", "accounts", "account_closed")
    on = ("--on", "accounts:account_closed")
    refused = cli("add-policy", "profiles", "establish_profile", *on, cwd=two_facts)
    assert refused.exit_code == 2 and "slicegen add-fact accounts account_closed" in refused.stderr
    run(cli, two_facts, "add-policy", "profiles", "establish_profile", *on, "--with-fact")
    assert not (two_facts / RETIRED).exists() and (two_facts / CLOSED_FACT).is_file()
    assert (two_facts / PUBLISHER).is_file()
    linted = cli("lint", "--format", "json", cwd=two_facts).stdout
    # only the policy's unmapped field (account_closed has no owner), as add-policy always says
    assert set(re.findall(r'"code": "(SG\d+)"', linted)) == {"SG406"}
