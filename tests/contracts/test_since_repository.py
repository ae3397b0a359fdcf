"""``lint --since`` in a tree with a planted ``.git``: git reads no other repository's objects.

Each attack plants, in the workspace's repository, a way for git to reach a "victim" repository
beside it, whose commit (named by a planted ref) has an event field ``secret_pin``: without the
check SG205 printed "field 'secret_pin' removed". Real set-ups (a linked worktree, a submodule,
a workspace below the repository's top, a checkout of another user marked ``safe.directory`` in
the user's git config) still compare.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from slicegen.errors import SlicegenError
from tests.conftest import run_slicegen
from tests.contracts.test_lint_contracts import EVENT, git, ok, sg205

PYTHON_EVENT = EVENT["python"]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("source") / "ws"
    ok("init", str(root), "--stack", "python", "--app", "shop")
    ok("new-domain", "accounts", "-C", str(root))
    ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-C", str(root))
    return root


def _head(root: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture
def planted(source: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    """A committed workspace ``ws``, a ``victim`` repository beside it whose event has one more
    field, and the victim's commit (which ``ws`` lacks)."""
    ws, victim = tmp_path / "ws", tmp_path / "victim"
    shutil.copytree(source, ws)
    shutil.copytree(source, victim)
    event = victim / PYTHON_EVENT
    event.write_text(
        event.read_text().replace("    owner: str\n", "    owner: str\n    secret_pin: str\n")
    )
    for root in (ws, victim):
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "x")
    return ws, victim, _head(victim)


def _leaks(ws: Path, commit: str) -> None:
    """``--since`` the victim's commit (through a ref planted in ``ws``) is refused."""
    (ws / ".git" / "refs" / "heads").mkdir(parents=True, exist_ok=True)
    (ws / ".git" / "refs" / "heads" / "planted").write_text(commit + "\n")
    with pytest.raises(SlicegenError, match="reads outside itself") as refused:
        sg205(ws, since="planted")
    assert "\n" not in str(refused.value)


def _alternates(ws: Path, line: str) -> None:
    (ws / ".git" / "objects" / "info" / "alternates").write_text(line + "\n")


def _objects_link(ws: Path, victim: Path) -> None:
    shutil.rmtree(ws / ".git" / "objects")
    (ws / ".git" / "objects").symlink_to(victim / ".git" / "objects")


def _commondir(ws: Path, victim: Path) -> None:
    (ws / ".git" / "commondir").write_text(f"{victim}/.git\n")


