"""``slicegen lint --daemon``: the workspace's lint server answers exactly what a plain run
prints, edit after edit, and is started, replaced, stopped and refused as a user expects.

Every run is a real ``slicegen`` process; the servers are real detached processes, ended at
the end of each test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from slicegen.lint.daemon_client import socket_name

from .trees import clean, py_slice, write

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the lint server needs Unix sockets")

_PROBE = (
    "import sys\n"
    "from slicegen.entry import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "finally:\n"
    "    sys.stderr.write('HERE\\n' if 'slicegen.lint.engine' in sys.modules else 'ASKED\\n')\n"
)


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """``slicegen lint ARGS`` in a subprocess: exit code, stdout, and 'ASKED' when the
    process itself loaded no lint engine (a server answered) else 'HERE'."""
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        check=False,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr.rsplit("\n", 2)[-2]


def server_pid(root: Path) -> int | None:
    lock = root / ".slicegen_cache" / (socket_name() + ".lock")
    try:
        text = lock.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (no parent reaped it yet) is gone too
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


def wait_gone(pid: int, seconds: float = 30.0) -> bool:
    """Whether ``pid`` ends within ``seconds`` (waits for an event, asserts no speed)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def roots() -> Iterator[list[Path]]:
    """The workspaces a test starts servers in: their servers are killed at the end."""
    made: list[Path] = []
    yield made
    for root in made:
        pid = server_pid(root)
        if pid is not None and alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def tree(tmp_path: Path, roots: list[Path]) -> Path:
    root = tmp_path / "ws"
    files = clean("python")
    files.update(py_slice("accounts", "create_account", "account_created"))  # CRUD: findings
    write(root, files)
    roots.append(root)
    return root


