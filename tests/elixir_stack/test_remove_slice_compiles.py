"""``remove-slice`` of a slice wired into the supervision tree (its event published as a fact, a
projection of it) and of a slice another domain's fact feeds (its policy) leaves an umbrella that
compiles without a warning and passes its generated tests, judged by Elixir against the stand-ins.
Before, every module-body item naming the slice went: the application's whole ``start/2`` (it
lists the slice's publisher among its children) and the fact subscriber's ``@policies``."""

from __future__ import annotations

from pathlib import Path

from tests.elixir_stack.support import ok
from tests.elixir_stack.test_remove_fact_compiles import compile_and_test

STEPS: tuple[tuple[str, ...], ...] = (
    ("init", "--stack", "elixir", "--app", "shop", "."),
    ("new-domain", "accounts"),
    ("new-domain", "profiles"),
    ("add-slice", "accounts", "open_account", "-f", "email:str"),
    ("add-slice", "accounts", "close_account", "-f", "reason:str?"),
    ("add-slice", "profiles", "establish_profile", "-f", "email:str"),
    ("add-slice", "profiles", "note_profile", "-f", "note:str?"),
    (
        "add-policy",
        "profiles",
        "establish_profile",
        "--on",
        "accounts:account_opened",
        "--with-fact",
    ),
    ("add-policy", "profiles", "note_profile", "--on", "accounts:account_closed", "--with-fact"),
    ("add-projection", "accounts", "close_account", "summary"),
)


def test_remove_slice_keeps_the_supervision_tree_and_the_other_policies(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    root.mkdir()
    for step in STEPS:
        ok(root, *step)
    ok(root, "remove-slice", "profiles", "note_profile")
    ok(root, "remove-slice", "accounts", "close_account")
    accounts = (root / "apps/shop_accounts/lib/shop_accounts/application.ex").read_text()
    assert "def start(_type, _args) do" in accounts
    assert "ShopAccounts.Domain.OpenAccount.OpenedToFactV1" in accounts
    assert "CloseAccount" not in accounts
    profiles = root / "apps/shop_profiles/lib/shop_profiles"
    assert "def start(_type, _args) do" in (profiles / "application.ex").read_text()
    # the closed fact's subscriber went with its last policy; the opened fact's is untouched
    assert not (profiles / "integration/account_closed_fact_subscriber.ex").exists()
    opened = (profiles / "integration/account_opened_fact_subscriber.ex").read_text()
    assert "WhenAccountOpenedThenEstablishProfileV1" in opened
    (tmp_path / "run").mkdir()
    _, warnings, ran, failures = compile_and_test(root, tmp_path / "run")
    assert (warnings, failures) == (0, 0) and ran > 0
