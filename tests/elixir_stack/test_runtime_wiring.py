"""What makes a generated umbrella run: the event store choice, projections that upsert their own
fields, facts with metadata and no secrets, policies that map or fail loudly, and add-version
giving every consumer its v2. (A real compile and ``mix test`` run needs Hex; CI checks these
shapes, the stand-in compile and ``mix format``.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.elixir_stack.support import ok

ACCOUNTS = "apps/reckon_accounts"
LIB = f"{ACCOUNTS}/lib/reckon_accounts"


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text()


def _domain(tmp_path: Path, *init: str) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    ok(root, "init", "--stack", "elixir", "--app", "reckon", *init, ".")
    ok(root, "new-domain", "accounts")
    return root


@pytest.mark.parametrize(
    ("store", "adapter", "deps", "elixir"),
    [
        (None, "ExESDB.Commanded.Adapter", ('{:ex_esdb, "~> 0.11"}',), "~> 1.17"),
        ("ex_esdb", "ExESDB.Commanded.Adapter", ('{:ex_esdb_commanded, "~> 0.9"}',), "~> 1.17"),
        (
            "eventstore",
            "Commanded.EventStore.Adapters.EventStore",
            ('{:eventstore, "~> 1.4"}', '{:commanded_eventstore_adapter, "~> 1.4"}'),
            "~> 1.14",
        ),
        ("in_memory", "Commanded.EventStore.Adapters.InMemory", (), "~> 1.14"),
    ],
)
def test_event_store_choice_shapes_config_deps_and_elixir_requirement(
    tmp_path: Path, store: str | None, adapter: str, deps: tuple[str, ...], elixir: str
) -> None:
    root = _domain(tmp_path, *(["--event-store", store] if store else []))
    config = read(root, f"{ACCOUNTS}/config/config.exs")
    mix = read(root, f"{ACCOUNTS}/mix.exs")
    assert f"adapter: {adapter}" in config.split("if config_env() == :test")[0]
    # Whatever the store, tests run on the in-memory one and need no server.
    test_env = config.split("if config_env() == :test do")[1].split("\nend\n")[0]
    assert "event_store: [adapter: Commanded.EventStore.Adapters.InMemory]" in test_env
    assert "pool: Ecto.Adapters.SQL.Sandbox" in test_env
    assert "serializer: Jason" not in config
    assert f'elixir: "{elixir}"' in mix
    for dep in deps:
        assert dep in mix
    assert ("ex_esdb" in mix) == (adapter.startswith("ExESDB"))
    mapper = read(root, f"{LIB}/event_type_mapper.ex")
    assert ("@behaviour ExESDB.Commanded.EventTypeMapper" in mapper) == adapter.startswith("ExESDB")
    assert "def to_event_type(module)" in mapper
    assert (root / f"{LIB}/event_store.ex").is_file() == (store == "eventstore")
    assert 'event-store = "' + store + '"' in read(root, "slicegen.toml") if store else True


def test_an_unknown_event_store_is_refused(cli: RunCli, tmp_path: Path) -> None:
    result = cli("init", "--stack", "elixir", "--event-store", "mnesia", str(tmp_path / "ws"))
    assert result.exit_code != 0
    assert "ex_esdb, eventstore, in_memory" in result.stdout + result.stderr
    python = cli("init", "--stack", "python", "--event-store", "in_memory", str(tmp_path / "py"))
    assert python.exit_code != 0


def test_tests_set_up_their_database_and_share_fixtures(umbrella: Path) -> None:
    mix = read(umbrella, f"{ACCOUNTS}/mix.exs")
    assert 'test: ["ecto.create --quiet", "ecto.migrate --quiet", "test"]' in mix
    assert 'defp elixirc_paths(:test), do: ["lib", "test/support"]' in mix
    case = read(umbrella, f"{ACCOUNTS}/test/support/data_case.ex")
    assert "Sandbox.start_owner!(@repo, shared: true)" in case
    fixtures = read(umbrella, f"{ACCOUNTS}/test/support/fixtures.ex")
    # add-version moved the fixture to the v2 command's fields.
    assert "def initialize_account_attrs(overrides \\\\ []) do" in fixtures
    assert 'referrer: "sample referrer"' in fixtures
    helper = read(umbrella, f"{ACCOUNTS}/test/test_helper.exs")
    assert "Ecto.Adapters.SQL.Sandbox.mode(ReckonAccounts.Repo, :manual)" in helper
    gitignore = read(umbrella, ".gitignore").splitlines()
    for entry in ("_build/", "deps/", "tmp/", "erl_crash.dump"):
        assert entry in gitignore
    readme = read(umbrella, f"{ACCOUNTS}/README.md")
    assert "[:commanded, :event, :handle, :start]" in readme
    assert "OpentelemetryTelemetry.start_telemetry_span" in readme


def test_projections_upsert_their_own_fields_and_migrate_the_ones_they_add(
    umbrella: Path,
) -> None:
    for path in (umbrella / ACCOUNTS).rglob("*_to_summary_v*.ex"):
        text = path.read_text()
        assert "on_conflict: {:replace, @fields ++ [:updated_at]}" in text, path
        assert ":replace_all" not in text, path
    activated = read(umbrella, f"{LIB}/domain/activate_account/activated_to_summary_v1.ex")
    fields = re.search(r"@fields \[([^\]]*)\]", activated)
    assert fields and ":email" not in fields.group(1) and ":activated_at" in fields.group(1)
    schema = read(umbrella, f"{LIB}/projections/summary.ex")
    for column in ("field(:email, :string)", "field(:activated_at, :utc_datetime_usec)"):
        assert column in schema
    assert schema.index("field(:activated_at") < schema.index("timestamps()")
    migrations = sorted(p.name for p in (umbrella / ACCOUNTS / "priv/repo/migrations").iterdir())
    added = [m for m in migrations if "add_activated_to_summary_v1_fields" in m]
    assert len(added) == 1 and "_create_accounts_summary" in migrations[1]
    text = read(umbrella, f"{ACCOUNTS}/priv/repo/migrations/{added[0]}")
    assert "alter table(:accounts_summary) do" in text
    assert "add(:activated_at, :utc_datetime_usec)" in text and ":email" not in text


def test_facts_carry_metadata_and_never_a_secret(umbrella: Path) -> None:
    fact = read(umbrella, "apps/reckon_shared/lib/reckon_shared/accounts/account_activated_fact.ex")
    assert ":fact_id," in fact and ":correlation_id," in fact and "fact_version: 1" in fact
    assert "def new(account_id, fields, metadata \\\\ %{}) do" in fact
    assert "Withheld from this fact: token." in fact
    assert ":token" not in fact.split("@moduledoc")[1].split('"""', 2)[2]
    publisher = read(umbrella, f"{LIB}/domain/activate_account/activated_to_fact_v1.ex")
    assert "fact_id: metadata.event_id" in publisher
    assert "correlation_id: metadata.correlation_id" in publisher


