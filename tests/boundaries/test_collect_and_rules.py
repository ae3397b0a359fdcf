"""Discovery of domains, the content-hash cache, the module entry point, and the rule texts."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from slicegen.boundaries import RULES, DomainMap, discover, run
from slicegen.boundaries.collect import CACHE_FILE
from slicegen.boundaries.result_cache import read_json
from slicegen.config import Config, read_config_file
from slicegen.constants import CACHE_DIR
from slicegen.model.domains import module_of_dir
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
    cache = read_json(tmp_path, CACHE_FILE)
    assert isinstance(cache, dict) and orders in cache
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
    assert [r.code for r in RULES] == [f"SG50{i}" for i in range(1, 8)]
    for rule in RULES:
        assert rule.name == rule.name.lower() and " " not in rule.name
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert section in rule.explanation, (rule.code, section)


def test_clean_modulith_has_no_findings(python_tree: Build, elixir_tree: Build) -> None:
    assert found(python_tree({})) == []
    assert found(elixir_tree({})) == []


def test_lint_rule_adapter(tmp_path: Path, python_tree: Build) -> None:
    from types import SimpleNamespace

    from slicegen.lint.boundary_rules import LINT_RULES

    python_tree({"src/shop/orders/app.py": "import shop.accounts.app\nimport shop.accounts\n"})
    config = read_config_file(tmp_path / "slicegen.toml")
    model = SimpleNamespace(root=tmp_path, stack="python", app="shop")
    ctx = SimpleNamespace(model=model, config=config, memo={})
    by_code = {rule.CODE: list(rule.check(ctx)) for rule in LINT_RULES}  # type: ignore[arg-type]
    assert [(f.code, f.path, f.line) for f in by_code["SG501"]] == [
        ("SG501", "src/shop/orders/app.py", 1)
    ]
    assert [f.line for f in by_code["SG502"]] == [2]
    assert by_code["SG502"][0].names == ("orders", "shop.orders.app", "accounts", "shop.accounts")
    assert all(rule.EXPLANATION.startswith("## What it does") for rule in LINT_RULES)


def test_result_cache_sees_new_files_new_domains_and_config_edits(
    tmp_path: Path, python_tree: Build
) -> None:
    python_tree({"src/shop/orders/app.py": "import shop.accounts\n"}, use_cache=True)
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    assert [v.code for v in run(tmp_path, config)] == ["SG502"]
    write(tmp_path, {"src/shop/orders/domain/late.py": "import shop.accounts.app\n"})
    assert sorted(v.code for v in run(tmp_path, config)) == ["SG501", "SG502"]
    write(tmp_path, {"src/shop/billing/__init__.py": "import shop.orders\n"})
    assert ("SG502", "src/shop/billing/__init__.py", 1) in found(run(tmp_path, config))
    boundaries = replace(
        config.lint.boundaries, allow={"orders": ["accounts"], "billing": ["orders"]}
    )
    allowing = replace(config, lint=replace(config.lint, boundaries=boundaries))
    assert [v.code for v in run(tmp_path, allowing)] == ["SG501"]


def test_entry_point_answers_a_warm_run_from_the_cache(tmp_path: Path, python_tree: Build) -> None:
    python_tree({"src/shop/orders/app.py": "import shop.accounts.app\n"})
    argv = [sys.executable, "-m", "slicegen.boundaries", str(tmp_path)]
    cold = subprocess.run(argv, capture_output=True, text=True, check=False)
    probe = (
        "import sys; from slicegen.boundaries.__main__ import main; "
        f"main([{str(tmp_path)!r}]); "
        "print('pydantic loaded:', any(m.startswith('pydantic') for m in sys.modules))"
    )
    warm = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert cold.returncode == 1 and cold.stdout
    assert warm.stdout == cold.stdout + "pydantic loaded: False\n"


def test_lint_rule_adapter_reads_only_the_files_the_engine_walked(
    tmp_path: Path, python_tree: Build
) -> None:
    from types import SimpleNamespace

    from slicegen.lint.boundary_rules import LINT_RULES

    python_tree(
        {
            "src/shop/orders/app.py": "import shop.accounts.app\n",
            "src/shop/orders/ignored.py": "import shop.accounts.repo\n",
        }
    )
    config = read_config_file(tmp_path / "slicegen.toml")
    walked = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.py")]
    model = SimpleNamespace(
        root=tmp_path,
        stack="python",
        app="shop",
        paths=[p for p in walked if not p.endswith("ignored.py")],
    )
    ctx = SimpleNamespace(model=model, config=config, memo={})
    findings = [f for rule in LINT_RULES for f in rule.check(ctx)]  # type: ignore[arg-type]
    assert [(f.code, f.path) for f in findings] == [("SG501", "src/shop/orders/app.py")]
