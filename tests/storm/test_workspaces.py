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
    ok("add-slice", "accounts", "initialize_account", "-f", "email:str", "-f", "name:str",
       "-p", "summary", "-C", d)
    ok("add-slice", "accounts", "activate_account", "-C", d)
    ok("add-fact", "accounts", "account_activated", "-C", d)
    ok("add-slice", "profiles", "establish_profile", "-f", "nickname:str?", "-C", d)
    ok("add-policy", "profiles", "establish_profile", "--on", "accounts:account_activated",
       "-C", d)
    ok("add-version", "accounts", "initialize_account", "-f", "note:str?", "-C", d)


@pytest.fixture(scope="module", params=["python", "elixir"])
def source(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[str, Path]
]:
    stack: str = request.param
    root = tmp_path_factory.mktemp(f"source_{stack}")
    build_source(root, stack)
    yield stack, root


def doc_path(stack: str, root: Path, domain: str) -> Path:
    if stack == "python":
        return root / "design_docs" / domain / "event-storming.md"
    return root / "apps" / f"{APPS[stack]}_{domain}" / "design_docs" / "event-storming.md"


SESSION = re.compile(rb"^### Session \d{4}-\d\d-\d\d \d\d:\d\d UTC", re.MULTILINE)
SKIPPED = (".slicegen", "design.yaml", "__pycache__")


def tree(root: Path) -> dict[str, bytes]:
    """Every file and its bytes, session stamps normalised (they record when, not what)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not any(part in SKIPPED for part in rel.split("/")):
            out[rel] = SESSION.sub(b"### Session <stamp>", path.read_bytes())
    return out


def test_drift_after_add_slice_gone_after_storm(
    source: tuple[str, Path], tmp_path: Path
) -> None:
    stack, original = source
    root = tmp_path / "ws"
    shutil.copytree(original, root)
    d = str(root)
    ok("storm", "-C", d)
    assert slicegen("storm", "--check", "-C", d).code == 0
    ok("add-slice", "accounts", "close_account", "-f", "reason:str", "-C", d)
    check = slicegen("storm", "--check", "-C", d)
    assert check.code == 1
    doc = doc_path(stack, root, "accounts").relative_to(root).as_posix()
    assert f"{doc}: section 'diagram' is out of date" in check.out
    assert "[close_account]" in check.out
    assert "Added slice `close_account`" in check.out
    assert doc_path(stack, root, "profiles").relative_to(root).as_posix() not in check.out
    before = doc_path(stack, root, "accounts").read_bytes()
    dry = ok("--dry-run", "storm", "accounts", "-C", d)
    assert "CloseAccountV1" in dry and doc_path(stack, root, "accounts").read_bytes() == before
    ok("storm", "accounts", "-C", d)
    assert slicegen("storm", "--check", "-C", d).code == 0
    text = doc_path(stack, root, "accounts").read_text()
    assert "CloseAccountV1" in text and "`reason:str`" in text


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
    ok("storm", "-C", d)
    first = path.read_text()
    assert prose in first and "Hand-written closing remark." in first
    assert first.count("### Session ") == 2
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
    ok("apply", str(model), "-C", str(target))
    assert tree(target) == tree(root)
    assert slicegen("storm", "--check", "-C", str(target)).code == 0
    again = ok("apply", str(model), "-C", str(target))
    assert "plan: nothing to add" in again
    assert tree(target) == tree(root)
