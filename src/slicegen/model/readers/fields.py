"""The one field reader of each language: the fields of a command or event class (Python) or
struct (Elixir), their types as written and which are required, and the event's identity.

Read from the source text alone, so that the same reading serves the working tree, the files
a scaffolding command is about to write and the files of an old git revision. The event
contracts (``events.lock.toml``, SG205) store these shapes; the Python reader keeps the fields of a
command's classes for the design model, which maps each type to a slicegen field type.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Iterator
from typing import NamedTuple

from slicegen.model.readers.source import parse_python


class FieldShape(NamedTuple):
    type: str  # as written, whitespace removed; "any" when the code gives no type
    required: bool  # an old event without it cannot load (no default, not optional)


class EventShape(NamedTuple):
    """One event type: ``identity`` is its type string, else its class or module name."""

    identity: str
    path: str
    line: int
    fields: dict[str, FieldShape]


def shapes_in(path: str, text: str) -> list[EventShape]:
    """Every event shape a Python or Elixir file defines; none for other files or bad syntax."""
    if path.endswith(".py"):
        return _python(path, text)
    if path.endswith((".ex", ".exs")):
        return _elixir(path, text)
    return []


def _type(text: str) -> str:
    """``Optional[int]`` and ``int | None`` alike, spaces removed."""
    text = "".join(text.split())
    match = re.fullmatch(r"(?:typing\.)?Optional\[(.+)\]", text) if "Optional" in text else None
    return f"{match.group(1)}|None" if match else text


# --- Python: classes with annotated fields (pydantic models, dataclasses) ---------------------


def _python(path: str, text: str) -> list[EventShape]:
    tree = parse_python(text)
    return [] if tree is None else python_shapes(path, tree)


def python_shapes(path: str, tree: ast.Module) -> list[EventShape]:
    """The shapes of a parsed Python file: every class, nested ones too, with fields or a
    declared type string."""
    found = []
    for node in _classes(tree):
        identity, fields = python_class(node)
        if fields or identity:
            found.append(EventShape(identity or node.name, path, node.lineno, fields))
    return found


#: The fields that hold statements (or handlers and cases, which hold statements); any other
#: field holds expressions, and no expression holds a statement.
_BLOCKS = frozenset({"body", "handlers", "orelse", "finalbody", "cases"})


def _classes(tree: ast.Module) -> Iterator[ast.ClassDef]:
    """The classes of ``tree`` in ``ast.walk`` order, without walking into expressions (which
    hold no class: leaving them out keeps the order of the rest)."""
    todo: deque[ast.AST] = deque([tree])
    while todo:
        node = todo.popleft()
        if type(node) is ast.ClassDef:
            yield node
        for name in node._fields:
            if name in _BLOCKS:
                value = getattr(node, name, None)
                if type(value) is list:  # a lambda's or a conditional expression's is no block
                    todo.extend(value)


#: Shapes as a file's record keeps them (hashable): identity, line, (field, type, required)...
Packed = tuple[tuple[str, int, tuple[tuple[str, str, bool], ...]], ...]


def packed(shapes: list[EventShape]) -> Packed:
    return tuple(
        (s.identity, s.line, tuple((n, f.type, f.required) for n, f in s.fields.items()))
        for s in shapes
    )


def struct_fields(shapes: list[EventShape]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(name, (field, type)...) of each shape: how the design model reads an Elixir command."""
    return tuple((s.identity, tuple((n, f.type) for n, f in s.fields.items())) for s in shapes)


def unpacked(path: str, shapes: Packed) -> list[EventShape]:
    """What :func:`shapes_in` gives for the file ``path`` whose shapes ``packed`` kept."""
    return [
        EventShape(identity, path, line, {n: FieldShape(t, r) for n, t, r in fields})
        for identity, line, fields in shapes
    ]


def python_class(node: ast.ClassDef) -> tuple[str | None, dict[str, FieldShape]]:
    """(identity if the class declares its type string, fields) of one class."""
    identity: str | None = None
    fields: dict[str, FieldShape] = {}
    for item in node.body:
        target: ast.expr | None = None
        if isinstance(item, ast.AnnAssign):
            target = item.target
        elif isinstance(item, ast.Assign) and len(item.targets) == 1:
            target = item.targets[0]
        if not isinstance(target, ast.Name):
            continue
        value = item.value if isinstance(item, (ast.AnnAssign, ast.Assign)) else None
        if target.id in ("event_type", "type_string", "TYPE"):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                identity = value.value
            continue
        if not isinstance(item, ast.AnnAssign) or target.id.startswith("_"):
            continue
        written = annotation(item.annotation)
        if written.startswith(("ClassVar", "typing.ClassVar")):
            continue
        fields[target.id] = FieldShape(_type(written), not _has_default(value))
    return identity, fields


def annotation(node: ast.expr) -> str:
    """``ast.unparse(node)``, spelled here for the usual field annotations (``str``,
    ``list[str]``, ``dict[str, int]``, ``str | None``, ``x.Y``); anything else is unparsed."""
    simple = _simple(node)
    return simple if simple is not None else ast.unparse(node)


def _simple(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = node.value
        return f"{base.id}.{node.attr}" if isinstance(base, ast.Name) else None
    if isinstance(node, ast.Subscript):
        value, index = _simple(node.value), node.slice
        if value is None:
            return None
        if isinstance(index, ast.Tuple):
            items = [_simple(e) for e in index.elts]
            parts = [i for i in items if i is not None]
            if not parts or len(parts) < len(items):
                return None
            return f"{value}[{', '.join(parts)}]"
        inner = _simple(index)
        return f"{value}[{inner}]" if inner is not None else None
    if isinstance(node, ast.BinOp):
        if not isinstance(node.op, ast.BitOr) or isinstance(node.right, ast.BinOp):
            return None
        left, right = _simple(node.left), _simple(node.right)
        return f"{left} | {right}" if left is not None and right is not None else None
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    return None


def _has_default(value: ast.expr | None) -> bool:
    """``= x`` gives a default; ``Field(...)``/``field(...)`` only with a default (factory)."""
    if value is None:
        return False
    if isinstance(value, ast.Call) and isinstance(value.func, (ast.Name, ast.Attribute)):
        name = value.func.id if isinstance(value.func, ast.Name) else value.func.attr
        if name in ("Field", "field"):
            given = {k.arg for k in value.keywords}
            positional = [a for a in value.args if not _is_ellipsis(a)]
            return bool(positional) or bool(given & {"default", "default_factory"})
    return True


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


# --- Elixir: modules with defstruct (and @type t, @enforce_keys) or typedstruct fields -------

_MODULE = re.compile(r"^[ \t]*defmodule\s+([A-Z][\w.]*)\s+do\b", re.M)
_TYPE_STRING = re.compile(r"def\s+event_type(?:\(\))?\s*,\s*do:\s*\"([^\"]+)\"")
_ENFORCE = re.compile(r"@enforce_keys\s*\[([^\]]*)\]")
_ATOM = re.compile(r":([a-z_][\w]*[?!]?)")
_TYPEDSTRUCT_FIELD = re.compile(r"^[ \t]*field\s+:([a-z_]\w*[?!]?)\s*,\s*([^\n]+)$", re.M)


def _elixir(path: str, text: str) -> list[EventShape]:
    found = []
    starts = list(_MODULE.finditer(text))
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[match.end() : end]
        fields = _elixir_fields(body)
        if fields is None:
            continue
        type_string = _TYPE_STRING.search(body)
        identity = type_string.group(1) if type_string else match.group(1)
        line = text.count("\n", 0, match.start()) + 1
        found.append(EventShape(identity, path, line, fields))
    return found


def _elixir_fields(body: str) -> dict[str, FieldShape] | None:
    """The fields of a module body, or None when it defines no struct."""
    enforced = {a for m in _ENFORCE.finditer(body) for a in _ATOM.findall(m.group(1))}
    struct = re.search(r"\bdefstruct\b", body)
    if struct is None:
        typed = _TYPEDSTRUCT_FIELD.findall(body) if "typedstruct" in body else []
        if not typed:
            return None
        top = re.search(r"typedstruct\s+enforce:\s*true", body) is not None
        fields = {}
        for name, rest in typed:
            parts = split_top(rest)
            opts = ",".join(parts[1:])
            required = ("enforce: true" in opts or top) and "default:" not in opts
            fields[name] = FieldShape(_type(parts[0]), required)
        return fields
    defaults = _struct_defaults(_balanced_or_line(body, struct.end()))
    types = _struct_types(body)
    fields = {}
    for name, has_default in defaults.items():
        kind = types.get(name, "any")
        nilable = kind in ("any", "any()", "term()") or re.search(r"\bnil\b", kind) is not None
        required = name in enforced or (not has_default and not nilable)
        fields[name] = FieldShape(kind, required)
    return fields


def _balanced_or_line(text: str, start: int) -> str:
    """From ``start``: a bracketed list (``defstruct [...]``, ``%{...}``), else the keyword list
    up to a line that does not end in a comma (``defstruct a: 1,\\n b: 2``)."""
    rest = text[start:].lstrip(" (")
    if rest[:1] in ("[", "{"):
        depth = 0
        for i, ch in enumerate(rest):
            if ch in "[{(":
                depth += 1
            elif ch in "]})":
                depth -= 1
                if depth == 0:
                    return rest[1:i]
        return rest[1:]
    lines = []
    for line in rest.splitlines():
        lines.append(line)
        if not line.rstrip().endswith(","):
            break
    return "\n".join(lines).rstrip(" )")


def split_top(text: str) -> list[str]:
    """Split on commas outside brackets and strings."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[{(":
            depth += 1
        elif not quoted and ch in "]})":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


def _struct_defaults(items: str) -> dict[str, bool]:
    """Field name -> whether it has a default other than nil."""
    found: dict[str, bool] = {}
    for part in split_top(_strip_comments(items)):
        atom = re.fullmatch(r":([a-z_]\w*[?!]?)", part)
        pair = re.fullmatch(r"([a-z_]\w*[?!]?):\s*(.+)", part, re.S)
        if atom:
            found[atom.group(1)] = False
        elif pair:
            found[pair.group(1)] = pair.group(2).strip() != "nil"
    return found


def _struct_types(body: str) -> dict[str, str]:
    """``@type t :: %__MODULE__{name: type, ...}`` -> name -> type."""
    match = re.search(r"@type\s+t\s*::\s*%(?:__MODULE__|[\w.]+)\s*\{", body)
    if match is None:
        return {}
    inner = _balanced_or_line(body, match.end() - 1)
    types = {}
    for part in split_top(_strip_comments(inner)):
        pair = re.fullmatch(r"([a-z_]\w*[?!]?):\s*(.+)", part, re.S)
        if pair:
            types[pair.group(1)] = _type(pair.group(2))
    return types


def _strip_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)
