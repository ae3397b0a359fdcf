"""Workspace copier templates: no code runs without ``--trust``, and nothing escapes the render.

The jinja sandbox itself (``{{ ''.__class__.__mro__ }}`` in a copier override is exit 2, one line,
workspace unchanged) is tested in
``tests/ecosystem/test_template_overrides.py::test_sandbox_violation_in_a_copier_override_is_exit_2``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from slicegen.command_table import help_text
from slicegen.templates import OVERRIDES_DIR, builtin_templates_dir
from tests.conftest import Result, RunCli, snapshot

TASK = '_tasks:\n  - "pwd > marker.txt"\n'


@pytest.fixture
def render_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder copier renders in (the system temporary folder, redirected to look inside)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def workspace(cli: RunCli, tmp_path: Path, render_tmp: Path) -> Path:
    root = tmp_path / "shop"
    assert cli("init", str(root), "--app", "shop").exit_code == 0
    return root


def _override(root: Path, copier_extra: str = "") -> Path:
    """Copy the built-in copier domain template into the workspace's overrides."""
    folder = root / OVERRIDES_DIR / "python" / "domain"
    shutil.copytree(builtin_templates_dir() / "python" / "domain", folder)
    config = folder / "copier.yml"
    config.write_text(config.read_text() + copier_extra)
    return folder


def _markers(tmp_path: Path) -> list[str]:
    return sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("marker.txt"))


def _assert_refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    stderr = result.stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


def test_trust_is_listed_in_the_fast_help(cli: RunCli) -> None:
    assert "--trust" in help_text("0")
    assert "--trust" in cli("--help").stdout


@pytest.mark.parametrize(
    "extra",
    [
        TASK,
        '_migrations:\n  - version: "1.0"\n    command: "pwd > marker.txt"\n',
        "_jinja_extensions:\n  - jinja2.ext.do\n",
    ],
    ids=["tasks", "migrations", "jinja_extensions"],
)
def test_unsafe_template_is_refused_without_trust(
    cli: RunCli, workspace: Path, tmp_path: Path, render_tmp: Path, extra: str
) -> None:
    folder = _override(workspace, extra)
    before = snapshot(workspace)
    result = cli("new-domain", "accounts", cwd=workspace)
    key = extra.split(":", 1)[0]
    _assert_refused(result, str(folder / "copier.yml"), key, "--trust")
    assert _markers(tmp_path) == []
    assert snapshot(workspace) == before
    assert list(render_tmp.iterdir()) == []


