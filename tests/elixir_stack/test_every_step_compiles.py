"""A user's whole scaffolding session on the elixir stack, the umbrella compiled without a warning
(``--warnings-as-errors``) and its generated tests run after EACH command, judged by Elixir against
the stand-ins. Before, ``new-domain`` left its public API's ``alias <Domain>.CommandedApp``
unused until the domain's first slice (and again after its last slice went)."""

from __future__ import annotations

from pathlib import Path

from tests.elixir_stack.support import ok
from tests.elixir_stack.test_remove_fact_compiles import compile_and_test

STEPS: tuple[tuple[str, ...], ...] = (
    ("new-domain", "accounts"),
    ("new-domain", "profiles"),
    ("add-slice", "accounts", "open_account", "-f", "email:str", "-f", "tags:list[str]"),
    ("add-slice", "profiles", "establish_profile", "-f", "email:str", "-f", "credit:decimal"),
    (
        "add-policy",
        "profiles",
        "establish_profile",
        "--on",
        "accounts:account_opened",
        "--with-fact",
    ),
    ("add-projection", "accounts", "open_account", "summary"),
    ("add-version", "accounts", "open_account", "-f", "note:str?"),
    ("rename-event", "accounts", "account_opened", "account_registered"),
    ("remove-policy", "profiles", "establish_profile", "--on", "accounts:account_opened"),
    ("remove-slice", "accounts", "open_account"),
)


def test_every_scaffolding_command_leaves_an_umbrella_that_compiles_clean(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    root.mkdir()
    ok(root, "init", "--stack", "elixir", "--app", "shop", ".")
    for n, step in enumerate(STEPS):
        ok(root, *step)
        run = tmp_path / f"run{n}"
        run.mkdir()
        _, warnings, _, failures = compile_and_test(root, run)
        assert (warnings, failures) == (0, 0), step
    api = (root / "apps/shop_accounts/lib/shop_accounts.ex").read_text()
    assert "CommandedApp.dispatch" not in api and "alias ShopAccounts.CommandedApp" not in api
