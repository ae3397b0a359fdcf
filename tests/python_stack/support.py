"""Helpers for the python stack's tests: run the real CLI and the generated project's tools."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without this test run's pytest/xdist variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "COV_")) and k not in ("PYTHONPATH",)
    }
    env.update(extra)
    return env


def slicegen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m slicegen ARGS`` in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "slicegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=clean_env(),
        check=False,
    )


def ok(cwd: Path, *args: str) -> str:
    """Run slicegen and require success; its stdout."""
    done = slicegen(cwd, *args)
    assert done.returncode == 0, f"slicegen {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def tool(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a python module of this venv (pytest, ruff, mypy) in the generated project."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=clean_env(),
        check=False,
    )


def tree_hash(root: Path) -> str:
    """A hash of every file's path and bytes under ``root`` (caches and locks left out)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or any(
            part in rel for part in ("__pycache__", ".mypy_cache", ".ruff_cache", ".slicegen/")
        ):
            continue
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def invoke(root: Path, *args: str) -> str:
    """Run a slicegen command in-process (typer's CliRunner) on ``root``; require success."""
    from typer.testing import CliRunner

    from slicegen.cli import app

    result = CliRunner().invoke(app, [*args, "-C", str(root)], prog_name="slicegen")
    assert result.exit_code == 0, f"slicegen {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout
