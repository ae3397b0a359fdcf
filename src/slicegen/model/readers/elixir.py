"""The Elixir reader: tree-sitter-elixir.

It records each ``defmodule`` (full name, nesting resolved, the modules it ``use``s, the functions
it defines, ``__struct__`` for a ``defstruct``, ``behaviour_info`` for a ``@callback``, and the
structs its ``handle`` and ``interested?`` clauses match), ``alias``/``import``/``require``/``use``
(aliases expanded, multi-alias ``Foo.{A, B}`` included), remote calls, ``dispatch`` calls, type
strings returned by ``event_type/0`` or set in ``@event_type`` (emitted), other type-string
literals (referenced) and pub/sub topics (string arguments of ``subscribe``/``publish``/
``broadcast``, ``@topic``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from slicegen.elixir_parse import TOO_SLOW, parse_bounded
from slicegen.model.readers.fields import packed, shapes_in, struct_fields
from slicegen.model.readers.python import EMIT_NAMES, TOPIC_CALLS
from slicegen.model.readers.source import (
    EMBEDDED,
    TYPE_STRING,
    decode,
    find_suppressions,
    named_as,
)
from slicegen.model.workspace import Call, Definition, FileInfo, ImportRef, StringUse

if TYPE_CHECKING:
    from tree_sitter import Node, QueryCursor

_DIRECTIVES = {"alias": "alias", "import": "import_ex", "require": "require", "use": "use"}
_DEFS = frozenset({"def", "defp", "defmacro", "defmacrop", "defdelegate", "defguard"})
#: Callbacks whose clauses say which events a module handles (event handlers, process managers).
_HANDLERS = frozenset({"handle", "interested?"})


#: Identifier calls that record something: modules, directives and function definitions.
_KEYWORDS = frozenset(
    {
        b"defmodule",
        b"defstruct",
        b"embedded_schema",
        *(w.encode() for w in _DIRECTIVES),
        *(w.encode() for w in _DEFS),
    }
)
#: The query: identifier calls and their targets, remote calls, and the attributes and strings
#: only when their bytes show they can matter (simple patterns run fastest; a predicate on the
#: target's text costs more than checking it in Python). The call is captured beside its target,
#: not found as the target's parent: ``Node.parent`` walks down from the root, so asking it of
#: every call of a deeply nested file would take time quadratic in the depth.
_PATTERNS = {
    "call": "(call target: (identifier) @word) @named (call target: (dot)) @remote",
    "attr": "(unary_operator) @attr",
    "str": "(string) @str",
}
#: A syntax tree deeper than this is not queried (an SG001): tree-sitter's queries slow down by
#: orders of magnitude past 65,535 levels.
MAX_DEPTH = 50_000
TOO_DEEP = "nested too deeply to check; simplify it"
#: Bytes every string whose value is a type string holds (ASCII, so the raw bytes show it).
_TYPE_STRING_BYTES = re.compile(rb":v\d")
_EMIT_BYTES = tuple(sorted({n.encode() for n in EMIT_NAMES}))
_MODULEDOC = re.compile(
    r'@moduledoc\s+(?:"""\n(?P<heredoc>.*?)^\s*"""|"(?P<line>(?:[^"\\]|\\.)*)")',
    re.DOTALL | re.MULTILINE,
)


def moduledoc(text: str) -> str:
    """The ``@moduledoc`` of Elixir source, each line stripped, or ""."""
    match = _MODULEDOC.search(text)
    if match is None:
        return ""
    body = match.group("heredoc") if match.group("heredoc") is not None else match.group("line")
    lines = [line.strip() for line in (body or "").strip().splitlines()]
    return "\n".join(lines).strip()


def _attributes_matter(data: bytes) -> bool:
    """Whether an attribute can name an emitted type string or a topic (its name is an emit
    name or holds "topic" in any case: no non-ASCII letter lowercases to those letters), or
    declare a behaviour's ``@callback``."""
    return b"topic" in data.lower() or b"@callback" in data or any(n in data for n in _EMIT_BYTES)


