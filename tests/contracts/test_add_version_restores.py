"""``add-version`` on an edited locked event does what SG205 asks in one step, on both stacks:
the next version takes the edited shape, the edited one gets its locked shape back, an upcaster
carries stored events over, the lock gains the new version and the workspace is lint-clean."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slicegen.contracts.lock import LOCK_FILE, parse
from slicegen.lint.engine import LintOptions, run_lint
from tests.elixir_stack.support import require_elixir, run_tool

from .test_lint_contracts import APPS, CHANGES, EVENT, edit, ok, sg205, slicegen

# a rename, a retype and a new required field: each alone and all at once
KINDS = ["renamed", "retyped", "required field", "all"]
V2 = {
    "python": "src/shop/accounts/domain/open_account/event_v2.py",
    "elixir": "apps/reckon_accounts/lib/reckon_accounts/domain/open_account/event_v2.ex",
}


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    made = {}
    for stack, name in APPS.items():
        root = tmp_path_factory.mktemp(stack) / "ws"
        d = str(root)
        ok("init", d, "--stack", stack, "--app", name)
        ok("new-domain", "accounts", "-C", d)
        ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-f", "limit:int?", "-C", d)
        ok("add-slice", "accounts", "close_account", "-f", "reason:str", "-C", d)
        made[stack] = root
    return made


@pytest.fixture(params=["python", "elixir"])
def ws(request: pytest.FixtureRequest, sources: dict[str, Path], tmp_path: Path) -> Path:
    root = tmp_path / request.param  # the folder's name is the stack (test_lint_contracts.edit)
    shutil.copytree(sources[request.param], root)
    return root


# owner renamed to owner_name, limit retyped from an integer to a string, a required note added
ALL = {
    "python": [
        ("    owner: str", "    owner_name: str"),
        ("    limit: int | None = None\n", "    limit: str | None = None\n    note: str\n"),
    ],
    "elixir": [
        (":owner,", ":owner_name,"),
        ("owner: String.t()", "owner_name: String.t()"),
        ("    :limit\n", "    :limit,\n    :note\n"),
        ("limit: integer() | nil\n", "limit: String.t() | nil,\n          note: String.t()\n"),
    ],
}


def change(root: Path, kind: str) -> None:
    edit(root, *(ALL if kind == "all" else CHANGES[kind])[root.name])


def findings(root: Path) -> list[str]:
    return [f"{f.path}: {f.code} {f.message}" for f in run_lint(root, LintOptions()).findings]


@pytest.mark.parametrize("kind", KINDS)
def test_add_version_restores_the_locked_shape(ws: Path, kind: str) -> None:
    event = ws / EVENT[ws.name]
    released = event.read_text()
    locked = parse((ws / LOCK_FILE).read_text())["accounts"]["account_opened:v1"]
    change(ws, kind)
    edited = event.read_text()
    assert [f["code"] for f in sg205(ws)] == ["SG205"]
    ok("add-version", "accounts", "open_account", "-C", str(ws))
    assert event.read_text() == released  # v1 as it was released
    lock = parse((ws / LOCK_FILE).read_text())["accounts"]
    assert lock["account_opened:v1"] == locked
    v2 = lock["account_opened:v2"]
    assert v2.path == V2[ws.name]
    new_names = {"renamed": "owner_name", "required field": "note", "all": "owner_name"}
    if kind in new_names:
        assert new_names[kind] in v2.fields and new_names[kind] in edited
    retyped = {"retyped": "owner", "all": "limit"}
    if kind in retyped:
        assert v2.fields[retyped[kind]].type != locked.fields[retyped[kind]].type
    assert sg205(ws) == []
    assert findings(ws) == []


def test_a_dry_run_shows_the_restore_and_writes_nothing(ws: Path) -> None:
    change(ws, "renamed")
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    code, out = slicegen("--dry-run", "add-version", "accounts", "open_account", "-C", str(ws))
    assert code == 0, out
    owner = {"python": "    owner", "elixir": "    :owner"}[ws.name]
    assert f"\n-{owner}_name" in out and f"\n+{owner}" in out  # v1's diff
    assert '+[events.accounts."account_opened:v2"]' in out  # the lock's
    assert {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()} == before


def test_an_event_the_lock_does_not_know_is_versioned_as_it_is(ws: Path) -> None:
    (ws / LOCK_FILE).unlink()
    change(ws, "renamed")
    edited = (ws / EVENT[ws.name]).read_text()
    ok("add-version", "accounts", "open_account", "-f", "note:str?", "-C", str(ws))
    assert (ws / EVENT[ws.name]).read_text() == edited  # nothing to restore it to
    assert "note" in parse((ws / LOCK_FILE).read_text())["accounts"]["account_opened:v2"].fields


def test_a_compatible_edit_is_versioned_as_it_is(ws: Path) -> None:
    change(ws, "optional field")
    edited = (ws / EVENT[ws.name]).read_text()
    ok("add-version", "accounts", "open_account", "-f", "memo:str", "-C", str(ws))
    assert (ws / EVENT[ws.name]).read_text() == edited
    assert findings(ws) == []


def _project_tool(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m ARGS`` (or ``python -c CODE``) in the generated project."""
    env = {"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env=env)


# an account_opened:v1 event as the store kept it before the edit
STORED = {"aggregate_id": "00000000-0000-4000-8000-000000000007", "owner": "ann", "limit": 3}
LOAD = f"""
import json
from shop.accounts.router import ROUTES
stored = ROUTES.event_types["account_opened:v1"].model_validate_json({json.dumps(STORED)!r})
print(json.dumps(ROUTES.versions_of(stored)[-1].model_dump(mode="json")))
"""


def test_python_the_generated_tests_pass_and_a_stored_v1_event_loads(
    sources: dict[str, Path], tmp_path: Path
) -> None:
    ws = tmp_path / "python"
    shutil.copytree(sources["python"], ws)
    change(ws, "all")
    ok("add-version", "accounts", "open_account", "-C", str(ws))
    for tool in (["ruff", "check", "src", "tests"], ["ruff", "format", "--check", "src", "tests"]):
        done = _project_tool(ws, *tool)
        assert done.returncode == 0, done.stdout + done.stderr
    done = _project_tool(ws, "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert done.returncode == 0, done.stdout[-3000:]
    assert (ws / "tests/accounts/open_account/test_upcast_account_opened_v1_to_v2.py").is_file()
    done = _project_tool(ws, "-c", LOAD)
    assert done.returncode == 0, done.stderr[-2000:]
    # the renamed field carried over, the retyped one converted, the new one a neutral value
    assert json.loads(done.stdout) == {
        "aggregate_id": STORED["aggregate_id"],
        "owner_name": "ann",
        "limit": "3",
        "note": "",
    }


def test_elixir_the_written_modules_parse_and_are_formatted(
    sources: dict[str, Path], tmp_path: Path
) -> None:
    _, mix = require_elixir()
    ws = tmp_path / "elixir"
    shutil.copytree(sources["elixir"], ws)
    change(ws, "all")
    ok("add-version", "accounts", "open_account", "-C", str(ws))
    slice_dir = (ws / EVENT["elixir"]).parent
    upcaster = (slice_dir / "upcast_event_v1_to_v2.ex").read_text()
    assert "owner_name: event.owner," in upcaster  # the renamed field is carried over
    files = [str(p) for p in [*slice_dir.glob("*.ex"), *ws.rglob("upcast_event_v1_to_v2_test.exs")]]
    (tmp_path / ".formatter.exs").write_text("[]\n")
    done = run_tool([mix, "format", "--check-formatted", *files], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
