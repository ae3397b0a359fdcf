"""The layering of ``[tool.importlinter]`` in pyproject.toml holds (``lint-imports``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_are_kept() -> None:
    pytest.importorskip("importlinter")
    command = Path(sys.executable).parent / "lint-imports"
    if not command.exists():
        pytest.skip("lint-imports is not installed beside this interpreter")
    done = subprocess.run(
        [str(command), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_no_ignored_imports_and_one_model_type_into_drift() -> None:
    """The contracts hold without exceptions, and :func:`find_drift` takes one model type."""
    import tomllib
    import typing

    from slicegen.design.model import DesignModel
    from slicegen.storm.drift import find_drift

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert [c["name"] for c in contracts["contracts"] if c.get("ignore_imports")] == []
    # the drift module names the model for type checkers only (lint renders plain stand-ins)
    hints = typing.get_type_hints(find_drift, localns={"DesignModel": DesignModel})
    assert hints["design"] is DesignModel
    assert typing.Any not in hints.values()
