"""Verbosity, colour and the progress display."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from slicegen import ui
from tests.conftest import RunCli


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _default_verbosity() -> object:
    ui.reset()
    yield None
    ui.reset()


def test_quiet_hides_status_lines_verbose_adds_identical_files(cli: RunCli, tmp_path: Path) -> None:
    quiet = cli("--quiet", "init", str(tmp_path), "--app", "shop")
    assert quiet.exit_code == 0
    assert quiet.stdout == ""
    assert (tmp_path / "slicegen.toml").is_file()

    normal = cli("init", str(tmp_path), "--app", "shop", "--force")
    assert "identical" not in normal.stdout
    assert "nothing to do" in normal.stdout

    verbose = cli("--verbose", "init", str(tmp_path), "--app", "shop", "--force")
    assert "identical  slicegen.toml" in verbose.stdout
    assert "nothing to do" in verbose.stdout


def test_quiet_still_reports_errors(cli: RunCli, tmp_path: Path) -> None:
    result = cli("-q", "new-domain", "accounts", cwd=tmp_path)
    assert result.exit_code == 2
    assert "slicegen init" in result.stderr


def test_quiet_and_verbose_together_is_a_usage_error(cli: RunCli, tmp_path: Path) -> None:
    result = cli("-q", "-v", "init", str(tmp_path), "--app", "shop")
    assert result.exit_code == 2
    assert "--quiet and --verbose" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_verbosity_does_not_leak_into_the_next_invocation(cli: RunCli, tmp_path: Path) -> None:
    cli("--quiet", "init", str(tmp_path / "a"), "--app", "shop")
    assert not ui.is_quiet()
    assert "create  slicegen.toml" in cli("init", str(tmp_path / "b"), "--app", "shop").stdout


def test_colour_only_on_a_terminal_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert ui.paint("create", "green", _Tty()) == "\x1b[32mcreate\x1b[0m"
    assert ui.paint("create", "green", io.StringIO()) == "create"
    monkeypatch.setenv("NO_COLOR", "1")
    assert ui.paint("create", "green", _Tty()) == "create"
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ui.paint("create", "green", io.StringIO()).startswith("\x1b[32m")


def test_piped_output_of_the_real_cli_is_plain(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "FORCE_COLOR": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "slicegen", "init", ".", "--app", "shop"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "create  slicegen.toml" in proc.stdout
    assert "\x1b[" not in proc.stdout + proc.stderr


def test_progress_is_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with ui.progress("working", stream=stream, delay=0) as handle:
        handle.update("still working")
    assert stream.getvalue() == ""
    assert not handle.shown


def test_progress_is_silent_when_quiet() -> None:
    ui.configure(quiet=True)
    stream = _Tty()
    with ui.progress("working", stream=stream, delay=0):
        pass
    assert stream.getvalue() == ""


def test_progress_appears_on_a_terminal_once_the_delay_has_passed() -> None:
    stream = _Tty()
    started = threading.Event()
    with ui.progress("linting files", stream=stream, delay=0) as handle:
        # The display starts on a timer thread; wait for it rather than for a fixed time.
        for _ in range(3000):  # up to 30 s on a loaded machine; usually at once
            if handle.shown:
                started.set()
                break
            threading.Event().wait(0.01)
        handle.update("linting 3/4 files")
    assert started.is_set()
    assert not handle.shown  # removed when the block ends
    assert "linting" in stream.getvalue()


def test_progress_never_appears_for_a_fast_block() -> None:
    stream = _Tty()
    with ui.progress("working", stream=stream, delay=3600):
        pass
    assert stream.getvalue() == ""


def test_help_does_not_import_rich(tmp_path: Path) -> None:
    code = (
        "import sys; from slicegen.entry import main; main(['--help']); "
        "print('RICH', sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.rsplit("RICH", 1)[1].strip() == "[]"


def test_a_fast_command_does_not_import_rich(tmp_path: Path) -> None:
    code = (
        "import sys; from slicegen.entry import main\n"
        "try:\n    main(['init', '.', '--app', 'shop'])\nexcept SystemExit:\n    pass\n"
        "print('RICH', sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.rsplit("RICH", 1)[1].strip() == "[]"


def test_shell_completion_is_offered(cli: RunCli) -> None:
    help_text = cli("--help").stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text


def _complete(words: str, tmp_path: Path) -> list[str]:
    """Ask the installed ``slicegen`` for bash completions, as the shell script does."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),  # its own user cache: no race with tests running beside it
        "_SLICEGEN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    exe = Path(sys.executable).with_name("slicegen")
    proc = subprocess.run([exe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    return proc.stdout.split()


def test_completion_script_and_completions_through_the_real_entry_point(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("slicegen")
    script = subprocess.run(
        [exe, "--show-completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    assert "_SLICEGEN_COMPLETE" in script
    assert set(_complete("slicegen add-", tmp_path)) >= {"add-slice", "add-policy", "add-fact"}
    assert _complete("slicegen templates ", tmp_path) == ["list", "eject"]
    assert "common/event-storming.md.j2" in _complete("slicegen templates eject comm", tmp_path)


def test_quiet_lint_prints_only_the_findings(cli: RunCli, crud_workspace: Path) -> None:
    normal = cli("lint", "--no-cache", str(crud_workspace))
    quiet = cli("--quiet", "lint", "--no-cache", str(crud_workspace))
    assert normal.exit_code == quiet.exit_code == 1
    assert quiet.stdout.splitlines() == normal.stdout.splitlines()[:-1]
    assert quiet.stdout and all(line.split(":")[1].isdigit() for line in quiet.stdout.splitlines())
    assert "SG101" in quiet.stdout


def test_quiet_lint_of_a_clean_tree_prints_nothing(cli: RunCli, tmp_path: Path) -> None:
    assert cli("init", str(tmp_path), "--app", "shop").exit_code == 0
    result = cli("-q", "lint", "--no-cache", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "All checks passed" in cli("lint", "--no-cache", str(tmp_path)).stdout


def test_status_words_are_coloured_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from slicegen.change_set import PlannedFile, Status

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    plan = [
        PlannedFile("a.py", None, "x", Status.CREATE),
        PlannedFile("b.py", "x", "x", Status.IDENTICAL),
        PlannedFile("c.py", "x", "y", Status.CONFLICT),
    ]
    coloured = ui.status_lines(plan, _Tty())
    assert "\x1b[32m      create\x1b[0m  a.py" in coloured
    assert "\x1b[31m    conflict\x1b[0m  c.py" in coloured
    assert "b.py" not in coloured
    assert ui.status_lines(plan, io.StringIO()) == "      create  a.py\n    conflict  c.py\n"
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in ui.status_lines(plan, _Tty())