def test_policies_carry_correlation_and_causation_and_retry(umbrella: Path) -> None:
    local = read(
        umbrella, f"{LIB}/domain/confirm_email/when_account_initialized_then_confirm_email_v2.ex"
    )
    assert "correlation_id: metadata.correlation_id," in local
    assert "causation_id: metadata.event_id," in local
    assert "{:retry, 100 * attempt, Map.put(context, :attempt, attempt + 1)}" in local
    assert "Logger.warning(" in local
    profiles = "apps/reckon_profiles/lib/reckon_profiles"
    remote = read(
        umbrella,
        f"{profiles}/domain/establish_profile/when_account_activated_then_establish_profile_v1.ex",
    )
    assert "correlation_id: fact.correlation_id," in remote
    assert "causation_id: fact.fact_id," in remote
    # The target identity comes from the fact's; the other fields by name and type.
    assert "profile_id: fact.account_id," in remote
    assert "activated_at: fact.activated_at," in remote
    assert "display_name: nil" in remote
    subscriber = read(umbrella, f"{profiles}/integration/account_activated_fact_subscriber.ex")
    # Durable: catches up from its stored position at start, retries without skipping a fact.
    assert "{:ok, state, {:continue, :catch_up}}" in subscriber
    assert 'Repo.insert_all("fact_positions",' in subscriber
    assert "Process.send_after(self(), :retry, delay)" in subscriber
    migrations = umbrella / "apps/reckon_profiles/priv/repo/migrations"
    assert len(list(migrations.glob("*_create_fact_positions.exs"))) == 1


