"""Seeded generator of hostile Python and Elixir sources for fuzzing the readers and lint.

Shared by ``tests/reliability/test_fuzz_lint.py`` (a few hundred files) and
``benchmarks/fuzz_lint.py`` (tens of thousands). Files are mutations of seed sources (slicegen's
own scaffolds when available, else the snippets below): truncated, spliced, with bytes inserted,
deleted or duplicated, invalid UTF-8, deep nesting, long lines and odd line endings.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

PY_SEEDS = [
    b'''"""Slice: initialize an account."""
from __future__ import annotations

from pydantic import BaseModel
from eventsourcing.domain import Aggregate, event

from shop.shared.messages import Command


class InitializeAccountV1(Command):
    email: str
    age: int | None = None


class AccountInitializedV1(BaseModel):
    event_type = "account_initialized:v1"
    email: str


def maybe_initialize_account_v1(state: dict, command: InitializeAccountV1) -> list[object]:
    if state.get("initialized"):
        raise ValueError("already initialized")
    return [AccountInitializedV1(email=command.email)]
''',
    b"""from shop.accounts.domain.initialize_account import command_v1
from shop.billing.domain.open_ledger.command_v1 import OpenLedgerV1  # slicegen: ignore[SG501] ok

ROUTES = {"initialize_account:v1": command_v1}


def route(app, command):
    return app.dispatch(command)


if TYPE_CHECKING:
    from shop.billing import internals

bus.subscribe("accounts:facts:account_activated", handler)
bus.publish("accounts:facts:account_activated", {"id": 1})
""",
    b"""class ProfileUpdated:
    pass


class CreateProfile:
    pass


def delete_profile():
    import os
    return os.getcwd()
""",
    b"",
    b"\xef\xbb\xbfx = 1\r\n",
]

EX_SEEDS = [
    b"""defmodule Shop.Accounts.InitializeAccount.CommandV1 do
  @moduledoc "Initialize an account."
  use TypedStruct

  typedstruct enforce: true do
    field :email, String.t()
    field :age, integer() | nil
  end
end
""",
    b"""defmodule Shop.Accounts.InitializeAccount.Handler do
  alias Shop.Accounts.InitializeAccount.{CommandV1, EventV1}
  alias ShopBilling.Internal.Ledger
  import Ecto.Query, only: [from: 2]
  require Logger

  def handle(%{initialized: true}, %CommandV1{}), do: {:error, :already_initialized}

  def handle(_state, %CommandV1{email: email}) do
    %EventV1{email: email, at: ~U[2024-01-01 09:00:00Z]}
  end

  def topic, do: "accounts:facts:account_activated"
  def type, do: "account_initialized:v1"
  def go(app), do: app.dispatch(%CommandV1{email: "#{1 + 1}"}, consistency: :strong)
end
""",
    b"""defmodule Shop.Accounts.ProfileUpdated do
  @derive Jason.Encoder
  defstruct [:id, name: nil]
  # slicegen: ignore-file[SG101] legacy
end
""",
    b"",
]

FRAGMENTS = [
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b"\n" * 3,
    b"\t",
    b"\\",
    b"'''",
    b'"""',
    b'"',
    b"'",
    b"#",
    b"(",
    b")",
    b"[",
    b"]",
    b"{",
    b"}",
    b":",
    b",",
    b"@",
    b"def ",
    b"class ",
    b"import ",
    b"from . import ",
    b"async ",
    b"lambda: ",
    b"yield ",
    b"defmodule ",
    b" do\n",
    b"\nend\n",
    b"fn -> ",
    b"%{",
    b"<<",
    b">>",
    b'"#{',
    b"~s(",
    b"~r/",
    b"alias ",
    b"use ",
    b"defp ",
    b"__MODULE__",
    b"@moduledoc ",
    b"\xe2\x80\xae",
    b"\xf0\x9f\x92\xa5",
    b"event_type = ",
    b"dispatch(",
    b"subscribe(",
    b"publish(",
    b":v1",
    b"_v2",
    b"V3",
    b"# slicegen: ignore",
    b"# slicegen: ignore[SG",
    b"# slicegen: ignore-file[,]",
    b"ProfileDeleted",
    b"create_profile",
]


def seeds_from(root: Path, suffixes: tuple[str, ...]) -> list[bytes]:
    """Every source file below ``root`` with one of ``suffixes`` (scaffolded seeds)."""
    return [
        p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in suffixes and ".slicegen" not in p.parts
    ]


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.randrange(1, 64))


def _truncate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _delete(rng: random.Random, data: bytes, other: bytes) -> bytes:
    start, end = _span(rng, data)
    return data[:start] + data[end:]


def _duplicate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    start, end = _span(rng, data)
    return data[:end] + data[start:end] * rng.randrange(1, 4) + data[end:]


def _insert(rng: random.Random, data: bytes, other: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(FRAGMENTS) + data[at:]


def _random_bytes(rng: random.Random, data: bytes, other: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randrange(1, 16)) + data[at:]


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]


def _swap_lines(rng: random.Random, data: bytes, other: bytes) -> bytes:
    lines = data.split(b"\n")
    rng.shuffle(lines)
    return b"\n".join(lines)


