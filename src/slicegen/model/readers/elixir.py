"""The Elixir reader: tree-sitter-elixir.

It records each ``defmodule`` (full name, nesting resolved, the modules it ``use``s and the
functions it defines), ``alias``/``import``/``require``/``use`` (aliases expanded, multi-alias
``Foo.{A, B}`` included), remote calls, ``dispatch`` calls, type strings returned by
``event_type/0`` or set in ``@event_type`` (emitted), other type-string literals (referenced) and
pub/sub topics (string arguments of ``subscribe``/``publish``/``broadcast``, ``@topic``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from slicegen.model.readers.python import EMIT_NAMES, TOPIC_CALLS
from slicegen.model.readers.source import TYPE_STRING, decode, find_suppressions
from slicegen.model.workspace import Call, Definition, FileInfo, ImportRef, StringUse

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, QueryCursor

_DIRECTIVES = {"alias": "alias", "import": "import_ex", "require": "require", "use": "use"}
_DEFS = frozenset({"def", "defp", "defmacro", "defmacrop", "defdelegate", "defguard"})


@cache
def _parser() -> Parser:
    import tree_sitter_elixir
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_elixir.language()))


@cache
def _query_cursor() -> QueryCursor:
    import tree_sitter_elixir
    from tree_sitter import Language, Query, QueryCursor

    query = Query(
        Language(tree_sitter_elixir.language()), "(call) @c (unary_operator) @u (string) @s"
    )
    return QueryCursor(query)


def read_elixir(path: str, data: bytes, parse: bool = True) -> FileInfo:
    """Read one Elixir file; a decode or syntax error becomes ``FileInfo.error``."""
    text, error = decode(data)
    if text is None:
        return FileInfo(path=path, language="elixir", error=error)
    suppressions = find_suppressions(text)
    if not parse:
        return FileInfo(path=path, language="elixir", suppressions=suppressions)
    tree = _parser().parse(data)
    root = tree.root_node
    if root.has_error:
        bad = _first_error(root)
        row, col = bad.start_point if bad is not None else (0, 0)
        return FileInfo(
            path=path,
            language="elixir",
            error="syntax error; fix it so the file can be checked",
            error_line=row + 1,
            error_col=col + 1,
            suppressions=suppressions,
        )
    walker = _Walker()
    walker.visit(root)
    return FileInfo(
        path=path,
        language="elixir",
        parsed=True,
        definitions=tuple(m.definition() for m in walker.modules),
        strings=tuple(walker.strings),
        imports=tuple(walker.imports),
        calls=tuple(walker.calls),
        suppressions=suppressions,
    )


def _first_error(root: Node) -> Node | None:
    """The first ERROR or MISSING node, depth first (iterative: nesting may be deep)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node
        stack.extend(c for c in reversed(node.children) if c.has_error or c.is_missing)
    return None


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _string_value(node: Node) -> str | None:
    """The content of a plain (non-interpolated) string literal."""
    parts = [c for c in node.children if c.type not in ('"', "quoted_start", "quoted_end")]
    if any(c.type != "quoted_content" for c in parts):
        return None
    return "".join(_text(c) for c in parts)


@dataclass
class _Module:
    name: str
    line: int
    col: int
    uses: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)

    def definition(self) -> Definition:
        short = self.name.rsplit(".", 1)[-1]
        return Definition(
            short,
            self.name,
            "module",
            self.line,
            self.col,
            tuple(self.uses),
            tuple(dict.fromkeys(self.functions)),
        )


