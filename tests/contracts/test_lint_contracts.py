"""SG205 end to end on generated workspaces of both stacks: the lock the commands write, each
kind of change to a locked event, ``storm`` keeping the lock, and ``lint --since REF``."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slicegen.cli import app
from slicegen.contracts.lock import LOCK_FILE, parse
from slicegen.errors import SlicegenError
from slicegen.lint.command import lint

APPS = {"python": "shop", "elixir": "reckon"}
EVENT = {
    "python": "src/shop/accounts/domain/open_account/event_v1.py",
    "elixir": "apps/reckon_accounts/lib/reckon_accounts/domain/open_account/event_v1.ex",
}


def slicegen(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), prog_name="slicegen")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr


def ok(*args: str) -> str:
    code, out = slicegen(*args)
    assert code == 0, f"slicegen {' '.join(args)}: {out}"
    return out


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    made = {}
    for stack, name in APPS.items():
        root = tmp_path_factory.mktemp(stack) / "ws"
        d = str(root)
        ok("init", d, "--stack", stack, "--app", name)
        ok("new-domain", "accounts", "-C", d)
        ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-f", "limit:int?", "-C", d)
        made[stack] = root
    return made


@pytest.fixture(params=["python", "elixir"])
def ws(request: pytest.FixtureRequest, sources: dict[str, Path], tmp_path: Path) -> Path:
    root = tmp_path / request.param
    shutil.copytree(sources[request.param], root)
    return root


def stack_of(root: Path) -> str:
    return root.name


def sg205(root: Path, **kwargs: Any) -> list[dict[str, Any]]:
    out = io.StringIO()
    kwargs.setdefault("use_cache", False)
    lint(root, "json", select=["SG205"], stream=out, **kwargs)
    found: list[dict[str, Any]] = json.loads(out.getvalue())
    return found


def edit(root: Path, *pairs: tuple[str, str]) -> None:
    path = root / EVENT[stack_of(root)]
    text = path.read_text()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)


# the same kind of change, written in each stack's own syntax
CHANGES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "removed": {
        "python": [("    owner: str\n", "")],
        "elixir": [("    :owner,\n", ""), ("          owner: String.t(),\n", "")],
    },
    "renamed": {
        "python": [("    owner: str", "    owner_name: str")],
        "elixir": [(":owner,", ":owner_name,"), ("owner: String.t()", "owner_name: String.t()")],
    },
    "retyped": {
        "python": [("    owner: str", "    owner: int")],
        "elixir": [("owner: String.t()", "owner: integer()")],
    },
    "required field": {
        "python": [
            ("    limit: int | None = None\n", "    limit: int | None = None\n    note: str\n")
        ],
        "elixir": [
            ("    :limit\n", "    :limit,\n    :note\n"),
            ("limit: integer() | nil\n", "limit: integer() | nil,\n          note: String.t()\n"),
        ],
    },
    "optional field": {
        "python": [
            ("    limit: int | None = None\n", "    limit: int | None = None\n    note: str = ''\n")
        ],
        "elixir": [
            ("    :limit\n", "    :limit,\n    :note\n"),
            (
                "limit: integer() | nil\n",
                "limit: integer() | nil,\n          note: String.t() | nil\n",
            ),
        ],
    },
}
EXPECTED = {
    "removed": "field 'owner' removed",
    "renamed": "field 'owner' renamed to 'owner_name'",
    "retyped": "field 'owner' retyped from",
    "required field": "required field 'note' added",
    "optional field": None,
}


def test_add_slice_locks_the_event_and_a_clean_tree_passes(ws: Path) -> None:
    locked = parse((ws / LOCK_FILE).read_text())
    shape = locked["accounts"]["account_opened:v1"]
    assert shape.path == EVENT[stack_of(ws)]
    assert {n: f.required for n, f in shape.fields.items() if n != "account_id"} == {
        "owner": True,
        "limit": False,
    }
    assert sg205(ws) == []


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_kind_of_change(ws: Path, change: str) -> None:
    edit(ws, *CHANGES[change][stack_of(ws)])
    found = sg205(ws)
    expected = EXPECTED[change]
    if expected is None:
        assert found == []
        return
    [one] = found
    assert one["path"] == EVENT[stack_of(ws)]
    assert expected in one["message"]
    assert "slicegen add-version accounts open_account" in one["message"]


def test_storm_keeps_a_broken_shape_and_takes_a_compatible_one(ws: Path) -> None:
    before = (ws / LOCK_FILE).read_text()
    edit(ws, *CHANGES["renamed"][stack_of(ws)])
    ok("storm", "-C", str(ws))
    assert (ws / LOCK_FILE).read_text() == before  # the break stays reported
    assert len(sg205(ws)) == 1
    edit(ws, *[(new, old) for old, new in CHANGES["renamed"][stack_of(ws)]])
    edit(ws, *CHANGES["optional field"][stack_of(ws)])
    ok("storm", "-C", str(ws))
    assert "note" in parse((ws / LOCK_FILE).read_text())["accounts"]["account_opened:v1"].fields
    assert sg205(ws) == []


def test_add_version_locks_v2_and_a_dropped_v1_is_reported(ws: Path) -> None:
    ok("add-version", "accounts", "open_account", "-f", "note:str", "-C", str(ws))
    locked = parse((ws / LOCK_FILE).read_text())["accounts"]
    assert set(locked) == {"account_opened:v1", "account_opened:v2"}
    assert locked["account_opened:v2"].fields["note"].required
    assert sg205(ws) == []
    (ws / EVENT[stack_of(ws)]).unlink()
    [one] = sg205(ws)
    assert "'account_opened:v1' is locked but no event defines it" in one["message"]


def test_a_removed_slice_is_not_reported_and_storm_drops_it(ws: Path) -> None:
    shutil.rmtree((ws / EVENT[stack_of(ws)]).parent)
    assert sg205(ws) == []
    ok("storm", "-C", str(ws))
    assert "account_opened:v1" not in (ws / LOCK_FILE).read_text()


def test_a_damaged_lock_is_a_clear_error(ws: Path) -> None:
    (ws / LOCK_FILE).write_text("[events\n")
    code, out = slicegen("lint", str(ws), "--select", "SG205", "--no-cache")
    assert code == 2
    assert f"{LOCK_FILE} cannot be read" in out
    assert "restore it from git" in out


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def committed(ws: Path) -> Callable[[], Path]:
    def make() -> Path:
        git(ws, "init", "-q")
        git(ws, "add", "-A")
        git(ws, "commit", "-qm", "released")
        return ws

    return make


def test_since_compares_with_a_git_revision_not_the_lock(committed: Callable[[], Path]) -> None:
    ws = committed()
    (ws / LOCK_FILE).unlink()  # --since needs no lock
    edit(ws, *CHANGES["retyped"][stack_of(ws)])
    [one] = sg205(ws, since="HEAD")
    assert "field 'owner' retyped" in one["message"]
    assert sg205(ws) == []  # no lock, no comparison
    git(ws, "commit", "-qam", "retyped")
    assert sg205(ws, since="HEAD") == []
    assert len(sg205(ws, since="HEAD~1")) == 1


def test_since_an_unknown_revision_is_a_clear_error(committed: Callable[[], Path]) -> None:
    ws = committed()
    code, out = slicegen("lint", str(ws), "--since", "no-such-branch")
    assert code == 2
    assert "no such git revision" in out


def test_with_the_lint_cache_an_edited_event_is_read_again(ws: Path) -> None:
    assert sg205(ws, use_cache=True) == []  # shapes remembered by content digest
    edit(ws, *CHANGES["retyped"][stack_of(ws)])
    [one] = sg205(ws, use_cache=True)
    assert "field 'owner' retyped" in one["message"]
    edit(ws, *[(new, old) for old, new in CHANGES["retyped"][stack_of(ws)]])
    assert sg205(ws, use_cache=True) == []


def test_with_the_lint_cache_an_edited_lock_is_read_again(ws: Path) -> None:
    assert sg205(ws, use_cache=True) == []  # the parsed lock remembered by content digest
    lock = ws / LOCK_FILE
    lock.write_text(lock.read_text().replace("fields = { ", 'fields = { gone = "str", ', 1))
    [one] = sg205(ws, use_cache=True)
    assert "field 'gone' removed" in one["message"]


def test_the_replayed_run_notices_an_edited_lock(ws: Path) -> None:
    def lint_cli() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "slicegen", "lint", "--format", "json", "."],
            cwd=ws,
            capture_output=True,
            text=True,
            check=False,
        )

    lint_cli()
    assert "SG205" not in lint_cli().stdout  # the second run is replayed
    lock = ws / LOCK_FILE
    lock.write_text(lock.read_text().replace("fields = { ", 'fields = { gone = "str", ', 1))
    assert "field 'gone' removed" in lint_cli().stdout


def test_since_reads_past_a_planted_file_name_with_a_newline(
    committed: Callable[[], Path],
) -> None:
    """``git cat-file --batch`` takes one name a line: a committed event file whose name holds
    a newline must not shift the other files' texts (or crash the run)."""
    ws = committed()
    event = ws / EVENT[stack_of(ws)]
    planted = event.parent.parent / "a\nopen_account" / event.name
    planted.parent.mkdir()
    planted.write_text("not an event\n")
    git(ws, "add", "-A")
    git(ws, "commit", "-qm", "planted")
    planted.unlink()
    planted.parent.rmdir()
    edit(ws, *CHANGES["retyped"][stack_of(ws)])
    [one] = sg205(ws, since="HEAD")
    assert "field 'owner' retyped" in one["message"]


