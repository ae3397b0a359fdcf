"""Fixtures of the elixir stack's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.elixir_stack.support import ok

#: The scenario the end-to-end tests share: two domains, typed fields, projections, a local
#: policy, cross-domain policies through facts (added explicitly and with --with-fact), a v2.
#: Every policy's command fields can be filled from its event or fact (by name and type, or
#: optional), so the tree is lint clean; ``test_policies`` covers a field that cannot be.
SCENARIO: tuple[tuple[str, ...], ...] = (
    ("init", "--stack", "elixir", "--app", "reckon", "."),
    ("new-domain", "accounts"),
    ("new-domain", "profiles"),
    (
        "add-slice",
        "accounts",
        "initialize_account",
        "-f",
        "email:str",
        "-f",
        "tags:list[str]",
        "-f",
        "note:str?",
        "-f",
        "joined_on:date",
        "-f",
        "credit:decimal",
        "-p",
        "summary",
    ),
    (
        "add-slice",
        "accounts",
        "activate_account",
        "-f",
        "activated_at:datetime",
        "-f",
        "score:int",
        "-f",
        "ratio:float",
        "-f",
        "verified:bool",
        "-f",
        "token:uuid",
    ),
    ("add-projection", "accounts", "activate_account", "summary"),
    ("add-slice", "accounts", "confirm_email", "-f", "email:str"),
    ("add-policy", "accounts", "confirm_email", "--on", "accounts:account_initialized"),
    ("add-fact", "accounts", "account_activated"),
    (
        "add-slice",
        "profiles",
        "establish_profile",
        "-f",
        "activated_at:datetime",
        "-f",
        "display_name:str?",
    ),
    ("add-policy", "profiles", "establish_profile", "--on", "accounts:account_activated"),
    ("add-slice", "profiles", "personalize_profile", "-f", "theme:str?"),
    (
        "add-policy",
        "profiles",
        "personalize_profile",
        "--on",
        "accounts:account_initialized",
        "--with-fact",
    ),
    ("add-version", "accounts", "initialize_account", "-f", "referrer:str?"),
)


#: Long names (app, domains, commands, fields): lines that fit for `reckon`/`accounts` do not fit
#: here, so the generated code must break them exactly as `mix format` would.
LONG_SCENARIO: tuple[tuple[str, ...], ...] = (
    ("init", "--stack", "elixir", "--app", "reckon_platform", "."),
    ("new-domain", "customer_relationships"),
    ("new-domain", "loyalty_programs"),
    (
        "add-slice",
        "customer_relationships",
        "establish_preferred_channel",
        "-f",
        "preferred_channel_identifier:str",
        "-f",
        "secondary_contact_address:str?",
        "-f",
        "preferred_communication_channel_identifiers:list[str]",
        "-p",
        "relationship_overview",
    ),
    ("add-fact", "customer_relationships", "preferred_channel_established"),
    (
        "add-slice",
        "loyalty_programs",
        "register_channel_preference",
        "-f",
        "preferred_channel_identifier:str",
    ),
    (
        "add-policy",
        "loyalty_programs",
        "register_channel_preference",
        "--on",
        "customer_relationships:preferred_channel_established",
    ),
    ("add-slice", "customer_relationships", "confirm_preferred_channel"),
    (
        "add-policy",
        "customer_relationships",
        "confirm_preferred_channel",
        "--on",
        "customer_relationships:preferred_channel_established",
    ),
    (
        "add-version",
        "customer_relationships",
        "establish_preferred_channel",
        "-f",
        "verification_reference:str",
    ),
)


@pytest.fixture(scope="session")
def long_umbrella(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LONG_SCENARIO, generated once per session with the in-process CLI."""
    from typer.testing import CliRunner

    from slicegen.cli import app

    root = tmp_path_factory.mktemp("elixir_long_names")
    runner = CliRunner()
    for args in LONG_SCENARIO:
        result = runner.invoke(
            app, [*args, "-C", str(root)] if args[0] != "init" else [*args[:-1], str(root)]
        )
        assert result.exit_code == 0, (args, result.output)
    return root


@pytest.fixture(scope="session")
def eventstore_umbrella(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LONG_SCENARIO on the PostgreSQL EventStore (``--event-store eventstore``)."""
    from typer.testing import CliRunner

    from slicegen.cli import app

    root = tmp_path_factory.mktemp("elixir_eventstore")
    runner = CliRunner()
    for args in LONG_SCENARIO:
        if args[0] == "init":
            args = (*args[:-1], "--event-store", "eventstore", str(root))
        else:
            args = (*args, "-C", str(root))
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, (args, result.output)
    return root


@pytest.fixture(scope="session")
def umbrella(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scenario generated once per test session (per xdist worker) with the real CLI."""
    root = tmp_path_factory.mktemp("elixir_umbrella")
    for args in SCENARIO:
        ok(root, *args)
    return root
