"""The generated umbrella has the layout, module names, type strings and topics of the spec."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ACCOUNTS = "apps/reckon_accounts"
LIB = f"{ACCOUNTS}/lib/reckon_accounts"
INIT = f"{LIB}/domain/initialize_account"
ACTIVATE = f"{LIB}/domain/activate_account"
CONFIRM = f"{LIB}/domain/confirm_email"
PROFILES = "apps/reckon_profiles/lib/reckon_profiles"


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text()


def defined_module(text: str) -> str:
    match = re.search(r"^(?:defmodule|defimpl) ([\w.]+)", text, re.MULTILINE)
    assert match, text[:200]
    return match.group(1)


@pytest.mark.parametrize(
    ("rel", "module"),
    [
        (f"{INIT}/command_v1.ex", "ReckonAccounts.Domain.InitializeAccount.CommandV1"),
        (f"{INIT}/event_v1.ex", "ReckonAccounts.Domain.InitializeAccount.EventV1"),
        (
            f"{INIT}/maybe_initialize_account_v1.ex",
            "ReckonAccounts.Domain.InitializeAccount.MaybeInitializeAccountV1",
        ),
        (
            f"{INIT}/initialized_to_state_v1.ex",
            "ReckonAccounts.Domain.InitializeAccount.InitializedToStateV1",
        ),
        (
            f"{INIT}/initialized_to_summary_v1.ex",
            "ReckonAccounts.Domain.InitializeAccount.InitializedToSummaryV1",
        ),
        (f"{INIT}/command_v2.ex", "ReckonAccounts.Domain.InitializeAccount.CommandV2"),
        (
            f"{INIT}/maybe_initialize_account_v2.ex",
            "ReckonAccounts.Domain.InitializeAccount.MaybeInitializeAccountV2",
        ),
        (
            f"{CONFIRM}/when_account_initialized_then_confirm_email_v1.ex",
            "ReckonAccounts.Domain.ConfirmEmail.WhenAccountInitializedThenConfirmEmailV1",
        ),
        (
            f"{CONFIRM}/when_account_initialized_then_confirm_email_v2.ex",
            "ReckonAccounts.Domain.ConfirmEmail.WhenAccountInitializedThenConfirmEmailV2",
        ),
        (
            f"{ACTIVATE}/activated_to_fact_v1.ex",
            "ReckonAccounts.Domain.ActivateAccount.ActivatedToFactV1",
        ),
        (
            f"{PROFILES}/domain/establish_profile/when_account_activated_then_establish_profile_v1.ex",
            "ReckonProfiles.Domain.EstablishProfile.WhenAccountActivatedThenEstablishProfileV1",
        ),
        (
            "apps/reckon_shared/lib/reckon_shared/accounts/account_activated_fact.ex",
            "ReckonShared.Accounts.AccountActivatedFact",
        ),
        (
            "apps/reckon_shared/lib/reckon_shared/accounts/account_initialized_fact.ex",
            "ReckonShared.Accounts.AccountInitializedFact",
        ),
        (f"{LIB}/shared/account.ex", "ReckonAccounts.Shared.Account"),
        (f"{LIB}/commanded_app.ex", "ReckonAccounts.CommandedApp"),
        (f"{LIB}/router.ex", "ReckonAccounts.Router"),
        (f"{LIB}/event_type_mapper.ex", "ReckonAccounts.EventTypeMapper"),
        (f"{LIB}/domain_api.ex", "ReckonAccounts.DomainAPI"),
        (f"{LIB}/repo.ex", "ReckonAccounts.Repo"),
        (f"{ACCOUNTS}/lib/reckon_accounts.ex", "ReckonAccounts"),
        (f"{ACCOUNTS}/lib/mix/tasks/reckon_accounts.setup.ex", "Mix.Tasks.ReckonAccounts.Setup"),
        (f"{ACCOUNTS}/lib/mix/tasks/reckon_accounts.reset.ex", "Mix.Tasks.ReckonAccounts.Reset"),
        (
            f"{INIT}/upcast_event_v1_to_v2.ex",
            "Commanded.Event.Upcaster, for: ReckonAccounts.Domain.InitializeAccount.EventV1",
        ),
    ],
)
def test_file_defines_the_module_its_path_names(umbrella: Path, rel: str, module: str) -> None:
    text = read(umbrella, rel)
    if module.startswith("Commanded.Event.Upcaster"):
        assert text.startswith(f"defimpl {module} do")
    else:
        assert defined_module(text) == module


def test_slices_sit_under_the_literal_domain_folder_with_versioned_files(umbrella: Path) -> None:
    slices = sorted(p.name for p in (umbrella / LIB / "domain").iterdir())
    assert slices == ["activate_account", "confirm_email", "initialize_account"]
    files = sorted(p.name for p in (umbrella / INIT).iterdir())
    assert all(re.search(r"_v\d+\.ex$", name) for name in files), files
    assert {"command_v1.ex", "command_v2.ex", "event_v1.ex", "event_v2.ex"} <= set(files)
    tests = sorted(
        p.name for p in (umbrella / ACCOUNTS / "test/reckon_accounts/initialize_account").iterdir()
    )
    assert {f.removesuffix(".ex") + "_test.exs" for f in files} == set(tests)


def test_events_are_jason_encoded_and_carry_versioned_type_strings(umbrella: Path) -> None:
    for version in (1, 2):
        text = read(umbrella, f"{INIT}/event_v{version}.ex")
        assert "@derive Jason.Encoder" in text
        assert f'def event_type, do: "account_initialized:v{version}"' in text
    mapper = read(umbrella, f"{LIB}/event_type_mapper.ex")
    mapped = dict(re.findall(r'"(\w+:v\d+)" => ([\w.]+)', mapper))
    assert mapped == {
        "account_initialized:v1": "ReckonAccounts.Domain.InitializeAccount.EventV1",
        "account_activated:v1": "ReckonAccounts.Domain.ActivateAccount.EventV1",
        "account_initialized:v2": "ReckonAccounts.Domain.InitializeAccount.EventV2",
        "email_confirmed:v1": "ReckonAccounts.Domain.ConfirmEmail.EventV1",
    }


def test_fields_reach_structs_typespecs_and_tests(umbrella: Path) -> None:
    command = read(umbrella, f"{INIT}/command_v1.ex")
    for line in (
        "account_id: String.t(),",
        "email: String.t(),",
        "tags: [String.t()],",
        "note: String.t() | nil,",
        "joined_on: Date.t(),",
        "credit: Decimal.t()",
    ):
        assert line in command
    enforced = command.split("@enforce_keys [")[1].split("]")[0]
    assert ":note" not in enforced and ":email" in enforced
    activate = read(umbrella, f"{ACTIVATE}/event_v1.ex")
    for line in (
        "activated_at: DateTime.t()",
        "score: integer()",
        "ratio: float()",
        "verified: boolean()",
    ):
        assert line in activate
    test = read(umbrella, f"{ACCOUNTS}/test/reckon_accounts/activate_account/command_v1_test.exs")
    assert "activated_at: ~U[2024-01-01 09:00:00.000000Z]" in test and "verified: true" in test
    v2 = read(umbrella, f"{INIT}/event_v2.ex")
    assert "referrer: String.t() | nil" in v2 and "credit: Decimal.t()" in v2


def test_router_dispatches_every_command_version_to_the_aggregate(umbrella: Path) -> None:
    """A policy's command (confirm_email's) goes to the aggregate through `PolicyOnce`."""
    router = read(umbrella, f"{LIB}/router.ex")
    dispatched = re.findall(r"dispatch\(\s*([\w.]+),\s*to: ([\w.]+)(,[^)]*)?\)", router)
    account, once = "ReckonAccounts.Shared.Account", "ReckonAccounts.PolicyOnce"
    through = f", aggregate: {account}, before_execute: :before_execute"
    assert [(c, to, " ".join(rest.split())) for c, to, rest in dispatched] == [
        ("ReckonAccounts.Domain.InitializeAccount.CommandV1", account, ""),
        ("ReckonAccounts.Domain.ActivateAccount.CommandV1", account, ""),
        ("ReckonAccounts.Domain.ConfirmEmail.CommandV1", once, through),
        ("ReckonAccounts.Domain.InitializeAccount.CommandV2", account, ""),
    ]
    aggregate = read(umbrella, f"{LIB}/shared/account.ex")
    assert aggregate.count("def execute(") == 4 and aggregate.count("def apply(") == 4
    assert aggregate.index("def execute(") < aggregate.index("def apply(")
    assert aggregate.rindex("def execute(") < aggregate.index("def apply(")


def test_public_api_dispatches_through_commanded_app_only(umbrella: Path) -> None:
    api = read(umbrella, f"{ACCOUNTS}/lib/reckon_accounts.ex")
    assert "def initialize_account(attrs) do" in api and "def activate_account(attrs) do" in api
    assert api.count("|> CommandedApp.dispatch()") == 3
    # add-version moved the untouched function to the latest command version.
    assert "|> ReckonAccounts.Domain.InitializeAccount.CommandV2.new()" in api
    assert "|> ReckonAccounts.Domain.ActivateAccount.CommandV1.new()" in api
    assert "InitializeAccount.CommandV1.new()" not in api
    for path in (umbrella / "apps").rglob("*.ex"):
        text = path.read_text()
        assert "Router.dispatch" not in text, path
        if "when_" in path.name:
            assert "|> CommandedApp.dispatch(\n" in text, path


def test_facts_are_published_and_subscribed_on_event_specific_topics(umbrella: Path) -> None:
    fact = read(umbrella, "apps/reckon_shared/lib/reckon_shared/accounts/account_activated_fact.ex")
    assert '@topic "accounts:facts:account_activated"' in fact
    assert "@derive Jason.Encoder" in fact
    publisher = read(umbrella, f"{ACTIVATE}/activated_to_fact_v1.ex")
    assert "use Commanded.Event.Handler," in publisher
    # Recorded in the domain's fact log (where consumers catch up) once, then broadcast live.
    assert "with :ok <- record_once(fact, recorded)," in publisher
    assert "FactLog.record(AccountActivatedFact.topic(), fact)" in publisher
    assert "Phoenix.PubSub.broadcast(ReckonShared.PubSub, AccountActivatedFact.topic(), fact)" in (
        publisher
    )
    assert ":ok = Facts.register(AccountActivatedFact.topic(), FactLog)" in publisher
    assert "{:ok, %{recorded: FactLog.recent_ids(AccountActivatedFact.topic())}}" in publisher
    registry = read(umbrella, "apps/reckon_shared/lib/reckon_shared/facts.ex")
    assert "def since(topic, position, limit) do" in registry
    api = read(umbrella, "apps/reckon_accounts/lib/reckon_accounts.ex")
    assert api.count("def facts_since(topic, position, limit) do") == 1
    subscriber = read(umbrella, f"{PROFILES}/integration/account_activated_fact_subscriber.ex")
    assert '@topic "accounts:facts:account_activated"' in subscriber
    assert "source: Keyword.get(opts, :source, ReckonShared.Facts)," in subscriber
    assert (
        "ReckonProfiles.Domain.EstablishProfile.WhenAccountActivatedThenEstablishProfileV1"
        in subscriber
    )
    topics = set()
    for path in (umbrella / "apps").rglob("*.ex"):
        topics.update(re.findall(r'"(\w+:facts:\w+)"', path.read_text()))
    assert topics == {"accounts:facts:account_activated", "accounts:facts:account_initialized"}


def test_cross_domain_policies_use_facts_never_the_other_domains_events(umbrella: Path) -> None:
    for path in (umbrella / "apps/reckon_profiles").rglob("*.ex*"):
        text = path.read_text()
        assert "ReckonAccounts." not in text, path
    policy = read(
        umbrella,
        f"{PROFILES}/domain/establish_profile/when_account_activated_then_establish_profile_v1.ex",
    )
    assert "alias ReckonShared.Accounts.AccountActivatedFact" in policy
    local = read(umbrella, f"{CONFIRM}/when_account_initialized_then_confirm_email_v1.ex")
    assert "use Commanded.Event.Handler," in local
    assert "application: ReckonAccounts.CommandedApp," in local
    assert 'name: "when_account_initialized_then_confirm_email"' in local


def test_handlers_are_supervised(umbrella: Path) -> None:
    app = read(umbrella, f"{LIB}/application.ex")
    for child in (
        "ReckonAccounts.Domain.InitializeAccount.InitializedToSummaryV2",
        "ReckonAccounts.Domain.ActivateAccount.ActivatedToSummaryV1",
        "ReckonAccounts.Domain.ActivateAccount.ActivatedToFactV1",
        "ReckonAccounts.Domain.InitializeAccount.InitializedToFactV2",
        "ReckonAccounts.Domain.ConfirmEmail.WhenAccountInitializedThenConfirmEmailV2",
    ):
        assert app.count(child + ",") + app.count(child + "\n") == 1, child
    # add-version started v2 of each consumer in place of v1: stored v1 events reach it upcast.
    for replaced in ("InitializedToSummaryV1", "InitializedToFactV1", "ThenConfirmEmailV1"):
        assert replaced not in app, replaced
    profiles_app = read(umbrella, f"{PROFILES}/application.ex")
    assert "ReckonProfiles.Integration.AccountActivatedFactSubscriber" in profiles_app


def test_each_domain_has_its_own_store_prefix_and_cluster_port(umbrella: Path) -> None:
    ports = []
    for domain in ("accounts", "profiles"):
        config = read(umbrella, f"apps/reckon_{domain}/config/config.exs")
        assert f"store_id: :reckon_{domain}," in config
        assert f'stream_prefix: "reckon_{domain}_",' in config
        assert "adapter: ExESDB.Commanded.Adapter," in config
        ports += re.findall(r"port: ([\d_]+),", config)
        mix = read(umbrella, f"apps/reckon_{domain}/mix.exs")
        for dep in (
            ":commanded",
            ":ex_esdb",
            ":ex_esdb_commanded",
            ":phoenix_pubsub",
            ":ecto_sql",
            ":jason",
            ":libcluster",
            ":swarm",
        ):
            assert "{" + dep + "," in mix, dep
        assert (umbrella / f"apps/reckon_{domain}/design_docs/event-storming.md").is_file()
    assert len(set(ports)) == 2
    api = read(umbrella, f"{LIB}/domain_api.ex")
    assert "Swarm.register_name(api_name(), self())" in api


def test_umbrella_root_and_shared_app(umbrella: Path) -> None:
    assert 'apps_path: "apps"' in read(umbrella, "mix.exs")
    for rel in (
        "config/config.exs",
        "config/dev.exs",
        "config/test.exs",
        "config/prod.exs",
        ".formatter.exs",
        "apps/reckon_shared/mix.exs",
        "apps/reckon_shared/lib/reckon_shared.ex",
        "apps/reckon_shared/test/test_helper.exs",
        "slicegen.toml",
    ):
        assert (umbrella / rel).is_file(), rel