class _Walker:
    def __init__(self) -> None:
        self.modules: list[_Module] = []
        self.strings: list[StringUse] = []
        self.imports: list[ImportRef] = []
        self.calls: list[Call] = []
        self.aliases: dict[str, str] = {}
        self._seen: set[tuple[int, int]] = set()  # start bytes of strings already recorded

    def expand(self, name: str, module: _Module | None) -> str:
        if name.startswith("__MODULE__") and module is not None:
            return module.name + name[len("__MODULE__") :]
        head, _, rest = name.partition(".")
        full = self.aliases.get(head)
        if full is None:
            return name
        return f"{full}.{rest}" if rest else full

    def _record_string(self, node: Node, role: Any) -> None:
        value = _string_value(node)
        key = (node.start_byte, node.end_byte)
        if value is None or key in self._seen:
            return
        self._seen.add(key)
        row, col = node.start_point
        self.strings.append(StringUse(value, row + 1, col + 1, role))

    def _strings_in(self, node: Node, role: Any) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == "string":
                self._record_string(current, role)
            else:
                stack.extend(current.children)

    def visit(self, root: Node) -> None:
        """Visit the calls, attributes and strings in source order (found by a query, in C)."""
        captured = _query_cursor().captures(root)
        nodes = [n for group in captured.values() for n in group]
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
        open_modules: list[tuple[int, _Module]] = []  # (end byte, module), innermost last
        for node in nodes:
            while open_modules and open_modules[-1][0] <= node.start_byte:
                open_modules.pop()
            mod = open_modules[-1][1] if open_modules else None
            kind = node.type
            if kind == "call":
                child = self._call(node, mod)
                if child is not None and child is not mod:
                    open_modules.append((node.end_byte, child))
            elif kind == "unary_operator":
                self._attribute(node, mod)
            else:
                value = _string_value(node)
                if value is not None and TYPE_STRING.fullmatch(value):
                    self._record_string(node, "ref")

    def _attribute(self, node: Node, mod: _Module | None) -> None:
        operand = node.child_by_field_name("operand")
        if _text(node.child_by_field_name("operator") or node)[:1] != "@" or operand is None:
            return
        if operand.type != "call":
            return
        target = operand.child_by_field_name("target")
        name = _text(target) if target is not None else ""
        if name in EMIT_NAMES:
            self._strings_in(operand, "emit")
        elif "topic" in name.lower():
            self._strings_in(operand, "topic")

    def _call(self, node: Node, mod: _Module | None) -> _Module | None:
        """Handle one call; returns the module context its children are visited in."""
        target = node.child_by_field_name("target")
        if target is None:
            return mod
        args = next((c for c in node.children if c.type == "arguments"), None)
        row, col = node.start_point
        if target.type == "identifier":
            word = _text(target)
            if word == "defmodule" and args is not None and args.named_children:
                first = args.named_children[0]
                name = self.expand(_text(first), mod) if first.type == "alias" else _text(first)
                if mod is not None and first.type == "alias":
                    name = f"{mod.name}.{_text(first)}"
                new = _Module(name, row + 1, col + 1)
                self.modules.append(new)
                return new
            if word in _DIRECTIVES and args is not None:
                self._directive(word, args, mod, row + 1, col + 1)
            elif word in _DEFS and args is not None and mod is not None and args.named_children:
                head = args.named_children[0]
                if head.type == "binary_operator":  # def f(x) when guard
                    head = head.child_by_field_name("left") or head
                if head.type == "call":
                    head = head.child_by_field_name("target") or head
                fname = _text(head)
                mod.functions.append(fname)
                if fname in EMIT_NAMES:
                    self._strings_in(node, "emit")
        elif target.type == "dot":
            left = target.child_by_field_name("left")
            right = target.child_by_field_name("right")
            if left is not None and right is not None and right.type == "identifier":
                func = _text(right)
                written = _text(left)
                if left.type == "alias" or (left.type == "dot" and "__MODULE__" in written):
                    full = self.expand(written, mod)
                    self.imports.append(ImportRef(full, (func,), row + 1, col + 1, "call"))
                if func == "dispatch":
                    self.calls.append(Call(written, func, row + 1, col + 1))
                elif func in TOPIC_CALLS and args is not None:
                    for arg in args.named_children:
                        if arg.type == "string":
                            self._record_string(arg, "topic")
        return mod

    def _directive(self, word: str, args: Node, mod: _Module | None, line: int, col: int) -> None:
        named = args.named_children
        first = named[0]
        kind: Any = _DIRECTIVES[word]
        modules: list[str] = []
        if first.type == "alias":
            modules = [self.expand(_text(first), mod)]
        elif first.type == "dot":  # Foo.{A, B}
            left = first.child_by_field_name("left")
            right = first.child_by_field_name("right")
            if left is not None and right is not None and right.type == "tuple":
                base = self.expand(_text(left), mod)
                modules = [f"{base}.{_text(a)}" for a in right.named_children if a.type == "alias"]
        as_name = None
        for extra in named[1:]:
            if extra.type != "keywords":
                continue
            for pair in extra.named_children:
                key = pair.child_by_field_name("key")
                value = pair.child_by_field_name("value")
                if key is None or value is None:
                    continue
                if _text(key).strip().rstrip(":").strip() == "as" and value.type == "alias":
                    as_name = _text(value)
                elif word == "use":
                    stack = [value]
                    while stack:
                        current = stack.pop()
                        if current.type == "alias":
                            row, c = current.start_point
                            self.imports.append(
                                ImportRef(
                                    self.expand(_text(current), mod),
                                    (),
                                    row + 1,
                                    c + 1,
                                    "use_option",
                                )
                            )
                        else:
                            stack.extend(current.children)
        for full in modules:
            self.imports.append(ImportRef(full, (), line, col, kind))
            if word == "alias":
                short = as_name if as_name and len(modules) == 1 else full.rsplit(".", 1)[-1]
                self.aliases[short] = full
            if word == "use" and mod is not None:
                mod.uses.append(full)