def test_a_field_no_trigger_fills_raises_and_lint_flags_it(cli: RunCli, tmp_path: Path) -> None:
    root = _domain(tmp_path)
    ok(root, "new-domain", "profiles")
    ok(root, "add-slice", "accounts", "activate_account", "-f", "activated_at:datetime")
    ok(root, "add-slice", "profiles", "establish_profile", "-f", "email:str", "-f", "age:int")
    ok(root, "add-slice", "profiles", "rename_profile", "-f", "activated_at:str")
    for command in ("establish_profile", "rename_profile"):
        ok(
            root,
            "add-policy",
            "profiles",
            command,
            "--on",
            "accounts:account_activated",
            "--with-fact",
        )
    domain = "apps/reckon_profiles/lib/reckon_profiles/domain"
    policy = read(
        root, f"{domain}/establish_profile/when_account_activated_then_establish_profile_v1.ex"
    )
    assert "email: ReckonShared.unmapped!(__MODULE__, :email)," in policy
    assert "age: ReckonShared.unmapped!(__MODULE__, :age)" in policy
    # Same name, another type: not mapped either.
    renamed = read(
        root, f"{domain}/rename_profile/when_account_activated_then_rename_profile_v1.ex"
    )
    assert "activated_at: ReckonShared.unmapped!(__MODULE__, :activated_at)" in renamed
    test = read(
        root,
        "apps/reckon_profiles/test/reckon_profiles/establish_profile/"
        "when_account_activated_then_establish_profile_v1_test.exs",
    )
    assert "assert_raise ArgumentError" in test and "@tag :integration" not in test
    assert cli("storm", cwd=root).exit_code == 0
    lint = cli("lint", str(root), cwd=root)
    assert lint.exit_code != 0
    assert lint.stdout.count("SG406") == 3, lint.stdout


def test_add_version_gives_every_consumer_its_v2(umbrella: Path) -> None:
    init = f"{LIB}/domain/initialize_account"
    for stem in ("initialized_to_summary_v2", "initialized_to_fact_v2"):
        assert (umbrella / f"{init}/{stem}.ex").is_file(), stem
    summary = read(umbrella, f"{init}/initialized_to_summary_v2.ex")
    assert "project(%EventV2{} = event, _metadata, fn multi ->" in summary
    # The same handler name as v1: v2 resumes where v1 stopped instead of replaying everything.
    assert 'name: "ReckonAccounts.Domain.InitializeAccount.InitializedToSummary"' in summary
    assert 'name: "ReckonAccounts.Domain.InitializeAccount.InitializedToSummary"' in read(
        umbrella, f"{init}/initialized_to_summary_v1.ex"
    )
    publisher = read(umbrella, f"{init}/initialized_to_fact_v2.ex")
    assert "def handle(%EventV2{} = event, metadata) do" in publisher
    policy = read(
        umbrella, f"{LIB}/domain/confirm_email/when_account_initialized_then_confirm_email_v2.ex"
    )
    assert (
        "alias ReckonAccounts.Domain.InitializeAccount.EventV2, as: AccountInitializedV2" in policy
    )
    assert 'name: "when_account_initialized_then_confirm_email"' in policy
    test = read(
        umbrella,
        f"{ACCOUNTS}/test/reckon_accounts/initialize_account/upcast_event_v1_to_v2_test.exs",
    )
    assert 'test "a v1 event stored before v2 still reaches every consumer" do' in test
    assert ":ok = store_events(attrs[:account_id], [struct!(EventV1, attrs)])" in test
    assert "summary = Repo.get!(Summary, id)" in test
    assert "assert_received %AccountInitializedFact{account_id: ^id}" in test
    assert "&match?(%ConfirmEmailEventV1{}, &1)) == 1" in test


def test_postgres_event_store_events_decode_their_json_back(tmp_path: Path) -> None:
    """JSON gives dates, times and decimals back as strings: the event turns them back."""
    from tests.elixir_stack.support import elixir_sources, require_elixir, run_tool

    root = _domain(tmp_path, "--event-store", "eventstore")
    fields = ("at:datetime", "on:date?", "price:decimal", "days:list[date]", "name:str")
    ok(root, "add-slice", "accounts", "open_account", *(x for f in fields for x in ("-f", f)))
    event = read(root, f"{LIB}/domain/open_account/event_v1.ex")
    impl = event.split("defimpl Commanded.Serialization.JsonDecoder,")[1]
    assert "| at: datetime(event.at)," in impl
    assert "on: date(event.on)," in impl and "price: decimal(event.price)," in impl
    assert "days: decode_all(event.days, &date/1)" in impl and "name:" not in impl
    _, mix = require_elixir()
    (tmp_path / ".formatter.exs").write_text("[]\n")
    files = [str(p) for p in elixir_sources(root)]
    done = run_tool([mix, "format", "--check-formatted", *files], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
