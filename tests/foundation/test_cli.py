"""The CLI shell: help, version, exit codes, init, global options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from slicegen import __version__
from slicegen.command_table import COMMANDS
from tests.conftest import RunCli, run_slicegen, snapshot, tree_hash


def test_fast_help_lists_every_registered_command(cli: RunCli) -> None:
    from slicegen.cli import app

    registered = {c.name for c in app.registered_commands}
    assert registered == {name for name, _ in COMMANDS}
    typer_help = cli("--help").stdout
    fast_help = run_slicegen("--help", cwd=Path.cwd()).stdout
    for name, summary in COMMANDS:
        assert name in typer_help
        assert f"{name}" in fast_help and summary in fast_help
    assert "0 success, 1 findings or conflicts, 2 usage" in fast_help
    assert "0 success, 1 findings or conflicts, 2 usage" in typer_help


def test_version_both_entry_points(tmp_path: Path) -> None:
    assert run_slicegen("--version", cwd=tmp_path).stdout.strip() == f"slicegen {__version__}"
    exe = Path(sys.executable).with_name("slicegen")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"slicegen {__version__}"


def test_help_and_version_do_not_import_heavy_modules(tmp_path: Path) -> None:
    code = (
        "import sys; from slicegen.entry import main; main(['--help']); main(['--version']); "
        "print('MODULES', sorted(m for m in sys.modules if m.split('.')[0] in "
        "('copier', 'libcst', 'tree_sitter', 'typer', 'jinja2', 'pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.rsplit("MODULES", 1)[1].strip() == "[]"


def test_init_writes_config_docs_and_readme(cli: RunCli, tmp_path: Path) -> None:
    result = cli("init", str(tmp_path / "ws"), "--stack", "python", "--app", "shop")
    assert result.exit_code == 0, result.stderr
    root = tmp_path / "ws"
    config = (root / "slicegen.toml").read_text()
    assert 'stack = "python"' in config and 'app = "shop"' in config
    assert (root / "design_docs" / "README.md").is_file()
    assert "slicegen:begin workspace" in (root / "README.md").read_text()
    assert "create  slicegen.toml" in result.stdout


def test_init_keeps_an_existing_readme(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# My project\n\nOur own words.\n")
    assert cli("init", str(tmp_path), "--stack", "elixir", "--app", "reckon").exit_code == 0
    text = (tmp_path / "README.md").read_text()
    assert text.startswith("# My project\n\nOur own words.\n")
    assert "elixir stack" in text


def test_init_refuses_inside_a_workspace_unless_forced(cli: RunCli, tmp_path: Path) -> None:
    assert cli("init", str(tmp_path), "--app", "shop").exit_code == 0
    inner = tmp_path / "sub"
    inner.mkdir()
    refused = cli("init", str(inner), "--app", "other")
    assert refused.exit_code == 2
    assert "already inside the slicegen workspace" in refused.stderr
    assert not (inner / "slicegen.toml").exists()
    assert cli("init", str(inner), "--app", "other", "--force").exit_code == 0


def test_init_rerun_with_force_is_identical(cli: RunCli, tmp_path: Path) -> None:
    cli("init", str(tmp_path), "--app", "shop")
    before = snapshot(tmp_path)
    again = cli("init", str(tmp_path), "--app", "shop", "--force")
    assert again.exit_code == 0
    assert "nothing to do" in again.stdout
    assert snapshot(tmp_path) == before


def test_dry_run_writes_nothing_global_and_local(cli: RunCli, tmp_path: Path) -> None:
    before = tree_hash(tmp_path)
    local = cli("init", str(tmp_path), "--app", "shop", "--dry-run")
    assert local.exit_code == 0
    assert "+++ b/slicegen.toml" in local.stdout
    glob = cli("--dry-run", "init", str(tmp_path), "--app", "shop")
    assert glob.exit_code == 0
    assert tree_hash(tmp_path) == before


def test_conflict_exit_code_and_message(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "design_docs").mkdir()
    (tmp_path / "design_docs" / "README.md").write_text("ours\n")
    before = tree_hash(tmp_path)
    result = cli("init", str(tmp_path), "--app", "shop")
    assert result.exit_code == 1
    assert "design_docs/README.md" in result.stderr and "--force" in result.stderr
    assert tree_hash(tmp_path, ignore=(".slicegen",)) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["init", "{tmp}", "--app", "../evil"], "path separator"),
        (["init", "{tmp}", "--app", "Shop"], "try 'shop'"),
        (["init", "{tmp}", "--app", "class"], "Python keyword"),
        (["init", "{tmp}", "--stack", "java", "--app", "shop"], "--stack 'java'"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(
    cli: RunCli, tmp_path: Path, args: list[str], fragment: str
) -> None:
    result = cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_commands_outside_a_workspace_say_so(cli: RunCli, tmp_path: Path) -> None:
    result = cli("new-domain", "accounts", cwd=tmp_path)
    assert result.exit_code == 2
    assert "slicegen init" in result.stderr


def test_crud_command_is_refused_with_suggestions(cli: RunCli, tmp_path: Path) -> None:
    cli("init", str(tmp_path), "--app", "shop")
    result = cli("add-slice", "accounts", "create_profile", cwd=tmp_path)
    assert result.exit_code == 2
    assert "establish_profile" in result.stderr
    event = cli("add-slice", "accounts", "open_profile", "--event", "profile_created", cwd=tmp_path)
    assert event.exit_code == 2
    assert "ProfileEstablished" in event.stderr or "profile_established" in event.stderr


def test_python_dash_m_runs_commands(tmp_path: Path) -> None:
    result = run_slicegen("init", ".", "--app", "shop", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "slicegen.toml").is_file()
