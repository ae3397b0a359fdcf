"""Line-splicing versions of the libcst edits, for files in the shape slicegen writes.

Each fast edit locates nodes with the standard :mod:`ast` module (line numbers) and splices lines;
it returns the new text, the same text when there is nothing to do, or None when it cannot be sure
to produce exactly what the libcst edit would (the caller then falls back to libcst). Anything
unusual declines: CRLF, tabs, form feeds, a missing final newline, backslash continuations,
several statements on a line, an indentation other than four spaces, a module header or block
footer that libcst could attribute differently.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Callable, Sequence

from slicegen.stacks.python.pysource import ImportBlock, from_import, name_key

FastEdit = Callable[["Source"], "str | None"]

_SIMPLE_STRING = re.compile(r"""^(?:"[^"\\\n]*"|'[^'\\\n]*')$""")


class Source:
    """A module's text, its lines and its :mod:`ast` tree."""

    def __init__(self, text: str, tree: ast.Module) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.tree = tree

    def splice(self, start: int, stop: int, new: Sequence[str]) -> str:
        """The text with 0-based lines ``[start, stop)`` replaced by ``new`` (each ending "\\n")."""
        return "".join([*self.lines[:start], *new, *self.lines[stop:]])


def load(text: str) -> Source | None:
    """A :class:`Source` when the text is plain enough for the fast edits, else None."""
    if not text.endswith("\n") or any(c in text for c in "\r\t\f\ufeff\\"):
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    if not tree.body or not _one_per_line(tree.body):
        return None
    return Source(text, tree)


def _four_space_indent(text: str, tree: ast.Module) -> bool:
    """True if the first indented block (libcst's default indent) is indented by four spaces."""
    lines = text.splitlines()
    first: tuple[int, str] | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.col_offset:
            lead = lines[node.lineno - 1][: node.col_offset]
            if not lead.strip() and (first is None or node.lineno < first[0]):
                first = (node.lineno, lead)
    return first is None or first[1] == "    "