@cache
def _query_cursor(attributes: bool, strings: bool) -> QueryCursor:
    """A cursor for the calls, plus the attributes and strings only when they can matter."""
    import tree_sitter_elixir
    from tree_sitter import Language, Query, QueryCursor

    names = ["call", *(["attr"] if attributes else []), *(["str"] if strings else [])]
    source = " ".join(_PATTERNS[n] for n in names)
    return QueryCursor(Query(Language(tree_sitter_elixir.language()), source))


#: An EEx tag (``defmodule <%= @app_module %>.Router do``): a syntax error on a line holding
#: one is a template's (commanded/generator's ``templates/``), which nobody can fix as Elixir.
_EEX_TAG = b"<%"


def read_elixir(path: str, data: bytes, parse: bool = True, *, full: bool = False) -> FileInfo:
    """Read one Elixir file; a decode or syntax error becomes ``FileInfo.error`` (an EEx
    template's, none: the file is read unparsed).

    Attributes and strings are visited only when the bytes show they can matter; ``full``
    visits them all (the same result, slower: what the byte prefilters are tested against)."""
    text, error = decode(data)
    if text is None:
        return FileInfo(path=path, language="elixir", error=error)
    suppressions = find_suppressions(text)
    if not parse:
        return FileInfo(path=path, language="elixir", suppressions=suppressions)
    tree = parse_bounded(data)
    if tree is None:
        return FileInfo(path=path, language="elixir", error=TOO_SLOW, suppressions=suppressions)
    root = tree.root_node
    if root.has_error:
        root = _reparsed(root, data)
    if len(data) > MAX_DEPTH and _deeper_than(root, MAX_DEPTH):  # only a large file can be
        return FileInfo(path=path, language="elixir", error=TOO_DEEP, suppressions=suppressions)
    if root.has_error:
        bad = _first_error(root)
        row, col = bad.start_point if bad is not None else (0, 0)
        if _EEX_TAG in data.split(b"\n", row + 1)[row]:  # an EEx template, not Elixir
            return FileInfo(path=path, language="elixir", suppressions=suppressions)
        return FileInfo(
            path=path,
            language="elixir",
            error="syntax error; fix it so the file can be checked",
            error_line=row + 1,
            error_col=col + 1,
            suppressions=suppressions,
        )
    command = named_as(path, "command")
    shapes = shapes_in(path, text) if command or named_as(path, "event") else []
    walker = _Walker()
    walker.visit(
        root,
        attributes=full or _attributes_matter(data),
        strings=full or _TYPE_STRING_BYTES.search(data) is not None,
    )
    return FileInfo(
        path=path,
        language="elixir",
        parsed=True,
        definitions=tuple(m.definition() for m in walker.modules),
        strings=tuple(walker.strings),
        imports=tuple(walker.imports),
        calls=tuple(walker.calls),
        suppressions=suppressions,
        # what the design model and SG205 would read the file again for (see FileInfo)
        doc=moduledoc(text) if command else None,
        class_fields=struct_fields(shapes) if command else None,
        event_shapes=packed(shapes) if named_as(path, "event") else None,
    )


def _deeper_than(root: Node, limit: int) -> bool:
    """Whether the tree nests more than ``limit`` levels (a walk with a cursor, no recursion)."""
    cursor = root.walk()
    depth = 0
    while True:
        if cursor.goto_first_child():
            depth += 1
            if depth > limit:
                return True
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return False
            depth -= 1


def _reparsed(root: Node, data: bytes) -> Node:
    """The tree of ``data`` with what tree-sitter-elixir rejects in valid Elixir blanked (same
    byte offsets), when that parses clean; else ``root``, the tree with its error."""
    for patch in (_blank_trailing_map_commas(root, data), _blank_sigil_backslashes(data)):
        if patch is not None:
            again = parse_bounded(patch)
            if again is not None and not again.root_node.has_error:
                return again.root_node
    return root


#: The start of an uppercase sigil (no escapes but its terminator's), and its terminators.
_UPPER_SIGIL = re.compile(rb"~[A-Z][A-Z0-9]*([(\[{<|/\"'])")
_CLOSING = {ord(o): ord(c) for o, c in zip("([{<|/\"'", ")]}>|/\"'", strict=True)}


