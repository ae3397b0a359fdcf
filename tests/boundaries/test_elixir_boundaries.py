"""SG501-SG506 on an Elixir umbrella: aliases, directives, remote calls, migrations."""

from __future__ import annotations

from pathlib import Path

from slicegen.boundaries import run
from slicegen.config import read_config_file
from tests.boundaries.conftest import Build, found, write

PLACE = "apps/reckon_orders/lib/reckon_orders/domain/place_order/maybe_place_order_v1.ex"
MIGRATION = "apps/reckon_orders/priv/repo/migrations/20240101000000_add_lines.exs"


def module(body: str) -> str:
    inner = "".join(f"  {line}\n" if line else "\n" for line in body.splitlines())
    return f"defmodule ReckonOrders.Domain.PlaceOrder.MaybePlaceOrderV1 do\n{inner}end\n"


def test_multi_alias_reaching_internals(elixir_tree: Build) -> None:
    violations = elixir_tree(
        {PLACE: module("alias ReckonAccounts.{Domain.OpenAccount.EventV1, Repo}\n")}
    )
    assert [(v.code, v.line) for v in violations] == [("SG501", 2), ("SG501", 2), ("SG506", 2)]
    targets = sorted(v.key[-1] for v in violations)
    assert targets == [
        "ReckonAccounts.Domain.OpenAccount.EventV1",
        "ReckonAccounts.Repo",
        "ReckonAccounts.Repo",
    ]
    assert "'reckon_orders'" not in violations[0].message
    assert "'orders'" in violations[0].message and "'accounts'" in violations[0].message


def test_alias_as_is_expanded_in_calls(elixir_tree: Build) -> None:
    body = """\
alias ReckonAccounts.Domain, as: D
alias ReckonOrders.Domain, as: Mine

def run(x) do
  Mine.Local.call(x)
  D.OpenAccount.EventV1.new(x)
end
"""
    violations = elixir_tree({PLACE: module(body)})
    assert found(violations) == [("SG501", PLACE, 2), ("SG501", PLACE, 7)]
    assert violations[1].key[-1] == "ReckonAccounts.Domain.OpenAccount.EventV1"
    assert "D.OpenAccount.EventV1.new(x)" in violations[1].message


def test_alias_and_its_calls_make_one_finding(elixir_tree: Build) -> None:
    body = """\
alias ReckonAccounts.Domain.OpenAccount.EventV1

def run(x), do: EventV1.new(x) |> EventV1.check()
"""
    violations = elixir_tree({PLACE: module(body)})
    assert found(violations) == [("SG501", PLACE, 2)]
    assert "2 more use(s)" in violations[0].message


def test_import_require_use_of_internals(elixir_tree: Build) -> None:
    body = """\
import ReckonAccounts.Domain.Helpers
require ReckonAccounts.Domain.Macros
use ReckonAccounts.Domain.Schema
import Ecto.Query
use ReckonShared.Accounts.AccountOpenedFact
"""
    violations = elixir_tree({PLACE: module(body)})
    assert found(violations) == [("SG501", PLACE, 2), ("SG501", PLACE, 3), ("SG501", PLACE, 4)]


def test_public_call_needs_an_allowed_dependency(elixir_tree: Build) -> None:
    files = {PLACE: module("def run(x), do: ReckonAccounts.open_account(x)\n")}
    violations = elixir_tree(files)
    assert found(violations) == [("SG502", PLACE, 2)]
    assert "ReckonAccounts.open_account(x)" in violations[0].message
    assert elixir_tree(files, 'allow = { orders = ["accounts"] }\n') == []


def test_strict_mode(elixir_tree: Build) -> None:
    files = {PLACE: module("def run(x), do: ReckonAccounts.open_account(x)\n")}
    violations = elixir_tree(files, 'strict = true\nallow = { orders = ["accounts"] }\n')
    assert found(violations) == [("SG504", PLACE, 2)]


def test_struct_and_nested_module_references(elixir_tree: Build) -> None:
    body = """\
defmodule Inner do
  def build, do: %ReckonAccounts.Domain.OpenAccount.EventV1{}
end

def run, do: Inner.build()
"""
    violations = elixir_tree({PLACE: module(body)})
    assert found(violations) == [("SG501", PLACE, 3)]


def test_migration_touching_another_domains_tables(elixir_tree: Build) -> None:
    files = {
        MIGRATION: """\
        defmodule ReckonOrders.Repo.Migrations.AddLines do
          use Ecto.Migration

          def change do
            create table(:orders_lines) do
              add :account_id, references(:accounts_users)
            end

            alter table(:accounts_users) do
              add :orders_count, :integer
            end

            create index(:orders_lines, [:account_id])
            execute "UPDATE accounts_sessions SET x = 1", "SELECT 1"
          end
        end
        """
    }
    violations = elixir_tree(files)
    assert found(violations) == [("SG506", MIGRATION, 6), ("SG506", MIGRATION, 14)]
    assert "1 more use" in violations[0].message  # alter table(:accounts_users) on line 9
    assert "table 'accounts_sessions'" in violations[1].message


