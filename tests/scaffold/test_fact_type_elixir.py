"""Elixir facts' stored type string: the domain's fact log appends each fact to the domain's own
event store, whose ``ExESDB.Commanded.Adapter`` asks the domain's ``EventTypeMapper`` for the
type string of every module it appends. ``add-fact`` registers the fact there under
``<topic>:v1``; ``remove-fact`` takes the entry out, by syntax-tree edits that keep the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from slicegen import naming
from slicegen.stacks.elixir.source_edits import parse
from tests.conftest import RunCli

MAPPER = "apps/shop_accounts/lib/shop_accounts/event_type_mapper.ex"
FACT = "ShopShared.Accounts.AccountOpenedFact"
FACT_TYPE = "accounts:facts:account_opened:v1"


def types(root: Path) -> list[tuple[str, str]]:
    """The mapper's ``@types`` entries as (key, value) texts, in order."""
    src = parse(MAPPER, (root / MAPPER).read_text())
    found = src.attribute(src.module("ShopAccounts.EventTypeMapper"), "types")
    assert found is not None
    pairs = []
    for item in src.items(found):
        key, _, value = src.node_text(item).partition("=>")
        pairs.append((key.strip().strip('"'), value.strip()))
    return pairs


def run(cli: RunCli, root: Path, *args: str) -> str:
    done = cli(*args, cwd=root)
    assert done.exit_code == 0, done.stderr
    return done.stderr


@pytest.fixture
def ws(cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "ex"
    assert cli("init", str(root), "--stack", "elixir", "--app", "shop", cwd=tmp_path).exit_code == 0
    run(cli, root, "new-domain", "accounts")
    run(cli, root, "add-slice", "accounts", "open_account", "-f", "owner:str")
    return root


def test_the_type_string_is_the_topic_versioned() -> None:
    assert naming.fact_type_string("accounts", "account_opened") == FACT_TYPE
    assert naming.fact_type_string("accounts", "AccountOpened", 2) == (
        naming.fact_topic("accounts", "account_opened") + ":v2"
    )


def test_add_fact_registers_the_fact_beside_the_events(cli: RunCli, ws: Path) -> None:
    assert [t for t, _ in types(ws)] == ["account_opened:v1"]
    run(cli, ws, "add-fact", "accounts", "account_opened")
    assert types(ws) == [
        ("account_opened:v1", "ShopAccounts.Domain.OpenAccount.EventV1"),
        (FACT_TYPE, FACT),
    ]
    test = ws / "apps/shop_accounts/test/shop_accounts/open_account/opened_to_fact_v1_test.exs"
    assert f'"{FACT_TYPE}"' in test.read_text()  # the generated test asks the mapper
    assert cli("lint", cwd=ws).exit_code == 0


def test_a_later_event_version_keeps_one_entry(cli: RunCli, ws: Path) -> None:
    run(cli, ws, "add-fact", "accounts", "account_opened")
    run(cli, ws, "add-version", "accounts", "open_account")
    assert [t for t, _ in types(ws)].count(FACT_TYPE) == 1


def test_remove_fact_takes_the_entry_out_and_keeps_the_users_own(cli: RunCli, ws: Path) -> None:
    run(cli, ws, "add-fact", "accounts", "account_opened")
    mapper = ws / MAPPER
    text = mapper.read_text()
    mine = f'    "{FACT_TYPE}" => {FACT},\n    # mine\n    "legacy:v1" => Legacy\n'
    mapper.write_text(text.replace(f'    "{FACT_TYPE}" => {FACT}\n', mine))
    run(cli, ws, "remove-fact", "accounts", "account_opened")
    assert [t for t, _ in types(ws)] == ["account_opened:v1", "legacy:v1"]
    assert "    # mine\n" in mapper.read_text()


def test_published_again_the_retired_fact_is_registered_again(cli: RunCli, ws: Path) -> None:
    before = (ws / MAPPER).read_bytes()
    run(cli, ws, "add-fact", "accounts", "account_opened")
    run(cli, ws, "remove-fact", "accounts", "account_opened")
    assert (ws / MAPPER).read_bytes() == before
    run(cli, ws, "add-fact", "accounts", "account_opened")
    assert [t for t, _ in types(ws)] == ["account_opened:v1", FACT_TYPE]


def test_a_mapper_without_its_types_map_is_a_clear_error(cli: RunCli, ws: Path) -> None:
    mapper = ws / MAPPER
    mapper.write_text(mapper.read_text().replace("@types %{", "@types Map.new(%{", 1))
    mapper.write_text(mapper.read_text().replace("\n  }\n", "\n  })\n", 1))
    done = cli("add-fact", "accounts", "account_opened", cwd=ws)
    assert done.exit_code == 2
    assert "event_type_mapper.ex: expected a `@types %{...}` map" in done.stderr
    assert not (ws / "apps/shop_shared/lib/shop_shared/accounts/account_opened_fact.ex").exists()


def test_rename_event_keeps_the_published_facts_module_and_its_entry(cli: RunCli, ws: Path) -> None:
    """The fact is a contract other domains know by name: renaming the event renames neither
    the fact's module (in the shared app) nor the publisher's references to it."""
    run(cli, ws, "add-fact", "accounts", "account_opened")
    run(cli, ws, "rename-event", "accounts", "account_opened", "account_registered")
    assert (FACT_TYPE, FACT) in types(ws)
    sources = "".join(p.read_text() for p in (ws / "apps").rglob("*.ex*"))
    assert f"defmodule {FACT} do" in sources
    assert "AccountRegisteredFact" not in sources
    publisher = "apps/shop_accounts/lib/shop_accounts/domain/open_account/registered_to_fact_v1.ex"
    assert f"alias {FACT}\n" in (ws / publisher).read_text()
