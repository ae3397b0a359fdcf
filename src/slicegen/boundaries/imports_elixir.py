"""Dependencies of one Elixir file, from its source text with tree-sitter-elixir.

Finds ``alias`` (with ``as:`` and multi-alias ``A.{B, C}``), ``import``, ``require``, ``use``,
remote calls ``Mod.fun(...)``, structs and other module references, each expanded through the
aliases in lexical scope (``__MODULE__`` included); database variables in strings; and the tables
that Ecto migrations and schemas touch (``create table(:t)``, ``alter``, ``drop``, ``index``,
``references``, ``execute "SQL"``, ``schema "t"``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from slicegen.boundaries.imports_python import ENV_VAR
from slicegen.boundaries.records import DataUse, FileDependencies, ModuleUse
from slicegen.boundaries.tables import sql_tables
from slicegen.elixir_parse import TOO_SLOW, parse_bounded

if TYPE_CHECKING:
    from tree_sitter import Node

DEEP_NESTING = 20_000
DIRECTIVES = frozenset({"alias", "import", "require", "use"})
TABLE_DDL = frozenset(
    {"create", "create_if_not_exists", "alter", "drop", "drop_if_exists", "rename", "execute"}
)
TABLE_REFS = frozenset({"table", "index", "unique_index", "references", "constraint"})
#: Identifier calls that record something (other calls only have their children visited).
_NAMED_CALLS = frozenset(
    n.encode() for n in (*DIRECTIVES, *TABLE_DDL, *TABLE_REFS, "schema", "defmodule")
)


def extract_elixir(path: str, source: str | bytes) -> FileDependencies:
    """The module uses and data uses of one Elixir file."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    try:
        tree = parse_bounded(data)  # bounded: a file tree-sitter would take hours on is given up
    except (ValueError, RuntimeError) as exc:  # pragma: no cover - tree-sitter is error tolerant
        return FileDependencies(path, "elixir", "", error=f"cannot parse: {exc}")
    if tree is None:
        return FileDependencies(path, "elixir", "", error=f"cannot parse: {TOO_SLOW}")
    walker = _Walker(data.splitlines())
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, DEEP_NESTING))  # long pipelines nest one level per step
    try:
        walker.block(tree.root_node.named_children, {}, "")
    except RecursionError:
        return FileDependencies(path, "elixir", "", error="nested too deeply to read")
    finally:
        sys.setrecursionlimit(limit)
    first = walker.modules[0] if walker.modules else ""
    return FileDependencies(path, "elixir", first, tuple(walker.uses), tuple(walker.data))


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _arguments(node: Node) -> list[Node]:
    for child in node.children:
        if child.type == "arguments":
            return child.named_children
    return []


def _literal(node: Node) -> str | None:
    """The value of an atom ``:name`` or a string without interpolation."""
    if node.type == "atom":
        return _text(node).lstrip(":").strip('"')
    if node.type == "string":
        parts = node.named_children
        if all(c.type == "quoted_content" for c in parts):
            return "".join(_text(c) for c in parts)
    return None


