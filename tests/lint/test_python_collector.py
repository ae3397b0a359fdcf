"""The Python reader's statement walk (type dispatch) records what the plain isinstance walk it
replaced recorded: the same imports and strings, on this repository's own sources and on
hand-made corner cases."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from slicegen.model.readers.fields import annotation
from slicegen.model.readers.python import (
    EMIT_NAMES,
    _Collector,
    _dotted,
    _is_type_checking,
)

REPO = Path(__file__).resolve().parents[2]

CORNERS = """
from typing import TYPE_CHECKING
import a.b as c, d
if TYPE_CHECKING:
    from .x import Y
    import typing.TYPE_CHECKING
else:
    import z
if typing.TYPE_CHECKING:
    import q
event_type = "shop.accounts.account_opened:v1"
EVENT_TYPE: str = "x:v2"
a.b[0].event_type = "s:v1"
a[0].b.topic = "t1"
x[0].TOPIC_NAME = "t2"
self.order_topic = "orders:facts:t3"
(m, n) = "u", "v"
ann: int
self.type_string = ("p:v1", "q:v2")
topic_name = f"{x}"
async def f():
    import inner
    async with ctx:
        from . import sibling
    async for i in it:
        pass
    else:
        import after_for
def event_type():
    if x:
        return "a:v1"
    return "b:v2"
class K:
    __event_type__ = "k:v1"
    try:
        import t1
    except E:
        import t2
    else:
        import t3
    finally:
        import t4
    while w:
        import w1
    else:
        import w2
    with open(p) as h:
        import w3
match v:
    case 1:
        import in_match
del x
x += 1
"""


class OldCollector(_Collector):
    """The isinstance walk as it was, as the oracle."""

    def statements(self, body: list[ast.stmt], in_function: bool, type_checking: bool) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports.append(
                        _import(alias.name, (), node, "import", 0, in_function, type_checking)
                    )
            elif isinstance(node, ast.ImportFrom):
                names = tuple(a.name for a in node.names)
                self.imports.append(
                    _import(
                        node.module or "",
                        names,
                        node,
                        "from",
                        node.level,
                        in_function,
                        type_checking,
                    )
                )
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name in EMIT_NAMES:
                    for sub in ast.walk(node):
                        if isinstance(sub, ast.Return) and sub.value is not None:
                            self._emit(sub.value)
                self.statements(node.body, True, type_checking)
            elif isinstance(node, ast.ClassDef):
                self.statements(node.body, in_function, type_checking)
            elif isinstance(node, ast.If):
                checking = type_checking or _is_type_checking(node.test)
                self.statements(node.body, in_function, checking)
                self.statements(node.orelse, in_function, type_checking)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found = {_dotted(t).rsplit(".", 1)[-1] for t in targets}
                if node.value is not None and found & EMIT_NAMES:
                    self._emit(node.value)
                elif node.value is not None and any("topic" in n.lower() for n in found):
                    self._topic(node.value, named=True)
            elif isinstance(node, ast.Try | ast.TryStar):
                for block in (node.body, node.orelse, node.finalbody):
                    self.statements(block, in_function, type_checking)
                for handler in node.handlers:
                    self.statements(handler.body, in_function, type_checking)
            elif isinstance(node, ast.With | ast.AsyncWith | ast.For | ast.AsyncFor | ast.While):
                self.statements(node.body, in_function, type_checking)
                if not isinstance(node, ast.With | ast.AsyncWith):
                    self.statements(node.orelse, in_function, type_checking)


def _import(module, names, node, kind, level, in_function, type_checking):  # type: ignore[no-untyped-def]
    from slicegen.model.workspace import ImportRef

    line, col = node.lineno, node.col_offset + 1
    return ImportRef(module, names, line, col, kind, level, in_function, type_checking)


def _walked(collector: _Collector, tree: ast.Module) -> tuple[object, ...]:
    collector.statements(tree.body, in_function=False, type_checking=False)
    return tuple(collector.imports), tuple(collector.strings)


def _sources() -> list[str]:
    paths = sorted((REPO / "src").rglob("*.py")) + sorted((REPO / "tests").rglob("*.py"))
    return [CORNERS, *(p.read_text(encoding="utf-8") for p in paths)]


@pytest.mark.parametrize("chunk", range(4))
def test_statement_walk_is_the_isinstance_walk(chunk: int) -> None:
    sources = _sources()
    assert len(sources) > 50
    for text in sources[chunk::4]:
        tree = ast.parse(text)
        assert _walked(_Collector(), tree) == _walked(OldCollector(), tree)


def test_corners_record_what_they_should() -> None:
    imports, strings = _walked(_Collector(), ast.parse(CORNERS))
    modules = {i.module: i for i in imports}  # type: ignore[attr-defined]
    assert modules["z"].type_checking is False and modules["q"].type_checking is True
    assert modules["inner"].in_function and modules["after_for"].in_function
    assert {"t1", "t2", "t3", "t4", "w1", "w2", "w3"} <= set(modules)
    assert "in_match" not in modules
    values = [s.value for s in strings]  # type: ignore[attr-defined]
    assert "shop.accounts.account_opened:v1" in values and "orders:facts:t3" in values
    # _dotted reads a.b[0].event_type as "a.b": the parts after a subscript do not count
    assert not {"s:v1", "t1", "t2"} & set(values)


ANNOTATIONS = (
    "x: str\ny: list[str]\nz: dict[str, int | None]\nw: str | None\nv: a.B\nu: a.b.C\n"
    "t: tuple[()]\ns: tuple[int, ...]\nr: 'Fwd'\nq: a | (b | c)\np: a | b | c\no: a + b | c\n"
    "n: Callable[[int], str]\nm: list[str | None] | None\nl: x[0].y\nk: tuple[*Ts]\n"
    "j: Literal['a', 1]\ni: None\nh: type[Foo] | None\ng: f()[int]\n"
)


def test_annotation_spelling_is_unparse() -> None:
    seen = 0
    for text in [ANNOTATIONS, *_sources()]:
        for node in ast.walk(ast.parse(text)):
            found = [getattr(node, "annotation", None), getattr(node, "returns", None)]
            for item in (n for n in found if isinstance(n, ast.expr)):
                seen += 1
                assert annotation(item) == ast.unparse(item)
    assert seen > 1000