def _indented_by_four(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    return _four_space_indent(code, tree)


def _start(node: ast.stmt) -> int:
    """1-based first line of a statement, decorators included."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _end(node: ast.stmt) -> int:
    assert node.end_lineno is not None
    return node.end_lineno


def _one_per_line(body: Sequence[ast.stmt]) -> bool:
    return all(_start(b) > _end(a) for a, b in itertools.pairwise(body))


def _compound(node: ast.stmt) -> bool:
    return hasattr(node, "body")


def _is_docstring(src: Source, node: ast.stmt) -> bool:
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        return False
    if not isinstance(node.value.value, str | bytes):
        return False
    segment = _segment(src, node.value)
    if segment[:3] in ('"""', "'''"):
        quote = segment[:3]
        return segment.endswith(quote) and segment.count(quote) == 2 and len(segment) >= 6
    return _is_plain_string(segment)


def _segment(src: Source, node: ast.expr) -> str:
    """The source text of ``node`` (ast offsets are in UTF-8 bytes)."""
    assert node.end_lineno is not None and node.end_col_offset is not None
    first = src.lines[node.lineno - 1].encode()
    if node.lineno == node.end_lineno:
        return first[node.col_offset : node.end_col_offset].decode()
    middle = src.lines[node.lineno : node.end_lineno - 1]
    last = src.lines[node.end_lineno - 1].encode()[: node.end_col_offset]
    return "".join([first[node.col_offset :].decode(), *middle, last.decode()])


def _is_plain_string(segment: str) -> bool:
    return _SIMPLE_STRING.match(segment) is not None


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def call_key(node: ast.stmt) -> tuple[str, ...] | None:
    """The ast twin of the libcst ``_call_key``."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return None
    func = _dotted(node.value.func)
    if func is None or node.value.keywords:
        return None
    key = [func]
    for value in node.value.args:
        if isinstance(value, ast.Starred):
            return None
        if isinstance(value, ast.Call) and not value.args and not value.keywords:
            name = _dotted(value.func)
            key.append(f"{name}()" if name else "?")
        else:
            key.append(_dotted(value) or "?")
    return tuple(key)


def _plain_code(code: str) -> bool:
    return bool(code) and code == code.strip() and not any(c in code for c in "\r\t\f\\#")


def _lines(code: str) -> list[str]:
    return [line + "\n" for line in code.split("\n")]


def _appended(src: Source, new: list[str]) -> str | None:
    """The text with ``new`` after the module's last statement (before its footer)."""
    last = src.tree.body[-1]
    end = _end(last)
    if end != len(src.lines) and _compound(last):
        return None
    return src.splice(end, end, new)


def add_import(module_name: str, entry: str, app: str) -> FastEdit:
    """Fast :func:`slicegen.stacks.python.edits.add_import`."""

    def edit(src: Source) -> str | None:
        body = src.tree.body
        imports = [
            (i, s)
            for i, s in enumerate(body)
            if isinstance(s, ast.ImportFrom) and s.module is not None and not s.level
        ]
        for _, node in imports:
            assert node.module is not None
            if node.module != module_name:
                continue
            names = [a.name if a.asname is None else f"{a.name} as {a.asname}" for a in node.names]
            if "*" in names:
                return src.text
            if entry in names:
                return src.text
            line = from_import(module_name, sorted([*names, entry], key=name_key))
            return src.splice(_start(node) - 1, _end(node), _lines(line))
        if not imports:
            return None
        block = ImportBlock(app)
        key = block.key(module_name)
        new = _lines(from_import(module_name, [entry]))
        after = [(i, n) for i, n in imports if block.key(n.module or "") > key]
        if after:
            index, node = after[0]
            if index == 0 or _compound(body[index - 1]):
                return None
            previous_end = _end(body[index - 1])
            same = block.section(node.module or "") == block.section(module_name)
            earlier = [n for i, n in imports if i < index]
            first_of_section = not earlier or block.section(
                earlier[-1].module or ""
            ) != block.section(node.module or "")
            if not first_of_section:
                return src.splice(previous_end, previous_end, new)
            start = _start(node) - 1
            leading = src.lines[previous_end:start]
            return src.splice(previous_end, start, [*leading, *new, *([] if same else ["\n"])])
        index, node = imports[-1]
        if block.section(node.module or "") != block.section(module_name):
            new = ["\n", *new]
        end = _end(node)
        return src.splice(end, end, new)

    return edit


def add_statement(code: str, blank_lines: int, key: tuple[str, ...] | None) -> FastEdit:
    """Fast :func:`slicegen.stacks.python.edits.add_statement` (calls only)."""

    def edit(src: Source) -> str | None:
        wanted = key
        if not _plain_code(code):
            return None
        if wanted is None:
            try:
                parsed = ast.parse(code).body
            except SyntaxError:
                return None
            if len(parsed) != 1:
                return None
            wanted = call_key(parsed[0])
            if wanted is None:
                return None
        if any(call_key(stmt) == wanted for stmt in src.tree.body):
            return src.text
        return _appended(src, ["\n"] * blank_lines + _lines(code))

    return edit


def add_function(code: str, name: str) -> FastEdit:
    """Fast :func:`slicegen.stacks.python.edits.add_function`."""

    def edit(src: Source) -> str | None:
        for stmt in src.tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == name:
                return src.text
        text = code.removesuffix("\n")
        if not _plain_code(text) or "\n\n" in text or not _indented_by_four(text):
            return None
        return _appended(src, ["\n", "\n", *_lines(text)])

    return edit


def add_to_all(name: str) -> FastEdit:
    """Fast :func:`slicegen.stacks.python.edits.add_to_all`."""

    def edit(src: Source) -> str | None:
        for stmt in src.tree.body:
            if not (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id == "__all__"
                and isinstance(stmt.value, ast.List)
            ):
                continue
            values: list[str] = []
            for element in stmt.value.elts:
                segment = _segment(src, element)
                if not (
                    isinstance(element, ast.Constant)
                    and isinstance(element.value, str)
                    and _is_plain_string(segment)
                ):
                    return None
                values.append(element.value)
            if name in values:
                return src.text
            names = sorted([*values, name])
            line = "__all__ = [" + ", ".join(f'"{n}"' for n in names) + "]"
            if len(line) > 100:
                line = "__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]"
            return src.splice(_start(stmt) - 1, _end(stmt), _lines(line))
        return src.text

    return edit


def add_class_field(class_name: str, code: str, field_name: str) -> FastEdit:
    """Fast :func:`slicegen.stacks.python.edits.add_class_field`."""

    def edit(src: Source) -> str | None:
        if not _plain_code(code) or "\n" in code:
            return None
        for stmt in src.tree.body:
            if not (isinstance(stmt, ast.ClassDef) and stmt.name == class_name):
                continue
            inner = stmt.body
            first = inner[0]
            if first.col_offset != 4 or src.lines[first.lineno - 1][:4] != "    ":
                return None
            if not _one_per_line(inner):
                return None
            for line in inner:
                if (
                    isinstance(line, ast.AnnAssign)
                    and isinstance(line.target, ast.Name)
                    and line.target.id == field_name
                ):
                    return src.text
            position = 1 if _is_docstring(src, first) else 0
            fields_end = position
            for i in range(position, len(inner)):
                if isinstance(inner[i], ast.AnnAssign):
                    fields_end = i + 1
                else:
                    break
            if fields_end == 0:
                return None
            new = ["    " + code + "\n"]
            if fields_end == position:
                new = ["\n", *new]
            previous_end = _end(inner[fields_end - 1])
            if fields_end < len(inner):
                if _start(inner[fields_end]) - 1 == previous_end:
                    new.append("\n")
            elif previous_end != _end(stmt):
                return None
            return src.splice(previous_end, previous_end, new)
        return None

    return edit


def run(text: str, steps: Sequence[FastEdit]) -> str | None:
    """Apply ``steps`` in order by splicing lines; None as soon as one of them declines."""
    for index, step in enumerate(steps):
        src = load(text)
        # libcst takes its default indent from the original text, which it parses once
        if src is None or (index == 0 and not _four_space_indent(text, src.tree)):
            return None
        changed = step(src)
        if changed is None:
            return None
        text = changed
    return text
