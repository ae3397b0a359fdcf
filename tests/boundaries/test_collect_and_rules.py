"""Discovery of domains, the content-hash cache, the module entry point, and the rule texts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from slicegen.boundaries import RULES, DomainMap, discover, run
from slicegen.boundaries.collect import CACHE_DIR, CACHE_FILE
from slicegen.boundaries.domains import module_of_dir
from slicegen.config import Config, read_config_file
from tests.boundaries.conftest import ELIXIR_BASE, PYTHON_BASE, Build, found, write


def test_layout_discovery(tmp_path: Path) -> None:
    write(tmp_path, PYTHON_BASE)
    domains = discover(tmp_path, Config(stack="python", app="shop"))
    assert [(d.name, d.path, d.module) for d in domains.domains] == [
        ("accounts", "src/shop/accounts", "shop.accounts"),
        ("inventory", "src/shop/inventory", "shop.inventory"),
        ("orders", "src/shop/orders", "shop.orders"),
    ]
    assert domains.is_shared("shop.shared.facts.accounts")
    assert domains.python_module("src/shop/orders/domain/__init__.py") == (
        "shop.orders.domain",
        True,
    )


def test_elixir_discovery_without_an_app_name(tmp_path: Path) -> None:
    write(tmp_path, ELIXIR_BASE)
    domains = discover(tmp_path, Config())
    assert [(d.name, d.module, d.stack) for d in domains.domains] == [
        ("accounts", "ReckonAccounts", "elixir"),
        ("orders", "ReckonOrders", "elixir"),
    ]
    assert domains.is_shared("ReckonShared.Accounts.AccountOpenedFact")
    assert not domains.is_shared("ReckonAccountsWeb")


def test_module_of_dir() -> None:
    assert module_of_dir("src/shop/accounts", "python") == "shop.accounts"
    assert module_of_dir("apps/reckon_user_identity", "elixir") == "ReckonUserIdentity"
    assert module_of_dir("lib/backend/user_identity", "elixir") == "Backend.UserIdentity"


def test_owners_of_env_vars_and_tables() -> None:
    domains = DomainMap(
        (
            discover_domain("identity", "Backend.Identity"),
            discover_domain("user_identity", "Backend.UserIdentity"),
        ),
        app="backend",
        tables={"identity": ("sessions",)},
    )
    owner = domains.owner_of_env("BACKEND_USER_IDENTITY_APIV1_DATABASE_URL")
    assert owner is not None and owner.name == "user_identity"
    table = domains.owner_of_table("user_identity_tokens")
    assert table is not None and table.name == "user_identity"
    explicit = domains.owner_of_table("sessions")
    assert explicit is not None and explicit.name == "identity"
    assert domains.owner_of_table("schema_migrations") is None


def discover_domain(name: str, module: str):  # type: ignore[no-untyped-def]
    from slicegen.boundaries import Domain

    return Domain(name, f"lib/backend/{name}", module, "elixir")


def test_cache_reuses_unchanged_files_and_sees_edits(tmp_path: Path, python_tree: Build) -> None:
    orders = "src/shop/orders/app.py"
    first = python_tree({orders: "import shop.accounts.app\n"}, use_cache=True)
    cache = json.loads((tmp_path / CACHE_DIR / CACHE_FILE).read_text())
    assert orders in cache
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    assert run(tmp_path, config) == first
    (tmp_path / orders).write_text("\n\nimport shop.accounts.repo\n")
    again = run(tmp_path, config)
    assert [(v.code, v.line) for v in again] == [("SG501", 3), ("SG506", 3)]
    assert run(tmp_path, config, use_cache=False) == again


def test_module_entry_point(tmp_path: Path, python_tree: Build) -> None:
    python_tree({"src/shop/orders/app.py": "import shop.accounts.app\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "slicegen.boundaries", str(tmp_path), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout.startswith("src/shop/orders/app.py:1:1: SG501 ")
    assert not (tmp_path / CACHE_DIR).exists()


def test_rule_texts() -> None:
    assert [r.code for r in RULES] == [f"SG50{i}" for i in range(1, 7)]
    for rule in RULES:
        assert rule.name == rule.name.lower() and " " not in rule.name
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert section in rule.explanation, (rule.code, section)


def test_clean_modulith_has_no_findings(python_tree: Build, elixir_tree: Build) -> None:
    assert found(python_tree({})) == []
    assert found(elixir_tree({})) == []
