"""A workspace's copier template inside a git repository whose config names a program: copier
runs ``git status`` in a template folder that is a repository's top (to include its uncommitted
changes), which runs the config's ``core.fsmonitor``. Without ``--trust`` no program of the
tree's may run: slicegen renders a private copy of the template, outside any repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from slicegen.templates import OVERRIDES_DIR, builtin_templates_dir
from tests.conftest import RunCli

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "a",
    "GIT_AUTHOR_EMAIL": "a@example.com",
    "GIT_COMMITTER_NAME": "a",
    "GIT_COMMITTER_EMAIL": "a@example.com",
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True)


def _program(tmp_path: Path) -> Path:
    """A program that leaves a marker when it runs."""
    program = tmp_path / "fsmonitor.sh"
    program.write_text(f"#!/bin/sh\necho ran > {tmp_path / 'marker.txt'}\n")
    program.chmod(0o755)
    return program


def _own_repository(workspace: Path, template: Path, program: Path) -> None:
    """The template folder is a repository of its own, with uncommitted changes."""
    _git(template, "init", "-q", ".")
    _git(template, "add", "-A")
    _git(template, "commit", "-qm", "template")
    _git(template, "config", "core.fsmonitor", str(program))
    with (template / "copier.yml").open("a") as config:
        config.write("# changed\n")


def _worktree_of_the_checkout(workspace: Path, template: Path, program: Path) -> None:
    """The checkout's planted config names the template folder as its work tree."""
    _git(workspace, "init", "-q", ".")
    _git(workspace, "add", "-A")
    _git(workspace, "commit", "-qm", "workspace")
    _git(workspace, "config", "core.worktree", str(template))
    _git(workspace, "config", "core.fsmonitor", str(program))


@pytest.mark.parametrize("plant", [_own_repository, _worktree_of_the_checkout])
def test_no_program_of_the_trees_git_config_runs(
    cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    plant: Callable[[Path, Path, Path], None],
) -> None:
    render_tmp = tmp_path / "tmp"
    render_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(render_tmp))
    workspace = tmp_path / "shop"
    assert cli("init", str(workspace), "--app", "shop").exit_code == 0
    template = workspace / OVERRIDES_DIR / "python" / "domain"
    shutil.copytree(builtin_templates_dir() / "python" / "domain", template)
    plant(workspace, template, _program(tmp_path))

    result = cli("new-domain", "accounts", cwd=workspace)

    assert result.exit_code == 0, result.stderr
    assert not (tmp_path / "marker.txt").exists()
    app = (workspace / "src" / "shop" / "accounts" / "app.py").read_text()
    assert "dispatch" in app
    answers = (workspace / "src" / "shop" / "accounts" / ".copier-answers.yml").read_text()
    assert f"_src_path: {OVERRIDES_DIR}/python/domain\n" in answers
    assert list(render_tmp.iterdir()) == []
