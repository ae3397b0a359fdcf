"""SealedFiles: a re-lint holding some records refuses to answer for the others."""

from __future__ import annotations

import pytest

from slicegen.lint.rules.parts import SealedFiles, WholeTreeRead
from slicegen.model.workspace import FileInfo


def test_sealed_files_answers_what_it_holds_and_refuses_the_rest():
    mine = FileInfo(path="a/x.py", language="python")
    files = SealedFiles({"a/x.py": mine}, frozenset({"a/x.py", "b/y.py"}))
    assert files["a/x.py"] is mine and files.get("a/x.py") is mine
    assert "b/y.py" in files and "c/z.py" not in files and len(files) == 2
    assert files.get("c/z.py") is None
    with pytest.raises(KeyError):
        files["c/z.py"]
    for read in (
        lambda: files.get("b/y.py"),
        lambda: files["b/y.py"],
        lambda: list(files),
        lambda: files.items(),
        lambda: dict(files),
        lambda: files.values(),
    ):
        with pytest.raises(WholeTreeRead):
            read()
