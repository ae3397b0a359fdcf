"""Switching lint on in an existing repository, through the real command line: ``init --detect``,
suppressions with reasons, a baseline that only shrinks, paths relative to the current folder and
findings that do not depend on the folder linted."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import RunCli, tree_hash

from .trees import py_slice, write

#: A layered (not sliced) Python repository: technical folders, no slicegen config.
LAYERED = {
    "src/shop/__init__.py": "",
    "src/shop/billing/__init__.py": "",
    "src/shop/billing/commands/issue_invoice.py": "class IssueInvoice:\n    pass\n",
    "src/shop/billing/events/invoice_issued.py": (
        'class InvoiceIssued:\n    event_type = "invoice_issued:v1"\n'
    ),
    "src/shop/orders/__init__.py": "",
    "src/shop/orders/commands/place_order.py": "class PlaceOrder:\n    pass\n",
    "src/shop/orders/commands/cancel_order.py": "class CancelOrder:\n    pass\n",
    "src/shop/orders/events/order_placed.py": (
        'class OrderPlaced:\n    event_type = "order_placed:v1"\n'
    ),
}


def _repo(tmp_path: Path, files: dict[str, str | bytes], name: str = "repo") -> Path:
    root = tmp_path / name
    write(root, files)
    (root / ".git").mkdir()  # a project repository's root, as lint finds it without a config
    (root / "pyproject.toml").touch()
    return root


def _json(cli: RunCli, *args: str, cwd: Path) -> list[dict[str, object]]:
    result = cli("lint", "--no-cache", "--format", "json", *args, cwd=cwd)
    assert result.exit_code in (0, 1), result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


# --- init --detect ------------------------------------------------------------------------------


def test_detect_writes_the_layout_and_prints_what_it_recognised(
    cli: RunCli, tmp_path: Path
) -> None:
    root = _repo(tmp_path, LAYERED)
    result = cli("init", "--detect", str(root))
    assert result.exit_code == 0, result.stderr
    config = tomllib.loads((root / "slicegen.toml").read_text(encoding="utf-8"))
    assert config["stack"] == "python"
    assert config["app"] == "shop"
    assert config["lint"]["slice-layout"] is False
    assert config["lint"]["boundaries"]["domains"] == ["src/shop/*"]
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[-3:]}
    # columns: slices, commands, events, projections, policies, facts
    assert rows["billing"] == ["0", "1", "1", "0", "0", "0"]
    assert rows["orders"] == ["0", "2", "1", "0", "0", "0"]
    assert rows["total"] == ["0", "3", "2", "0", "0", "0"]
    # storm sees the same workspace: it exports both domains instead of 'no slicegen workspace'
    export = cli("storm", "--export", cwd=root)
    assert export.exit_code == 0, export.stderr
    assert "billing" in export.stdout and "orders" in export.stdout


def test_detect_on_a_sliced_tree_keeps_the_slice_rules_and_storm_sees_its_slices(
    cli: RunCli, make_tree: Callable[..., Path]
) -> None:
    root = make_tree("python")
    (root / "slicegen.toml").unlink()
    assert cli("storm", "--export", cwd=root).exit_code == 2  # no workspace yet
    assert cli("init", "--detect", ".", cwd=root).exit_code == 0
    config = tomllib.loads((root / "slicegen.toml").read_text(encoding="utf-8"))
    assert config["lint"]["slice-layout"] is True
    export = cli("storm", "--export", cwd=root)
    assert export.exit_code == 0, export.stderr
    for command in ("initialize_account", "activate_account", "establish_profile"):
        assert command in export.stdout


def test_detect_dry_run_writes_nothing_and_never_overwrites_a_config(
    cli: RunCli, tmp_path: Path
) -> None:
    root = _repo(tmp_path, LAYERED)
    before = tree_hash(root)
    dry = cli("init", "--detect", "--dry-run", str(root))
    assert dry.exit_code == 0
    assert '+stack = "python"' in dry.stdout
    assert tree_hash(root) == before
    (root / "slicegen.toml").write_text('stack = "python"\napp = "mine"\n', encoding="utf-8")
    refused = cli("init", "--detect", str(root))
    assert refused.exit_code == 2
    assert "--force" in refused.stderr and "slicegen.toml" in refused.stderr
    assert (root / "slicegen.toml").read_text(encoding="utf-8").endswith('"mine"\n')
    assert cli("init", "--detect", "--force", str(root)).exit_code == 0
    assert "slice-layout = false" in (root / "slicegen.toml").read_text(encoding="utf-8")


def test_adopt_is_init_detect(cli: RunCli, tmp_path: Path) -> None:
    first, second = _repo(tmp_path, LAYERED, "a"), _repo(tmp_path, LAYERED, "b")
    assert cli("init", "--detect", str(first)).exit_code == 0
    assert cli("adopt", str(second)).exit_code == 0
    assert (first / "slicegen.toml").read_text() == (second / "slicegen.toml").read_text()


def test_detect_refuses_a_pyproject_that_configures_slicegen(cli: RunCli, tmp_path: Path) -> None:
    root = _repo(tmp_path, LAYERED)
    (root / "pyproject.toml").write_text('[tool.slicegen]\nstack = "python"\n', encoding="utf-8")
    result = cli("init", "--detect", str(root))
    assert result.exit_code == 2
    assert "pyproject.toml already configures slicegen" in result.stderr
    assert not (root / "slicegen.toml").exists()


def test_slice_layout_false_silences_the_slice_rules(
    cli: RunCli, make_tree: Callable[..., Path]
) -> None:
    files = py_slice("accounts", "suspend_account", "account_suspended")
    evolver = next(p for p in files if "_to_state_" in p)
    files.pop(evolver)
    root = make_tree("python", files)
    codes = {f["code"] for f in _json(cli, ".", cwd=root)}
    assert "SG302" in codes
    config = root / "slicegen.toml"
    config.write_text(config.read_text() + "\n[lint]\nslice-layout = false\n", encoding="utf-8")
    assert "SG302" not in {f["code"] for f in _json(cli, ".", cwd=root)}


# --- suppressions with reasons ------------------------------------------------------------------

DISPATCH = "src/shop/accounts/web.py"


@pytest.mark.parametrize(
    ("comment", "config", "expected"),
    [
        ("# slicegen: ignore[SG401]", "", {"SG003"}),
        ("# slicegen: ignore[SG401] -- the web layer is the app here", "", set()),
        ("# slicegen: ignore[SG401] legacy entry point", "", set()),
        ("# slicegen: ignore[SG401]", "\n[lint]\nsuppression-reason = false\n", set()),
    ],
)
def test_a_suppression_gives_its_reason(
    cli: RunCli, make_tree: Callable[..., Path], comment: str, config: str, expected: set[str]
) -> None:
    source = f"def go(router, command):\n    return router.dispatch(command)  {comment}\n"
    root = make_tree("python", {DISPATCH: source})
    toml = root / "slicegen.toml"
    toml.write_text(toml.read_text() + config, encoding="utf-8")
    found = _json(cli, "--select", "SG0,SG401", ".", cwd=root)
    assert {f["code"] for f in found if f["path"] == DISPATCH} == expected


# --- the baseline -------------------------------------------------------------------------------


def test_the_baseline_only_shrinks_unless_asked(
    cli: RunCli, make_tree: Callable[..., Path]
) -> None:
    crud = py_slice("accounts", "update_account", "account_updated")
    root = make_tree("python", crud)
    base = "baseline.json"
    lint = ("lint", "--no-cache", "--select", "SG101,SG102")
    assert cli(*lint, "--write-baseline", base, ".", cwd=root).exit_code == 0
    first = json.loads((root / base).read_text())["findings"]
    assert {e["code"] for e in first} == {"SG101", "SG102"}
    # a new CRUD slice: rewriting does not add it, and says so
    write(root, py_slice("accounts", "delete_account", "account_deleted"))
    kept = cli(*lint, "--write-baseline", base, ".", cwd=root)
    assert kept.exit_code == 1
    assert "not added" in kept.stdout and "--grow" in kept.stdout
    assert json.loads((root / base).read_text())["findings"] == first
    # fixing the old one shrinks it; the stale entries are reported first
    for rel in crud:
        (root / rel).unlink()
    stale = cli(*lint, "--baseline", base, ".", cwd=root)
    recorded = sum(e["count"] for e in first)
    assert recorded >= 2
    assert f"{recorded} baseline entries no longer occur" in stale.stderr
    assert cli(*lint, "--write-baseline", base, ".", cwd=root).exit_code == 1
    assert json.loads((root / base).read_text())["findings"] == []
    # --grow records the new findings
    assert cli(*lint, "--write-baseline", base, "--grow", ".", cwd=root).exit_code == 0
    grown = json.loads((root / base).read_text())["findings"]
    assert grown and all("/delete_account/" in e["path"] for e in grown)
    clean = cli(*lint, "--baseline", base, ".", cwd=root)
    assert (clean.exit_code, clean.stderr) == (0, "")


def test_a_narrower_run_keeps_the_entries_it_did_not_judge(
    cli: RunCli, make_tree: Callable[..., Path]
) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    lint = ("lint", "--no-cache", "--write-baseline", "b.json")
    assert cli(*lint, "--select", "SG101,SG102", ".", cwd=root).exit_code == 0
    before = (root / "b.json").read_text()
    assert cli(*lint, "--select", "SG101", ".", cwd=root).exit_code == 0
    assert cli(*lint, "--select", "SG101,SG102", "src/shop/profiles", cwd=root).exit_code == 0
    assert (root / "b.json").read_text() == before


# --- paths and folders --------------------------------------------------------------------------


def test_paths_are_relative_to_the_current_folder_in_every_format(
    cli: RunCli, make_tree: Callable[..., Path]
) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    here = root / "src" / "shop"
    event = "accounts/domain/update_account/event_v1.py"
    text = cli("lint", "--no-cache", "--select", "SG101", ".", cwd=here).stdout
    assert text.startswith(f"{event}:1:1: SG101")
    assert (here / event).is_file()  # clickable from where it was run
    outside = cli("lint", "--no-cache", "--select", "SG101", str(root), cwd=root / "design_docs")
    assert outside.stdout.startswith(f"../src/shop/{event}:1:1:")
    for fmt in ("github", "junit"):
        assert (
            event
            in cli("lint", "--no-cache", "--select", "SG101", "--format", fmt, cwd=here).stdout
        )
    sarif = json.loads(
        cli("lint", "--no-cache", "--select", "SG101", "--format", "sarif", cwd=here).stdout
    )
    run = sarif["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == event
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == here.resolve().as_uri() + "/"


@pytest.mark.parametrize("configured", [True, False])
def test_a_subfolder_has_the_findings_it_has_in_the_whole_tree(
    cli: RunCli, make_tree: Callable[..., Path], configured: bool
) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    if not configured:
        (root / "slicegen.toml").unlink()
        (root / ".git").mkdir()
        (root / "pyproject.toml").touch()

    def absolute(found: list[dict[str, object]], cwd: Path) -> set[tuple[object, ...]]:
        return {((cwd / str(f["path"])).resolve(), f["code"], f["line"]) for f in found}

    whole = absolute(_json(cli, ".", cwd=root), root)
    sub = root / "src" / "shop" / "accounts"
    part = absolute(_json(cli, ".", cwd=sub), sub)
    assert part  # the CRUD slice's findings, among others
    assert part == {f for f in whole if sub.resolve() in Path(str(f[0])).parents}


def test_a_minimal_config_on_another_layout_finds_the_slices_lint_finds(
    cli: RunCli, tmp_path: Path
) -> None:
    base = "services/shop/accounts/domain"
    files: dict[str, str | bytes] = {"slicegen.toml": 'stack = "python"\napp = "shop"\n'}
    for command, event in (("open_account", "account_opened"), ("close_account", "account_closed")):
        files.update(py_slice("accounts", command, event, where=f"{base}/{command}"))
    root = _repo(tmp_path, files)  # no src/shop: the config's default domains folder is absent
    export = cli("storm", "--export", cwd=root)
    assert export.exit_code == 0, export.stderr
    assert "open_account" in export.stdout and "close_account" in export.stdout


#: A Phoenix-style app whose contexts declare their contracts with sasa1977's Boundary.
BOUNDARY_APP = {
    "mix.exs": "defmodule Shop.MixProject do\n  def project, do: [app: :shop]\nend\n",
    "lib/shop/orders.ex": (
        "defmodule Shop.Orders do\n"
        "  use Boundary, deps: [Shop.Accounts], exports: [Order]\n"
        "  def place(id), do: Shop.Accounts.get(id)\nend\n"
    ),
    "lib/shop/orders/order.ex": "defmodule Shop.Orders.Order do\n  defstruct [:id]\nend\n",
    "lib/shop/accounts.ex": (
        "defmodule Shop.Accounts do\n  use Boundary, deps: [], exports: []\n"
        "  def get(id), do: id\nend\n"
    ),
    "lib/shop/accounts/user.ex": "defmodule Shop.Accounts.User do\n  defstruct [:id]\nend\n",
}


def test_detect_imports_the_boundary_contracts_the_tree_declares(
    cli: RunCli, tmp_path: Path
) -> None:
    root = _repo(tmp_path, BOUNDARY_APP)
    assert cli("init", "--detect", str(root)).exit_code == 0
    config = tomllib.loads((root / "slicegen.toml").read_text(encoding="utf-8"))
    boundaries = config["lint"]["boundaries"]
    assert boundaries["allow"] == {"orders": ["accounts"]}
    assert boundaries["exports"] == {"orders": ["Shop.Orders.Order"]}
    assert cli("lint", "--no-cache", "--select", "SG5", str(root)).exit_code == 0


#: A DDD modular monolith: two modules with the same layer folders, the application layer
#: reading the infrastructure's model (a query), and a ``commons`` kernel every module uses.
LAYERED_MODULES = {
    "commons/__init__.py": "",
    "commons/message_bus.py": "class MessageBus:\n    pass\n",
    "commons/messagebox/__init__.py": "",
    "commons/messagebox/commands.py": "class ProcessInbox:\n    pass\n",
    **{
        f"modules/{m}/{layer}/__init__.py": ""
        for m in ("billing", "orders")
        for layer in ("", "domain", "application", "infrastructure")
    },
    "modules/__init__.py": "",
    "modules/billing/domain/events.py": (
        "from commons.message_bus import MessageBus\n\n\n"
        "class InvoiceIssued:\n    event_type = 'invoice_issued:v1'\n"
    ),
    "modules/billing/application/commands.py": (
        "from commons.message_bus import MessageBus\n"
        "from modules.billing.infrastructure.models import InvoiceModel\n\n\n"
        "class IssueInvoice:\n    pass\n"
    ),
    "modules/billing/infrastructure/models.py": "class InvoiceModel:\n    pass\n",
    "modules/orders/domain/events.py": ("class OrderPlaced:\n    event_type = 'order_placed:v1'\n"),
    "modules/orders/application/commands.py": (
        "from commons.message_bus import MessageBus\n\n\nclass PlaceOrder:\n    pass\n"
    ),
    "modules/orders/infrastructure/models.py": "class OrderModel:\n    pass\n",
}


def test_adopting_adds_no_finding_of_its_own_guess(cli: RunCli, tmp_path: Path) -> None:
    """``adopt`` then ``lint`` judges the tree as ``lint`` did before: a ``commons`` kernel is no
    domain (r2rstep's modular monolith: 81 SG501 for every use of it), and the layer order read
    from folder names is proposed commented out, not enforced (33 SG505 on a tree whose
    application reads its infrastructure's models). Uncommented, it is enforced."""
    root = _repo(tmp_path, LAYERED_MODULES)
    before = _json(cli, cwd=root)
    result = cli("adopt", str(root))
    assert result.exit_code == 0, result.stderr
    text = (root / "slicegen.toml").read_text(encoding="utf-8")
    config = tomllib.loads(text)
    assert config["lint"]["boundaries"]["domains"] == ["modules/*"]
    assert "layers" not in config["lint"]["boundaries"]
    after = _json(cli, cwd=root)
    assert [f for f in after if f["code"] != "SG601"] == [f for f in before if f["code"] != "SG601"]
    assert not [f for f in after if f["code"] in ("SG501", "SG505")]
    proposed = '# layers = ["infrastructure", "application", "domain"]'
    assert proposed in text
    (root / "slicegen.toml").write_text(text.replace(proposed, proposed[2:]), encoding="utf-8")
    enforced = _json(cli, cwd=root)
    assert [(f["code"], f["path"]) for f in enforced if f["code"] == "SG505"] == [
        ("SG505", "modules/billing/application/commands.py")
    ]


def test_adopt_reads_no_contract_from_docs_demos_or_test_fixtures(
    cli: RunCli, tmp_path: Path
) -> None:
    """The Boundary library's own tree: ``use Boundary`` in a ``@moduledoc`` example, in
    ``demos/``, in a test's fixture module, and its mix tasks' ``classify_to:`` (a module put
    into another boundary, no boundary of its own) made 21 namespaces and 19 SG501/502/503
    after adopting. Only the app's own declarations are its contracts."""
    doc_example = (
        'defmodule Fences do\n  @moduledoc """\n  Example:\n\n'
        "      defmodule BlogEngine do\n        use Boundary, deps: [], exports: [Accounts]\n"
        '      end\n  """\n\n  defmacro __using__(_opts), do: nil\nend\n'
    )
    files = {
        "mix.exs": "defmodule Fences.MixProject do\n  def project, do: [app: :fences]\nend\n",
        "lib/fences.ex": doc_example,
        "lib/fences/mix.ex": "defmodule Fences.Mix do\n  use Boundary, deps: [Fences]\nend\n",
        "lib/fences/mix/tasks/spec.ex": (
            "defmodule Mix.Tasks.Fences.Spec do\n  use Boundary, classify_to: Fences.Mix\nend\n"
        ),
        "demos/my_system/lib/my_system.ex": (
            "defmodule MySystem do\n  use Boundary, deps: [], exports: [User]\nend\n"
        ),
        "test/support/fixtures.ex": (
            "defmodule Fixture.Orders do\n  use Boundary, deps: [Fixture.Repo]\nend\n"
        ),
    }
    root = _repo(tmp_path, files)
    result = cli("adopt", str(root))
    assert result.exit_code == 0, result.stderr
    config = tomllib.loads((root / "slicegen.toml").read_text(encoding="utf-8"))
    assert config["lint"]["boundaries"]["namespaces"] == {"mix": "Fences.Mix"}
    assert "allow" not in config["lint"]["boundaries"]
    assert "exports" not in config["lint"]["boundaries"]


def test_adopt_takes_no_snippet_folder_for_the_app_or_a_domain(cli: RunCli, tmp_path: Path) -> None:
    """A bot framework whose one packaged top-level folder beside the library was
    ``examples/``: adopt named the app ``examples`` and SG601 asked its example bots for
    storming documents (aiogram: 0 -> 3 findings after adopting; locust's ``examples``)."""
    files = {
        "botlib/__init__.py": "",
        "botlib/dispatcher.py": "class Dispatcher:\n    pass\n",
        "examples/__init__.py": "",
        "examples/shop_bot/__init__.py": "",
        "examples/shop_bot/commands.py": "class StartShop:\n    pass\n",
        "examples/shop_bot/events.py": ("class ShopOpened:\n    event_type = 'shop_opened:v1'\n"),
    }
    root = _repo(tmp_path, files)
    before = _json(cli, cwd=root)
    result = cli("adopt", str(root))
    assert result.exit_code == 0, result.stderr
    config = tomllib.loads((root / "slicegen.toml").read_text(encoding="utf-8"))
    assert config["app"] != "examples"
    assert "examples/shop_bot" not in str(config.get("lint", {}).get("boundaries", {}))
    assert _json(cli, cwd=root) == before


@pytest.mark.parametrize(
    ("stack", "doc"),
    [
        ("python", "design_docs/profiles/event-storming.md"),
        ("elixir", "apps/reckon_profiles/design_docs/event-storming.md"),
    ],
)
def test_the_missing_storming_doc_finding_names_a_command_that_fixes_it(
    cli: RunCli, make_tree: Callable[..., Path], stack: str, doc: str
) -> None:
    """SG601's advice, run as printed, writes the document and the finding is gone (a domain
    that exists already: ``new-domain`` would refuse it)."""
    root = make_tree(stack, remove=(doc,))
    found = [f for f in _json(cli, cwd=root) if f["code"] == "SG601"]
    assert len(found) == 1
    message = str(found[0]["message"])
    advice = message[message.index("('") + 2 : message.index("' writes")]
    assert advice.split()[:2] == ["slicegen", "storm"], message
    done = cli(*advice.split()[1:], cwd=root)
    assert done.exit_code == 0, done.stderr
    assert (root / doc).is_file()
    assert [f for f in _json(cli, cwd=root) if f["code"] == "SG601"] == []
