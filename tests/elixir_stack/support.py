"""Helpers for the elixir stack's tests: the real CLI, and Elixir's own parser and formatter."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_slicegen

REQUIRE_ELIXIR = "SLICEGEN_REQUIRE_ELIXIR"

#: Parses every file given on the command line; prints one line per file it cannot parse.
PARSE_ALL = """
bad =
  Enum.flat_map(System.argv(), fn file ->
    case Code.string_to_quoted(File.read!(file), file: file) do
      {:ok, _ast} -> []
      {:error, reason} -> [file <> ": " <> inspect(reason)]
    end
  end)

Enum.each(bad, &IO.puts/1)
IO.puts("parsed #{length(System.argv())} files, #{length(bad)} failed")
if bad != [], do: System.halt(1)
"""


def ok(cwd: Path, *args: str) -> str:
    """Run the real ``slicegen`` entry point and require success; its stdout."""
    result = run_slicegen(*args, cwd=cwd, env=_env())
    assert result.exit_code == 0, f"slicegen {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def elixir_sources(root: Path) -> list[Path]:
    """Every ``.ex``/``.exs`` file below ``root``, sorted."""
    return sorted(p for p in root.rglob("*") if p.suffix in (".ex", ".exs") and p.is_file())


def require_elixir() -> tuple[str, str]:
    """Paths of ``elixir`` and ``mix``; skip without them, unless CI demands them (then fail)."""
    elixir, mix = shutil.which("elixir"), shutil.which("mix")
    if elixir and mix:
        return elixir, mix
    if os.environ.get(REQUIRE_ELIXIR) == "1":
        pytest.fail(f"{REQUIRE_ELIXIR}=1 but `elixir`/`mix` is not on PATH: install Elixir")
    pytest.skip("elixir is not installed")


def run_tool(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**_env(), **(env or {})}
    env.setdefault("MIX_ENV", "dev")
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False)
