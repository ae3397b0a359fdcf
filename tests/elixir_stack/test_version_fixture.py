"""After ``add-version``, the domain's test fixture gives the latest command's attributes.

Run by Elixir itself: the generated fixture and v2 command are compiled and the fixture's keys
compared with the command's struct. A ``uuid`` field (written ``String.t()``, so read back as a
``str``) once left the fixture at v1: the generated projection tests then failed ("updates only
its own fields") because the new field was missing from the command they dispatched.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.elixir_stack.support import ok, require_elixir

#: Prints the fixture's keys missing from the command's struct and the struct's missing from it.
COMPARE = """
attrs = ShopAccounts.Fixtures.open_account_attrs()
command = ShopAccounts.Domain.OpenAccount.CommandV2.new(attrs)
fields = command |> Map.from_struct() |> Map.keys() |> Enum.sort()
IO.puts(inspect({Enum.sort(Keyword.keys(attrs)) -- fields, fields -- Keyword.keys(attrs)}))
IO.puts(inspect(command.referrer))
"""


@pytest.mark.parametrize("referrer", ["uuid", "uuid?", "list[uuid]"])
def test_the_fixture_follows_the_command_to_v2(tmp_path: Path, referrer: str) -> None:
    elixir, _ = require_elixir()
    root = tmp_path / "shop"
    ok(tmp_path, "init", str(root), "--stack", "elixir", "--app", "shop")
    ok(root, "new-domain", "accounts")
    fields = ["--field", "email:str", "--field", f"referrer:{referrer}", "--field", "n:int"]
    ok(root, "add-slice", "accounts", "open_account", *fields)
    ok(root, "add-version", "accounts", "open_account", "--field", "locale:str?")
    app = root / "apps/shop_accounts"
    sources = [
        app / "test/support/fixtures.ex",
        app / "lib/shop_accounts/domain/open_account/command_v2.ex",
    ]
    script = tmp_path / "compare.exs"
    script.write_text(COMPARE, encoding="utf-8")
    argv = [elixir, *(arg for path in sources for arg in ("-r", str(path))), str(script)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    compared, value = done.stdout.splitlines()[-2:]
    assert compared == "{[], []}"
    uuid = '"00000000-0000-0000-0000-000000000001"'
    assert value == (f"[{uuid}]" if referrer.startswith("list") else uuid)
