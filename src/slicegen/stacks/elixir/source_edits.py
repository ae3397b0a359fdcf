"""Syntax-aware edits of Elixir modules, located with tree-sitter-elixir.

Every edit parses the file, finds its target node (a module's do-block, the last ``dispatch(...)``
call, a list or map literal) and splices text in at that node's byte offsets, so the rest of the
file (the user's code, comments and layout) is kept byte for byte. A file whose expected structure
is missing, or that does not parse, is an error naming the file and what was expected: nothing is
inserted at a guessed line.

tree-sitter is imported on the first :func:`parse`, so loading this module costs nothing; a parse
is bounded in CPU time (:mod:`slicegen.elixir_parse`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slicegen.elixir_parse import PARSE_CPU_SECONDS, TOO_SLOW, parse_bounded
from slicegen.errors import SlicegenError

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass
class ElixirSource:
    """One Elixir file's text and syntax tree, with the lookups the registrations need."""

    path: str
    data: bytes
    root: Node

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    def node_text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8")

    def module(self, name: str) -> Node:
        """The ``defmodule <name> do ... end`` call, or a clear error."""
        for node in walk(self.root):
            if _call_name(node) == "defmodule" and self._first_arg_text(node) == name:
                if _do_block(node) is None:
                    break
                return node
        raise SlicegenError(
            f"{self.path}: expected `defmodule {name} do ... end` but it is not there; "
            "restore the module (or its name) and re-run, slicegen only edits it in place"
        )

    def body(self, module: Node) -> list[Node]:
        """The expressions directly inside a module's (or function's) do-block."""
        block = _do_block(module)
        assert block is not None
        return [c for c in block.named_children if c.type != "comment"]

    def calls(self, module: Node, name: str) -> list[Node]:
        """Calls such as ``dispatch(...)`` directly in the module body."""
        return [n for n in self.body(module) if _call_name(n) == name]

    def defs(self, module: Node, fun: str) -> list[Node]:
        """``def``/``defp`` clauses of ``fun`` directly in the module body."""
        return [
            n
            for n in self.body(module)
            if _call_name(n) in ("def", "defp") and self.defined_name(n) == fun
        ]

    def attribute(self, module: Node, name: str) -> Node | None:
        """The value node of the first ``@name value`` in the module body."""
        for node in self.body(module):
            if node.type == "unary_operator" and node.child_count == 2:
                inner = node.children[1]
                if _call_name(inner) == name:
                    args = _arguments(inner)
                    if args is not None and args.named_children:
                        return args.named_children[0]
        return None

    def defined_name(self, def_call: Node) -> str | None:
        """``def execute(a, b) do`` -> ``execute``; ``def name, do: ...`` -> ``name``."""
        args = _arguments(def_call)
        if args is None or not args.named_children:
            return None
        head = args.named_children[0]
        if head.type == "binary_operator" and head.child_by_field_name("operator") is not None:
            left = head.child_by_field_name("left")
            head = left if left is not None else head
        if head.type == "identifier":
            return self.node_text(head)
        if head.type == "call":
            return _call_name_text(self, head)
        return None

    def first_arg(self, call: Node) -> str | None:
        return self._first_arg_text(call)

    def first_arg_items(self, call: Node) -> list[str]:
        """The first argument, or its elements if it is a list (``dispatch([A, B], to: X)``)."""
        args = _arguments(call)
        if args is None or not args.named_children:
            return []
        first = args.named_children[0]
        if first.type == "list":
            return [self.node_text(c) for c in first.named_children if c.type != "comment"]
        return [self.node_text(first)]

    def _first_arg_text(self, call: Node) -> str | None:
        args = _arguments(call)
        if args is None or not args.named_children:
            return None
        return self.node_text(args.named_children[0])

    def list_assigned_in(self, fun_def: Node, variable: str) -> Node | None:
        """The list literal in ``variable = [...]`` inside a function body."""
        block = _do_block(fun_def)
        if block is None:
            return None
        for node in walk(block):
            if node.type == "binary_operator":
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if (
                    left is not None
                    and right is not None
                    and left.type == "identifier"
                    and self.node_text(left) == variable
                    and right.type == "list"
                ):
                    return right
        return None

    def items(self, container: Node) -> list[Node]:
        """The elements of a list or map literal (a map's pairs), comments left out."""
        return _container_items(container)

    def strings_in(self, node: Node) -> Iterator[str]:
        """The plain string literals under ``node``."""
        for sub in walk(node):
            if sub.type == "string":
                parts = [c for c in sub.named_children]
                if len(parts) == 1 and parts[0].type == "quoted_content":
                    yield self.node_text(parts[0])

    # --- edits: each returns the new text -------------------------------------------------------

    def insert_after(self, node: Node, snippet: str) -> str:
        """``snippet`` after the line where ``node`` ends, separated by a blank line."""
        end = self._line_end(node.end_byte)
        rest = self.data[node.end_byte : end].strip()
        if rest and not rest.startswith(b"#"):
            raise SlicegenError(
                f"{self.path}: expected line {node.end_point[0] + 1} to end after "
                f"`{self.node_text(node)[:40]}`, but more code follows on it; run `mix format` "
                "on the file and re-run"
            )
        return self._splice(end, end, "\n\n" + snippet)

    def insert_below(self, node: Node, snippet: str) -> str:
        """``snippet`` on the line right after the one where ``node`` ends (no blank line)."""
        end = self._line_end(node.end_byte)
        return self._splice(end, end, "\n" + snippet)

    def remove_lines(self, node: Node) -> str:
        """The lines ``node`` spans taken out."""
        start = self.data.rfind(b"\n", 0, node.start_byte) + 1
        end = self._line_end(node.end_byte)
        return self._splice(start, min(end + 1, len(self.data)), "")

    def _line_end(self, offset: int) -> int:
        """The offset of the line break (``\n`` or ``\r\n``) ending the line at ``offset``."""
        end = self.data.find(b"\n", offset)
        if end < 0:
            return len(self.data)
        return end - 1 if end > offset and self.data[end - 1 : end] == b"\r" else end

    def with_attributes(self, node: Node) -> Node:
        """The first of the ``@doc``/``@spec``/``@impl`` attributes right above ``node``."""
        first = node
        prev = first.prev_named_sibling
        while prev is not None and prev.type == "unary_operator" and prev.child_count == 2:
            if _call_name(prev.children[1]) not in ("doc", "spec", "impl"):
                break
            first, prev = prev, prev.prev_named_sibling
        return first

    def insert_before(self, node: Node, snippet: str) -> str:
        """``snippet`` and a blank line before ``node`` (and the ``@doc``/``@spec`` above it)."""
        first = self.with_attributes(node)
        line_start = self.data.rfind(b"\n", 0, first.start_byte) + 1
        return self._splice(line_start, line_start, snippet + "\n\n")

    def definition_text(self, node: Node) -> tuple[int, int, str]:
        """Start (line start), end and text of a definition with its attributes above it."""
        first = self.with_attributes(node)
        start = self.data.rfind(b"\n", 0, first.start_byte) + 1
        return start, node.end_byte, self.data[start : node.end_byte].decode("utf-8")

    def replace(self, start: int, end: int, text: str) -> str:
        return self._splice(start, end, text)

    def insert_before_end(self, module: Node, snippet: str) -> str:
        """``snippet`` as the last thing in the module body (blank line before it)."""
        block = _do_block(module)
        assert block is not None
        end_token = block.children[-1]
        line_start = self.data.rfind(b"\n", 0, end_token.start_byte) + 1
        if self.data[line_start : end_token.start_byte].strip():
            raise SlicegenError(
                f"{self.path}: expected the `end` of `{self._first_arg_text(module)}` on a line "
                "of its own; run `mix format` on the file and re-run"
            )
        empty = not [c for c in block.named_children]
        prefix = "" if empty else "\n"
        return self._splice(line_start, line_start, prefix + snippet + "\n")

    def append_item(self, container: Node, item: str | Callable[[int], str]) -> str:
        """Add ``item`` as the last element of a list or map literal, in its layout.

        ``item`` may be a function of the column it will start at (for items that break over
        lines when long); its result carries no indentation on its first line.
        """
        items = _container_items(container)
        line_start = self.data.rfind(b"\n", 0, container.start_byte) + 1
        base = len(self.data[line_start : container.start_byte]) - len(
            self.data[line_start : container.start_byte].lstrip()
        )
        if callable(item):
            at = items[0].start_point[1] if items else base + 2
            item = item(at)
        if not items:
            open_text = "%{" if container.type == "map" else "["
            close = "}" if container.type == "map" else "]"
            pad = " " * (base + 2)
            return self._splice(
                container.start_byte,
                container.end_byte,
                f"{open_text}\n{pad}{item}\n{' ' * base}{close}",
            )
        last = items[-1]
        first = items[0]
        multiline = first.start_point[0] > container.start_point[0]
        after = last.end_byte
        rest = self.data[after:]
        trailing_comma = rest.lstrip(b" \t").startswith(b",")
        if trailing_comma:
            after = after + rest.index(b",") + 1
        if not multiline:
            return self._splice(after, after, f", {item}")
        pad = " " * first.start_point[1]
        if trailing_comma:
            return self._splice(after, after, f"\n{pad}{item},")
        # The comma goes right after the last item, the new item after that line (so a comment
        # at the end of the line stays with the item it belongs to).
        eol = self._line_end(after)
        closing = container.end_byte - 1
        if eol > closing:
            eol = closing
        middle = self.data[after:eol].decode("utf-8")
        return self._splice(after, eol, f",{middle}\n{pad}{item}")

    def remove_item(self, container: Node, item: Node) -> str:
        """``item`` taken out of a list or map literal: the reverse of :meth:`append_item`."""
        items = _container_items(container)
        at = items.index(item)
        if len(items) == 1:
            empty = "%{}" if container.type == "map" else "[]"
            return self._splice(container.start_byte, container.end_byte, empty)
        multiline = items[0].start_point[0] > container.start_point[0]
        end = item.end_byte
        if self.data[end:].lstrip(b" \t").startswith(b","):
            end += self.data[end:].index(b",") + 1
        if at < len(items) - 1:
            if not multiline:
                return self._splice(item.start_byte, items[at + 1].start_byte, "")
            start = self.data.rfind(b"\n", 0, item.start_byte) + 1
            return self._splice(start, self.data.find(b"\n", end) + 1, "")
        prev = items[at - 1]
        comma = self.data.index(b",", prev.end_byte)
        start = self.data.rfind(b"\n", 0, item.start_byte) if multiline else item.start_byte - 1
        if multiline and self.data[start - 1 : start] == b"\r":
            start -= 1
        # The comma after the item before goes too (keeping a comment after it on its line).
        text = self.data[:start] + self.data[end:]
        text = text[:comma] + text[comma + 1 :]
        return text.decode("utf-8")

    def _splice(self, start: int, end: int, text: str) -> str:
        if b"\r\n" in self.data:
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        return (self.data[:start] + text.encode("utf-8") + self.data[end:]).decode("utf-8")