def _line_endings(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\r", b"\x0b", b"\x85"]))


def _indent(rng: random.Random, data: bytes, other: bytes) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    lines[i] = rng.choice([b" ", b"\t", b"    " * 20]) + lines[i]
    return b"\n".join(lines)


_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_WORDS = [
    b"create_profile",
    b"ProfileUpdated",
    b"ProfileDeleted",
    b"update",
    b"delete",
    b"save",
    b"initialize_account",
    b"AccountInitializedV1",
    b"account_initialized_v2",
    b"CommandV1",
    b"EventV3",
    b"dispatch",
    b"subscribe",
    b"publish",
    b"billing",
    b"accounts",
    b"shop",
    b"Shop.Billing.Internal",
    b"shop.billing.domain",
    b"event_type",
    b"TYPE_CHECKING",
    b"x" * 300,
    b"\xc3\xa9t\xc3\xa9",
    b"_",
    b"__init__",
    b"end",
    b"do",
    b"class",
    b"def",
]


def _rename(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Replace one identifier with a loaded word: mostly keeps the file parseable."""
    found = list(_IDENTIFIER.finditer(data))
    if not found:
        return data
    match = rng.choice(found)
    return data[: match.start()] + rng.choice(_WORDS) + data[match.end() :]


def _extreme(rng: random.Random, data: bytes, other: bytes) -> bytes:
    depth = rng.choice([50, 200, 1000, 5000])
    return rng.choice(
        [
            b"x = " + b"(" * depth + b"1" + b")" * depth + b"\n",
            b"x = " + b"[" * depth + b"\n",
            b"x = 1" + b" + 1" * depth * 5 + b"\n",
            b"def f():\n" + b"".join(b" " * i + b"if x:\n" for i in range(1, depth // 10 + 2)),
            b"defmodule A do\n" + b"defmodule B do\n" * (depth // 5) + b"end\n" * (depth // 5),
            b"x = " + b"%{a: " * depth + b"1" + b"}" * depth + b"\n",
            b"a" * (depth * 100) + b"\n",
            b"# " + b"\xe2\x80\xae" * depth + b"\n",
            data * 20,
        ]
    )


MUTATORS: list[Callable[[random.Random, bytes, bytes], bytes]] = [
    _rename,
    _rename,
    _rename,
    _truncate,
    _delete,
    _duplicate,
    _insert,
    _insert,
    _random_bytes,
    _splice,
    _swap_lines,
    _line_endings,
    _indent,
    _extreme,
]


def mutate(
    rng: random.Random,
    seeds: list[bytes],
    mutators: list[Callable[[random.Random, bytes, bytes], bytes]] = MUTATORS,
) -> bytes:
    """One hostile file: a seed put through one to four mutations."""
    data = rng.choice(seeds)
    for _ in range(rng.randrange(1, 4)):
        data = rng.choice(mutators)(rng, data, rng.choice(seeds))
    return data


def generate(rng: random.Random, seeds: list[bytes], count: int) -> Iterable[bytes]:
    for _ in range(count):
        yield mutate(rng, seeds)


# --- workspaces for lint ---------------------------------------------------------------------

PY_PATHS = [
    "src/shop/accounts/domain/initialize_account/command_v1.py",
    "src/shop/accounts/domain/initialize_account/event_v1.py",
    "src/shop/accounts/domain/initialize_account/maybe_initialize_account_v1.py",
    "src/shop/accounts/domain/initialize_account/initialized_to_state_v1.py",
    "src/shop/accounts/domain/update_profile/command_v1.py",
    "src/shop/accounts/router.py",
    "src/shop/accounts/state.py",
    "src/shop/accounts/__init__.py",
    "src/shop/accounts/projections/account_summary.py",
    "src/shop/billing/domain/open_ledger/event_v2.py",
    "src/shop/billing/integration/on_account_activated.py",
    "src/shop/shared/facts/account_activated_v1.py",
    "tests/accounts/initialize_account/test_command_v1.py",
]
EX_PATHS = [
    "apps/shop_accounts/lib/shop_accounts/initialize_account/command_v1.ex",
    "apps/shop_accounts/lib/shop_accounts/initialize_account/event_v1.ex",
    "apps/shop_accounts/lib/shop_accounts/initialize_account/handler.ex",
    "apps/shop_accounts/lib/shop_accounts/initialize_account/evolver.ex",
    "apps/shop_accounts/lib/shop_accounts/router.ex",
    "apps/shop_accounts/lib/shop_accounts/projections/account_summary.ex",
    "apps/shop_accounts/mix.exs",
    "apps/shop_accounts/test/initialize_account/command_test.exs",
    "apps/shop_billing/lib/shop_billing/integration/on_account_activated.ex",
    "apps/shop_shared/lib/shop_shared/facts/account_activated_v1.ex",
]


def write_workspace(
    root: Path,
    stack: str,
    rng: random.Random,
    seeds: list[bytes],
    count: int,
    template: Path | None = None,
    mutators: list[Callable[[random.Random, bytes, bytes], bytes]] = MUTATORS,
) -> int:
    """A workspace of ``count`` hostile files at slice-like paths; returns how many were written.

    With ``template`` (a scaffolded workspace) its files are copied and overwritten at random.
    """
    if template is not None:
        shutil.copytree(template, root, ignore=shutil.ignore_patterns(".slicegen"))
    else:
        root.mkdir(parents=True)
        (root / "slicegen.toml").write_text(f'stack = "{stack}"\napp = "shop"\n')
    suffixes = (".py",) if stack == "python" else (".ex", ".exs")
    existing = [
        p.relative_to(root).as_posix()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in suffixes
    ]
    paths = existing + (PY_PATHS if stack == "python" else EX_PATHS)
    for index in range(count):
        rel = rng.choice(paths)
        if index >= len(paths) // 2:  # beyond the known paths: new files in the same folders
            folder, _, name = rel.rpartition("/")
            stem, dot, suffix = name.partition(".")
            rel = f"{folder}/{stem}_{index}{dot}{suffix}"
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(mutate(rng, seeds, mutators))
    return count
