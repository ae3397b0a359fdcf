"""End to end, for both stacks: storm, --check, --export and apply on generated workspaces.

One source workspace per stack is built once (module scope) with the real commands: two domains,
slices with fields, a projection, a fact, a cross-domain policy and a v2.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slicegen.cli import app
from slicegen.design.model import parse_design


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def slicegen(*args: str) -> Run:
    result = CliRunner().invoke(app, list(args), prog_name="slicegen")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def ok(*args: str) -> str:
    run = slicegen(*args)
    assert run.code == 0, f"slicegen {' '.join(args)}: {run.out}{run.err}"
    return run.out


APPS = {"python": "shop", "elixir": "reckon"}


def build_source(root: Path, stack: str) -> None:
    """The history a team might have: slices, a fact and a policy, then a v2."""
    d = str(root)
    ok("init", d, "--stack", stack, "--app", APPS[stack])
    ok("new-domain", "accounts", "-C", d)
    ok("new-domain", "profiles", "-C", d)
    ok(
        "add-slice",
        "accounts",
        "initialize_account",
        "-f",
        "email:str",
        "-f",
        "name:str",
        "-f",
        "born_on:date",
        "-f",
        "credit:decimal",
        "-f",
        "tags:list[str]",
        "-f",
        "score:int?",
        "-p",
        "summary",
        "-C",
        d,
    )
    ok("add-slice", "accounts", "activate_account", "-C", d)
    ok("add-fact", "accounts", "account_activated", "-C", d)
    ok(
        "add-slice",
        "profiles",
        "establish_profile",
        "-f",
        "nickname:str?",
        "-f",
        "active:bool",
        "-f",
        "since:datetime",
        "-C",
        d,
    )
    ok("add-policy", "profiles", "establish_profile", "--on", "accounts:account_activated", "-C", d)
    ok("add-version", "accounts", "initialize_account", "-f", "note:str?", "-C", d)


@pytest.fixture(scope="module", params=["python", "elixir"])
def source(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    stack: str = request.param
    root = tmp_path_factory.mktemp(f"source_{stack}")
    build_source(root, stack)
    yield stack, root


def doc_path(stack: str, root: Path, domain: str) -> Path:
    if stack == "python":
        return root / "design_docs" / domain / "event-storming.md"
    return root / "apps" / f"{APPS[stack]}_{domain}" / "design_docs" / "event-storming.md"


SKIPPED = (".slicegen", "design.yaml", "__pycache__")


MIGRATION = re.compile(r"/migrations/\d{14}_")


def tree(root: Path) -> dict[str, bytes]:
    """Every file and its bytes, with what records *when* rather than *what* left out: the
    documents' sessions (one per command, or one per apply) and the timestamps Ecto migration
    file names start with."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = MIGRATION.sub("/migrations/<timestamp>_", path.relative_to(root).as_posix())
        if path.is_file() and not any(part in SKIPPED for part in rel.split("/")):
            out[rel] = path.read_bytes().split(b"\n## Sessions\n")[0]
    return out


def test_drift_after_add_slice_gone_after_storm(source: tuple[str, Path], tmp_path: Path) -> None:
    stack, original = source
    root = tmp_path / "ws"
    shutil.copytree(original, root)
    d = str(root)
    ok("storm", "-C", d)
    assert slicegen("storm", "--check", "-C", d).code == 0
    before = doc_path(stack, root, "accounts").read_bytes()
    ok("add-slice", "accounts", "close_account", "-f", "reason:str", "-C", d)
    assert slicegen("storm", "--check", "-C", d).code == 0  # the command refreshed it
    text = doc_path(stack, root, "accounts").read_text()
    assert "CloseAccountV1" in text and "`reason:str`" in text
    assert "Added slice `close_account`" in text
    doc_path(stack, root, "accounts").write_bytes(before)  # as if the slice were written by hand
    check = slicegen("storm", "--check", "-C", d)
    assert check.code == 1
    doc = doc_path(stack, root, "accounts").relative_to(root).as_posix()
    assert f"{doc}: section 'diagram' is out of date" in check.out
    assert "[close_account]" in check.out
    assert "Added slice `close_account`" in check.out
    assert doc_path(stack, root, "profiles").relative_to(root).as_posix() not in check.out
    dry = ok("--dry-run", "storm", "accounts", "-C", d)
    assert "CloseAccountV1" in dry and doc_path(stack, root, "accounts").read_bytes() == before
    ok("storm", "accounts", "-C", d)
    assert slicegen("storm", "--check", "-C", d).code == 0