def _blank_sigil_backslashes(data: bytes) -> bytes | None:
    """``data`` with each ``\\`` pair inside an uppercase sigil blanked, or None when there is
    none. Elixir keeps the pair and ends ``~S(\\)`` at its ``)``; tree-sitter-elixir takes the
    second backslash as escaping the terminator and reads on to the end of the file."""
    patched = bytearray(data)
    for match in _UPPER_SIGIL.finditer(data):
        closing, at = _CLOSING[data[match.start(1)]], match.end()
        while at < len(data) and data[at] != closing and data[at] != ord("\n"):
            if data[at] == ord("\\"):
                if data[at + 1 : at + 2] == b"\\":
                    patched[at : at + 2] = b"  "
                at += 1  # the escaped character is skipped as well
            at += 1
    return bytes(patched) if patched != data else None


def _blank_trailing_map_commas(root: Node, data: bytes) -> bytes | None:
    """``data`` with the trailing commas of map and struct updates (``%{s | a: 1,}``, valid
    Elixir that tree-sitter-elixir rejects) blanked, or None when no error is one of them."""
    commas = [
        node.start_byte
        for node in _errors(root)
        if node.text == b"," and node.parent is not None and node.parent.type == "map"
    ]
    if not commas:
        return None
    patched = bytearray(data)
    for at in commas:
        patched[at] = ord(" ")
    return bytes(patched)


def _errors(root: Node) -> list[Node]:
    """Every ERROR node (iterative: nesting may be deep)."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR":
            found.append(node)
        stack.extend(c for c in node.children if c.has_error)
    return found


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


def _arguments(node: Node) -> Node | None:
    """A call's first ``arguments`` child (it follows the target unless a comment comes first)."""
    second = node.child(1) if node.child_count > 1 else None
    if second is not None and second.type == "arguments":
        return second
    return next((c for c in node.children if c.type == "arguments"), None)


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
    handles: list[str] = field(default_factory=list)

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
            tuple(dict.fromkeys(self.handles)),
        )