def test_task_runs_in_the_render_folder_with_trust(
    cli: RunCli, workspace: Path, tmp_path: Path, render_tmp: Path
) -> None:
    _override(workspace, TASK)
    result = cli("--trust", "new-domain", "accounts", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    marker = workspace / "src" / "shop" / "accounts" / "marker.txt"
    assert _markers(tmp_path) == [marker.relative_to(tmp_path).as_posix()]
    ran_in = Path(marker.read_text().strip())
    assert ran_in.is_relative_to(render_tmp.resolve()) or ran_in.is_relative_to(render_tmp)
    assert not ran_in.exists()  # the render folder is gone
    assert list(render_tmp.iterdir()) == []
    assert "marker.txt" in result.stdout


def test_task_output_follows_dry_run(
    cli: RunCli, workspace: Path, tmp_path: Path, render_tmp: Path
) -> None:
    _override(workspace, TASK)
    before = snapshot(workspace)
    result = cli("--trust", "--dry-run", "new-domain", "accounts", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert "marker.txt" in result.stdout
    assert _markers(tmp_path) == []
    assert snapshot(workspace) == before


def test_task_output_conflicts_with_a_users_file(cli: RunCli, workspace: Path) -> None:
    _override(workspace, TASK)
    domain = workspace / "src" / "shop" / "accounts"
    domain.mkdir(parents=True)
    (domain / "marker.txt").write_text("the user's own\n")
    before = snapshot(workspace)
    result = cli("--trust", "new-domain", "accounts", cwd=workspace)
    assert result.exit_code == 1
    assert snapshot(workspace) == before


def test_trusted_task_writing_beside_the_render_folder_is_refused(
    cli: RunCli, workspace: Path, tmp_path: Path, render_tmp: Path
) -> None:
    _override(workspace, '_tasks:\n  - "pwd > ../marker.txt"\n')
    before = snapshot(workspace)
    _assert_refused(
        cli("--trust", "new-domain", "accounts", cwd=workspace), "outside its destination"
    )
    assert _markers(tmp_path) == []
    assert snapshot(workspace) == before
    assert list(render_tmp.iterdir()) == []


def test_failing_trusted_task_is_one_line(cli: RunCli, workspace: Path) -> None:
    _override(workspace, '_tasks:\n  - "exit 3"\n')
    before = snapshot(workspace)
    _assert_refused(cli("--trust", "new-domain", "accounts", cwd=workspace), "exit 3")
    assert snapshot(workspace) == before


def test_trust_does_not_outlive_its_command(cli: RunCli, workspace: Path) -> None:
    _override(workspace, TASK)
    assert cli("--trust", "--dry-run", "new-domain", "accounts", cwd=workspace).exit_code == 0
    _assert_refused(cli("new-domain", "accounts", cwd=workspace), "--trust")


def _escape_by_name(folder: Path, outside: Path) -> None:
    config = folder / "copier.yml"
    config.write_text(config.read_text() + 'up:\n  type: str\n  default: "../"\n  when: false\n')
    (folder / "{{ up }}escape.txt.jinja").write_text("escaped\n")


def _escape_by_folder(folder: Path, outside: Path) -> None:
    (folder / "{{ '..' }}").mkdir()
    (folder / "{{ '..' }}" / "escape.txt").write_text("escaped\n")


def _escape_by_absolute_name(folder: Path, outside: Path) -> None:
    config = folder / "copier.yml"
    target = outside / "escape"
    config.write_text(
        config.read_text() + f'target:\n  type: str\n  default: "{target}"\n  when: false\n'
    )
    (folder / "{{ target }}.txt").write_text("escaped\n")


def _escape_by_answers_file(folder: Path, outside: Path) -> None:
    config = folder / "copier.yml"
    config.write_text(
        config.read_text().replace(
            "_answers_file: .copier-answers.yml", "_answers_file: ../../escape.txt"
        )
    )


def _escape_by_symlink(folder: Path, outside: Path) -> None:
    (folder / "secret.txt").symlink_to(outside / "secret.txt")


def _escape_by_preserved_symlink(folder: Path, outside: Path) -> None:
    config = folder / "copier.yml"
    config.write_text(config.read_text() + "_preserve_symlinks: true\n")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")


@pytest.mark.parametrize(
    "escape",
    [
        _escape_by_name,
        _escape_by_folder,
        _escape_by_absolute_name,
        _escape_by_answers_file,
        _escape_by_symlink,
        _escape_by_preserved_symlink,
    ],
)
def test_template_writing_outside_its_destination_is_refused(
    cli: RunCli,
    workspace: Path,
    tmp_path: Path,
    render_tmp: Path,
    escape: Callable[[Path, Path], None],
) -> None:
    (tmp_path / "secret.txt").write_text("not for the workspace\n")
    folder = _override(workspace)
    escape(folder, tmp_path)
    before = snapshot(workspace)
    outside_before = sorted(os.listdir(tmp_path))
    for args in (("new-domain", "accounts"), ("--trust", "new-domain", "accounts")):
        _assert_refused(cli(*args, cwd=workspace), "template")
        assert snapshot(workspace) == before
        assert sorted(os.listdir(tmp_path)) == outside_before
        assert list(render_tmp.iterdir()) == []
        assert not [p for p in tmp_path.rglob("escape*") if not p.is_relative_to(folder)]
