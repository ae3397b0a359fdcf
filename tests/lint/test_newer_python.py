"""Valid Python 3.12 (PEP 695 type parameters, PEP 701 f-strings) and 3.14 (PEP 758 ``except
A, B:``) is read, not reported as SG001, whatever Python runs slicegen; a real syntax error
still is."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.boundaries.imports_python import parse_imports
from slicegen.model.readers.newer_python import blank_fstrings
from slicegen.model.readers.python import read_python
from slicegen.model.workspace import FileInfo

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


def _read_in_place(module: str, source: str) -> FileInfo:
    """``source`` read by the lint reader and the boundary check's, both without an error and
    both finding its one import, ``shop.kernel`` (a use per name it imports)."""
    path = f"src/{module.replace('.', '/')}.py"
    info = read_python(path, source.encode())
    assert info.error is None and info.parsed
    assert [i.module for i in info.imports] == ["shop.kernel"]
    uses = parse_imports(path, source, module, "shop")
    names = len(info.imports[0].names)
    assert uses.error is None and [u.target for u in uses.uses] == ["shop.kernel"] * names
    return info


def test_type_parameters_are_read_with_their_definitions_in_place() -> None:
    info = _read_in_place("shop.bus", GENERIC)
    found = [(d.name, d.kind, d.line, d.col) for d in info.definitions]
    assert ("Returns", "class", 4, 1) in found
    assert ("Handler", "class", 8, 1) in found
    assert ("first", "function", 15, 1) in found


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


NEWER = (
    "from shop.kernel import Marker, fmt\n"
    "\n"
    "\n"
    "class Order(Marker):\n"
    "    def label(self, d: dict[str, str], width: int) -> str:\n"
    '        head = f"{d["id"]} for {d[\'who\']!r:>{width}}"  # PEP 701: its own quotes\n'
    '        tail = f"-{\n'
    "            fmt(\n"
    '                d["total"],  # a comment inside a field\n'
    "            )\n"
    '        }"\n'
    "        return head + tail\n"
    "\n"
    "\n"
    "def safe() -> None:\n"
    "    try:\n"
    "        pass\n"
    "    except ValueError, TypeError:  # PEP 758\n"
    "        pass\n"
    "\n"
    "\n"
    'STATUS = "order_placed:v1"\n'
)


def test_python_312_fstrings_and_314_excepts_are_read_with_what_follows_in_place() -> None:
    info = _read_in_place("shop.order", NEWER)
    found = [(d.name, d.kind, d.line, d.col) for d in info.definitions]
    assert ("Order", "class", 4, 1) in found
    assert ("safe", "function", 15, 1) in found
    assert [(s.value, s.line) for s in info.strings if s.value == "order_placed:v1"] == [
        ("order_placed:v1", 22)
    ]


@settings(deadline=None, max_examples=150)
@given(
    st.lists(
        st.sampled_from(
            [
                'x = f"{a}"\n',
                "y = f'{b!r:>{w}}' + 'plain {not a field}'\n",
                'z = rf"\\d{n}" if a else b"{raw}"\n',
                's = f"""{\n  a\n}"""\n',
                "d = {'k': f'{v:{w}}' if 0 else '{'}\n",
                "# f'{a comment'\n",
                "class C:\n    v: str = f'{1}'\n",
                "def g(q):\n    return f'{q[\"k\"]}'\n",
                "e = \"f'{a}'\"\n",
            ]
        ),
        max_size=8,
    )
)
def test_blanking_fstrings_keeps_every_other_token_where_it_was(lines: list[str]) -> None:
    """Whatever f-strings a module holds, the blanked text has the same lines and, outside
    the f-strings, the same tokens at the same places; it parses when the original does."""
    text = "".join(lines)
    blanked = blank_fstrings(text)
    assert blanked is not None
    assert blanked.count("\n") == text.count("\n")
    original = [t for t in _tokens(text) if not _fstring(t.string)]
    kept = [t for t in _tokens(blanked) if t.string not in ('""', "(", ")") or t in original]
    assert [(t.string, t.start) for t in original if t.string not in ("(", ")")] == [
        (t.string, t.start) for t in kept if t.string not in ("(", ")") and t.string != '""'
    ]
    try:
        ast.parse(text)
    except SyntaxError:
        return  # a PEP 701 spelling this interpreter cannot read: blanking is what reads it
    ast.parse(blanked)


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    skip = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER, tokenize.INDENT)
    return [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in skip]


def _fstring(token: str) -> bool:
    head = token[: len(token) - len(token.lstrip("rRbBuUfF"))]
    return "f" in head.lower()
