"""Dependencies of one Python file, from its source text with the standard ``ast`` module.

Imports anywhere in the file (module level, in functions, classes, ``try``/``with`` bodies) are
found by walking statements only; ``if TYPE_CHECKING:`` bodies are flagged; relative imports are
resolved against the file's module. Expressions are walked only when the text mentions a database
variable or an Alembic ``op.`` call.

Most files take a faster path that gives the same records without building a tree: a line-anchored
scan for ``import``/``from ... import`` statements, skipping triple-quoted strings. It is used only
when the file has nothing the scan cannot judge (``TYPE_CHECKING``, a backslash continuation, a
statement after a colon or semicolon on an import line, a comment inside parentheses, quotes next
to triple quotes, database variables, migrations); otherwise the file is parsed with ``ast``. The
scan does not validate syntax: a file it accepts is not reported as unparsable here.
"""

from __future__ import annotations

import ast
import re

from slicegen.boundaries.records import DataUse, FileDependencies, ModuleUse
from slicegen.boundaries.tables import sql_tables
from slicegen.model.readers.newer_python import parse_newer

_OP_CALL = re.compile(r"\bop\.\w+\(")
ENV_VAR = re.compile(r"\b[A-Z][A-Z0-9_]*_DATABASE_URL\b")
TABLE_OPS = frozenset(
    {
        "create_table",
        "drop_table",
        "rename_table",
        "add_column",
        "drop_column",
        "alter_column",
        "create_index",
        "drop_index",
        "create_foreign_key",
        "bulk_insert",
    }
)


#: An import statement at a line's start, in time linear in the line: the runs of blanks and
#: dots are possessive (``*+``), so no split of one run between two parts is tried (``from``
#: and a long run of blanks took cubic time); the blank before ``import`` is checked behind it
#: (one blank with no module between is no statement: see scan_imports); and a parenthesised list
#: stops at the next ``(`` (an unclosed one was scanned to the end from each line; a ``(`` in a
#: list falls back to the rest of the line, which scan_imports leaves to the parse).
_STATEMENT = re.compile(
    r"^([ \t]*)(?:from[ \t]++(\.*+)[ \t]*+([\w.]*)[ \t]*+(?<=[ \t])import[ \t]*"
    r"(\([^()]*\)|[^\n]*)"
    r"|import[ \t]+([^\n]*))",
    re.MULTILINE,
)
_TRIPLE = re.compile(r"(\"\"\"|\'\'\').*?\1", re.DOTALL)
_STATEMENT_AFTER_COLON = re.compile(r":[ \t]*(?:import|from)[ \t]")
_QUOTE_BY_TRIPLE = re.compile(r"[\"'\\](?:\"\"\"|''')")
#: A triple quote after a ``#`` of its line, looked for after the line's first ``#`` (from each
#: ``#`` of a line of them it was quadratic)
_TRIPLE_IN_COMMENT = re.compile(r"^[^#\n]*#[^\n]*?(?:\"\"\"|''')", re.MULTILINE)
_COMMENT = re.compile(r"#[^\n]*")
_FROM_IMPORT = ("from import", "from\timport")


def extract_python(
    path: str, source: str, module: str, *, is_package: bool = False
) -> FileDependencies:
    """The module uses and data uses of one Python file (``module`` is its dotted name)."""
    package = module if is_package else module.rpartition(".")[0]
    uses = None if _needs_parse(source) else scan_imports(source, module, package)
    if uses is not None:
        return FileDependencies(path, "python", module, tuple(uses))
    return parse_imports(path, source, module, package)


def _needs_parse(source: str) -> bool:
    """Whether the file has something the line scan cannot judge (each check is a C-level scan)."""
    if (
        "TYPE_CHECKING" in source
        or "\\\n" in source
        or "\\\r\n" in source
        or "_DATABASE_URL" in source
    ):
        return True
    if "op." in source and _OP_CALL.search(source):
        return True
    if _STATEMENT_AFTER_COLON.search(source):
        return True
    if '"""' in source or "'''" in source:
        if _QUOTE_BY_TRIPLE.search(source):
            return True
        return "#" in source and _TRIPLE_IN_COMMENT.search(source) is not None
    return False


def scan_imports(source: str, module: str, package: str) -> list[ModuleUse] | None:
    """The imports of ``source`` by a line scan, or None when only a parse can tell."""
    strings: list[tuple[int, int]] = []
    if '"""' in source or "'''" in source:
        strings = [m.span() for m in _TRIPLE.finditer(source)]
    uses: list[ModuleUse] = []
    line = 1
    last = span = 0
    for match in _STATEMENT.finditer(source):
        start = match.start()
        while span < len(strings) and strings[span][1] <= start:
            span += 1
        if span < len(strings) and strings[span][0] < start:
            continue  # inside a triple-quoted string
        line += source.count("\n", last, start)
        last = start
        end_of_line = source.find("\n", start)
        text = source[start : end_of_line if end_of_line >= 0 else len(source)].strip()
        indent, dots, name, names, plain = match.groups()
        if plain is None and not dots and not name and text.startswith(_FROM_IMPORT):
            continue  # no statement: _STATEMENT took the one blank after "from" as the one before
        column = len(indent) + 1
        if plain is not None:
            body = _COMMENT.sub("", plain) if "#" in plain else plain
            if ";" in body:
                return None
            for part in body.split(","):
                target = part.split(" as ")[0].strip()
                if not target:
                    return None
                uses.append(ModuleUse(target, line, column, text, "import", module))
            continue
        if names.startswith("("):
            if "#" in names:
                return None
            if "\n" in names:
                text += " ..."
            body = names[1:-1]
        else:
            body = _COMMENT.sub("", names) if "#" in names else names
            if ";" in body or "(" in body:
                return None
        target = resolve_relative(package, len(dots), name or None) if dots else name
        if not target:
            if not dots:
                return None
            continue
        for part in body.split(","):
            member = part.split(" as ")[0].strip()
            if member:
                if member == "*":
                    member = ""
                uses.append(
                    ModuleUse(target, line, column, text, "from-import", module, member, False)
                )
    return uses


