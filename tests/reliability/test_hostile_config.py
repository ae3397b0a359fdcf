"""What a stranger's tree can plant where slicegen looks for its configuration, and folders
nested deeper than the system lets a path reach. Each case failed before its fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from slicegen.config import MAX_GLOBS
from slicegen.errors import SlicegenError
from slicegen.lint.engine import refuse_unbounded
from tests.reliability.test_hostile_trees import Site, guarded, site
from tests.reliability.test_planted_paths import deep_tmp

__all__ = ["deep_tmp", "site"]  # the fixtures, shared with the other hostile-tree tests


@pytest.mark.parametrize("planted", ["fifo", "folder", "symlink"])
def test_a_config_that_is_no_regular_file_is_an_error_whatever_it_is(
    site: Site, planted: str
) -> None:
    """A symlinked ``slicegen.toml`` was an error, a FIFO or a folder of that name was passed
    over: lint then ran with the configuration of a folder above, or none."""
    config = site.root / "slicegen.toml"
    config.unlink()
    if planted == "fifo":
        os.mkfifo(config)
    elif planted == "folder":
        config.mkdir()
    else:
        config.symlink_to(site.sentinel / "keep.txt")
    code, findings, err = site.lint()
    assert code == 2 and findings is None
    assert err.startswith(f"error: {config}: cannot be read (is a ")
    assert len(err.strip().splitlines()) == 1


def _nest_long(base: Path, depth: int) -> str:
    """``depth`` folders of 200-letter names below ``base``, each made relative to the one
    above (their whole path is longer than the system allows), a module at the bottom; the
    path of the first folder past the limit, relative to ``base``."""
    fd = os.open(base, os.O_RDONLY)
    parts: list[str] = []
    past = ""
    try:
        for i in range(depth):
            name = chr(ord("a") + i % 26) * 200
            os.mkdir(name, dir_fd=fd)
            parts.append(name)
            if not past and len(str(base)) + 201 * len(parts) >= os.pathconf(base, "PC_PATH_MAX"):
                past = "/".join(parts)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        leaf = os.open("deep.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf, b"x = 1\n")
        os.close(leaf)
    finally:
        os.close(fd)
    return past


def test_a_folder_nested_past_the_path_limit_is_a_warning(deep_tmp: Path, site: Site) -> None:
    """Folders nested deeper than a path can reach were left out of the walk silently: lint
    said all was checked. Each run (the cached one too) says which folder it left out."""
    past = _nest_long(site.root / "src/shop/accounts", 30)
    for _ in range(2):
        code, findings, err = site.lint()
        assert code == 0 and findings == []
        [line] = err.splitlines()
        assert line == (
            f"warning: src/shop/accounts/{past}: folder not linted (its path is longer than the "
            "system allows): move it, or exclude it with [lint] exclude"
        )


def test_lint_with_no_config_refuses_the_home_folder(site: Site, tmp_path: Path) -> None:
    """With no config, lint at the home folder walked every file below it (each project, caches,
    mounted drives); at ``/``, the whole system. It refuses, in one line saying what to do."""
    home = tmp_path / "home"
    (home / "project").mkdir(parents=True)
    (home / "project/x.py").write_text("x = 1\n")
    env = {**site.env, "HOME": str(home)}
    for where in (home, home / "project"):  # a folder of no repository: its root is itself
        proc = guarded(where, env, "lint", str(home))
        assert proc.exit_code == 2 and proc.stdout == ""
        assert proc.stderr == (
            f"error: {home} is the home folder and no slicegen.toml or [tool.slicegen] was "
            "found there: lint a project's folder, or add a slicegen.toml there to lint all of "
            "it\n"
        )
    assert guarded(home, env, "lint", "project").exit_code == 0
    (home / "slicegen.toml").write_text('stack = "python"\n')  # asked for: linted
    assert guarded(home, env, "lint", ".", "--ignore", "SG602").exit_code == 0


def test_lint_with_no_config_refuses_the_filesystem_root() -> None:
    with pytest.raises(SlicegenError, match=r"^/ is the filesystem root and no slicegen\.toml"):
        refuse_unbounded(Path("/"))


@pytest.mark.parametrize("key", ["exclude", "per-file-ignores"])
def test_a_config_with_thousands_of_globs_is_an_error_not_hours_of_matching(
    site: Site, key: str
) -> None:
    """Each glob of ``exclude`` and ``per-file-ignores`` is matched against every path: 20,000
    of them (a 230 KB config) held lint on a 2,000-file tree past 5 minutes."""
    config = site.root / "slicegen.toml"
    kept = config.read_text()

    def with_globs(count: int) -> None:
        globs = [f"*p{i}*q*" for i in range(count)]
        listed = ", ".join(f"{g!r} = []" if key == "per-file-ignores" else repr(g) for g in globs)
        value = f"{{{listed}}}" if key == "per-file-ignores" else f"[{listed}]"
        config.write_text(f"{kept}\n[lint]\n{key} = {value}\n")

    with_globs(MAX_GLOBS + 1)
    code, findings, err = site.lint()
    assert code == 2 and findings is None
    assert f"'lint.{key}': at most {MAX_GLOBS} globs, got {MAX_GLOBS + 1}" in err, err
    assert len(err.strip().splitlines()) == 1
    with_globs(MAX_GLOBS)
    code, _, err = site.lint()
    assert code in (0, 1), err  # at the limit, linted
