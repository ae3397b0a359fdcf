"""Paths a stranger's tree can plant around what slicegen itself names: a baseline's temporary
file, a folder above a baseline, folders nested past Python's recursion limit, names that carry
terminal escapes into ``storm --check``, a FIFO in the cache folder, and links the language
server is asked to open. Each case failed (wrote outside the tree, hung, crashed or printed raw
escapes) before its fix."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygls.uris import from_fs_path

from tests.lint.trees import clean, ex_lib, write
from tests.reliability.test_hostile_trees import (
    HANG_GUARD,
    Site,
    guarded,
    lint_unchanged,
    site,
    state,
)

__all__ = ["site"]  # the fixture, shared with the other hostile-tree tests


@pytest.mark.parametrize("planted", ["symlink", "fifo"])
def test_write_baseline_never_goes_through_a_planted_temporary_file(
    site: Site, planted: str
) -> None:
    """The baseline used to be written to ``<name>.tmp`` first: a symlink planted there sent
    the write outside the tree, a FIFO there hung the run."""
    victim = site.sentinel / "keep.txt"
    tmp = site.root / "b.json.tmp"
    if planted == "symlink":
        tmp.symlink_to(victim)
    else:
        os.mkfifo(tmp)
    proc = guarded(
        site.root, site.env, "lint", ".", "--ignore", "SG602", "--write-baseline", "b.json"
    )
    assert proc.exit_code == 0, proc.stderr
    assert victim.read_text() == "untouched\n"
    assert '"findings": []' in (site.root / "b.json").read_text()
    assert os.path.lexists(tmp)  # left as it was: never opened, never replaced


@pytest.mark.parametrize("option", ["--baseline", "--write-baseline"])
def test_baseline_behind_a_symlinked_folder_is_refused(site: Site, option: str) -> None:
    elsewhere = site.root.parent / "elsewhere"
    write(elsewhere, {"b.json": '{"version": 1, "findings": []}\n'})
    (site.root / "ci").symlink_to(elsewhere)
    before = state(site.root), state(elsewhere)
    proc = guarded(site.root, site.env, "lint", ".", "--ignore", "SG602", option, "ci/b.json")
    assert proc.exit_code == 2
    assert proc.stderr == (
        "error: baseline ci/b.json is in a symlinked folder: slicegen reads and writes no file "
        "through a symlink; name a path without one\n"
    )
    assert (state(site.root), state(elsewhere)) == before


@pytest.fixture
def deep_tmp(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path``, emptied afterwards by ``rm -r``: pytest's own clean-up (shutil.rmtree)
    recurses once per folder and would fail on the nested trees, in this run or a later one."""
    yield tmp_path
    for entry in tmp_path.iterdir():
        subprocess.run(["rm", "-rf", "--", str(entry)], check=False, timeout=HANG_GUARD)


