"""A user cache folder a checkout could have written is not trusted.

When ``HOME`` (or ``XDG_CACHE_HOME``) lies inside the checked-out tree, as in a CI job that
checks the pull request out into its home folder, the pull request can commit a signing key
(mode 600 under a umask of 077, as a checkout writes it) and cache files signed with it, which
lint would unpickle; or compiled templates, which a command would run.
"""

from __future__ import annotations

import hmac
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from slicegen.constants import CACHE_DIR
from slicegen.lint.cache import SCHEMA

TIMEOUT = 60
KEY = b"k" * 32


class _Planted:
    """Unpickling this creates the marker file: proof that the pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def _plant(ws: Path, cache_home: Path, marker: Path) -> None:
    """A key in ``cache_home``, and in ``ws`` each pickled cache file a lint writes, forged:
    signed with that key, as a checkout with a umask of 077 would write them."""
    keys = cache_home / "slicegen" / "keys"
    keys.mkdir(parents=True)
    for folder in (cache_home, cache_home / "slicegen", keys):
        folder.chmod(0o700)
    key = keys / "cache-signing.key"
    key.write_bytes(KEY)
    key.chmod(0o600)
    payload = pickle.dumps(_Planted(marker))
    names = {f"run-{SCHEMA}.pickle", f"words-{SCHEMA}.pickle"}
    with tempfile.TemporaryDirectory() as other:  # the names a run of this tree writes
        shutil.copytree(ws, Path(other) / "ws")
        _lint(Path(other) / "ws", {"XDG_CACHE_HOME": str(Path(other) / "cache")})
        names.update(p.name for p in (Path(other) / "ws" / CACHE_DIR).glob("*.pickle"))
    (ws / CACHE_DIR).mkdir()
    for name in names:
        (ws / CACHE_DIR / name).write_bytes(hmac.digest(KEY, payload, "sha256") + payload)


def _workspace(ws: Path) -> None:
    events = ws / "src" / "shop" / "accounts" / "domain" / "open_account"
    events.mkdir(parents=True)
    (ws / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    (events / "events.py").write_text("class AccountOpened:\n    account_id: str\n")


def _lint(ws: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slicegen", "lint", str(ws), "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=TIMEOUT,
        check=False,
    )


@pytest.mark.parametrize("via", ["HOME", "XDG_CACHE_HOME", "repository", "bare repository"])
def test_a_key_planted_in_the_workspace_signs_nothing(tmp_path: Path, via: str) -> None:
    """``repository``: the workspace is a folder of a repository whose root is ``HOME``;
    ``bare repository``: the same, the root holding only ``.git`` (a monorepo's top)."""
    top, marker = tmp_path / "top", tmp_path / "marker"
    ws = top / "services" / "shop" if "repository" in via else top
    _workspace(ws)
    if "repository" in via:
        (top / ".git").mkdir()
    if via == "repository":
        (top / "pyproject.toml").write_text("[project]\nname = 'monorepo'\n")
    cache_home = top / "ci" / "cache" if via == "XDG_CACHE_HOME" else top / ".cache"
    _plant(ws, cache_home, marker)
    env = {"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(cache_home)}
    if via != "XDG_CACHE_HOME":
        env = {"HOME": str(top)}
    for _ in range(2):  # the second run would replay what the first stored
        done = _lint(ws, env)
        assert done.returncode in (0, 1), done.stderr
        assert not marker.exists(), "a planted, forged cache file was unpickled"
        warning = done.stderr.strip().splitlines()
        assert len(warning) == 1, done.stderr
        assert warning[0].startswith(f"warning: slicegen's user cache {cache_home}")
        assert f"is inside {top}," in warning[0]
        assert "XDG_CACHE_HOME" in warning[0]
    assert sorted(p.name for p in (cache_home / "slicegen").iterdir()) == ["keys"]


def test_a_key_of_a_cache_folder_outside_any_project_is_used(tmp_path: Path) -> None:
    """The same planting with the cache folder outside the workspace: the planted key is
    this user's own (a real one would be), so its cache is used: the check above is what
    refuses it, not the planting's form."""
    ws, marker = tmp_path / "ws", tmp_path / "marker"
    _workspace(ws)
    cache_home = tmp_path / "own-cache"
    _plant(ws, cache_home, marker)
    done = _lint(ws, {"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(cache_home)})
    assert marker.exists(), done.stderr
    assert "warning" not in done.stderr


def test_a_stray_repository_in_a_shared_folder_is_no_checkout(tmp_path: Path) -> None:
    """A ``.git`` in a sticky folder (a stray ``git init /tmp``) above the workspace and the
    cache folder: no checkout wrote that folder, so the cache is used."""
    shared, marker = tmp_path / "tmp", tmp_path / "marker"
    (shared / ".git").mkdir(parents=True)
    shared.chmod(0o1777)
    ws, cache_home = shared / "ws", shared / "own-cache"
    _workspace(ws)
    _plant(ws, cache_home, marker)
    done = _lint(ws, {"HOME": str(tmp_path / "home"), "XDG_CACHE_HOME": str(cache_home)})
    assert marker.exists(), done.stderr
    assert "warning" not in done.stderr


def test_compiled_templates_of_a_cache_folder_in_the_workspace_are_not_kept(
    tmp_path: Path,
) -> None:
    ws = tmp_path / "ws"
    home = ws / "home"
    home.mkdir(parents=True)
    (ws / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_CACHE_HOME", None)
    env.pop("SLICEGEN_NO_CACHE", None)
    code = (
        "from pathlib import Path\n"
        "from slicegen.templates import environment\n"
        f"print(environment(Path({str(ws)!r})).bytecode_cache is None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True"
    assert "XDG_CACHE_HOME" in done.stderr
    assert not (home / ".cache").exists()


@pytest.mark.parametrize("mode", [0o644, 0o600])
def test_compiled_templates_are_loaded_only_from_private_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    """A compiled template is pickled and marshalled code: one that anyone else could have
    written (a checkout writes 644) is never loaded; the user's own (600) is."""
    import jinja2
    import jinja2.bccache

    from slicegen.template_cache import bytecode_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SLICEGEN_NO_CACHE", raising=False)
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "x"}))
    cache = bytecode_cache(env, tmp_path / "ws")
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    env.bytecode_cache = cache
    env.get_template("t")
    (compiled,) = Path(cache.directory).iterdir()
    marker = tmp_path / "marker"
    compiled.write_bytes(jinja2.bccache.bc_magic + pickle.dumps(_Planted(marker)))
    compiled.chmod(mode)
    key = compiled.name.removeprefix("__jinja2_").removesuffix(".cache")
    bucket = jinja2.bccache.Bucket(env, key, "x")
    cache.load_bytecode(bucket)
    assert marker.exists() == (mode == 0o600)