#: Modules nested deeper than this make the file an SG001 (real code nests a few levels).
MAX_MODULE_DEPTH = 100


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

    def visit(self, root: Node, *, attributes: bool = True, strings: bool = True) -> None:
        """Visit the calls, attributes and strings in source order (found by a query, in C).

        Identifier calls other than the keywords record nothing, so they are dropped by their
        target's text before anything else is asked of them; attributes and strings are asked
        for only when the bytes show they can matter."""
        captured = _query_cursor(attributes, strings).captures(root)
        # a call with an identifier target starts where its target does
        keyword_at = {w.start_byte for w in captured.get("word", ()) if w.text in _KEYWORDS}
        nodes = [n for n in captured.get("named", ()) if n.start_byte in keyword_at]
        for name in ("remote", "attr", "str"):
            nodes.extend(captured.get(name, ()))
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))  # the query's order is not
        open_modules: list[tuple[int, _Module]] = []  # (end byte, module), innermost last
        for node in nodes:
            if open_modules:
                start = node.start_byte
                while open_modules and open_modules[-1][0] <= start:
                    open_modules.pop()
            mod = open_modules[-1][1] if open_modules else None
            kind = node.type
            if kind == "call":
                target = node.child_by_field_name("target")
                if target is None:
                    continue
                target_kind = target.type
                if target_kind == "dot":
                    self._remote_call(node, target, mod)
                elif target_kind == "identifier" and (word := target.text) in _KEYWORDS:
                    child = self._keyword_call(node, word.decode(), mod)
                    if child is not None and child is not mod:
                        open_modules.append((node.end_byte, child))
                        if len(open_modules) > MAX_MODULE_DEPTH:  # names would grow quadratically
                            raise RecursionError("modules nested too deeply")
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
        if name == "callback" and mod is not None:
            mod.functions.append("behaviour_info")  # what @callback defines: a behaviour
        elif name in EMIT_NAMES:
            self._strings_in(operand, "emit")
        elif "topic" in name.lower():
            self._strings_in(operand, "topic")

    def _keyword_call(self, node: Node, word: str, mod: _Module | None) -> _Module | None:
        """A call of ``defmodule``, a directive or a ``def``; returns the module context its
        children are visited in."""
        if word == "embedded_schema" and mod is not None:
            mod.functions.append(EMBEDDED)  # a struct with no table (ordo's commands)
            return mod
        args = _arguments(node)
        if args is None:
            return mod
        row, col = node.start_point
        if word == "defmodule":
            if not args.named_children:
                return mod
            first = args.named_children[0]
            name = self.expand(_text(first), mod) if first.type == "alias" else _text(first)
            if mod is not None and first.type == "alias":
                name = f"{mod.name}.{_text(first)}"
            new = _Module(name, row + 1, col + 1)
            self.modules.append(new)
            return new
        if word == "defstruct" and mod is not None:
            mod.functions.append("__struct__")  # what defstruct defines: the module is a struct
        elif word in _DIRECTIVES:
            self._directive(word, args, mod, row + 1, col + 1)
        elif word in _DEFS and mod is not None and args.named_children:
            head = args.named_children[0]
            if head.type == "binary_operator":  # def f(x) when guard
                head = head.child_by_field_name("left") or head
            call = head if head.type == "call" else None
            if call is not None:
                head = call.child_by_field_name("target") or head
            fname = _text(head)
            mod.functions.append(fname)
            if call is not None and fname in _HANDLERS:
                mod.handles.extend(self._matched_structs(call, mod))
            if fname in EMIT_NAMES:
                self._strings_in(node, "emit")
        return mod

    def _matched_structs(self, head: Node, mod: _Module) -> list[str]:
        """The structs a clause head's arguments match (``%Ev{} = e``), expanded; the module's
        own struct (a process manager's state) aside."""
        args = _arguments(head)
        found = []
        for arg in args.named_children if args is not None else ():
            if arg.type == "binary_operator":
                sides = (arg.child_by_field_name("left"), arg.child_by_field_name("right"))
                arg = next((n for n in sides if n is not None and n.type == "map"), arg)
            struct = next((c for c in arg.named_children if c.type == "struct"), None)
            if arg.type != "map" or struct is None or not struct.named_children:
                continue
            alias = struct.named_children[0]
            name = self.expand(_text(alias), mod)
            if alias.type in ("alias", "identifier", "dot") and name != mod.name:
                found.append(name)
        return found

    def _remote_call(self, node: Node, target: Node, mod: _Module | None) -> None:
        """A call ``left.func(...)``: a module use, a dispatch or a topic."""
        left = target.child_by_field_name("left")
        right = target.child_by_field_name("right")
        if left is None or right is None or right.type != "identifier":
            return
        row, col = node.start_point
        func = _text(right)
        written = _text(left)
        if left.type == "alias" or (left.type == "dot" and "__MODULE__" in written):
            full = self.expand(written, mod)
            self.imports.append(ImportRef(full, (func,), row + 1, col + 1, "call"))
        if func == "dispatch":
            self.calls.append(Call(written, func, row + 1, col + 1))
        elif func in TOPIC_CALLS:
            args = _arguments(node)
            if args is not None and args.named_children:
                self._record_topic(args.named_children, written)

    def _record_topic(self, args: list[Node], written: str) -> None:
        """The topic of a pub/sub call: its first argument when that is a string
        (``Endpoint.broadcast(topic, event, payload)``, ``socket.endpoint.broadcast``, a
        wrapper's ``broadcast(topic, message)``), else the second, after the server
        (``Phoenix.PubSub.subscribe(MyApp.PubSub, topic)``,
        ``Phoenix.Channel.Server.broadcast(pubsub, topic, event, payload)``). A later string
        is an event name or a payload (``"deactivated"``), never a topic."""
        endpoint = written.rsplit(".", 1)[-1].lower().endswith("endpoint")
        topic = args[0] if args[0].type == "string" or endpoint or len(args) < 2 else args[1]
        if topic.type == "string":
            self._record_string(topic, "topic")

    def _directive(self, word: str, args: Node, mod: _Module | None, line: int, col: int) -> None:
        named = args.named_children
        if not named:  # a function named after a directive: `@spec import() :: t()`
            return
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
