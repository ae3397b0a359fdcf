"""Printing Elixir the way ``mix format`` does, for the shapes slicegen generates.

Generated lines hold names of any length (app, domain, command, field), so a line that fits for
``reckon``/``accounts`` may not fit for ``reckon_platform``/``customer_relationships``. These
helpers choose, from the length, the layout the formatter would produce (98 columns): a keyword
value on its own line, a long statement set apart by blank lines, and so on. The end-to-end tests
check the result with the real formatter for short and long names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from slicegen.templates import render

#: The Elixir formatter's default line length.
LINE_LENGTH = 98


def fits(text: str) -> bool:
    """True if every line of ``text`` fits the formatter's line length."""
    return all(len(line) <= LINE_LENGTH for line in text.split("\n"))


_CALL = re.compile(r"([A-Za-z_][\w.]*)\((.*)\)", re.DOTALL)


def _split_args(text: str) -> list[str]:
    """Top-level comma-separated parts of ``text`` (strings and brackets respected)."""
    parts, depth, start, quoted = [], 0, 0, False
    for i, char in enumerate(text):
        if char == '"' and (i == 0 or text[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _long(statement: str) -> bool:
    return "\n" in statement or not fits(statement)


class Layout:
    """The helpers templates call as ``L.kv(...)`` and friends."""

    @staticmethod
    def kv(indent: int, key: str, value: str, comma: bool = False) -> str:
        """``key: value`` in a multi-line container, broken as the formatter breaks it.

        A list value opens on the key's line (``key: [`` ... ``]``); any other value moves to
        the next line, and a call that still does not fit gets one argument per line.
        """
        pad, tail = " " * indent, "," if comma else ""
        line = f"{pad}{key}: {value}{tail}"
        if fits(line):
            return line
        if value.startswith("[") and value.endswith("]"):
            items = _split_args(value[1:-1])
            inner = ",\n".join(f"{pad}  {item}" for item in items)
            return f"{pad}{key}: [\n{inner}\n{pad}]{tail}"
        moved = f"{pad}  {value}{tail}"
        call = _CALL.fullmatch(value)
        if not fits(moved) and call:
            broken = Layout.call(indent + 2, call.group(1), _split_args(call.group(2)))
            return f"{pad}{key}:\n{broken}{tail}"
        return f"{pad}{key}:\n{moved}"

    @staticmethod
    def arrow(indent: int, left: str, right: str, comma: bool = False) -> str:
        """``left => right`` in a multi-line map; the right side moves down when too long."""
        pad, tail = " " * indent, "," if comma else ""
        line = f"{pad}{left} => {right}{tail}"
        return line if fits(line) else f"{pad}{left} =>\n{pad}  {right}{tail}"

    @staticmethod
    def assign(indent: int, var: str, expr: str) -> str:
        """``var = expr``; the expression moves down when too long."""
        pad = " " * indent
        line = f"{pad}{var} = {expr}"
        return line if fits(line) else f"{pad}{var} =\n{pad}  {expr}"

    @staticmethod
    def call(indent: int, head: str, args: Iterable[str]) -> str:
        """``head(a, b)`` on one line if it fits, else one argument per line."""
        args = list(args)
        pad = " " * indent
        line = f"{pad}{head}({', '.join(args)})"
        if fits(line):
            return line
        inner = ",\n".join(f"{pad}  {a}" for a in args)
        return f"{pad}{head}(\n{inner}\n{pad})"

    @staticmethod
    def bind(indent: int, var: str, head: str, args: Iterable[str]) -> str:
        """``var = head(args)``: the call moves down, then breaks its arguments, when too long."""
        args = list(args)
        pad = " " * indent
        call = f"{head}({', '.join(args)})"
        if fits(f"{pad}{var} = {call}"):
            return f"{pad}{var} = {call}"
        if fits(f"{pad}  {call}"):
            return f"{pad}{var} =\n{pad}  {call}"
        return f"{pad}{var} =\n" + Layout.call(indent + 2, head, args)

    @staticmethod
    def defimpl_head(protocol: str, module: str) -> str:
        """``defimpl Protocol, for: Module do``; ``for:`` moves down when too long."""
        line = f"defimpl {protocol}, for: {module} do"
        if len(line) <= LINE_LENGTH:
            return line
        return f"defimpl {protocol},\n  for: {module} do"

    @staticmethod
    def def_head(indent: int, kind: str, name: str, params: Iterable[str]) -> str:
        """``def name(params) do``, or one parameter per line when it does not fit."""
        params = list(params)
        pad = " " * indent
        line = f"{pad}{kind} {name}({', '.join(params)}) do"
        if fits(line):
            return line
        inner = ",\n".join(f"{pad}      {p}" for p in params)
        return f"{pad}{kind} {name}(\n{inner}\n{pad}    ) do"

    @staticmethod
    def param(indent: int, pattern: str, var: str, comma: bool = False) -> str:
        """One parameter of a multi-line function head: ``%Struct{} = var``."""
        pad, tail = " " * indent, "," if comma else ""
        line = f"{pad}{pattern} = {var}{tail}"
        return line if fits(line) else f"{pad}{pattern} =\n{pad}  {var}{tail}"

    @staticmethod
    def update(indent: int, struct: str, var: str, key: str, value: str) -> str:
        """``%Struct{var | key: value}``, broken over lines when too long."""
        pad = " " * indent
        line = f"{pad}%{struct}{{{var} | {key}: {value}}}"
        if fits(line):
            return line
        return f"{pad}%{struct}{{\n{pad}  {var}\n{pad}  | {key}: {value}\n{pad}}}"

    @staticmethod
    def assert_eq(indent: int, left: str, right: str) -> str:
        """``assert left == right``; the right side moves under the left when too long."""
        pad = " " * indent
        line = f"{pad}assert {left} == {right}"
        return line if fits(line) else f"{pad}assert {left} ==\n{pad}         {right}"

    @staticmethod
    def aliases(indent: int, modules: Iterable[tuple[str, str | None]]) -> str:
        """A block of aliases, sorted; one that does not fit is set apart by blank lines."""
        pad = " " * indent
        lines = []
        for module, as_name in sorted(set(modules), key=lambda m: (m[0], m[1] or "")):
            if as_name is None or module.rsplit(".", 1)[1] == as_name:
                lines.append(f"{pad}alias {module}")
            elif fits(f"{pad}alias {module}, as: {as_name}"):
                lines.append(f"{pad}alias {module}, as: {as_name}")
            else:
                lines.append(f"{pad}alias {module},\n{pad}  as: {as_name}")
        return Layout.statements(lines)

    @staticmethod
    def statements(statements: Iterable[str]) -> str:
        """Statements of one block, with the blank lines the formatter puts around long ones."""
        out: list[str] = []
        previous_long = False
        for statement in statements:
            long = _long(statement)
            if out and (long or previous_long):
                out.append("")
            out.append(statement)
            previous_long = long
        return "\n".join(out)

    @staticmethod
    def attribute(indent: int, name: str, value: str) -> str:
        """``@name value``: a value that cannot be broken is set apart like a long statement."""
        return f"{' ' * indent}@{name} {value}"


LAYOUT = Layout()


def render_ex(template: str, root: Any, **context: Any) -> str:
    """Render an elixir template with the layout helpers available as ``L``."""
    return render(f"elixir/{template}", root, L=LAYOUT, **context)
