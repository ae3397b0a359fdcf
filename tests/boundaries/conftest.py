"""Small moduliths built in tmp_path from dicts of files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from slicegen.boundaries import Violation, run
from slicegen.config import read_config_file

Build = Callable[..., list[Violation]]

PYTHON_BASE = {
    "src/shop/__init__.py": "",
    "src/shop/shared/__init__.py": "",
    "src/shop/shared/facts/__init__.py": "",
    "src/shop/shared/facts/accounts/account_opened_fact_v1.py": "class AccountOpenedFactV1: ...\n",
    "src/shop/accounts/__init__.py": "def open_account(email: str) -> None: ...\n",
    "src/shop/accounts/app.py": "def dispatch(command: object) -> None: ...\n",
    "src/shop/accounts/repo.py": "class AccountRepo: ...\n",
    "src/shop/accounts/domain/__init__.py": "",
    "src/shop/accounts/domain/open_account/__init__.py": "",
    "src/shop/accounts/domain/open_account/event_v1.py": "class AccountOpenedV1: ...\n",
    "src/shop/orders/__init__.py": "",
    "src/shop/orders/app.py": "",
    "src/shop/orders/domain/__init__.py": "",
    "src/shop/orders/domain/place_order/__init__.py": "",
    "src/shop/inventory/__init__.py": "",
}

ELIXIR_BASE = {
    "apps/reckon_accounts/mix.exs": "defmodule ReckonAccounts.MixProject do\nend\n",
    "apps/reckon_accounts/lib/reckon_accounts.ex": (
        "defmodule ReckonAccounts do\n  def open_account(email), do: {:ok, email}\nend\n"
    ),
    "apps/reckon_accounts/lib/reckon_accounts/repo.ex": (
        "defmodule ReckonAccounts.Repo do\n  use Ecto.Repo, otp_app: :reckon_accounts\nend\n"
    ),
    "apps/reckon_accounts/lib/reckon_accounts/domain/open_account/event_v1.ex": (
        "defmodule ReckonAccounts.Domain.OpenAccount.EventV1 do\n  defstruct [:email]\nend\n"
    ),
    "apps/reckon_orders/mix.exs": "defmodule ReckonOrders.MixProject do\nend\n",
    "apps/reckon_orders/lib/reckon_orders.ex": "defmodule ReckonOrders do\nend\n",
    "apps/reckon_shared/mix.exs": "defmodule ReckonShared.MixProject do\nend\n",
    "apps/reckon_shared/lib/reckon_shared/accounts/account_opened_fact.ex": (
        "defmodule ReckonShared.Accounts.AccountOpenedFact do\n  defstruct [:email]\nend\n"
    ),
}


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def _builder(root: Path, stack: str, app: str, base: dict[str, str]) -> Build:
    def build(files: dict[str, str], boundaries: str = "", **options: bool) -> list[Violation]:
        write(root, {**base, **files})
        toml = (
            f'stack = "{stack}"\napp = "{app}"\n\n[lint.boundaries]\n{textwrap.dedent(boundaries)}'
        )
        (root / "slicegen.toml").write_text(toml, encoding="utf-8")
        config = read_config_file(root / "slicegen.toml")
        assert config is not None
        return run(root, config, use_cache=options.get("use_cache", False))

    return build


@pytest.fixture
def python_tree(tmp_path: Path) -> Build:
    """``python_tree({path: text}, boundaries_toml)`` -> the findings of a Python modulith."""
    return _builder(tmp_path, "python", "shop", PYTHON_BASE)


@pytest.fixture
def elixir_tree(tmp_path: Path) -> Build:
    """``elixir_tree({path: text}, boundaries_toml)`` -> the findings of an Elixir umbrella."""
    return _builder(tmp_path, "elixir", "reckon", ELIXIR_BASE)


def found(violations: list[Violation]) -> list[tuple[str, str, int]]:
    """(code, path, line) of each finding."""
    return [(v.code, v.path, v.line) for v in violations]