def parse_imports(path: str, source: str, module: str, package: str) -> FileDependencies:
    """The module uses and data uses of one Python file, from its ``ast``."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        newer = parse_newer(source)  # Python 3.12's type parameters, on an older interpreter
        if newer is None:
            return FileDependencies(path, "python", module, error=f"cannot parse: {exc}")
        tree = newer
    except (ValueError, RecursionError, MemoryError) as exc:
        return FileDependencies(path, "python", module, error=f"cannot parse: {exc}")
    lines = source.splitlines()
    walker = _Walker(lines, module, package)
    try:
        walker.statements(tree.body, type_checking=False)
    except RecursionError:
        return FileDependencies(path, "python", module, error="nested too deeply to read")
    data: list[DataUse] = []
    if "_DATABASE_URL" in source or _OP_CALL.search(source):
        data = _data_uses(tree, lines)
    return FileDependencies(path, "python", module, tuple(walker.uses), tuple(data))


def resolve_relative(package: str, level: int, name: str | None) -> str:
    """``from ..x import y`` in package ``a.b.c`` -> ``a.b.x``; empty if it climbs too far."""
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not name):
        return ""
    base = parts[: len(parts) - (level - 1)]
    if name:
        base.append(name)
    return ".".join(base)


class _Walker:
    def __init__(self, lines: list[str], module: str, package: str) -> None:
        self.lines = lines
        self.module = module
        self.package = package
        self.uses: list[ModuleUse] = []

    def text(self, node: ast.stmt) -> str:
        line = self.lines[node.lineno - 1].strip() if node.lineno <= len(self.lines) else ""
        end = node.end_lineno or node.lineno
        return line + " ..." if end > node.lineno else line

    def statements(self, body: list[ast.stmt], type_checking: bool) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                text = self.text(node)
                for alias in node.names:
                    self.uses.append(
                        ModuleUse(
                            alias.name,
                            node.lineno,
                            node.col_offset + 1,
                            text,
                            "import",
                            self.module,
                            type_checking=type_checking,
                        )
                    )
            elif isinstance(node, ast.ImportFrom):
                self.import_from(node, type_checking)
            elif isinstance(node, ast.If):
                flagged = type_checking or _is_type_checking(node.test)
                self.statements(node.body, flagged)
                self.statements(node.orelse, type_checking)
            else:
                for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                    children = getattr(node, field, None)
                    if children:
                        self.nested(children, type_checking)

    def nested(self, children: list[ast.AST], type_checking: bool) -> None:
        for child in children:
            if isinstance(child, ast.stmt):
                self.statements([child], type_checking)
            elif isinstance(child, (ast.ExceptHandler, ast.match_case)):
                self.statements(child.body, type_checking)

    def import_from(self, node: ast.ImportFrom, type_checking: bool) -> None:
        if node.level:
            target = resolve_relative(self.package, node.level, node.module)
        else:
            target = node.module or ""
        if not target:
            return
        text = self.text(node)
        for alias in node.names:
            self.uses.append(
                ModuleUse(
                    target,
                    node.lineno,
                    node.col_offset + 1,
                    text,
                    "from-import",
                    self.module,
                    member="" if alias.name == "*" else alias.name,
                    type_checking=type_checking,
                )
            )


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _data_uses(tree: ast.Module, lines: list[str]) -> list[DataUse]:
    found: list[DataUse] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for match in ENV_VAR.finditer(node.value):
                found.append(
                    DataUse(
                        "env",
                        match.group(0),
                        node.lineno,
                        node.col_offset + 1,
                        _line(lines, node.lineno),
                    )
                )
        elif isinstance(node, ast.Call) and _is_op_call(node.func):
            found.extend(_alembic_tables(node, lines))
    found.sort(key=lambda use: (use.line, use.column))
    return found


def _is_op_call(func: ast.expr) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "op"
        and (func.attr in TABLE_OPS or func.attr == "execute")
    )


def _alembic_tables(node: ast.Call, lines: list[str]) -> list[DataUse]:
    assert isinstance(node.func, ast.Attribute)
    if not node.args or not isinstance(node.args[0], ast.Constant):
        return []
    value = node.args[0].value
    if not isinstance(value, str):
        return []
    names = sql_tables(value) if node.func.attr == "execute" else [value]
    text = _line(lines, node.lineno)
    return [DataUse("table", name, node.lineno, node.col_offset + 1, text) for name in names]


def _line(lines: list[str], lineno: int) -> str:
    return lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