def _nest(base: Path, depth: int, leaf: str, text: str) -> None:
    """``depth`` folders named ``d`` below ``base`` (built relative to each other: the whole
    path may be longer than the system allows in one name), with ``leaf`` at the bottom."""
    base.mkdir(parents=True, exist_ok=True)
    fd = os.open(base, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        leaf_fd = os.open(leaf, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf_fd, text.encode())
        os.close(leaf_fd)
    finally:
        os.close(fd)


@pytest.mark.parametrize(
    ("stack", "base", "leaf", "text"),
    [
        ("python", "src/shop/accounts", "x.py", "x = 1\n"),
        ("python", "src/shop/deep", "x.py", "x = 1\n"),  # a domain of its own
        ("elixir", f"{ex_lib('accounts')}/deep", "x.ex", "defmodule X do\nend\n"),
    ],
    ids=["python-in-domain", "python-domain", "elixir"],
)
def test_folders_nested_past_the_recursion_limit_are_linted(
    deep_tmp: Path, stack: str, base: str, leaf: str, text: str
) -> None:
    """1,500 nested folders: the domain lookup and the discovery's searches recursed once
    per folder (RecursionError, a traceback)."""
    tmp_path = deep_tmp
    root = tmp_path / "ws"
    write(root, clean(stack))
    if base == "src/shop/deep":
        write(root, {"src/shop/deep/__init__.py": ""})
    _nest(root / base, 1500, leaf, text)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cachehome")}
    proc = guarded(root, env, "lint", ".", "--format", "json", "--ignore", "SG602,SG601")
    assert proc.exit_code == 0, proc.stderr


def test_storm_check_prints_names_escaped(tmp_path: Path) -> None:
    """A domain folder named with a newline forged a line of ``storm --check`` (a GitHub
    Actions ``::warning`` command), and an escape sequence reached the terminal raw."""
    root = tmp_path / "ws"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cachehome")}
    tmp_path.joinpath("ws").mkdir()
    assert guarded(root, env, "init", ".", "--stack", "python", "--app", "shop").exit_code == 0
    assert guarded(root, env, "new-domain", "accounts").exit_code == 0
    forged = "evil\n::warning file=x::pwn\x1b[2J"
    (root / "src" / "shop" / forged).mkdir()
    (root / "src" / "shop" / forged / "__init__.py").write_text("")
    (root / "src" / "shop" / forged / "command_v1.py").write_text("class X:\n    pass\n")
    proc = guarded(root, env, "storm", "--check")
    assert proc.exit_code == 1
    out = proc.stdout + proc.stderr
    assert "\x1b" not in out
    assert not any(line.startswith("::") for line in out.splitlines())
    assert "evil\\n::warning file=x::pwn\\x1b[2J" in proc.stdout


def test_a_fifo_in_the_cache_folder_never_blocks_reading_a_signature(tmp_path: Path) -> None:
    fifo = tmp_path / "shard"
    os.mkfifo(fifo)
    script = (
        "import sys\nfrom slicegen.signed_pickle import signature_of\n"
        "print(signature_of(sys.argv[1]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(fifo)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=True,
    )
    assert proc.stdout == "None\n"


@pytest.fixture
def linked(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A python workspace and, outside it, another one with a file of its own."""
    root, outside = tmp_path / "ws", tmp_path / "outside"
    write(root, clean("python"))
    write(outside, {**clean("python"), "loose/x.py": "import os\n"})
    yield root, outside


@pytest.mark.parametrize(
    ("link", "target", "opened"),
    [
        ("src/shop/accounts/vendored", "src/shop/accounts", "src/shop/accounts/vendored/app.py"),
        ("src/shop/accounts/evil.py", "src/shop/accounts/app.py", "src/shop/accounts/evil.py"),
        ("src/shop/accounts/lz", "loose", "src/shop/accounts/lz/x.py"),
    ],
    ids=["folder", "file", "folder-of-no-workspace"],
)
def test_language_server_never_lints_through_a_link_in_the_workspace(
    linked: tuple[Path, Path], link: str, target: str, opened: str
) -> None:
    """A document opened through a symlink of the workspace (the editor shows the link as a
    folder) used to be linted where the link led: another tree was read and a cache written
    there."""
    from slicegen.lsp import _root_of

    root, outside = linked
    (root / link).symlink_to(outside / target)
    uri = from_fs_path(str(root / opened))
    assert uri is not None
    assert _root_of(uri) is None
    assert _root_of(from_fs_path(str(root / "src/shop/accounts/app.py")) or "") == root.resolve()


def test_language_server_follows_a_link_above_the_workspace(linked: tuple[Path, Path]) -> None:
    """A link outside every workspace (``~/proj -> /data/proj``) is the user's own path to it."""
    from slicegen.lsp import _root_of

    _, outside = linked
    alias = outside.parent / "alias"
    alias.symlink_to(outside)
    uri = from_fs_path(str(alias / "src/shop/accounts/app.py"))
    assert uri is not None
    assert _root_of(uri) == outside.resolve()


_NAMES = st.sampled_from(["a", "b.ex", "c.py", "x.ex", ".h"])


@settings(deadline=None, max_examples=40)
@given(
    st.lists(
        st.tuples(st.lists(_NAMES, min_size=1, max_size=4), st.sampled_from(["file", "link"])),
        max_size=12,
    )
)
def test_walk_down_answers_as_os_walk_and_rglob(
    tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[list[str], str]]
) -> None:
    """The loop that replaced ``os.walk`` and ``Path.rglob`` in the domain discovery gives
    their answers (order, folders, links not entered) on generated trees."""
    from slicegen.safe_files import holds_name_ending, walk_down

    top = tmp_path_factory.mktemp("walk")
    for parts, kind in entries:
        path = top.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "file":
                path.touch()
            else:
                path.symlink_to(top)  # a folder link: listed, never entered
        except OSError:  # a name already taken by the other kind
            continue
    assert list(walk_down(top)) == list(os.walk(top))
    for suffix in (".ex", ".py"):
        assert holds_name_ending(top, suffix) == any(top.rglob(f"*{suffix}"))


def test_lint_of_a_tree_with_a_planted_cache_fifo_ends(site: Site) -> None:
    """Every file of the cache folder replaced by a FIFO: the run ends and recomputes."""
    assert lint_unchanged(site) == (0, [])
    cache = site.root / ".slicegen_cache"
    for path in cache.iterdir():
        path.unlink()
        os.mkfifo(path)
    assert lint_unchanged(site) == (0, [])


def test_an_elixir_file_tree_sitter_takes_for_ever_on_is_sg001(site: Site) -> None:
    """tree-sitter-elixir takes time quadratic in a run of whitespace-only lines: a file of
    24,000 of them (48 KB) took seconds, 2 MiB of them hours. The parse is cancelled after
    ``SLICEGEN_PARSE_CPU_SECONDS`` of CPU time (here 0.2 s) and the file is an SG001."""
    from tests.reliability.test_hostile_trees import EX_SLICE, hostile, only_sg001

    hostile(site, stack="elixir")
    rel = f"{EX_SLICE}/slow.ex"
    write(site.root, {rel: "defmodule Slow do\n" + " \n" * 24_000 + "end\n"})
    env = {**site.env, "SLICEGEN_PARSE_CPU_SECONDS": "0.2"}
    code, findings, _ = site.lint("--ignore", "SG307", env=env)
    assert code == 1
    assert only_sg001(findings)[rel].endswith(
        "could not be checked: too slow to parse (runs of whitespace-only lines?); simplify it"
    )


def test_a_cancelled_elixir_parse_leaves_the_next_file_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """tree-sitter resumes a cancelled parse on the next call unless the parser is reset: the
    next file was read as the rest of the slow one (a syntax error on a line it lacks)."""
    from slicegen import elixir_parse
    from slicegen.model.readers import elixir

    monkeypatch.setattr(elixir_parse, "PARSE_CPU_SECONDS", 0.05)
    slow = elixir.read_elixir("slow.ex", b"defmodule Slow do\n" + b" \n" * 24_000 + b"end\n")
    assert slow.error == elixir.TOO_SLOW
    honest = b"defmodule Honest do\n  def f(x), do: x\nend\n"
    assert elixir.read_elixir("honest.ex", honest).error is None


@pytest.mark.parametrize("planted", ["fifo", "dev-zero", "deep"])
def test_adopt_reads_no_special_file_and_walks_deep_trees(deep_tmp: Path, planted: str) -> None:
    """``adopt`` read an app's ``mix.exs`` through links and FIFOs (a FIFO hung it, a link to
    /dev/zero never ended) and its contract import recursed once per folder."""
    tmp_path = deep_tmp
    root = tmp_path / "ws"
    write(root, clean("elixir"))
    (root / "slicegen.toml").unlink()
    mix = root / "apps" / "reckon_accounts" / "mix.exs"
    write(mix.parent, {"mix.exs": "defmodule ReckonAccounts.MixProject do\nend\n"})
    if planted == "fifo":
        mix.unlink()
        os.mkfifo(mix)
    elif planted == "dev-zero":
        mix.unlink()
        mix.symlink_to("/dev/zero")
    else:
        _nest(root / ex_lib("accounts"), 1500, "x.ex", "defmodule X do\nend\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cachehome")}
    proc = guarded(root, env, "adopt", ".", "--dry-run")
    assert proc.exit_code == 0, proc.stderr
    assert "create  slicegen.toml" in proc.stdout
