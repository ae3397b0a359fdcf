"""Fixtures shared by every test area."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

#: A slow shared machine must not fail a property test: no per-example deadline anywhere.
settings.register_profile("slicegen", deadline=None)
settings.load_profile("slicegen")


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


RunCli = Callable[..., Result]


def pytest_configure(config: pytest.Config) -> None:
    """Colour is decided per test: a FORCE_COLOR set by the CI machine must not leak in."""
    os.environ.pop("FORCE_COLOR", None)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run the slicegen CLI in-process: ``cli("init", ".", cwd=path)``."""
    from slicegen.cli import app

    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = CliRunner().invoke(app, list(args), prog_name="slicegen")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


def loaded_by(
    args: list[str], cwd: Path, modules: tuple[str, ...], exit_codes: tuple[int, ...] = (0,)
) -> list[str]:
    """Which of ``modules`` a fresh interpreter has imported after ``slicegen ARGS`` (the real
    entry point, in process) ends with one of ``exit_codes``."""
    import ast

    code = (
        "import sys; from slicegen.entry import main\n"
        f"try:\n    main({args!r})\n"
        f"except SystemExit as e: assert (e.code or 0) in {exit_codes!r}, e.code\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True
    )
    found: list[str] = ast.literal_eval(out.stdout.splitlines()[-1])
    return found


def run_slicegen(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float | None = None
) -> Result:
    """Run ``python -m slicegen`` in a subprocess (the real entry point); ``timeout``: the
    seconds after which it is ended (``subprocess.TimeoutExpired``)."""
    proc = subprocess.run(
        [sys.executable, "-m", "slicegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def tree_hash(root: Path, ignore: tuple[str, ...] = ()) -> str:
    """A hash of every path, file content and mode below ``root``."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if any(rel == i or rel.startswith(i + "/") for i in ignore):
            continue
        digest.update(rel.encode())
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
            digest.update(str(path.stat().st_mode).encode())
    return digest.hexdigest()


def snapshot(root: Path, ignore: tuple[str, ...] = (".slicegen",)) -> dict[str, bytes]:
    """Every file below ``root`` and its bytes (for exact before/after comparisons)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if any(rel == i or rel.startswith(i + "/") for i in ignore):
            continue
        if path.is_file():
            out[rel] = path.read_bytes()
    return out
