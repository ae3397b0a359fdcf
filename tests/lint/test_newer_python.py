"""Valid Python 3.12 (PEP 695 type parameters) is read, not reported as SG001, whatever Python
runs slicegen; a real syntax error still is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slicegen.boundaries.imports_python import parse_imports
from slicegen.model.readers.python import read_python

from .conftest import lint_json

ACC = "src/shop/accounts"
GENERIC = (
    "from shop.kernel import Marker\n"
    "\n"
    "\n"
    "class Returns[R](Marker):\n"
    "    pass\n"
    "\n"
    "\n"
    "class Handler[\n"
    "    C: Returns[object],\n"
    "    R = None,\n"
    "](Marker):\n"
    "    def __call__(self, command: C) -> R: ...\n"
    "\n"
    "\n"
    "def first[T](items: list[T]) -> T:\n"
    "    return items[0]\n"
    "\n"
    "\n"
    "type Pair[T] = tuple[T, T]\n"
    "type Name = str\n"
    'config = {"type": 1}\n'
)


def test_type_parameters_are_read_with_their_definitions_in_place() -> None:
    info = read_python("src/shop/bus.py", GENERIC.encode())
    assert info.error is None and info.parsed
    found = [(d.name, d.kind, d.line, d.col) for d in info.definitions]
    assert ("Returns", "class", 4, 1) in found
    assert ("Handler", "class", 8, 1) in found
    assert ("first", "function", 15, 1) in found
    assert [i.module for i in info.imports] == ["shop.kernel"]
    uses = parse_imports("src/shop/bus.py", GENERIC, "shop.bus", "shop")
    assert uses.error is None and [u.target for u in uses.uses] == ["shop.kernel"]


def test_no_sg001_on_type_parameters_but_on_a_real_syntax_error(
    make_tree: Callable[..., Path],
) -> None:
    root = make_tree(
        "python",
        {
            f"{ACC}/bus.py": GENERIC,
            f"{ACC}/broken.py": "class Box[T](:\n    pass\n",
            f"{ACC}/worse.py": "def f(x:\n    return [x\n",
        },
    )
    _, found = lint_json(root, select=["SG001"])
    assert sorted(f["path"] for f in found) == [f"{ACC}/broken.py", f"{ACC}/worse.py"]