def same(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Lint through the server and in a plain process: the same exit code and output."""
    daemon = run(root, *args, "--daemon", env=env)
    plain = run(root, *args, "--no-cache", env=env)
    assert daemon[:2] == plain[:2]
    return daemon[2]


EVENT = "src/shop/accounts/domain/create_account/event_v1.py"


def test_the_server_answers_what_a_plain_run_prints_edit_after_edit(tree: Path) -> None:
    assert same(tree, ".") == "HERE"  # the first run starts the server
    pid = server_pid(tree)
    assert pid is not None and alive(pid)
    assert same(tree, ".") == "ASKED"
    assert same(tree, ".", "--format", "json") == "ASKED"
    edits = [
        lambda: write(tree, py_slice("accounts", "delete_account", "account_deleted")),
        lambda: (tree / EVENT).write_text(
            (tree / EVENT).read_text().replace("class ", "class Renamed", 1)
        ),
        lambda: (tree / "src/shop/accounts/domain/delete_account/event_v1.py").unlink(),
        lambda: (tree / "slicegen.toml").write_text(
            (tree / "slicegen.toml").read_text() + '\n[lint]\nignore = ["SG101"]\n'
        ),
    ]
    outputs = set()
    for edit in edits:
        edit()
        for fmt in ("text", "json"):
            assert same(tree, ".", "--format", fmt) == "ASKED"
        outputs.add(run(tree, ".", "--daemon")[1])
        assert same(tree, "src", "--select", "SG1") == "ASKED"
    assert len(outputs) == len(edits)  # every edit changed what is printed
    assert server_pid(tree) == pid  # one server answered them all


def test_colour_is_the_clients(tree: Path) -> None:
    same(tree, ".")
    assert same(tree, ".", env={"FORCE_COLOR": "1"}) == "ASKED"
    assert "\x1b[" in run(tree, ".", "--daemon", env={"FORCE_COLOR": "1"})[1]


def test_stop_ends_the_server_and_a_killed_one_is_replaced(tree: Path) -> None:
    assert run(tree, "--stop-daemon")[:2] == (0, "")  # none running: nothing to do
    same(tree, ".")
    first = server_pid(tree)
    assert first is not None
    os.kill(first, signal.SIGKILL)  # its socket stays behind
    assert wait_gone(first)
    assert same(tree, ".") == "HERE"
    second = server_pid(tree)
    assert second is not None and second != first and alive(second)
    done = subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", "--stop-daemon", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "stopped 1 lint server" in done.stderr
    assert wait_gone(second)
    assert not (tree / ".slicegen_cache" / socket_name()).exists()


def test_an_idle_server_ends(tree: Path) -> None:
    same(tree, ".", env={"SLICEGEN_DAEMON_IDLE": "1"})
    pid = server_pid(tree)
    assert pid is not None and wait_gone(pid)


def test_a_server_ends_when_its_workspace_is_removed(tree: Path) -> None:
    same(tree, ".")
    pid = server_pid(tree)
    assert pid is not None
    subprocess.run(["rm", "-rf", str(tree)], check=True)
    assert wait_gone(pid)


def test_a_planted_socket_name_is_never_asked(tmp_path: Path, roots: list[Path]) -> None:
    """A symlink (or a file) where the socket goes, pointing at another workspace's live
    server: the client never asks it, and the workspace gets its own server."""
    other, mine = tmp_path / "other", tmp_path / "mine"
    for root, slice_ in ((other, ("billing", "send_invoice", "invoice_sent")), (mine, None)):
        files = clean("python")
        if slice_ is not None:
            files.update(py_slice(*slice_))
        write(root, files)
        roots.append(root)
    same(other, ".")
    (mine / ".slicegen_cache").mkdir()
    planted = mine / ".slicegen_cache" / socket_name()
    planted.symlink_to(other / ".slicegen_cache" / socket_name())
    assert same(mine, ".") == "HERE"
    assert not planted.is_symlink()  # replaced by the workspace's own server's socket
    assert server_pid(mine) not in (None, server_pid(other))


def test_a_nested_workspace_gets_its_own_server(tree: Path, roots: list[Path]) -> None:
    inner = tree / "tools" / "inner"
    files = clean("python")
    files.update(py_slice("billing", "send_invoice", "invoice_sent"))
    write(inner, files)
    roots.append(inner)
    same(tree, ".")
    assert same(inner, ".") == "HERE"  # the outer server says the path is not its workspace's
    assert server_pid(inner) not in (None, server_pid(tree))
    assert same(inner, ".") == "ASKED"


def test_what_the_daemon_cannot_take_is_refused_in_one_line(tree: Path) -> None:
    code, out, _ = run(tree, ".", "--daemon", "--statistics")
    done = subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", ".", "--daemon", "--baseline", "b.json"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    watching = run(tree, ".", "--daemon", "--watch")
    assert code == 2 and out == "" and watching[:2] == (2, "")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "--daemon takes a path, --format, --select and --ignore only" in done.stderr
    assert server_pid(tree) is None  # nothing was started


def test_a_missing_path_is_named_as_a_plain_run_names_it(tree: Path) -> None:
    daemon = subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", "nowhere", "--daemon"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    plain = subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", "nowhere"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    assert daemon.returncode == plain.returncode == 2
    assert daemon.stderr == plain.stderr and "nowhere does not exist" in plain.stderr


def test_global_options_before_lint_are_honoured(tree: Path) -> None:
    """``slicegen -q lint --daemon`` goes through the full command line: quiet as a plain run."""

    def cli(*args: str) -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, "-m", "slicegen", "-q", "lint", ".", *args],
            cwd=tree,
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        return done.returncode, done.stdout

    plain = cli("--no-cache")
    assert plain[0] == 1 and "SG101" in plain[1]
    assert cli("--daemon") == plain  # started the server
    assert server_pid(tree) is not None
    assert cli("--daemon") == plain  # answered by it


def test_a_workspace_deeper_than_a_socket_address_allows(tmp_path: Path, roots: list[Path]) -> None:
    """A Unix socket's address holds about 100 bytes; a workspace below a longer path still
    gets its server (reached from inside its cache folder)."""
    root = tmp_path / ("deep-" + "x" * 60) / ("folder-" + "y" * 60) / "ws"
    files = clean("python")
    files.update(py_slice("accounts", "create_account", "account_created"))
    write(root, files)
    roots.append(root)
    assert len(str(root / ".slicegen_cache" / socket_name()).encode()) > 108
    assert same(root, ".") == "HERE"
    assert same(root, ".") == "ASKED"


def test_no_server_where_a_plain_run_refuses(tmp_path: Path) -> None:
    """A broken config, or the home folder without one: the plain run's one-line error, and no
    server (nor cache folder) is made."""
    home = tmp_path / "home"
    (home / "code").mkdir(parents=True)
    (home / "code" / "x.py").write_text("class AccountCreated:\n    pass\n")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "slicegen.toml").write_text('stack = "python"\n[lint\n')
    for where in (home, broken):
        env = {**os.environ, "HOME": str(home)}
        args = [sys.executable, "-m", "slicegen", "lint", "."]
        daemon = subprocess.run(
            [*args, "--daemon"], cwd=where, env=env, capture_output=True, text=True, check=False
        )
        plain = subprocess.run(
            args, cwd=where, env=env, capture_output=True, text=True, check=False
        )
        assert daemon.returncode == plain.returncode == 2
        assert daemon.stderr == plain.stderr and plain.stderr.count("\n") == 1
        assert not (where / ".slicegen_cache").exists()
