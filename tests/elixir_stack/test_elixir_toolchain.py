"""Generated Elixir is judged by Elixir itself: its parser and ``mix format`` (default rules).

CI sets ``SLICEGEN_REQUIRE_ELIXIR=1``, turning a missing ``elixir`` into a failure, not a skip.
No dependency is fetched: that is why the generated ``.formatter.exs`` files do not
``import_deps`` and why macros such as ``dispatch(...)`` and ``project(...)`` carry parentheses.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.elixir_stack.support import PARSE_ALL, elixir_sources, require_elixir, run_tool


@pytest.fixture(params=["umbrella", "long_umbrella", "eventstore_umbrella"])
def generated(request: pytest.FixtureRequest) -> Path:
    """Each generated tree: the main scenario, the one with long names, and that one on the
    PostgreSQL EventStore."""
    root: Path = request.getfixturevalue(request.param)
    return root


def test_every_generated_file_parses(generated: Path, tmp_path: Path) -> None:
    elixir, _ = require_elixir()
    files = elixir_sources(generated)
    assert len(files) > 50
    script = tmp_path / "parse_all.exs"
    script.write_text(PARSE_ALL)
    done = run_tool([elixir, str(script), *map(str, files)], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"parsed {len(files)} files, 0 failed" in done.stdout


def test_every_generated_file_is_formatted_under_default_rules(
    generated: Path, tmp_path: Path
) -> None:
    _, mix = require_elixir()
    (tmp_path / ".formatter.exs").write_text("[]\n")
    files = [str(p) for p in elixir_sources(generated)]
    done = run_tool([mix, "format", "--check-formatted", *files], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_umbrellas_own_formatter_config_needs_no_deps(generated: Path, tmp_path: Path) -> None:
    """``mix format --check-formatted`` in the umbrella itself, with its generated configs."""
    _, mix = require_elixir()
    copy = tmp_path / "umbrella"
    shutil.copytree(generated, copy)
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


STAND_INS = Path(__file__).parent / "elixir"


def test_generated_modules_compile_and_generated_tests_pass(
    generated: Path, tmp_path: Path
) -> None:
    """Every module (test support included) compiles without a warning against stand-ins of the
    dependencies (Commanded, Ecto, Jason, Phoenix.PubSub, Swarm, ExESDB's mapper behaviour,
    EventStore), and every generated ExUnit test that needs no running app (not
    ``:integration``) passes."""
    elixir, _ = require_elixir()
    libs = [
        p
        for p in elixir_sources(generated / "apps")
        if (("/lib/" in p.as_posix() or "/test/support/" in p.as_posix()) and p.suffix == ".ex")
        or "/priv/repo/migrations/" in str(p)
    ]
    tests = [p for p in elixir_sources(generated / "apps") if p.name.endswith("_test.exs")]
    done = run_tool(
        [
            elixir,
            str(STAND_INS / "compile_and_test.exs"),
            str(STAND_INS / "stand_ins.exs"),
            *map(str, libs),
            "--",
            *map(str, tests),
        ],
        tmp_path,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    compiled = re.search(r"compiled (\d+) modules, (\d+) warnings", output)
    ran = re.search(r"ran (\d+) tests, (\d+) failures", output)
    assert compiled and ran, output
    assert int(compiled.group(1)) >= len(libs) and compiled.group(2) == "0", output
    assert int(ran.group(1)) >= len(tests) and ran.group(2) == "0", output