def test_schema_and_env_var_of_another_domain(elixir_tree: Build) -> None:
    files = {
        PLACE: module(
            'def url, do: System.get_env("RECKON_ACCOUNTS_DATABASE_URL")\n'
            'def own, do: System.get_env("RECKON_ORDERS_DATABASE_URL")\n'
        ),
        "apps/reckon_orders/lib/reckon_orders/line.ex": """\
        defmodule ReckonOrders.Line do
          use Ecto.Schema
          schema "orders_lines" do
          end
        end
        """,
        "apps/reckon_orders/lib/reckon_orders/peek.ex": """\
        defmodule ReckonOrders.Peek do
          use Ecto.Schema
          schema "accounts_users" do
          end
        end
        """,
        "apps/reckon_accounts/lib/reckon_accounts/user.ex": """\
        defmodule ReckonAccounts.User do
          use Ecto.Schema
          schema "accounts_users" do
          end
        end
        """,
    }
    violations = elixir_tree(files)
    assert found(violations) == [
        (
            "SG506",
            "apps/reckon_orders/lib/reckon_orders/domain/place_order/maybe_place_order_v1.ex",
            2,
        ),
        ("SG506", "apps/reckon_orders/lib/reckon_orders/peek.ex", 3),
    ]


def test_a_table_only_one_domain_maps_is_that_domains(elixir_tree: Build) -> None:
    """``accounts_settings`` is mapped by a schema in orders only: orders owns it, whatever its
    prefix says; another domain's schema on it is still SG506."""
    files = {
        "apps/reckon_orders/lib/reckon_orders/settings.ex": """\
        defmodule ReckonOrders.Settings do
          use Ecto.Schema
          schema "accounts_settings" do
          end
        end
        """,
        "apps/reckon_billing/mix.exs": "defmodule ReckonBilling.MixProject do\nend\n",
        "apps/reckon_billing/lib/reckon_billing/peek.ex": """\
        defmodule ReckonBilling.Peek do
          def q, do: execute("SELECT * FROM accounts_settings")
        end
        """,
    }
    violations = elixir_tree(files)
    assert [(v.code, v.path, v.line) for v in violations if v.code == "SG506"] == [
        ("SG506", "apps/reckon_billing/lib/reckon_billing/peek.ex", 2)
    ]
    assert "of domain 'orders'" in next(v.message for v in violations if v.code == "SG506")


def test_layers_inside_an_elixir_domain(elixir_tree: Build) -> None:
    files = {
        "apps/reckon_orders/lib/reckon_orders/repo/lines.ex": """\
        defmodule ReckonOrders.Repo.Lines do
          alias ReckonOrders.Web.LineView
        end
        """,
        "apps/reckon_orders/lib/reckon_orders/web/line_view.ex": """\
        defmodule ReckonOrders.Web.LineView do
          alias ReckonOrders.Repo.Lines
        end
        """,
    }
    violations = elixir_tree(files, 'layers = ["web", "domain", "repo"]\n')
    assert found(violations) == [("SG505", "apps/reckon_orders/lib/reckon_orders/repo/lines.ex", 2)]


def test_cycle_between_umbrella_apps(elixir_tree: Build) -> None:
    files = {
        "apps/reckon_accounts/lib/reckon_accounts/notify.ex": (
            "defmodule ReckonAccounts.Notify do\n  def run, do: ReckonOrders.place()\nend\n"
        ),
        PLACE: module("def run(x), do: ReckonAccounts.open_account(x)\n"),
    }
    violations = elixir_tree(files, 'allow = { orders = ["accounts"], accounts = ["orders"] }\n')
    assert [v.code for v in violations] == ["SG503"]
    assert "accounts -> orders -> accounts" in violations[0].message


def test_standalone_app_with_domain_globs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mix.exs": "defmodule Backend.MixProject do\nend\n",
            "lib/backend/access/policy.ex": (
                "defmodule Backend.Access.Policy do\n"
                "  alias Backend.Content.Provider\n"
                "  def allowed?(user), do: Backend.Content.visible?(user)\n"
                "end\n"
            ),
            "lib/backend/content/provider.ex": "defmodule Backend.Content.Provider do\nend\n",
            "lib/backend/shared/bus.ex": "defmodule Backend.Shared.Bus do\nend\n",
        },
    )
    (tmp_path / "slicegen.toml").write_text(
        'stack = "elixir"\n\n[lint.boundaries]\ndomains = ["lib/backend/*"]\n'
        'shared = ["Backend.Shared"]\n'
    )
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    violations = run(tmp_path, config, use_cache=False)
    policy = "lib/backend/access/policy.ex"
    assert found(violations) == [("SG501", policy, 2), ("SG502", policy, 3)]
    assert "'access'" in violations[0].message and "'content'" in violations[0].message


def test_long_pipelines_do_not_exhaust_the_stack() -> None:
    from slicegen.boundaries.imports_elixir import extract_elixir

    chain = " <> ".join(['"x"'] * 3000)
    source = f"defmodule A do\n  def f, do: {chain} <> ReckonAccounts.Repo.name()\nend\n"
    record = extract_elixir("a.ex", source)
    assert record.error is None
    assert [u.target for u in record.uses] == ["ReckonAccounts.Repo"]


def test_directive_options_naming_another_domain(elixir_tree: Build) -> None:
    policy = "apps/reckon_orders/lib/reckon_orders/domain/place_order/when_opened_then_place_v1.ex"
    body = (
        "defmodule ReckonOrders.Domain.PlaceOrder.WhenOpenedThenPlaceV1 do\n"
        '  use Commanded.Event.Handler, application: ReckonAccounts.CommandedApp, name: "x"\n'
        "  alias ReckonOrders.Domain, as: ReckonAccountsLookalike\n"
        "end\n"
    )
    assert found(elixir_tree({policy: body})) == [("SG501", policy, 2)]
