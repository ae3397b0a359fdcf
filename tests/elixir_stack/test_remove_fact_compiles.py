"""After ``add-fact`` and ``remove-fact`` the generated umbrella still compiles without a warning
(the retired fact module in the domain's app included) and its generated tests pass, judged by
Elixir against the same stand-ins as the scenario's compile test."""

from __future__ import annotations

import re
from pathlib import Path

from tests.elixir_stack.support import elixir_sources, ok, require_elixir, run_tool
from tests.elixir_stack.test_elixir_toolchain import STAND_INS

STEPS: tuple[tuple[str, ...], ...] = (
    ("init", "--stack", "elixir", "--app", "shop", "."),
    ("new-domain", "accounts"),
    ("new-domain", "profiles"),
    ("add-slice", "accounts", "open_account", "-f", "owner:str"),
    ("add-slice", "accounts", "close_account", "-f", "reason:str"),
    ("add-slice", "profiles", "establish_profile", "-f", "owner:str"),
    ("add-fact", "accounts", "account_opened"),
    ("add-fact", "accounts", "account_closed"),
    ("add-policy", "profiles", "establish_profile", "--on", "accounts:account_opened"),
    ("remove-fact", "accounts", "account_closed"),
)


def compile_and_test(root: Path, tmp_path: Path) -> tuple[int, int, int, int]:
    """Modules compiled, warnings, tests run, failures."""
    elixir, _ = require_elixir()
    apps = root / "apps"
    libs = [
        p
        for p in elixir_sources(apps)
        if (("/lib/" in p.as_posix() or "/test/support/" in p.as_posix()) and p.suffix == ".ex")
        or "/priv/repo/migrations/" in str(p)
    ]
    tests = [p for p in elixir_sources(apps) if p.name.endswith("_test.exs")]
    script = [str(STAND_INS / "compile_and_test.exs"), str(STAND_INS / "stand_ins.exs")]
    done = run_tool([elixir, *script, *map(str, libs), "--", *map(str, tests)], tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    compiled = re.search(r"compiled (\d+) modules, (\d+) warnings", output)
    ran = re.search(r"ran (\d+) tests, (\d+) failures", output)
    assert compiled and ran, output
    assert int(compiled.group(1)) >= len(libs), output
    return int(compiled[1]), int(compiled[2]), int(ran[1]), int(ran[2])


def test_an_umbrella_after_add_and_remove_fact_compiles_and_passes(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    root.mkdir()
    for step in STEPS:
        ok(root, *step)
    retired = root / "apps/shop_accounts/lib/shop_accounts/retired/account_closed_fact.ex"
    assert "defmodule ShopShared.Accounts.AccountClosedFact do" in retired.read_text()
    (tmp_path / "run").mkdir()
    _, warnings, ran, failures = compile_and_test(root, tmp_path / "run")
    assert (warnings, failures) == (0, 0) and ran > 0
    # and once the last fact is gone too (its policy first)
    ok(root, "remove-policy", "profiles", "establish_profile", "--on", "accounts:account_opened")
    ok(root, "remove-fact", "accounts", "account_opened")
    assert not (root / "apps/shop_accounts/lib/shop_accounts/fact_log.ex").exists()
    (tmp_path / "run2").mkdir()
    _, warnings, ran, failures = compile_and_test(root, tmp_path / "run2")
    assert (warnings, failures) == (0, 0) and ran > 0
