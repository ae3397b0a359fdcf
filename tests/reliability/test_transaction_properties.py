"""Property: any change set over any small tree, with any one file operation failing, is applied
completely or not at all, and a failure is one clear line."""

from __future__ import annotations

import errno
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen import transaction
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.execute import execute
from tests.conftest import snapshot

NAMES = st.sampled_from(["a", "b", "docs", "src", "x.py", "README.md"])
PATHS = st.lists(NAMES, min_size=1, max_size=3).map("/".join)
CONTENT = st.lists(st.sampled_from(["x", "é", " ", "\n", "\r\n", "\t"]), max_size=8).map("".join)
TREES = st.dictionaries(PATHS, CONTENT, max_size=5)
CHANGES = st.lists(st.tuples(st.sampled_from(["add", "edit"]), PATHS, CONTENT), max_size=6)
FAILURES = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(["_fsync_write", "copy2", "replace", "mkdir"]),
        st.integers(0, 8),
        st.sampled_from([errno.ENOSPC, errno.EACCES, errno.EIO]),
    ),
)


def _make_tree(root: Path, files: dict[str, str]) -> None:
    for rel, content in files.items():
        target = root / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode())
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue  # a file where a folder is wanted, or the reverse: keep what came first


def _patch(m: pytest.MonkeyPatch, failure: tuple[str, int, int]) -> None:
    name, after, code = failure
    seen = {"n": 0}

    def failing(real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            target = Path(args[1] if name in ("replace", "copy2") else args[0])
            if name == "mkdir" and ".slicegen" in target.parts:
                return real(*args, **kwargs)
            if seen["n"] == after:
                seen["n"] += 1
                raise OSError(code, os.strerror(code))
            seen["n"] += 1
            return real(*args, **kwargs)

        return wrapper

    if name == "_fsync_write":
        m.setattr(transaction, "_fsync_write", failing(transaction._fsync_write))
    elif name == "copy2":
        m.setattr(transaction.shutil, "copy2", failing(shutil.copy2))
    elif name == "replace":
        m.setattr(transaction.os, "replace", failing(os.replace))
    else:
        m.setattr(Path, "mkdir", failing(Path.mkdir))


@settings(max_examples=150, deadline=None)
@given(TREES, CHANGES, FAILURES)
def test_change_sets_apply_all_or_nothing(
    files: dict[str, str], changes: list[tuple[str, str, str]], failure: Any
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        _make_tree(root, files)
        before = snapshot(root)

        def build(cs: ChangeSet) -> None:
            for kind, path, content in changes:
                if kind == "add":
                    cs.add(path, content)
                elif cs.exists(path):
                    cs.edit(path, lambda text, extra=content: text + extra)

        expected: dict[str, str] | None = None
        try:
            planned = ChangeSet(root)
            build(planned)
            expected = {p.path: p.new for p in planned.plan(force=True)}
        except SlicegenError:
            pass  # the plan itself is refused (a file where a folder is): checked below too
        with pytest.MonkeyPatch.context() as m:
            if failure is not None:
                _patch(m, failure)
            try:
                execute(root, build, force=True, out=io.StringIO())
                failed = None
            except SlicegenError as exc:
                failed = exc
        assert not (root / ".slicegen" / "txn").exists()
        after = snapshot(root)
        if failed is not None:
            assert "\n" not in failed.message and failed.message
            assert after == before
            return
        assert expected is not None
        for rel, data in before.items():
            if rel not in expected:
                assert after[rel] == data
        for rel, text in expected.items():
            assert after[rel] == text.encode()
        assert set(after) == set(before) | set(expected)
