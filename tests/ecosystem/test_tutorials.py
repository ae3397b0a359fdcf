"""Every shell command of the tutorials runs, in order, in a temporary directory.

So the docs cannot rot: a renamed option, a changed default or a generated project whose tests
fail breaks this test, not a reader's first afternoon with slicegen.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ecosystem.doc_blocks import DOCS, shell_commands

TUTORIALS = DOCS / "tutorials"
ALLOWED_TOOLS = {"slicegen", "python", "cd", "ruff", "mix", "ls", "cat"}


def _script(doc: Path, step_file: Path, log_file: Path) -> str:
    """One bash script running the doc's commands in order; each step's output goes to a log."""
    lines = ["set -euo pipefail"]
    for line, command in shell_commands(doc):
        label = f"{doc.name}:{line}: {command}"
        lines.append(f"printf '%s\\n' {shlex.quote(label)} > {shlex.quote(str(step_file))}")
        # Braces, not a subshell: 'cd' and exported variables carry over to the next command.
        lines.append(f"{{ {command}\n}} > {shlex.quote(str(log_file))} 2>&1")
    return "\n".join(lines) + "\n"


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    env["NO_COLOR"] = "1"
    return env


def _run_tutorial(doc: Path, tmp_path: Path) -> None:
    step_file, log_file = tmp_path / ".step", tmp_path / ".log"
    work = tmp_path / "work"
    work.mkdir()
    proc = subprocess.run(
        ["bash", "-c", _script(doc, step_file, log_file)],
        cwd=work,
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        step = step_file.read_text().strip() if step_file.exists() else "(before the first)"
        output = log_file.read_text()[-3000:] if log_file.exists() else proc.stderr
        pytest.fail(f"tutorial command failed (exit {proc.returncode}): {step}\n{output}")


@pytest.mark.parametrize(
    "name", ["tutorials/python.md", "tutorials/elixir.md", "design-documents.md"]
)
def test_tutorial_uses_only_available_tools(name: str) -> None:
    commands = shell_commands(DOCS / name)
    assert commands, f"{name} shows no commands"
    for line, command in commands:
        tool = shlex.split(command)[0]
        assert tool in ALLOWED_TOOLS, f"{name}:{line}: '{tool}' is not a tool the tests can run"
    assert shlex.split(commands[0][1])[:2] == ["slicegen", "init"]


def test_python_tutorial_runs(tmp_path: Path) -> None:
    _run_tutorial(TUTORIALS / "python.md", tmp_path)


def test_design_documents_page_runs(tmp_path: Path) -> None:
    _run_tutorial(DOCS / "design-documents.md", tmp_path)


def test_elixir_tutorial_runs(tmp_path: Path) -> None:
    if shutil.which("mix") is None and os.environ.get("SLICEGEN_REQUIRE_ELIXIR") != "1":
        pytest.skip("elixir is not installed (set SLICEGEN_REQUIRE_ELIXIR=1 to require it)")
    _run_tutorial(TUTORIALS / "elixir.md", tmp_path)


def test_runner_keeps_directory_and_names_the_failing_command(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "```console\n$ slicegen init shop --app shop\n      create  slicegen.toml\n"
        "$ cd shop\n```\n\n"
        "```bash\n# a comment\nslicegen templates \\\n  list\nslicegen new-domain Accounts\n```\n"
    )
    assert [c for _, c in shell_commands(doc)] == [
        "slicegen init shop --app shop",
        "cd shop",
        "slicegen templates    list",
        "slicegen new-domain Accounts",
    ]
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    with pytest.raises(pytest.fail.Exception) as failed:
        _run_tutorial(doc, run_dir)
    message = str(failed.value)
    assert "doc.md:7: slicegen new-domain Accounts" in message
    assert "error:" in message  # the failing command's own output, not the earlier ones
    assert "create  slicegen.toml" not in message