def test_storm_keeps_prose_and_adds_sessions_only_on_change(
    source: tuple[str, Path], tmp_path: Path
) -> None:
    stack, original = source
    root = tmp_path / "ws"
    shutil.copytree(original, root)
    d = str(root)
    path = doc_path(stack, root, "profiles")
    prose = "\nThe profile is what other members see of a customer.\n"
    text = path.read_text().replace("## Executive summary\n", "## Executive summary\n" + prose)
    path.write_text(text + "\nHand-written closing remark.\n")
    sessions = text.count("### Session ")  # one per command that changed the domain
    assert sessions == 3
    ok("storm", "-C", d)
    first = path.read_text()
    assert prose in first and "Hand-written closing remark." in first
    assert first.count("### Session ") == sessions
    assert "when_account_activated_then_establish_profile_v1" in first
    assert "nothing to do" in ok("storm", "-C", d)
    assert path.read_text() == first


def test_cli_errors(source: tuple[str, Path]) -> None:
    _, root = source
    run = slicegen("storm", "billing", "--check", "-C", str(root))
    assert run.code == 2 and "no domain 'billing'" in run.err


def test_export_then_apply_to_an_empty_workspace_gives_the_same_tree(
    source: tuple[str, Path], tmp_path: Path
) -> None:
    stack, original = source
    root = tmp_path / "src_ws"
    shutil.copytree(original, root)
    ok("storm", "-C", str(root))
    exported = ok("storm", "--export", "-C", str(root))
    assert "establish_profile" in exported and "accounts:account_activated" in exported
    model = tmp_path / "design.yaml"
    model.write_text(exported)

    target = tmp_path / "empty"
    ok("init", str(target), "--stack", stack, "--app", APPS[stack])
    empty = tree(target)
    plan = ok("--dry-run", "apply", str(model), "-C", str(target))
    assert "plan: add-policy profiles establish_profile --on accounts:account_activated" in plan
    assert tree(target) == empty
    assert "design_docs" in plan and "InitializeAccountV2" in plan  # the documents' diff too
    applied = ok("apply", str(model), "-C", str(target))
    assert "reads back differently" not in applied
    assert tree(target) == tree(root)
    assert slicegen("storm", "--check", "-C", str(target)).code == 0
    again = ok("apply", str(model), "-C", str(target))
    assert "plan: nothing to add" in again
    assert tree(target) == tree(root)


def test_lint_reports_sg602_until_storm(source: tuple[str, Path], tmp_path: Path) -> None:
    stack, original = source
    root = tmp_path / "ws"
    shutil.copytree(original, root)
    d = str(root)
    ok("storm", "-C", d)
    assert "SG602" not in slicegen("lint", d, "--no-cache").out
    path = doc_path(stack, root, "profiles")
    before = path.read_bytes()
    ok("add-slice", "profiles", "suspend_profile", "-C", d)
    assert "SG602" not in slicegen("lint", d, "--no-cache").out
    path.write_bytes(before)  # the document as it was before the slice
    assert "SG602" in slicegen("lint", d, "--no-cache").out
    ok("storm", "profiles", "-C", d)
    assert "SG602" not in slicegen("lint", d, "--no-cache").out


def test_storm_writes_a_missing_document(source: tuple[str, Path], tmp_path: Path) -> None:
    stack, original = source
    root = tmp_path / "ws"
    shutil.copytree(original, root)
    path = doc_path(stack, root, "profiles")
    path.unlink()
    check = slicegen("storm", "--check", "-C", str(root))
    assert check.code == 1 and "missing" in check.out
    assert "create" in ok("storm", "profiles", "-C", str(root))
    assert "establish_profile" in path.read_text()
    assert slicegen("storm", "--check", "profiles", "-C", str(root)).code == 0


APPLY_ERRORS = [
    (
        "domains:\n  profiles:\n    aggregate: profile\n    slices:\n"
        "      establish_profile:\n        policies: ['accounts:account_closed']\n",
        "domains.profiles.slices.establish_profile.policies.0: 'accounts' has no slice emitting",
    ),
    (
        "domains:\n  accounts:\n    aggregate: account\n    slices:\n"
        "      activate_account:\n        versions: [{version: 1, fields: ['x:int']}]\n",
        "domains.accounts.slices.activate_account.versions.0.fields differ",
    ),
    (
        "domains:\n  billing:\n    aggregate: invoice\n    slices:\n"
        "      issue_invoice:\n        policies: ['accounts:account_initialized']\n",
        "add 'account_initialized' to domains.accounts.facts",
    ),
    ("stack: cobol\n", "model.yaml: bad value for 'stack'"),
    (
        "domains:\n  accounts:\n    aggregate: account\n    slices:\n      delete_account: {}\n",
        "model.yaml: domains.accounts.slices.delete_account: command 'delete_account' starts with",
    ),
]


