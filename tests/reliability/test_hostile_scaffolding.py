"""The scaffolding commands in a tree a stranger planted files in: a FIFO where a command reads
a file, an Elixir file tree-sitter would take hours on. Each case hung before its fix; each now
ends with a one-line error and writes nothing."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from slicegen.safe_files import walk_down
from tests.reliability.test_planted_paths import deep_tmp

__all__ = ["deep_tmp"]  # the fixture, shared with the other hostile-tree tests

GUARD = 60  # seconds: far beyond an honest run of these commands


def slicegen(root: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m slicegen -q ARGV`` in ``root``, ended after :data:`GUARD` seconds."""
    return subprocess.run(
        [sys.executable, "-m", "slicegen", "-q", *argv],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=GUARD,
        check=False,
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A python and an elixir workspace, each with a domain and a slice."""
    out = {}
    for stack, app in (("python", "shop"), ("elixir", "reckon")):
        root = tmp_path_factory.mktemp(stack) / "ws"
        root.mkdir()
        for argv in (
            ("init", "--stack", stack, "--app", app),
            ("new-domain", "accounts"),
            ("add-slice", "accounts", "open_account", "-f", "owner:str"),
        ):
            assert slicegen(root, *argv).returncode == 0, argv
        out[stack] = root
    return out


def _refused(root: Path, proc: subprocess.CompletedProcess[str], before: object) -> str:
    """The one error line of a refused command, which wrote nothing."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert _files(root) == before  # nothing written
    return line


def _files(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every entry below ``root`` (its type, and a regular file's bytes), unopened but for the
    regular files, by a loop (folders may nest thousands deep), the workspace lock aside (a
    command takes it even when it writes nothing)."""
    out = {}
    for folder, dirs, files in walk_down(root):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            data = Path(path).read_bytes() if stat.S_ISREG(mode) else b""
            out[os.path.relpath(path, root)] = (stat.S_IFMT(mode), data)
    out.pop(".slicegen/lock", None)
    return out


def test_add_version_never_blocks_on_a_planted_fifo(made: dict[str, Path], tmp_path: Path) -> None:
    """A FIFO where the next version's handler goes: add-version opened it to keep it as it
    was, and waited for a writer for ever."""
    root = tmp_path / "ws"
    shutil.copytree(made["python"], root)
    planted = root / "src/shop/accounts/domain/open_account/maybe_open_account_v2.py"
    os.mkfifo(planted)
    before = _files(root)
    line = _refused(root, slicegen(root, "add-version", "accounts", "open_account"), before)
    assert line == f"error: {planted} is a FIFO, not a regular file; slicegen only edits " + (
        "regular files: replace it with one"
    )


def test_scaffolding_gives_up_an_elixir_file_tree_sitter_takes_for_ever_on(
    made: dict[str, Path], tmp_path: Path
) -> None:
    """Whitespace-only lines in a file a command edits (the router): tree-sitter-elixir takes
    time quadratic in them, and the commands parsed without lint's CPU bound."""
    root = tmp_path / "ws"
    shutil.copytree(made["elixir"], root)
    router = root / "apps/reckon_accounts/lib/reckon_accounts/router.ex"
    router.write_text(router.read_text() + " \n" * 24_000)
    before = _files(root)
    proc = slicegen(
        root, "add-slice", "accounts", "close_account", SLICEGEN_PARSE_CPU_SECONDS="0.2"
    )
    assert _refused(root, proc, before) == (
        "error: apps/reckon_accounts/lib/reckon_accounts/router.ex: too slow to parse (runs of "
        "whitespace-only lines?); simplify it (or set SLICEGEN_PARSE_CPU_SECONDS above 0.2)"
    )


def test_a_template_override_nested_thousands_deep_is_refused(
    made: dict[str, Path], deep_tmp: Path
) -> None:
    """An override folder 1,500 deep: the checks before rendering recursed once per folder (a
    RecursionError), and copier renders every part of each path (hours at that depth)."""
    root = deep_tmp / "ws"
    shutil.copytree(made["python"], root)
    assert slicegen(root, "templates", "eject", "python/domain/copier.yml").returncode == 0
    template = root / ".slicegen/templates/python/domain"
    fd = os.open(template, os.O_RDONLY)
    for _ in range(1500):  # each made relative to the one above: the path outgrows PATH_MAX
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    before = _files(root)
    line = _refused(root, slicegen(root, "new-domain", "billing"), before)
    assert line == f"error: template {template} nests folders more than 32 deep (d/...): flatten it"
