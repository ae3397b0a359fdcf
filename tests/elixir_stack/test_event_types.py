"""On the PostgreSQL EventStore, events are stored under their type strings (``"<event>:v<N>"``),
not their module names: Commanded's node-wide type provider is the shared app's ``EventTypes``,
which asks the mappers every domain lists in its config, and each domain's mapper is its store's
serializer. (The Elixir itself is compiled and its tests run in ``test_elixir_toolchain``.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.elixir_stack.support import ok

APP, SHARED = "reckon_platform", "ReckonPlatformShared"
SHARED_DIR = f"apps/{APP}_shared"
PROVIDER = f"{SHARED}.EventTypes"


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text()


def _domains(root: Path) -> dict[str, str]:
    """Each domain app's directory name -> its module prefix."""
    apps = sorted(p.name for p in (root / "apps").iterdir() if p.name != f"{APP}_shared")
    return {a: "".join(w.capitalize() for w in a.split("_")) for a in apps}


def test_the_node_wide_type_provider_is_the_shared_event_types(eventstore_umbrella: Path) -> None:
    config = read(eventstore_umbrella, "config/config.exs")
    assert f"config :commanded, type_provider: {PROVIDER}\n" in config
    provider = read(eventstore_umbrella, f"{SHARED_DIR}/lib/{APP}_shared/event_types.ex")
    assert f"defmodule {PROVIDER} do" in provider
    assert "@behaviour Commanded.EventStore.TypeProvider" in provider
    # A module or a type no mapper knows falls back to the module name: old events still load.
    assert "ModuleNameTypeProvider.to_string(event)" in provider
    assert "ModuleNameTypeProvider.to_struct(type)" in provider
    assert "{:commanded, " in read(eventstore_umbrella, f"{SHARED_DIR}/mix.exs")
    test = f"{SHARED_DIR}/test/{APP}_shared/event_types_test.exs"
    assert "a type string two domains use is read back" in read(eventstore_umbrella, test)


def test_every_domain_lists_its_mapper_and_reads_through_it(eventstore_umbrella: Path) -> None:
    domains = _domains(eventstore_umbrella)
    assert len(domains) == 2
    listed: list[str] = []
    for app, module in domains.items():
        config = read(eventstore_umbrella, f"apps/{app}/config/config.exs")
        entries = re.findall(
            rf"config :{APP}_shared, {re.escape(PROVIDER)},\s+(\w+): ([\w.]+)\n", config
        )
        assert entries == [(app.removeprefix(f"{APP}_"), f"{module}.EventTypeMapper")], config
        listed += [mapper for _, mapper in entries]
        store = config.split(f"config :{app}, {module}.EventStore,")[1]
        assert store.lstrip().startswith(f"serializer: {module}.EventTypeMapper,")
        assert "JsonSerializer" not in config
        mapper = read(eventstore_umbrella, f"apps/{app}/lib/{app}/event_type_mapper.ex")
        assert "@behaviour EventStore.Serializer" in mapper
        assert f"{PROVIDER}.deserialize(data, config, @types)" in mapper
        assert "def serialize(term), do: Jason.encode!(term)" in mapper
        # The domain's own test fails if its mapper is not listed (run by `mix test`).
        test = read(eventstore_umbrella, f"apps/{app}/test/{app}/event_type_mapper_test.exs")
        assert f"assert {PROVIDER}.to_string(struct(module)) == type" in test
    assert len(set(listed)) == len(domains)
    # Slices still register their type strings in the mapper the serializer reads.
    mapper = read(
        eventstore_umbrella,
        f"apps/{APP}_customer_relationships/lib/{APP}_customer_relationships/event_type_mapper.ex",
    )
    assert '"preferred_channel_established:v2" =>' in mapper


@pytest.mark.parametrize("store", ["ex_esdb", "in_memory"])
def test_other_stores_keep_commanded_defaults(tmp_path: Path, store: str) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    ok(root, "init", "--stack", "elixir", "--app", "reckon", "--event-store", store, ".")
    ok(root, "new-domain", "accounts")
    assert "type_provider" not in read(root, "config/config.exs")
    assert not (root / "apps/reckon_shared/lib/reckon_shared/event_types.ex").exists()
    assert ":commanded" not in read(root, "apps/reckon_shared/mix.exs")
    assert "EventTypes" not in read(root, "apps/reckon_accounts/config/config.exs")
    mapper = read(root, "apps/reckon_accounts/lib/reckon_accounts/event_type_mapper.ex")
    assert "EventStore.Serializer" not in mapper
    assert not (
        root / "apps/reckon_accounts/test/reckon_accounts/event_type_mapper_test.exs"
    ).exists()


def test_a_new_domain_lists_its_mapper_and_removing_it_drops_it(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    ok(root, "init", "--stack", "elixir", "--app", "reckon", "--event-store", "eventstore", ".")
    for domain in ("accounts", "billing"):
        ok(root, "new-domain", domain)
    configs = sorted(root.glob("apps/*/config/config.exs"))
    listed = [
        line
        for path in configs
        for line in path.read_text().splitlines()
        if line.startswith("config :reckon_shared, ReckonShared.EventTypes,")
    ]
    assert listed == [
        "config :reckon_shared, ReckonShared.EventTypes, accounts: ReckonAccounts.EventTypeMapper",
        "config :reckon_shared, ReckonShared.EventTypes, billing: ReckonBilling.EventTypeMapper",
    ]
    ok(root, "remove-domain", "billing", "--force")
    remaining = "".join(p.read_text() for p in root.glob("apps/*/config/config.exs"))
    assert "ReckonBilling" not in remaining
    assert "accounts: ReckonAccounts.EventTypeMapper" in remaining


def test_a_renamed_events_retired_module_decodes_its_own_json(tmp_path: Path) -> None:
    """rename-event keeps the old event as a retired module: on eventstore its JSON decoder is
    the retired module's, not a second one for the renamed event (which would not compile)."""
    from tests.elixir_stack.support import elixir_sources, require_elixir, run_tool
    from tests.elixir_stack.test_elixir_toolchain import STAND_INS

    root = tmp_path / "ws"
    root.mkdir()
    ok(root, "init", "--stack", "elixir", "--app", "reckon", "--event-store", "eventstore", ".")
    ok(root, "new-domain", "accounts")
    ok(root, "add-slice", "accounts", "open_account", "-f", "opened_at:datetime")
    ok(root, "rename-event", "accounts", "account_opened", "account_registered")
    lib = root / "apps/reckon_accounts/lib/reckon_accounts"
    retired = (lib / "retired/account_opened_v1.ex").read_text()
    impls = re.findall(r"^defimpl ([\w.]+), for: ([\w.]+) do$", retired, re.MULTILINE)
    assert impls == [
        ("Commanded.Serialization.JsonDecoder", "ReckonAccounts.Retired.AccountOpenedV1"),
        ("Commanded.Event.Upcaster", "ReckonAccounts.Retired.AccountOpenedV1"),
    ]
    elixir, _ = require_elixir()
    libs = [p for p in elixir_sources(root / "apps") if "/lib/" in p.as_posix()]
    scripts = [str(STAND_INS / "compile_and_test.exs"), str(STAND_INS / "stand_ins.exs")]
    done = run_tool([elixir, *scripts, *map(str, libs), "--"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"compiled \d+ modules, 0 warnings", done.stdout), done.stdout