def parse(path: str, text: str) -> ElixirSource:
    """Parse ``text`` (the content of ``path``); a syntax error is a clear error."""
    data = text.encode("utf-8")
    tree = parse_bounded(data)  # a planted file tree-sitter would take hours on is refused
    if tree is None:
        raise SlicegenError(
            f"{path}: {TOO_SLOW} (or set SLICEGEN_PARSE_CPU_SECONDS above {PARSE_CPU_SECONDS:g})"
        )
    root = tree.root_node
    if root.has_error:
        line = _first_error_line(root)
        raise SlicegenError(
            f"{path}: not valid Elixir (syntax error near line {line}); fix it so that "
            "`mix compile` accepts it and re-run, slicegen edits only files it can parse"
        )
    return ElixirSource(path, data, root)


def _first_error_line(root: Node) -> int:
    for node in walk(root):
        if node.type == "ERROR" or node.is_missing:
            return int(node.start_point[0]) + 1
    return int(root.start_point[0]) + 1


def walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _call_name(node: Node) -> str | None:
    if node.type != "call":
        return None
    target = node.child_by_field_name("target")
    if target is None or target.type != "identifier":
        return None
    text: Any = target.text
    return text.decode("utf-8") if isinstance(text, bytes) else None


def call_target(src: ElixirSource, node: Node) -> str | None:
    """The name a call is made to (``field`` in ``field(:email, :string)``), if a plain name."""
    return _call_name_text(src, node)


def _call_name_text(src: ElixirSource, node: Node) -> str | None:
    target = node.child_by_field_name("target")
    if target is None or target.type != "identifier":
        return None
    return src.node_text(target)


def _arguments(call: Node) -> Node | None:
    for child in call.children:
        if child.type == "arguments":
            return child
    return None


def _do_block(call: Node) -> Node | None:
    for child in call.children:
        if child.type == "do_block":
            return child
    return None


def _container_items(container: Node) -> list[Node]:
    if container.type == "map":
        for child in container.named_children:
            if child.type == "map_content":
                items: list[Node] = []
                for sub in child.named_children:
                    if sub.type == "keywords":
                        items.extend(p for p in sub.named_children if p.type == "pair")
                    elif sub.type != "comment":
                        items.append(sub)
                return items
        return []
    return [c for c in container.named_children if c.type != "comment"]
