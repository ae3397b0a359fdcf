"""Finding domains, slices and artifacts in trees slicegen did not generate, without a config."""

from __future__ import annotations

from pathlib import Path

from slicegen.model.discovery import infer_layout, walk
from slicegen.model.load import load_model
from slicegen.model.workspace import WorkspaceModel

from .conftest import lint_json
from .trees import elixir_clean, python_clean, write


def _model(root: Path) -> WorkspaceModel:
    return load_model(root, None, workers=1).model


def test_python_without_config_infers_domains(tmp_path: Path) -> None:
    files = {k: v for k, v in python_clean().items() if k != "slicegen.toml"}
    write(tmp_path, files)
    model = _model(tmp_path)
    assert model.stack == "python"
    assert model.app == "shop"
    assert {d.name: d.root for d in model.domains} == {
        "accounts": "src/shop/accounts",
        "profiles": "src/shop/profiles",
    }
    assert model.facts_dir == "src/shop/shared/facts"
    acc = model.domain("accounts")
    assert acc is not None and acc.public_module == "shop.accounts"
    assert sorted(s.name for s in acc.slices) == ["activate_account", "initialize_account"]
    kinds = {a.kind for a in acc.artifacts}
    assert kinds == {"command", "event", "handler", "evolver", "projection", "fact"}
    code, findings = lint_json(tmp_path, ignore=["SG5", "SG602"])
    assert (code, findings) == (0, [])


def test_python_flat_package_without_domain_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "billing/__init__.py": "",
            "billing/pay_invoice/command.py": "class PayInvoice:\n    pass\n",
            "billing/pay_invoice/event.py": "class InvoicePaid:\n    pass\n",
        },
    )
    model = _model(tmp_path)
    assert [(d.name, d.root) for d in model.domains] == [("billing", "billing")]
    [s] = model.domains[0].slices
    assert (s.name, s.under_domain_dir) == ("pay_invoice", False)
    _, findings = lint_json(tmp_path, select=["SG301", "SG201"])
    assert {(f["code"], f["path"]) for f in findings} == {
        ("SG301", "billing/pay_invoice"),
        ("SG201", "billing/pay_invoice/command.py"),
        ("SG201", "billing/pay_invoice/event.py"),
    }


def test_elixir_umbrella_without_config(tmp_path: Path) -> None:
    files = {k: v for k, v in elixir_clean().items() if k != "slicegen.toml"}
    write(tmp_path, files)
    model = _model(tmp_path)
    assert model.stack == "elixir" and model.app == "reckon"
    assert {d.name: (d.root, d.public_module) for d in model.domains} == {
        "accounts": ("apps/reckon_accounts/lib/reckon_accounts", "ReckonAccounts"),
        "profiles": ("apps/reckon_profiles/lib/reckon_profiles", "ReckonProfiles"),
    }
    assert model.facts_dir == "apps/reckon_shared/lib/reckon_shared"
    events = {a.business_name for a in model.events()}
    assert events == {"account_initialized", "account_activated", "profile_established"}
    code, findings = lint_json(tmp_path, ignore=["SG5", "SG602"])
    assert (code, findings) == (0, [])


def test_elixir_technical_folder_app(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mix.exs": "defmodule Shop.MixProject do\nend\n",
            "lib/shop/commands/register_customer.ex": (
                "defmodule Shop.Commands.RegisterCustomer do\n  defstruct [:id]\nend\n"
            ),
            "lib/shop/events/customer_registered.ex": (
                "defmodule Shop.Events.CustomerRegistered do\n  defstruct [:id]\nend\n"
            ),
            "lib/shop/handlers/customer_handler.ex": (
                "defmodule Shop.Handlers.CustomerHandler do\n  def handle(_, _), do: :ok\nend\n"
            ),
        },
    )
    model = _model(tmp_path)
    assert [(d.name, d.root) for d in model.domains] == [("shop", "lib/shop")]
    dom = model.domains[0]
    assert sorted(dom.technical_folders) == [
        "lib/shop/commands",
        "lib/shop/events",
        "lib/shop/handlers",
    ]
    assert {(a.kind, a.business_name) for a in dom.artifacts} >= {
        ("command", "register_customer"),
        ("event", "customer_registered"),
    }
    _, findings = lint_json(tmp_path, select=["SG308"])
    assert len(findings) == 3


def test_config_domains_dir(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "slicegen.toml": 'domains-dir = "modules"\n',
            "modules/orders/place_order/command_v1.py": "class PlaceOrderV1:\n    pass\n",
            "modules/orders/notes.py": "",
            "modules/stock/reserve_stock/command_v1.py": "class ReserveStockV1:\n    pass\n",
        },
    )
    from slicegen.config import find_config

    found = find_config(tmp_path)
    assert found is not None
    model = load_model(tmp_path, found[1], workers=1).model
    assert sorted(d.root for d in model.domains) == ["modules/orders", "modules/stock"]


def test_walk_follows_no_symlink_and_skips_tool_folders(tmp_path: Path) -> None:
    write(tmp_path, {"a/b/x.py": "", ".venv/lib/y.py": "", "node_modules/z.py": ""})
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")
    tree = walk(tmp_path, [])
    assert tree.files == ["a/b/up", "a/b/x.py"]  # the folder symlink is a leaf
    assert tree.links == ["a/b/up"] and tree.dirs == ["a", "a/b"]
    assert infer_layout(tree, None).domains == []


def test_elixir_standalone_app_with_contexts(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mix.exs": "defmodule Shop.MixProject do\nend\n",
            "lib/shop/accounts/domain/open_account/command_v1.ex": (
                "defmodule Shop.Accounts.Domain.OpenAccount.CommandV1 do\nend\n"
            ),
            "lib/shop/billing/charge_card/command.ex": (
                "defmodule Shop.Billing.ChargeCard.Command do\n"
                "  alias Shop.Accounts.Domain.OpenAccount.EventV1\n  defstruct [:card]\nend\n"
            ),
            "lib/shop/accounts/domain/open_account/event_v1.ex": (
                "defmodule Shop.Accounts.Domain.OpenAccount.EventV1 do\n"
                '  def event_type, do: "account_opened:v1"\nend\n'
            ),
        },
    )
    model = _model(tmp_path)
    assert (model.stack, model.app) == ("elixir", "shop")
    assert {d.name: d.public_module for d in model.domains} == {
        "accounts": "Shop.Accounts",
        "billing": "Shop.Billing",
    }
    assert model.storming_docs["billing"] == "design_docs/billing/event-storming.md"
    _, findings = lint_json(tmp_path, select=["SG404", "SG301"])
    assert {(f["code"], f["path"], f["line"]) for f in findings} == {
        ("SG404", "lib/shop/billing/charge_card/command.ex", 2),
        ("SG301", "lib/shop/billing/charge_card", 1),
    }
