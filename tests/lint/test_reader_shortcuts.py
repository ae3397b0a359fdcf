"""The readers' shortcuts answer as the calls they stand in for: a docstring cleaned without
``inspect.cleandoc``'s line work when it is one line, and the file-name test remembered per
(folder, name)."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.model.readers.python import docstring, module_doc
from slicegen.model.readers.source import _named_as, named_as
from slicegen.stacks.artifacts import (
    GROUPED_STEMS,
    TECHNICAL_FOLDERS,
    kind_from_stem,
    split_file_version,
)

DOC_PIECES = st.sampled_from(["a", "é", " ", "\t", "\n", "\r", "\x0b", "\u3000", "  x", "\n  y"])


@settings(deadline=None, max_examples=400)
@given(st.lists(DOC_PIECES, max_size=10).map("".join), st.booleans())
def test_docstring_is_get_docstring(doc: str, in_class: bool) -> None:
    body = [ast.Expr(ast.Constant(doc)), ast.Pass()]
    node = ast.ClassDef("C", [], [], body, []) if in_class else ast.Module(body, [])
    assert docstring(node) == ast.get_docstring(node)


def test_module_doc_examples() -> None:
    tree = ast.parse('"""  Open an account.\t"""\nclass A:\n    """Not this."""\n')
    assert module_doc(tree) == "Open an account."
    tree = ast.parse('"   "\nclass A:\n    """\n    The class.\n\n    More.\n    """\n')
    assert module_doc(tree) == "The class.\n\nMore."
    assert docstring(ast.parse("x = 1\n")) is None


def _named_as_before(path: str, kind: str) -> bool:
    """``named_as`` as it was, computed for each path."""
    folder, _, name = path.rpartition("/")
    stem = name.rpartition(".")[0] or name
    return (
        kind_from_stem(stem) == kind
        or GROUPED_STEMS.get(split_file_version(stem)[0]) == kind
        or TECHNICAL_FOLDERS.get(folder.rpartition("/")[2]) == kind
    )


NAME_PIECES = st.sampled_from(
    ["command", "event", "events", "commands", "_v1", "_v2", "maybe_", "x", ".py", ".ex", "."]
)
FOLDERS = st.sampled_from(["", "a", "a/events", "events", "a/commands/b", "domain/x", "b/"])


@settings(deadline=None, max_examples=400)
@given(
    FOLDERS, st.lists(NAME_PIECES, max_size=4).map("".join), st.sampled_from(["command", "event"])
)
def test_named_as_is_the_computed_answer(folder: str, name: str, kind: str) -> None:
    path = f"{folder}/{name}" if folder else name
    assert named_as(path, kind) == _named_as_before(path, kind)
    assert named_as(path, kind) == _named_as(
        path.rpartition("/")[0].rpartition("/")[2], path.rpartition("/")[2], kind
    )