class _Walker:
    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self.uses: list[ModuleUse] = []
        self.data: list[DataUse] = []
        self.modules: list[str] = []

    def line_text(self, node: Node) -> str:
        row = node.start_point[0]
        text = self.lines[row].decode("utf-8", "replace").strip() if row < len(self.lines) else ""
        return text if len(text) <= 120 else text[:117] + "..."

    def add_use(self, target: str, node: Node, kind: str, owner: str) -> None:
        row, col = node.start_point
        self.uses.append(ModuleUse(target, row + 1, col + 1, self.line_text(node), kind, owner))

    def add_data(self, kind: str, name: str, node: Node) -> None:
        row, col = node.start_point
        assert kind in ("env", "table")
        self.data.append(
            DataUse(
                "env" if kind == "env" else "table", name, row + 1, col + 1, self.line_text(node)
            )
        )

    def block(self, nodes: list[Node], env: dict[str, str], module: str) -> None:
        """Visit siblings in order; aliases they define apply to the later ones.

        Callers pass named children: anonymous nodes (punctuation, ``do``/``end``) are leaves
        that hold nothing, and leaving them out saves a call per token."""
        for node in nodes:
            self.visit(node, env, module)

    def visit(self, node: Node, env: dict[str, str], module: str) -> None:
        kind = node.type
        if kind == "call":
            self.call(node, env, module)
        elif kind == "alias":
            self.add_use(_expand(_text(node), env, module), node, "reference", module)
        elif kind == "do_block":
            self.block(node.named_children, dict(env), module)
        elif kind == "string":
            content = _text(node)
            if "_DATABASE_URL" in content:
                for match in ENV_VAR.finditer(content):
                    self.add_data("env", match.group(0), node)
            self.block(node.named_children, env, module)
        elif kind == "dot":
            name = _module_name(node, env, module)
            if name is not None:
                self.add_use(name, node, "reference", module)
            else:
                self.block(node.named_children, env, module)
        elif node.child_count:
            self.block(node.named_children, env, module)

    def call(self, node: Node, env: dict[str, str], module: str) -> None:
        target = node.child_by_field_name("target")
        kind = target.type if target is not None else ""
        if kind == "identifier" and target is not None and target.text in _NAMED_CALLS:
            name = _text(target)
            args = _arguments(node)
            if name == "defmodule" and args:
                self.defmodule(node, args[0], env, module)
                return
            if name in DIRECTIVES and args:
                self.directive(name, node, args, env, module)
                return
            self.tables(name, node, args)
        elif kind == "dot" and target is not None:
            left = target.child_by_field_name("left")
            remote = _module_name(left, env, module) if left is not None else None
            if remote is not None:
                self.add_use(remote, node, "call", module)
            elif left is not None:
                self.visit(left, env, module)
        # the target was read above (an identifier holds nothing); anonymous children are tokens
        for child in node.named_children:
            if child != target:
                self.visit(child, env, module)

    def defmodule(self, node: Node, name_node: Node, env: dict[str, str], module: str) -> None:
        name = (
            _module_name(name_node, {}, module) if name_node.type != "alias" else _text(name_node)
        )
        if name is None:
            return
        full = f"{module}.{name}" if module else name
        if module:  # a nested module is aliased by its first segment in the enclosing scope
            first = name.split(".")[0]
            env[first] = f"{module}.{first}"
        self.modules.append(full)
        inner = dict(env)
        for child in node.children:
            if child.type == "do_block":
                self.block(child.named_children, inner, full)

    def directive(
        self, name: str, node: Node, args: list[Node], env: dict[str, str], module: str
    ) -> None:
        first = args[0]
        tup = first.child_by_field_name("right") if first.type == "dot" else None
        if tup is not None and tup.type == "tuple":
            self.multi_alias(name, node, first, tup, env, module)
            return
        target = _module_name(first, env, module)
        if target is None or (name == "use" and target == "Boundary"):
            return  # ``use Boundary, deps: [...]`` declares dependencies: it is no use of them
        self.add_use(target, node, name, module)
        self.options(args[1:], env, module)
        if name == "alias":
            alias_as = _keyword(args, "as")
            short = alias_as if alias_as else target.rsplit(".", 1)[-1]
            env[short] = target

    def options(self, args: list[Node], env: dict[str, str], module: str) -> None:
        """A directive's options may name modules (``use Handler, application: App``); the
        ``as:`` of an alias names the new alias, not a module in use."""
        for arg in args:
            if arg.type != "keywords":
                self.visit(arg, env, module)
                continue
            for pair in arg.named_children:
                key = pair.child_by_field_name("key")
                value = pair.child_by_field_name("value")
                if value is not None and (key is None or _text(key).rstrip(": ") != "as"):
                    self.visit(value, env, module)

    def multi_alias(
        self, name: str, node: Node, dot: Node, tup: Node, env: dict[str, str], module: str
    ) -> None:
        left = dot.child_by_field_name("left")
        base = _module_name(left, env, module) if left is not None else None
        if base is None:
            return
        for item in tup.named_children:
            if item.type == "alias":
                full = f"{base}.{_text(item)}"
                self.add_use(full, node, name, module)
                if name == "alias":
                    env[full.rsplit(".", 1)[-1]] = full

    def tables(self, name: str, node: Node, args: list[Node]) -> None:
        if not args:
            return
        first = args[0]
        if name == "execute":
            sql = _literal(first)
            for table in sql_tables(sql) if sql else []:
                self.add_data("table", table, node)
        elif name in TABLE_REFS or name == "schema":
            named = _literal(first)
            if named:
                self.add_data("table", named, node)


def _keyword(args: list[Node], key: str) -> str | None:
    for arg in args:
        if arg.type != "keywords":
            continue
        for pair in arg.named_children:
            k = pair.child_by_field_name("key")
            v = pair.child_by_field_name("value")
            if k is not None and v is not None and _text(k).rstrip(": ") == key:
                return _text(v)
    return None


def _module_name(node: Node, env: dict[str, str], module: str) -> str | None:
    """A module expression's full name: aliases expanded, ``__MODULE__`` replaced."""
    if node.type == "alias":
        return _expand(_text(node), env, module)
    if node.type == "identifier" and _text(node) == "__MODULE__":
        return module or None
    if node.type == "dot":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None or right.type != "alias":
            return None
        base = _module_name(left, env, module)
        return f"{base}.{_text(right)}" if base else None
    return None


def _expand(name: str, env: dict[str, str], module: str) -> str:
    name = "".join(name.split())
    name = name.removeprefix("Elixir.")
    first, dot, rest = name.partition(".")
    if first in env:
        return env[first] + dot + rest
    return name
