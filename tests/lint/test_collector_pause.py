"""``slicegen lint`` keeps the cyclic garbage collector paused until the run's objects are
freed: enabled again inside, its first pass would scan the whole model the result holds."""

from __future__ import annotations

import gc
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from slicegen.lint import command
from slicegen.lint.engine import LintResult


def test_collector_stays_paused_until_the_command_returns(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree("python")
    seen: list[bool] = []
    run_lint = command.run_lint

    def watched(*args: Any, **kwargs: Any) -> LintResult:
        result = run_lint(*args, **kwargs)
        seen.append(gc.isenabled())  # after the engine's own pause ended
        return result

    monkeypatch.setattr(command, "run_lint", watched)
    assert gc.isenabled()
    out = io.StringIO()
    command.lint(root, "json", stream=out, use_cache=False)
    assert seen == [False]
    assert gc.isenabled()  # enabled again once the command returned
    assert out.getvalue().startswith("[")


def test_a_paused_collector_stays_paused(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python")
    gc.disable()
    try:
        command.lint(root, "json", stream=io.StringIO(), use_cache=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
