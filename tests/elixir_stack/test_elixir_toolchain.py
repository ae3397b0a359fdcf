"""Generated Elixir is judged by Elixir itself: its parser and ``mix format`` (default rules).

CI sets ``SLICEGEN_REQUIRE_ELIXIR=1``, turning a missing ``elixir`` into a failure, not a skip.
No dependency is fetched: that is why the generated ``.formatter.exs`` files do not
``import_deps`` and why macros such as ``dispatch(...)`` and ``project(...)`` carry parentheses.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.elixir_stack.support import PARSE_ALL, elixir_sources, require_elixir, run_tool


def test_every_generated_file_parses(umbrella: Path, tmp_path: Path) -> None:
    elixir, _ = require_elixir()
    files = elixir_sources(umbrella)
    assert len(files) > 60
    script = tmp_path / "parse_all.exs"
    script.write_text(PARSE_ALL)
    done = run_tool([elixir, str(script), *map(str, files)], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"parsed {len(files)} files, 0 failed" in done.stdout


def test_every_generated_file_is_formatted_under_default_rules(
    umbrella: Path, tmp_path: Path
) -> None:
    _, mix = require_elixir()
    (tmp_path / ".formatter.exs").write_text("[]\n")
    files = [str(p) for p in elixir_sources(umbrella)]
    done = run_tool([mix, "format", "--check-formatted", *files], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_umbrellas_own_formatter_config_needs_no_deps(umbrella: Path, tmp_path: Path) -> None:
    """``mix format --check-formatted`` in the umbrella itself, with its generated configs."""
    _, mix = require_elixir()
    copy = tmp_path / "umbrella"
    shutil.copytree(umbrella, copy)
    done = run_tool([mix, "format", "--check-formatted"], copy)
    assert done.returncode == 0, done.stdout + done.stderr
    for formatter in copy.rglob(".formatter.exs"):
        assert "import_deps" not in formatter.read_text()


def test_a_misformatted_file_is_caught(umbrella: Path, tmp_path: Path) -> None:
    """The format check above can fail: the same call rejects a badly laid out router."""
    _, mix = require_elixir()
    (tmp_path / ".formatter.exs").write_text("[]\n")
    router = umbrella / "apps/reckon_accounts/lib/reckon_accounts/router.ex"
    bad = tmp_path / "router.ex"
    bad.write_text(
        router.read_text().replace("dispatch(", "dispatch ", 1).replace(", to:", " ,to:", 1)
    )
    done = run_tool([mix, "format", "--check-formatted", str(bad)], tmp_path)
    assert done.returncode != 0
