"""The model builder's remembered lookups answer as the plain definitions do.

``build_model`` works out a file's package, domain and test-ness once per folder; these compare
those shortcuts with the straightforward per-path definitions on generated paths.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.model.build import python_modules
from slicegen.model.discovery import is_test, python_module
from slicegen.model.workspace import Domain, FileInfo, WorkspaceModel

SEGMENT = st.sampled_from(["src", "shop", "tests", "test", "domain", "a", "test_b", "c_test", ""])
NAME = st.sampled_from(["__init__", "x", "test_x", "x_test", "a.b", "", "tests"])
PATH = st.builds(
    lambda parts, name, ext: "/".join([*parts, name + ext]),
    st.lists(SEGMENT, max_size=4),
    NAME,
    st.sampled_from([".py", ".ex", ""]),
)
FOLDER = st.lists(SEGMENT, min_size=1, max_size=4).map("/".join)


def _plain_domain_of(domains: list[Domain], path: str) -> Domain | None:
    """The deepest domain whose root is ``path`` or one of its folders (last one of a root)."""
    roots = {d.root: d for d in domains}
    while path:
        if path in roots:
            return roots[path]
        path = path.rsplit("/", 1)[0] if "/" in path else ""
    return None


def _plain_is_test(rel: str) -> bool:
    parts = rel.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    return (
        stem.startswith("test_")
        or stem.endswith("_test")
        or any(p in ("test", "tests") for p in parts[:-1])
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(PATH, max_size=12), st.sampled_from([["src", ""], [""], ["shop", "src", ""]]))
def test_python_modules_are_python_module_per_file(paths: list[str], roots: list[str]) -> None:
    files = {p: FileInfo(p, "python") for p in paths}
    expected = {p: python_module(p, roots) for p in files if p.endswith(".py")}
    found = python_modules(files, roots)
    assert found == expected
    assert list(found) == list(expected)  # same order: the model's repr and pickles compare


@settings(max_examples=150, deadline=None)
@given(st.lists(FOLDER, max_size=5), st.lists(st.one_of(PATH, FOLDER), max_size=12), FOLDER)
def test_domain_of_is_the_deepest_root(roots: list[str], paths: list[str], added: str) -> None:
    domains = [Domain(f"d{i}", root, root, root) for i, root in enumerate(roots)]
    model = WorkspaceModel(Path("."), "python", None, domains, {}, [], [], None)
    for path in [*paths, *paths]:  # the second time from what was remembered
        assert model.domain_of(path) == _plain_domain_of(domains, path)
    domains.append(Domain("late", added, added, added))  # a domain added after a lookup counts
    for path in paths:
        assert model.domain_of(path) == _plain_domain_of(domains, path)
        assert model.domain("late") is next(d for d in domains if d.name == "late")


@settings(max_examples=150, deadline=None)
@given(PATH)
def test_is_test_per_path(path: str) -> None:
    assert is_test(path) == _plain_is_test(path)
