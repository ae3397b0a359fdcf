"""A tree with files that cannot be read or parsed: SG001 for each, the run goes on, no crash."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_slicegen

ACC = "src/shop/accounts"


@pytest.fixture
def hostile(make_tree: Callable[..., Path]) -> Path:
    root = make_tree(
        "python",
        {
            f"{ACC}/binary.py": b"\x00\x01\x02PNG\x00",
            f"{ACC}/latin1.py": "name = 'caf\u00e9'\n".encode("latin-1"),
            f"{ACC}/syntax.py": "def broken(:\n    pass\n",
        },
    )
    (root / ACC / "loop").symlink_to(root / ACC)  # a folder symlink back to its parent
    (root / ACC / "self_link.py").symlink_to(root / ACC / "self_link.py")  # an ELOOP file
    return root


def test_unreadable_and_unparsable_files_are_sg001(hostile: Path) -> None:
    result = run_slicegen(
        "lint", ".", "--format", "json", "--no-cache", "--ignore", "SG5,SG602", cwd=hostile
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    findings = json.loads(result.stdout)
    sg001 = {f["path"]: f for f in findings if f["code"] == "SG001"}
    assert set(sg001) == {
        f"{ACC}/binary.py",
        f"{ACC}/latin1.py",
        f"{ACC}/syntax.py",
        f"{ACC}/self_link.py",
    }
    assert sg001[f"{ACC}/syntax.py"]["line"] == 1
    assert "binary" in sg001[f"{ACC}/binary.py"]["message"]
    assert "UTF-8" in sg001[f"{ACC}/latin1.py"]["message"]
    # the symlink loop was not followed: nothing reported below it
    assert not any("/loop/" in f["path"] for f in findings)
    # the rest of the tree was still checked
    assert all(f["code"] == "SG001" for f in findings)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", {f"{ACC}/secret.py": "x = 1\n"})
    (root / ACC / "secret.py").chmod(0)
    result = run_slicegen(
        "lint", ".", "--format", "json", "--no-cache", "--ignore", "SG5,SG602", cwd=root
    )
    assert result.exit_code == 1
    assert [f["path"] for f in json.loads(result.stdout)] == [f"{ACC}/secret.py"]


def test_elixir_hostile_tree(make_tree: Callable[..., Path]) -> None:
    lib = "apps/reckon_accounts/lib/reckon_accounts"
    root = make_tree(
        "elixir",
        {f"{lib}/bin.ex": b"\x00\xff", f"{lib}/bad.ex": "defmodule X do\n  def (\n"},
    )
    (root / lib / "again").symlink_to(root / "apps")
    result = run_slicegen(
        "lint", ".", "--format", "json", "--no-cache", "--ignore", "SG5,SG602", cwd=root
    )
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert {f["path"] for f in json.loads(result.stdout)} == {f"{lib}/bin.ex", f"{lib}/bad.ex"}


def test_parse_all_finds_syntax_errors_in_files_no_rule_reads(
    make_tree: Callable[..., Path],
) -> None:
    from .conftest import lint_json

    nested = f"{ACC}/read_models/helpers.py"
    root = make_tree("python", {nested: "def helper(:\n    pass\n"})
    _, quick = lint_json(root, select=["SG001"])
    assert quick == []  # nothing a rule looks for is in it, so it was not parsed
    code, full = lint_json(root, select=["SG001"], parse_all=True)
    assert (code, [(f["path"], f["line"]) for f in full]) == (1, [(nested, 1)])


def test_a_reader_bug_costs_one_file_not_the_run(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from slicegen.model import load
    from slicegen.model.readers.python import read_python
    from slicegen.model.workspace import FileInfo

    def flaky(path: str, data: bytes, parse: bool = True) -> FileInfo:
        if path.endswith("trap.py"):
            raise IndexError("child index out of range")
        return read_python(path, data, parse)

    monkeypatch.setitem(load._READERS, "python", flaky)
    root = make_tree("python", {f"{ACC}/trap.py": "x = 1\n"})
    loaded = load.load_model(root, None, workers=1)
    error = loaded.model.files[f"{ACC}/trap.py"].error
    assert error is not None and "IndexError" in error and "\n" not in error
    others = [i for p, i in loaded.model.files.items() if not p.endswith("trap.py")]
    assert others and all(i.error is None for i in others)


def _sg001(root: Path) -> dict[str, str]:
    result = run_slicegen(
        "lint", ".", "--format", "json", "--no-cache", "--ignore", "SG5,SG602", cwd=root
    )
    assert "Traceback" not in result.stderr
    return {f["path"]: f["message"] for f in json.loads(result.stdout) if f["code"] == "SG001"}


def test_a_link_to_a_source_file_of_the_tree_is_linted_where_it_is(
    make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    """A repository's own link (``tools/x.py -> ../src/.../helpers.py``) is passed over: its
    target is linted; a link out of the tree, to a file lint skips, or to no source file is
    still an SG001 (nothing is read through a link)."""
    root = make_tree(
        "python",
        {
            f"{ACC}/helpers.py": "def helper():\n    return 1\n",
            "vendor/skipped.py": "x = 1\n",
            "notes.txt": "notes\n",
            "slicegen.toml": 'stack = "python"\napp = "shop"\n\n[lint]\nexclude = ["vendor"]\n',
        },
    )
    before = run_slicegen("lint", ".", "--format", "json", "--no-cache", cwd=root).stdout
    outside = tmp_path / "outside.py"
    outside.write_text("y = 2\n")
    (root / "tools").mkdir()
    (root / "tools" / "helpers.py").symlink_to(f"../{ACC}/helpers.py")  # in the tree
    (root / "tools" / "chain.py").symlink_to("helpers.py")  # a link to that link
    (root / "tools" / "outside.py").symlink_to(outside)
    (root / "tools" / "skipped.py").symlink_to("../vendor/skipped.py")  # excluded target
    (root / "tools" / "notes.py").symlink_to("../notes.txt")  # no source file
    assert set(_sg001(root)) == {"tools/outside.py", "tools/skipped.py", "tools/notes.py"}
    for rel in ("tools/outside.py", "tools/skipped.py", "tools/notes.py"):
        (root / rel).unlink()
    after = run_slicegen("lint", ".", "--format", "json", "--no-cache", cwd=root).stdout
    assert after == before  # the in-tree links add nothing: their target is linted once
