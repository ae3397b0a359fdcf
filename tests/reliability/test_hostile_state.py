"""Hostile ``.slicegen/`` state in a stranger's tree: refused in one line, nothing touched.

Each test builds the tree in a temporary folder beside a sentinel folder *outside* it, runs the
real CLI in a subprocess with a timeout, and checks the exit code, the one-line error, and that
neither the sentinel nor the tree changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result, run_slicegen

TIMEOUT = 60


def _digest(root: Path) -> str:
    """Every entry below ``root`` (links as links, never followed): names, kinds, bytes."""
    digest = hashlib.sha256()
    for folder, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted([*dirs, *files]):
            path = Path(folder) / name
            if path == root / ".slicegen" / "lock" and path.is_file() and not path.is_symlink():
                continue  # taken to roll back: its only content is the last run's pid
            info = path.lstat()
            digest.update(f"{path.relative_to(root)}|{info.st_mode}".encode())
            if path.is_symlink():
                digest.update(os.readlink(path).encode())
            elif path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    return run_slicegen(*args, cwd=cwd, env=env, timeout=TIMEOUT)


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """A linted workspace ``ws`` and a ``sentinel`` folder beside it with a file in it."""
    ws, sentinel = tmp_path / "ws", tmp_path / "sentinel"
    ws.mkdir()
    sentinel.mkdir()
    (sentinel / "precious.txt").write_text("keep me\n")
    (ws / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    return ws, sentinel


def _assert_refused(
    tree: tuple[Path, Path], args: list[str], *fragments: str, code: int = 2
) -> None:
    ws, sentinel = tree
    before = (_digest(ws), _digest(sentinel))
    proc = _run(*args, cwd=ws)
    assert proc.exit_code == code, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr
    assert (_digest(ws), _digest(sentinel)) == before


def _plant_journal(ws: Path, files: list[dict[str, object]], dirs: list[str]) -> None:
    txn = ws / ".slicegen" / "txn"
    (txn / "new").mkdir(parents=True)
    (txn / "old").mkdir()
    (txn / "journal.json").write_text(json.dumps({"files": files, "dirs": dirs}))


COMMANDS = [["lint", "."], ["storm", "--check"], ["add-slice", "orders", "place_order"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_planted_journal_pointing_outside_is_refused(
    tree: tuple[Path, Path], args: list[str], how: str
) -> None:
    ws, sentinel = tree
    target = str(sentinel / "precious.txt") if how == "absolute" else "../sentinel/precious.txt"
    folder = str(sentinel) if how == "absolute" else "../sentinel"
    _plant_journal(ws, [{"path": target, "index": 0, "existed": False}], [folder])
    _assert_refused(tree, args, "refusing the interrupted-run journal", "rm -r", ".slicegen/txn")


def test_planted_journal_inside_the_tree_is_refused_too(tree: tuple[Path, Path]) -> None:
    """Unsigned, it may not even delete the tree's own files."""
    ws, _ = tree
    (ws / "victim.py").write_text("x = 1\n")
    _plant_journal(ws, [{"path": "victim.py", "index": 0, "existed": False}], [])
    _assert_refused(tree, ["lint", "."], "not a journal slicegen wrote", ".slicegen/txn")


def test_journal_that_is_a_symlink_is_refused(tree: tuple[Path, Path]) -> None:
    ws, sentinel = tree
    txn = ws / ".slicegen" / "txn"
    txn.mkdir(parents=True)
    (txn / "journal.json").symlink_to(sentinel / "precious.txt")
    _assert_refused(tree, ["lint", "."], "is a symlink", ".slicegen/txn")


def test_journal_through_a_symlinked_parent_folder_is_refused(tree: tuple[Path, Path]) -> None:
    ws, sentinel = tree
    (ws / "src").symlink_to(sentinel)
    _plant_journal(ws, [{"path": "src/precious.txt", "index": 0, "existed": False}], [])
    _assert_refused(tree, ["lint", "."], "refusing", ".slicegen/txn")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_txn_symlink_is_one_line_not_a_loop(tree: tuple[Path, Path], args: list[str]) -> None:
    ws, sentinel = tree
    (ws / ".slicegen").mkdir()
    (ws / ".slicegen" / "txn").symlink_to(sentinel)
    _assert_refused(tree, args, "is a symlink", "rm -r", ".slicegen/txn")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_txn_plain_file_is_one_line_not_a_loop(tree: tuple[Path, Path], args: list[str]) -> None:
    ws, _ = tree
    (ws / ".slicegen").mkdir()
    (ws / ".slicegen" / "txn").write_text("not a folder\n")
    _assert_refused(tree, args, "not a folder", "rm -r", ".slicegen/txn")