ATTACKS: dict[str, Callable[[Path, Path], None]] = {
    "alternates": lambda ws, victim: _alternates(ws, str(victim / ".git" / "objects")),
    "relative alternates": lambda ws, _: _alternates(ws, "../../../victim/.git/objects"),
    "objects link": _objects_link,
    "commondir": _commondir,
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_planted_git_folder_reaching_another_repository_is_refused(
    planted: tuple[Path, Path, str], attack: str
) -> None:
    ws, victim, commit = planted
    ATTACKS[attack](ws, victim)
    _leaks(ws, commit)


def test_a_planted_alternate_of_an_alternate_is_refused(planted: tuple[Path, Path, str]) -> None:
    ws, victim, commit = planted
    inner = ws / "vendor" / "objects"
    (inner / "info").mkdir(parents=True)
    _alternates(ws, str(inner))
    (inner / "info" / "alternates").write_text(f"{victim}/.git/objects\n")
    _leaks(ws, commit)


@pytest.mark.parametrize("how", ["symlink", "gitfile"])
def test_a_planted_dot_git_naming_another_repository_is_refused(
    planted: tuple[Path, Path, str], how: str
) -> None:
    ws, victim, commit = planted
    shutil.rmtree(ws / ".git")
    if how == "symlink":
        (ws / ".git").symlink_to(victim / ".git")
    else:
        (ws / ".git").write_text(f"gitdir: {victim}/.git\n")
    with pytest.raises(SlicegenError, match="reads outside itself"):
        sg205(ws, since=commit)


def test_the_refusal_is_one_line_on_the_command_line(planted: tuple[Path, Path, str]) -> None:
    ws, victim, commit = planted
    _alternates(ws, str(victim / ".git" / "objects"))
    done = run_slicegen("lint", "--since", commit, "--no-cache", cwd=ws, timeout=120)
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1 and "alternates names" in done.stderr, done.stderr
    assert "secret_pin" not in done.stdout + done.stderr


def _retype(ws: Path) -> None:
    event = ws / PYTHON_EVENT
    event.write_text(event.read_text().replace("    owner: str\n", "    owner: int\n"))


def test_a_linked_worktree_still_compares(planted: tuple[Path, Path, str], tmp_path: Path) -> None:
    ws, _, _ = planted
    linked = tmp_path / "linked"
    git(ws, "worktree", "add", "-q", str(linked))
    _retype(linked)
    [one] = sg205(linked, since="HEAD")
    assert "field 'owner' retyped" in one["message"]


def test_a_submodule_and_a_workspace_below_the_top_still_compare(
    planted: tuple[Path, Path, str], tmp_path: Path
) -> None:
    ws, _, _ = planted
    top = tmp_path / "super"
    top.mkdir()
    git(top, "init", "-q")
    git(top, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(ws), "nested/ws")
    module = top / "nested" / "ws"
    assert (module / ".git").is_file()
    _retype(module)
    [one] = sg205(module, since="HEAD")
    assert "field 'owner' retyped" in one["message"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder whose ``.gitconfig`` git reads (no other global config)."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    for name in ("XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.mark.skipif(os.geteuid() != 0, reason="makes the checkout another user's")
def test_the_users_safe_directory_is_kept(planted: tuple[Path, Path, str], home: Path) -> None:
    """A checkout of another user is compared when the user's git config marks it safe (as a CI
    job in a container does)."""
    ws, _, _ = planted
    (home / ".gitconfig").write_text(f"[safe]\n\tdirectory = {ws}\n")
    for folder in (ws, ws / ".git"):
        os.chown(folder, 4321, 4321)  # git checks who owns the repository's folders
    _retype(ws)
    [one] = sg205(ws, since="HEAD")
    assert "field 'owner' retyped" in one["message"]


def test_the_users_and_the_systems_git_config_are_not_read(
    planted: tuple[Path, Path, str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, _, _ = planted
    (home / ".gitconfig").write_text("[core\n")  # git stops at a config it cannot parse
    system = home / "system-gitconfig"
    system.write_text("[core\n")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(system))
    _retype(ws)
    [one] = sg205(ws, since="HEAD")
    assert "field 'owner' retyped" in one["message"]


@pytest.mark.parametrize("name", ["HEAD", "config", "packed-refs"])
def test_a_fifo_in_the_git_folder_ends_in_one_line_not_a_hang(
    planted: tuple[Path, Path, str], name: str
) -> None:
    """git reads its HEAD, config and packed refs blocking: on a FIFO it waited for ever."""
    ws, _, _ = planted
    path = ws / ".git" / name
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    env = {**os.environ, "SLICEGEN_GIT_SECONDS": "2"}
    done = run_slicegen("lint", "--since", "HEAD", "--no-cache", cwd=ws, env=env, timeout=120)
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1 and "git did not answer in 2 s" in done.stderr, done.stderr


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from ``/proc``)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _comm(pid: int) -> str:
    """A process's command name, "" once it has ended (a short git child may end between)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux parent-death signal")
def test_git_ends_with_a_killed_slicegen(planted: tuple[Path, Path, str]) -> None:
    """slicegen killed (a CI job's timeout) while git waits on a FIFO planted as ``.git/HEAD``:
    git, orphaned, waited for ever."""
    ws, _, _ = planted
    (ws / ".git" / "HEAD").unlink()
    os.mkfifo(ws / ".git" / "HEAD")
    env = {**os.environ, "SLICEGEN_GIT_SECONDS": "600"}
    lint = subprocess.Popen(
        [sys.executable, "-m", "slicegen", "lint", "--since", "HEAD", "--no-cache"],
        cwd=ws,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):  # until git runs (and blocks on the FIFO)
            gits = [p for p in _children(lint.pid) if "git" in _comm(p)]
            if gits:
                break
            time.sleep(0.1)
        assert gits, "git never started"
        lint.kill()
        lint.wait()
        for _ in range(300):
            if not any(_alive(pid) for pid in gits):
                break
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in gits), "git outlived the killed slicegen"
    finally:
        lint.kill()
        lint.wait()
        with contextlib.suppress(OSError):  # any git still waiting reads EOF (else: no reader)
            os.close(os.open(ws / ".git" / "HEAD", os.O_WRONLY | os.O_NONBLOCK))


def test_a_separate_git_dir_repository_compares(source: Path, tmp_path: Path) -> None:
    """``git init --separate-git-dir``: the ``.git`` file names a folder elsewhere whose index
    lists this work tree's own files (by device and inode)."""
    ws = tmp_path / "ws"
    shutil.copytree(source, ws)
    shutil.rmtree(ws / ".git", ignore_errors=True)
    (tmp_path / "store").mkdir()
    git(ws, "init", "-q", "--separate-git-dir", str(tmp_path / "store" / "ws.git"))
    git(ws, "add", "-A")
    git(ws, "commit", "-qm", "x")
    _retype(ws)
    [one] = sg205(ws, since="HEAD")
    assert "field 'owner' retyped" in one["message"]


def test_a_planted_git_file_naming_a_separate_git_dir_is_refused_with_the_fix(
    planted: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """The victim's own git folder kept apart: its index lists the same names as the planted
    tree, but the victim's files; the refusal says how a user whose folder it is runs."""
    ws, victim, commit = planted
    store = tmp_path / "store" / "victim.git"
    shutil.move(victim / ".git", store)
    (victim / ".git").write_text(f"gitdir: {store}\n")
    shutil.rmtree(ws / ".git")
    (ws / ".git").write_text(f"gitdir: {store}\n")
    done = run_slicegen("lint", "--since", commit, "--no-cache", cwd=ws, timeout=120)
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"run with GIT_DIR={store})" in done.stderr
    assert "secret_pin" not in done.stdout + done.stderr