@pytest.mark.parametrize(("yaml_text", "expected"), APPLY_ERRORS)
def test_apply_refuses_what_it_cannot_add(
    source: tuple[str, Path], tmp_path: Path, yaml_text: str, expected: str
) -> None:
    _, root = source
    model = tmp_path / "model.yaml"
    model.write_text(yaml_text)
    before = tree(root)
    run = slicegen("apply", str(model), "-C", str(root))
    assert run.code == 2, run.out
    assert expected in run.err and len(run.err.strip().splitlines()) == 1
    assert tree(root) == before


def test_apply_adds_only_what_is_missing(source: tuple[str, Path], tmp_path: Path) -> None:
    stack, original = source
    root = tmp_path / "ws"
    shutil.copytree(original, root)
    exported = ok("storm", "--export", "accounts", "-C", str(root))
    grown = exported.replace(
        "    facts: [account_activated]\n",
        "      close_account:\n        versions:\n        - version: 1\n"
        "          fields: ['reason:str']\n    facts: [account_activated]\n",
    )
    assert grown != exported
    model = tmp_path / "model.yaml"
    model.write_text(grown)
    out = ok("apply", str(model), "-C", str(root))
    plans = [line for line in out.splitlines() if line.startswith("plan: ")]
    assert plans == ["plan: add-slice accounts close_account --event account_closed -f reason:str"]
    assert "Added slice `close_account`" in doc_path(stack, root, "accounts").read_text()
    assert slicegen("storm", "--check", "-C", str(root)).code == 0


HAND_WRITTEN = """\
domains:
  orders:
    aggregate: order
    slices:
      place_order:
        description: A customer places an order (documentation only).
        versions:
          - {version: 1, fields: ["sku:str", "quantity:int"]}
          - {version: 2, fields: ["sku:str", "quantity:int", "gift_note:str?"]}
        projections: [summary]
      ship_order:
        policies: [order_placed]
    facts: [order_shipped]
  invoices:
    aggregate: invoice
    slices:
      issue_invoice:
        policies: ["orders:order_shipped"]
"""


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_apply_a_hand_written_model_in_one_change_set(stack: str, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    ok("init", str(root), "--stack", stack, "--app", APPS[stack])
    model = tmp_path / "model.yaml"
    model.write_text(HAND_WRITTEN)
    out = ok("apply", str(model), "-C", str(root))
    assert "reads back differently" not in out
    assert slicegen("storm", "--check", "-C", str(root)).code == 0
    orders = doc_path(stack, root, "orders").read_text()
    assert "when_order_placed_then_ship_order_v1" in orders
    assert "invoices: policy when_order_shipped_then_issue_invoice_v1 -> issue_invoice" in orders
    exported = parse_design(ok("storm", "--export", "-C", str(root)), "export")
    wanted = parse_design(HAND_WRITTEN, "model")
    for name, dom in wanted.domains.items():
        got = exported.domains[name]
        assert got.facts == dom.facts
        for command, slice_ in dom.slices.items():
            assert [v.fields for v in got.slices[command].versions] == [
                v.fields for v in slice_.versions
            ]
            # The elixir stack's add-version also gives each local policy on the event its v2.
            assert {p.on for p in got.slices[command].policies} == {p.on for p in slice_.policies}


def test_sg602_says_why_a_domain_cannot_be_described(tmp_path: Path) -> None:
    d = str(tmp_path / "ws")
    ok("init", d, "--stack", "python", "--app", "shop")
    ok("new-domain", "returns", "--aggregate", "return_request", "-C", d)
    ok("add-slice", "returns", "open_return", "-C", d)
    ok("storm", "-C", d)
    assert "SG602" not in slicegen("lint", d, "--no-cache").out
    state = Path(d) / "src/shop/returns/state.py"
    state.write_text(state.read_text().replace("ReturnRequestState", "ReturnState"))
    out = slicegen("lint", d, "--no-cache", "--select", "SG602").out
    assert "domain 'returns' cannot be described" in out
    assert "aggregate name 'return'" in out
    for args in (("storm", "--check", "-C", d), ("storm", "returns", "--check", "-C", d)):
        checked = slicegen(*args)
        assert checked.code == 1
        assert "domain 'returns' cannot be described" in checked.out + checked.err