def test_lock_symlink_is_never_followed(tree: tuple[Path, Path]) -> None:
    ws, sentinel = tree
    (ws / ".slicegen").mkdir()
    (ws / ".slicegen" / "lock").symlink_to(sentinel / "precious.txt")
    _assert_refused(tree, ["add-slice", "orders", "place_order"], "refusing the lock", "symlink")


def test_lock_fifo_does_not_hang(tree: tuple[Path, Path]) -> None:
    ws, _ = tree
    (ws / ".slicegen").mkdir()
    os.mkfifo(ws / ".slicegen" / "lock")
    _assert_refused(tree, ["add-slice", "orders", "place_order"], "refusing the lock", "FIFO")


def test_state_folder_symlink_is_refused(tree: tuple[Path, Path]) -> None:
    ws, sentinel = tree
    (ws / ".slicegen").symlink_to(sentinel)
    _assert_refused(tree, ["add-slice", "orders", "place_order"], ".slicegen is a symlink")


def test_own_interrupted_run_is_still_rolled_back(tmp_path: Path) -> None:
    """The signed journal of a real killed run is accepted: crash safety holds."""
    ws = tmp_path / "ws"
    assert _run("init", str(ws), "--stack", "python", "--app", "shop", cwd=tmp_path).exit_code == 0
    env = {**os.environ, "SLICEGEN_KILL_AFTER_OPS": "22"}
    proc = _run("new-domain", "orders", cwd=ws, env=env)
    assert proc.exit_code < 0  # killed mid-write
    assert (ws / ".slicegen" / "txn" / "journal.json").exists()
    proc2 = _run("lint", ".", cwd=ws)
    assert "recovered: rolled back" in proc2.stderr
    assert not (ws / ".slicegen" / "txn").exists()
    assert not (ws / "src" / "shop" / "orders").exists()


def test_deeply_nested_config_is_one_line(tree: tuple[Path, Path]) -> None:
    ws, _ = tree
    (ws / "slicegen.toml").write_text("x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n")
    _assert_refused(tree, ["lint", "."], "slicegen.toml", "nested too deeply")


def test_config_that_is_a_fifo_does_not_hang(tree: tuple[Path, Path]) -> None:
    """A FIFO config is refused, unopened, as a symlinked one is (it was passed over for the
    config of a folder above)."""
    ws, _ = tree
    (ws / "slicegen.toml").unlink()
    (ws / "pyproject.toml").write_text("[tool.slicegen]\n")
    (ws / "sub").mkdir()
    os.mkfifo(ws / "sub" / "slicegen.toml")
    ws_sub = (ws / "sub", tree[1])
    _assert_refused(ws_sub, ["storm", "--check"], "sub/slicegen.toml: cannot be read (is a FIFO")


def test_config_symlinked_out_of_the_workspace_is_refused_unread(tree: tuple[Path, Path]) -> None:
    ws, sentinel = tree
    outside = sentinel / "stolen.toml"
    outside.write_text('stack = "python"\napp = "SECRET_APP_NAME"\n')
    (ws / "slicegen.toml").unlink()
    (ws / "slicegen.toml").symlink_to(outside)
    _assert_refused(tree, ["lint", "."], "slicegen.toml", "symlink")
    proc = _run("lint", ".", cwd=ws)
    assert "SECRET_APP_NAME" not in proc.stderr + proc.stdout


def test_apply_of_a_fifo_does_not_hang(tree: tuple[Path, Path]) -> None:
    ws, _ = tree
    os.mkfifo(ws / "model.yaml")
    _assert_refused(tree, ["apply", "model.yaml"], "model.yaml", "FIFO")


def test_apply_never_echoes_the_file(tree: tuple[Path, Path]) -> None:
    ws, sentinel = tree
    secret = sentinel / "shadow"
    secret.write_text("root:$6$SECRETHASH:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n")
    _assert_refused(tree, ["apply", str(secret)], "unknown key")
    proc = _run("apply", str(secret), cwd=ws)
    assert "SECRET" not in proc.stderr + proc.stdout


TEMPLATE = "python/domain_tests/test_app.py.j2"


