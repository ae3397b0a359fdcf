"""Helpers for lint tests: write a tree, lint it, read the JSON findings."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from slicegen import signed_pickle
from slicegen.lint.command import lint

from .trees import Files, clean, write

Lint = Callable[..., tuple[int, list[dict[str, Any]]]]


def lint_json(root: Path, **kwargs: Any) -> tuple[int, list[dict[str, Any]]]:
    """Lint ``root`` without the cache; the exit code and the JSON findings."""
    out = io.StringIO()
    kwargs.setdefault("use_cache", False)
    code = lint(root, "json", stream=out, **kwargs)
    return code, json.loads(out.getvalue())


def codes_at(root: Path, *codes: str) -> list[tuple[str, str]]:
    """The (code, path) of each finding of the rules ``codes`` select, sorted."""
    _, found = lint_json(root, select=list(codes))
    return sorted((f["code"], f["path"]) for f in found)


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[..., Path]:
    """``make_tree(stack, extra_files, remove=[...])``: the clean tree of ``stack`` changed."""

    def build(stack: str, extra: Files | None = None, remove: tuple[str, ...] = ()) -> Path:
        root = tmp_path / stack
        files = clean(stack)
        for rel in remove:
            files.pop(rel)
        files.update(extra or {})
        write(root, files)
        return root

    return build


@pytest.fixture
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A user cache folder (and so a signing key) of the test's own, outside ``tmp_path``
    (a test's workspace may be ``tmp_path`` itself: a cache folder in it is not used)."""
    home = tmp_path_factory.mktemp("cachehome")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    signed_pickle._key.cache_clear()
    yield home
    signed_pickle._key.cache_clear()  # the next test signs with its own user's key again
