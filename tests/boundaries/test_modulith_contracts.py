"""ArchTest's modulith behaviours and sasa1977's Boundary, on layouts slicegen never generated.

Elixir: a Phoenix-style app, each context a root file beside its folder (``lib/my_app/orders.ex``
next to ``lib/my_app/orders/``), the web app in ``lib/my_app_web``. Python: packages under
``src/shop`` with layer folders (``domain``, ``seedwork``) that are never domains.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from slicegen.boundaries import Violation, discover, run
from slicegen.boundaries.contract_import import detect_contracts
from slicegen.config import Config, read_config_file
from slicegen.model.discovery import infer_layout, walk
from tests.boundaries.conftest import write


def ex(module: str, body: str = "") -> str:
    inner = textwrap.indent(textwrap.dedent(body), "  ")
    return f"defmodule {module} do\n{inner}end\n"


PHOENIX = {
    "mix.exs": ex("MyApp.MixProject"),
    "lib/my_app/orders.ex": ex("MyApp.Orders", "def place(x), do: x\n"),
    "lib/my_app/orders/checkout.ex": ex("MyApp.Orders.Checkout"),
    "lib/my_app/accounts.ex": ex("MyApp.Accounts", "def get(id), do: id\n"),
    "lib/my_app/accounts/user.ex": ex("MyApp.Accounts.User", "defstruct [:id]\n"),
    "lib/my_app/inventory.ex": ex("MyApp.Inventory", "def stock(x), do: x\n"),
    "lib/my_app/inventory/repo.ex": ex("MyApp.Inventory.Repo"),
    "lib/my_app/inventory/schema.ex": ex("MyApp.Inventory.Schema"),
    "lib/my_app/domain/money.ex": ex("MyApp.Domain.Money"),
    "lib/my_app_web/router.ex": ex("MyAppWeb.Router", "def x, do: MyApp.Accounts.User.new()\n"),
}


def lint(root: Path, files: dict[str, str], boundaries: str = "", base: dict[str, str] = PHOENIX):
    write(root, {**base, **files})
    toml = f"[lint.boundaries]\n{textwrap.dedent(boundaries)}"
    (root / "slicegen.toml").write_text(toml, encoding="utf-8")
    config = read_config_file(root / "slicegen.toml")
    assert config is not None
    return run(root, config, use_cache=False)


def codes(violations: list[Violation]) -> list[tuple[str, str]]:
    return [(v.code, v.path) for v in violations]


def test_contexts_are_the_folders_with_a_root_file_beside_them(tmp_path: Path) -> None:
    lint(tmp_path, {})
    domains = discover(tmp_path, Config())
    assert {(d.name, d.path, d.module, d.root_file) for d in domains.domains} == {
        (n, f"lib/my_app/{n}", f"MyApp.{n.title()}", f"lib/my_app/{n}.ex")
        for n in ("orders", "accounts", "inventory")
    }  # not the layer folder 'domain', not the web app
    assert domains.of_path("lib/my_app/orders.ex").name == "orders"


def test_isolation_internals_of_another_context(tmp_path: Path) -> None:
    body = "alias MyApp.Inventory.{Repo, Schema}\ndef go, do: {Repo.all(), Schema.x()}\n"
    found = lint(tmp_path, {"lib/my_app/orders/checkout.ex": ex("MyApp.Orders.Checkout", body)})
    assert [(v.code, v.key[-1]) for v in found] == [
        ("SG501", "MyApp.Inventory.Repo"),
        ("SG501", "MyApp.Inventory.Schema"),
        ("SG506", "MyApp.Inventory.Repo"),
    ]


def test_the_root_file_is_read_and_needs_an_allowed_dependency(tmp_path: Path) -> None:
    files = {"lib/my_app/orders.ex": ex("MyApp.Orders", "def go(id), do: MyApp.Accounts.get(id)\n")}
    assert codes(lint(tmp_path, files)) == [("SG502", "lib/my_app/orders.ex")]
    assert lint(tmp_path, files, 'allow = { orders = ["accounts"] }\n') == []


def test_allow_grants_the_root_only(tmp_path: Path) -> None:
    body = "def go(id), do: %MyApp.Accounts.User{id: MyApp.Accounts.get(id)}\n"
    found = lint(
        tmp_path,
        {"lib/my_app/orders.ex": ex("MyApp.Orders", body)},
        'allow = { orders = ["accounts"] }\n',
    )
    assert [(v.code, v.key[-1]) for v in found] == [("SG501", "MyApp.Accounts.User")]


def test_strict_forbids_the_public_root_too(tmp_path: Path) -> None:
    files = {"lib/my_app/orders.ex": ex("MyApp.Orders", "def go(id), do: MyApp.Accounts.get(id)\n")}
    found = lint(tmp_path, files, 'strict = true\nallow = { orders = ["accounts"] }\n')
    assert codes(found) == [("SG504", "lib/my_app/orders.ex")]


def test_cycles_through_root_modules(tmp_path: Path) -> None:
    files = {
        "lib/my_app/orders.ex": ex("MyApp.Orders", "def go(id), do: MyApp.Accounts.get(id)\n"),
        "lib/my_app/accounts.ex": ex("MyApp.Accounts", "def get(id), do: MyApp.Orders.place(id)\n"),
    }
    allow = 'allow = { orders = ["accounts"], accounts = ["orders"] }\n'
    found = lint(tmp_path, files, allow)
    assert [v.code for v in found] == ["SG503"]
    assert "accounts -> orders -> accounts" in found[0].message


def test_layers_as_module_globs_most_specific_wins(tmp_path: Path) -> None:
    files = {
        "lib/my_app/orders/repo/orders.ex": ex(
            "MyApp.Orders.Repo.Orders", "def x, do: MyApp.Orders.Controllers.Page.y()\n"
        ),
        "lib/my_app/orders/controllers/page.ex": ex(
            "MyApp.Orders.Controllers.Page", "def y, do: MyApp.Orders.Repo.Orders.x()\n"
        ),
    }
    layers = 'layers = ["MyApp.Orders.Controllers.**", "MyApp.Orders.**", "MyApp.Orders.Repo.**"]\n'
    found = lint(tmp_path, files, layers)
    assert codes(found) == [("SG505", "lib/my_app/orders/repo/orders.ex")]
    assert "'MyApp.Orders.Repo.**'" in found[0].message


def test_domains_by_module_namespace_cover_files_anywhere(tmp_path: Path) -> None:
    live = ex("MyApp.Orders.Live", "def x, do: %MyApp.Accounts.User{}\n")
    config = 'namespaces = { orders = "MyApp.Orders", accounts = "MyApp.Accounts" }\n'
    found = lint(tmp_path, {"lib/my_app_web/orders_live.ex": live}, config)
    assert [(v.code, v.path, v.key[-1]) for v in found] == [
        ("SG501", "lib/my_app_web/orders_live.ex", "MyApp.Accounts.User")
    ]


def test_a_domains_module_name_is_settable(tmp_path: Path) -> None:
    files = {
        "lib/my_app/crm.ex": ex("MyApp.CRM"),
        "lib/my_app/crm/contact.ex": ex("MyApp.CRM.Contact"),
        "lib/my_app/orders/checkout.ex": ex("MyApp.Orders.Checkout", "alias MyApp.CRM.Contact\n"),
    }
    assert lint(tmp_path, files) == []  # lib/my_app/crm is taken for MyApp.Crm
    found = lint(tmp_path, files, 'modules = { crm = "MyApp.CRM" }\n')
    assert [(v.code, v.key[-1]) for v in found] == [("SG501", "MyApp.CRM.Contact")]


def test_all_modules_covered(tmp_path: Path) -> None:
    found = lint(
        tmp_path, {"lib/my_app/helpers.ex": ex("MyApp.Helpers")}, 'covered = ["MyApp.**"]\n'
    )
    assert codes(found) == [
        ("SG507", "lib/my_app/domain/money.ex"),
        ("SG507", "lib/my_app/helpers.ex"),
    ]


def test_boundary_deps_are_declarations_not_uses(tmp_path: Path) -> None:
    orders = ex(
        "MyApp.Orders",
        "use Boundary, deps: [MyApp.Accounts]\ndef go(id), do: MyApp.Accounts.get(id)\n",
    )
    inventory = ex(
        "MyApp.Inventory", "use Boundary, deps: []\ndef go(id), do: MyApp.Accounts.get(id)\n"
    )
    found = lint(tmp_path, {"lib/my_app/orders.ex": orders, "lib/my_app/inventory.ex": inventory})
    assert codes(found) == [("SG502", "lib/my_app/inventory.ex")]


def test_boundary_exports(tmp_path: Path) -> None:
    accounts = ex("MyApp.Accounts", "use Boundary, exports: [User]\n")
    orders = ex(
        "MyApp.Orders", "use Boundary, deps: [MyApp.Accounts]\ndef go, do: %MyApp.Accounts.User{}\n"
    )
    checkout = ex("MyApp.Orders.Checkout", "alias MyApp.Inventory.Schema\n")
    files = {"lib/my_app/accounts.ex": accounts, "lib/my_app/orders.ex": orders}
    assert lint(tmp_path, files) == []
    files["lib/my_app/orders/checkout.ex"] = checkout
    found = lint(
        tmp_path,
        files,
        'exports = { inventory = ["Schema"] }\nallow = { orders = ["inventory"] }\n',
    )
    assert found == []


def test_contract_entries_that_match_nothing_warn(tmp_path: Path) -> None:
    lint(tmp_path, {})
    toml = '[lint.boundaries]\ndomains = ["lib/nothing/*"]\nallow = { orders = ["billing"] }\n'
    (tmp_path / "slicegen.toml").write_text(toml, encoding="utf-8")
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    warnings = discover(tmp_path, config).warnings
    assert any("'lib/nothing/*' matches no folder" in w for w in warnings)
    assert any("allow names 'orders'" in w for w in warnings)
    assert any("allow names 'billing'" in w for w in warnings)


def test_domains_globs_over_root_files(tmp_path: Path) -> None:
    files = {
        "lib/my_app/billing.ex": ex("MyApp.Billing", "def go, do: MyApp.Orders.place(1)\n"),
    }
    found = lint(tmp_path, files, 'domains = ["lib/my_app/*.ex"]\n')
    assert codes(found) == [("SG502", "lib/my_app/billing.ex")]  # a domain that is only a root file


PYTHON = {
    "src/shop/__init__.py": "",
    "src/shop/orders/__init__.py": "from shop.orders.app import place\n",
    "src/shop/orders/app.py": "def place() -> None: ...\n",
    "src/shop/accounts/__init__.py": "from shop.accounts.app import get\n",
    "src/shop/accounts/app.py": "def get() -> None: ...\n",
    "src/shop/accounts/model.py": "class User: ...\n",
    "src/shop/domain/__init__.py": "",
    "src/shop/domain/value.py": "class Money: ...\n",
    "src/shop/seedwork/__init__.py": "",
    "src/shop/seedwork/entity.py": "class Entity: ...\n",
}


@pytest.mark.parametrize(
    ("code", "boundaries", "expected"),
    [
        ("from shop.accounts.model import User\n", "", [("SG501", "shop.accounts.model")]),
        ("import shop.accounts\n", "", [("SG502", "shop.accounts")]),
        ("import shop.accounts\n", 'allow = { orders = ["accounts"] }\n', []),
        (
            "import shop.accounts\n",
            'strict = true\nallow = { orders = ["accounts"] }\n',
            [("SG504", "shop.accounts")],
        ),
        (
            "from shop.accounts.model import User\n",
            'exports = { accounts = ["model"] }\nallow = { orders = ["accounts"] }\n',
            [],
        ),
        ("from shop.domain.value import Money\nfrom shop.seedwork.entity import Entity\n", "", []),
    ],
)
def test_python_isolation_allow_strict_exports(
    tmp_path: Path, code: str, boundaries: str, expected: list[tuple[str, str]]
) -> None:
    found = lint(tmp_path, {"src/shop/orders/checkout.py": code}, boundaries, PYTHON)
    assert [(v.code, v.key[-1]) for v in found] == expected


def test_python_onion_over_top_level_namespaces(tmp_path: Path) -> None:
    files = {
        "src/domain/__init__.py": "",
        "src/domain/order.py": "from adapters.db import Table\n",
        "src/adapters/__init__.py": "",
        "src/adapters/db.py": "from domain.order import Order\n",
    }
    found = lint(tmp_path, files, 'layers = ["adapters.**", "application.**", "domain.**"]\n', {})
    assert codes(found) == [("SG505", "src/domain/order.py")]


def test_python_cycle(tmp_path: Path) -> None:
    files = {
        "src/shop/orders/checkout.py": "import shop.accounts\n",
        "src/shop/accounts/app.py": "import shop.orders\ndef get() -> None: ...\n",
    }
    found = lint(
        tmp_path, files, 'allow = { orders = ["accounts"], accounts = ["orders"] }\n', PYTHON
    )
    assert [v.code for v in found] == ["SG503"]


def test_lint_model_sees_the_domains_the_boundaries_see(tmp_path: Path) -> None:
    lint(tmp_path, {}, 'domains = ["lib/my_app/*"]\nmodules = { orders = "MyApp.Ordering" }\n')
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    layout = infer_layout(walk(tmp_path, []), config)
    boundaries = discover(tmp_path, config)
    assert sorted((d.root, d.public_module) for d in layout.domains) == sorted(
        (d.path, d.module) for d in boundaries.domains
    )
    assert "lib/my_app/domain" in [d.path for d in boundaries.domains]  # configured: a domain


def test_detect_contracts_from_boundary_and_archtest(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "lib/my_app/orders.ex": ex(
                "MyApp.Orders", "use Boundary, deps: [MyApp.Accounts, Ecto]\n"
            ),
            "lib/my_app/accounts.ex": ex(
                "MyApp.Accounts",
                "use Boundary, deps: [], exports: [User, {Schemas, except: [Base]}]\n",
            ),
            "test/arch_test.exs": ex(
                "MyApp.ArchTest",
                """\
                use ArchTest
                test "isolation" do
                  define_slices(billing: "MyApp.Billing", orders: "MyApp.Orders")
                  |> allow_dependency(:billing, :orders)
                  |> enforce_isolation()
                end
                test "onion" do
                  define_onion(domain: "MyApp.Domain.**", adapters: "MyApp.Web.**")
                  |> enforce_onion_rules()
                end
                """,
            ),
        },
    )
    assert detect_contracts(tmp_path) == {
        "namespaces": {
            "accounts": "MyApp.Accounts",
            "billing": "MyApp.Billing",
            "orders": "MyApp.Orders",
        },
        "allow": {"billing": ["orders"], "orders": ["accounts"]},
        "exports": {"accounts": ["MyApp.Accounts.Schemas.**", "MyApp.Accounts.User"]},
        "layers": ["MyApp.Web.**", "MyApp.Domain.**"],
    }
    assert detect_contracts(tmp_path / "lib" / "my_app" / "nothing") == {}


def test_a_root_file_inside_its_folder_and_tests_left_out(tmp_path: Path) -> None:
    base = {
        "mix.exs": ex("Blog.MixProject"),
        "lib/blog/accounts/accounts.ex": ex("Blog.Accounts"),
        "lib/blog/accounts/user.ex": ex("Blog.Accounts.User"),
        "lib/blog/posts/posts.ex": ex("Blog.Posts"),
        "lib/blog/posts/post.ex": ex("Blog.Posts.Post", "alias Blog.Accounts.User\n"),
        "test/blog/posts_test.exs": ex("Blog.PostsTest", "alias Blog.Accounts.User\n"),
        "lib/blog/posts/post_test.exs": ex("Blog.PostTest", "alias Blog.Accounts.User\n"),
    }
    found = lint(tmp_path, {}, "", base)
    assert [(v.code, v.path, v.key[-1]) for v in found] == [
        ("SG501", "lib/blog/posts/post.ex", "Blog.Accounts.User")
    ]


def test_boundary_declared_in_a_root_file_inside_its_folder(tmp_path: Path) -> None:
    posts = ex("Blog.Posts", "use Boundary, deps: [Blog.Accounts]\ndef x, do: Blog.Accounts.y()\n")
    base = {
        "mix.exs": ex("Blog.MixProject"),
        "lib/blog/accounts/accounts.ex": ex("Blog.Accounts", "def y, do: 1\n"),
        "lib/blog/accounts/user.ex": ex("Blog.Accounts.User"),
        "lib/blog/posts/posts.ex": posts,
        "lib/blog/posts/post.ex": ex("Blog.Posts.Post"),
    }
    assert lint(tmp_path, {}, "", base) == []
    base["lib/blog/posts/posts.ex"] = posts.replace("deps: [Blog.Accounts]", "deps: []")
    assert [v.code for v in lint(tmp_path, {}, "", base)] == ["SG502"]
