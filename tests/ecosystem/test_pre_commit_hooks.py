"""The pre-commit hook manifest a team points at by repository URL."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
REQUIRED = ("id", "name", "entry", "language")


def _hooks() -> list[dict[str, Any]]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(data, list), "a hook manifest is a list of hooks"
    return data


def test_manifest_declares_the_lint_hook() -> None:
    hooks = {hook["id"]: hook for hook in _hooks()}
    hook = hooks["slicegen-lint"]
    for key in REQUIRED:
        assert hook.get(key), f"hook lacks {key}"
    assert hook["language"] == "python"
    assert shlex.split(hook["entry"])[:2] == ["slicegen", "lint"]
    # The whole workspace is judged at once: file names would narrow what the rules can see.
    assert hook["pass_filenames"] is False
    assert set(hook["types_or"]) >= {"python", "elixir"}


def test_manifest_file_types_are_known_to_pre_commit() -> None:
    identify = pytest.importorskip("identify.identify")
    for hook in _hooks():
        for key in ("types", "types_or", "exclude_types"):
            unknown = set(hook.get(key, [])) - identify.ALL_TAGS
            assert not unknown, f"{hook['id']}: unknown file types {unknown}"


def test_pre_commit_accepts_the_manifest() -> None:
    exe = Path(sys.executable).with_name("pre-commit")
    if not exe.exists():
        pytest.skip("pre-commit is not installed")
    proc = subprocess.run(
        [exe, "validate-manifest", str(MANIFEST)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hook_entry_is_a_real_command() -> None:
    """The entry's command exists: ``slicegen lint --help`` answers through the same words."""
    entry = shlex.split(_hooks()[0]["entry"])
    exe = Path(sys.executable).with_name(entry[0])
    proc = subprocess.run([exe, *entry[1:], "--help"], capture_output=True, text=True, check=False)
    if proc.returncode != 0 and "No such command" in proc.stderr:
        pytest.fail("the hook's entry names a command slicegen does not have")
    assert proc.returncode == 0, proc.stderr