def test_since_reads_past_a_name_that_is_not_utf8_and_a_planted_link(
    committed: Callable[[], Path],
) -> None:
    ws = committed()
    event = ws / EVENT[stack_of(ws)]
    folder = bytes(event.parent.parent) + b"/\xff_open"
    os.mkdir(folder)
    with open(folder + b"/" + event.name.encode(), "w") as planted:
        planted.write("not an event\n")
    (event.parent.parent / "linked").mkdir()
    (event.parent.parent / "linked" / event.name).symlink_to("/etc/passwd")
    git(ws, "add", "-A")
    git(ws, "commit", "-qm", "planted")
    edit(ws, *CHANGES["retyped"][stack_of(ws)])
    [one] = sg205(ws, since="HEAD")
    assert "field 'owner' retyped" in one["message"]


def _missing_blob_at(root: Path, tree: str, parts: list[str]) -> str:
    """A copy of ``tree`` whose blob at ``parts`` is an object the repository lacks."""
    listed = subprocess.run(
        ["git", "ls-tree", tree], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    entries = []
    for line in listed.splitlines():
        meta, name = line.split("\t", 1)
        mode, kind, oid = meta.split()
        if name == parts[0]:
            oid = _missing_blob_at(root, oid, parts[1:]) if kind == "tree" else "12" * 20
        entries.append(f"{mode} {kind} {oid}\t{name}\n")
    made = subprocess.run(
        ["git", "mktree", "--missing"],
        cwd=root,
        input="".join(entries),
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip()


def test_since_runs_no_program_a_planted_git_config_names(
    committed: Callable[[], Path], tmp_path: Path
) -> None:
    """A stranger's repository can be a partial clone whose config names a remote, allows ssh
    and gives ``core.sshCommand``: reading a blob it lacks would fetch it, running that program.
    ``--since`` allows git no transport, so the blob is missing: the contracts cannot be
    compared, which is an error (it was an empty comparison: a pass)."""
    ws = committed()
    marker = tmp_path / "ran"
    program = tmp_path / "program.sh"
    program.write_text(f'#!/bin/sh\necho "$@" >> {marker}\n')
    program.chmod(0o755)
    tree = _missing_blob_at(ws, "HEAD^{tree}", EVENT[stack_of(ws)].split("/"))
    commit = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit-tree", tree, "-m", "x"],
        cwd=ws,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(ws, "update-ref", "refs/heads/planted", commit)
    for key, value in {
        "core.repositoryformatversion": "1",
        "extensions.partialClone": "origin",
        "remote.origin.url": "ssh://example.invalid/x",
        "remote.origin.promisor": "true",
        "protocol.ssh.allow": "always",
        "core.sshCommand": f"{program} ssh",
        "core.fsmonitor": f"{program} fsmonitor",
    }.items():
        git(ws, "config", key, value)
    with pytest.raises(SlicegenError, match=r"git cannot read .* \(its object is missing"):
        sg205(ws, since="planted")
    assert not marker.exists(), marker.read_text()
