"""SG501-SG506 on a Python modulith: each violation beside its clean counterpart."""

from __future__ import annotations

from tests.boundaries.conftest import Build, found

ORDERS = "src/shop/orders/app.py"
HANDLER = "src/shop/orders/domain/place_order/handler.py"


def test_internal_access_is_flagged_and_facts_are_not(python_tree: Build) -> None:
    violations = python_tree(
        {
            ORDERS: """\
            from shop.shared.facts.accounts.account_opened_fact_v1 import AccountOpenedFactV1
            from shop.accounts.domain.open_account.event_v1 import AccountOpenedV1
            """
        }
    )
    assert found(violations) == [("SG501", ORDERS, 2)]
    message = violations[0].message
    assert "from shop.accounts.domain.open_account.event_v1 import AccountOpenedV1" in message
    assert "'orders'" in message and "'accounts'" in message
    assert "public API 'shop.accounts'" in message
    assert violations[0].key == (
        "SG501",
        "orders",
        "shop.orders.app",
        "accounts",
        "shop.accounts.domain.open_account.event_v1",
    )


def test_from_package_import_submodule_is_internal(python_tree: Build) -> None:
    violations = python_tree({ORDERS: "from shop.accounts import app\n"})
    assert found(violations) == [("SG501", ORDERS, 1)]
    assert "shop.accounts.app" in violations[0].message


def test_public_root_needs_an_allowed_dependency(python_tree: Build) -> None:
    files = {ORDERS: "import shop.accounts\nfrom shop.accounts import open_account\n"}
    violations = python_tree(files)
    assert found(violations) == [("SG502", ORDERS, 1)]
    assert 'allow (orders = ["accounts"])' in violations[0].message
    assert "1 more use" in violations[0].message
    assert python_tree(files, 'allow = { orders = ["accounts"] }\n') == []


def test_allowed_dependency_does_not_open_internals(python_tree: Build) -> None:
    files = {ORDERS: "import shop.accounts.domain.open_account.event_v1\n"}
    violations = python_tree(files, 'allow = { orders = ["accounts"] }\n')
    assert found(violations) == [("SG501", ORDERS, 1)]


def test_relative_imports_resolve_against_the_file(python_tree: Build) -> None:
    violations = python_tree(
        {
            HANDLER: """\
            from . import sibling
            from ..place_order import sibling as again
            from ....accounts.domain import open_account
            """,
            "src/shop/orders/domain/place_order/sibling.py": "",
        }
    )
    assert found(violations) == [("SG501", HANDLER, 3)]
    assert "shop.accounts.domain.open_account" in violations[0].message


def test_function_level_imports_count(python_tree: Build) -> None:
    violations = python_tree(
        {
            ORDERS: """\
            def place() -> None:
                try:
                    from shop.accounts.repo import AccountRepo
                except ImportError:
                    pass
            """
        }
    )
    assert [(v.code, v.line) for v in violations] == [("SG501", 3), ("SG506", 3)]


def test_type_checking_imports_follow_the_config(python_tree: Build) -> None:
    files = {
        ORDERS: """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from shop.accounts.domain.open_account.event_v1 import AccountOpenedV1
        else:
            from shop.accounts.app import dispatch
        """
    }
    assert found(python_tree(files)) == [("SG501", ORDERS, 6)]
    counted = python_tree(files, "type-checking-imports = true\n")
    assert found(counted) == [("SG501", ORDERS, 4), ("SG501", ORDERS, 6)]


def test_strict_mode_forbids_even_the_public_api(python_tree: Build) -> None:
    files = {ORDERS: "from shop.accounts import open_account\n"}
    strict = python_tree(files, 'strict = true\nallow = { orders = ["accounts"] }\n')
    assert found(strict) == [("SG504", ORDERS, 1)]
    assert "strict" in strict[0].message
    assert (
        python_tree({ORDERS: "from shop.shared.facts import accounts\n"}, "strict = true\n") == []
    )


def test_layers_point_down(python_tree: Build) -> None:
    files = {
        "src/shop/orders/web/__init__.py": "",
        "src/shop/orders/web/views.py": "from shop.orders.repo.store import save\n",
        "src/shop/orders/repo/__init__.py": "",
        "src/shop/orders/repo/store.py": "import os\n\n\nfrom shop.orders.web import views\n",
    }
    violations = python_tree(files, 'layers = ["web", "domain", "repo"]\n')
    assert found(violations) == [("SG505", "src/shop/orders/repo/store.py", 4)]
    assert "layer 'repo'" in violations[0].message and "'web'" in violations[0].message
    assert python_tree(files) == []  # no layers declared


def test_database_variable_of_another_domain(python_tree: Build) -> None:
    files = {
        ORDERS: """\
        import os

        OWN = os.environ.get("SHOP_ORDERS_DATABASE_URL")
        OTHER = os.environ["SHOP_ACCOUNTS_DATABASE_URL"]
        """
    }
    violations = python_tree(files)
    assert found(violations) == [("SG506", ORDERS, 4)]
    assert "SHOP_ACCOUNTS_DATABASE_URL" in violations[0].message


def test_alembic_migration_touching_another_domains_table(python_tree: Build) -> None:
    migration = "src/shop/orders/migrations_v1.py"
    files = {
        migration: """\
        from alembic import op

        def upgrade() -> None:
            op.create_table("orders_lines")
            op.add_column("accounts_users", None)
            op.execute("UPDATE accounts_sessions SET x = 1")
        """
    }
    assert found(python_tree(files)) == [("SG506", migration, 5), ("SG506", migration, 6)]


def test_cycle_is_reported_once_with_its_chain(python_tree: Build) -> None:
    files = {
        "src/shop/accounts/app.py": "import shop.orders\n",
        "src/shop/inventory/app.py": "import shop.accounts\n",
    }
    allow = 'allow = { orders = ["inventory"], inventory = ["accounts"], accounts = ["orders"] }\n'
    violations = python_tree(files, allow)
    cycles = [v for v in violations if v.code == "SG503"]
    assert len(cycles) == 1
    assert "accounts -> orders -> inventory -> accounts" in cycles[0].message
    assert "'import shop.orders' at src/shop/accounts/app.py:1" in cycles[0].message
    assert (cycles[0].path, cycles[0].line) == ("src/shop/accounts/app.py", 1)
    assert cycles[0].key == ("SG503", "accounts", "orders", "inventory")
    assert python_tree(files, allow) == violations  # deterministic


def test_cycle_through_declared_dependencies_only(python_tree: Build) -> None:
    violations = python_tree({}, 'allow = { orders = ["accounts"], accounts = ["orders"] }\n')
    assert found(violations) == [("SG503", "slicegen.toml", 1)]
    assert "accounts -> orders -> accounts" in violations[0].message
    assert python_tree({}, 'allow = { orders = ["accounts"] }\n') == []


def test_unparsable_file_does_not_stop_the_run(python_tree: Build) -> None:
    files = {ORDERS: "def broken(:\n", HANDLER: "import shop.accounts.app\n"}
    assert found(python_tree(files)) == [("SG501", HANDLER, 1)]


def test_explicit_domain_globs_cover_a_new_domain(python_tree: Build) -> None:
    files = {
        "components/billing/__init__.py": "",
        "components/billing/core.py": "import components.payments.gateway\n",
        "components/payments/__init__.py": "",
        "components/payments/gateway.py": "",
    }
    violations = python_tree(files, 'domains = ["components/*"]\n')
    assert found(violations) == [("SG501", "components/billing/core.py", 1)]
    assert "'billing'" in violations[0].message and "'payments'" in violations[0].message