@pytest.fixture
def scaffolded(tmp_path: Path) -> tuple[Path, Path]:
    """A real python workspace (``new-domain`` renders the override) and a sentinel beside it."""
    ws, sentinel = tmp_path / "ws", tmp_path / "sentinel"
    sentinel.mkdir()
    (sentinel / "passwd").write_text("root:x:0:0:SENTINEL-SECRET:/root:/bin/sh\n")
    assert _run("init", str(ws), "--stack", "python", "--app", "shop", cwd=tmp_path).exit_code == 0
    (ws / ".slicegen" / "templates" / "python" / "domain_tests").mkdir(parents=True)
    return ws, sentinel


def _override(ws: Path) -> Path:
    return ws / ".slicegen" / "templates" / TEMPLATE


def test_override_symlink_to_outside_is_refused(scaffolded: tuple[Path, Path]) -> None:
    ws, sentinel = scaffolded
    _override(ws).symlink_to(sentinel / "passwd")
    _assert_refused(scaffolded, ["new-domain", "orders"], "is a symlink", "test_app.py.j2")


def test_override_folder_symlink_is_refused(scaffolded: tuple[Path, Path]) -> None:
    ws, sentinel = scaffolded
    folder = ws / ".slicegen" / "templates"
    (folder / "python" / "domain_tests").rmdir()
    (folder / "python").rmdir()
    folder.rmdir()
    (sentinel / "python" / "domain_tests").mkdir(parents=True)
    (sentinel / "python" / "domain_tests" / "test_app.py.j2").write_text("{{ 1 }}\n")
    folder.symlink_to(sentinel)
    _assert_refused(scaffolded, ["new-domain", "orders"], "is a symlink", "templates")


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("{% include '../../../sentinel/passwd' %}", "include"),
        ("{% include '/etc/passwd' %}", "include"),
        ("{% include 'nope' %}", "include"),
        ("{% import 'nope' as x %}", "include"),
        ("{{ range(10**9) }}", "too much"),
        ("{{ 'a' * 10**10 }}", "unsafe operation"),
        ("{{ 10 ** 100000 }}", "unsafe operation"),
    ],
)
def test_override_render_errors_are_one_line(
    scaffolded: tuple[Path, Path], text: str, fragment: str
) -> None:
    ws, _ = scaffolded
    _override(ws).write_text(text + "\n")
    _assert_refused(scaffolded, ["new-domain", "orders"], fragment, "test_app.py")
    proc = _run("new-domain", "orders", cwd=ws)
    assert "SENTINEL-SECRET" not in proc.stdout + proc.stderr


def test_override_that_spins_is_stopped_after_its_cpu_budget(
    scaffolded: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _ = scaffolded
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    _override(ws).write_text(loops + "\n")
    monkeypatch.setenv("SLICEGEN_RENDER_CPU_SECONDS", "1")
    _assert_refused(scaffolded, ["new-domain", "orders"], "too much", "CPU", "test_app.py")


def test_copier_override_with_a_symlink_is_refused(scaffolded: tuple[Path, Path]) -> None:
    ws, sentinel = scaffolded
    ejected = _run("templates", "eject", "python/domain/copier.yml", cwd=ws)
    assert ejected.exit_code == 0, ejected.stderr
    leak = ws / ".slicegen" / "templates" / "python" / "domain" / "leak.txt"
    leak.symlink_to(sentinel / "passwd")
    _assert_refused(scaffolded, ["new-domain", "orders"], "leak.txt", "a symlink")


def test_render_folders_of_killed_runs_are_swept(
    scaffolded: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, _ = scaffolded
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp / f"slicegen-render-{gone.stdout.strip()}-abc"
    live = tmp / f"slicegen-render-{os.getpid()}-abc"
    other = tmp / "slicegen-render-notapid"
    for folder in (dead, live, other):
        (folder / "out").mkdir(parents=True)
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = _run("new-domain", "orders", cwd=ws, env=env)
    assert proc.exit_code == 0, proc.stderr
    assert not dead.exists() and live.exists() and other.exists()
    assert sorted(p.name for p in tmp.iterdir()) == sorted([live.name, other.name])


def test_templates_list_does_not_follow_override_links(scaffolded: tuple[Path, Path]) -> None:
    ws, sentinel = scaffolded
    _override(ws).symlink_to(sentinel / "passwd")
    (ws / ".slicegen" / "templates" / "loop").symlink_to(ws / ".slicegen" / "templates")
    before = (_digest(ws), _digest(sentinel))
    proc = _run("templates", "list", cwd=ws)
    assert proc.exit_code == 0, proc.stderr
    assert "overridden by" not in proc.stdout and "loop" not in proc.stdout
    assert (_digest(ws), _digest(sentinel)) == before
