"""Idempotent libcst edits of generated modules that users may have changed.

Each edit takes the parsed module and adds what is missing (an import, a registration, a state
field, a business function, an ``__all__`` entry), leaving everything else, comments and
formatting included, as the user wrote it; it returns the very same tree when there is nothing to
do, so running an edit twice adds nothing. :func:`apply` parses a file once for all its edits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from slicegen.errors import SlicegenError
from slicegen.stacks.python import fast_edits
from slicegen.stacks.python.pysource import ImportBlock, from_import, name_key

if TYPE_CHECKING:
    import libcst as cst

Edit = Callable[[str], str]
TreeEdit = Callable[["cst.Module"], "cst.Module"]


class Step:
    """A libcst edit and its line-splicing twin (:mod:`fast_edits`), tried first by apply()."""

    def __init__(self, tree_edit: TreeEdit, fast: fast_edits.FastEdit) -> None:
        self.tree_edit = tree_edit
        self.fast = fast

    def __call__(self, tree: cst.Module) -> cst.Module:
        return self.tree_edit(tree)


def _parse(source: str) -> cst.Module:
    import libcst as cst

    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise SlicegenError(
            f"not valid Python ({exc.message}, line {exc.raw_line}): fix it, then re-run"
        ) from None


def _squash(code: str) -> str:
    return "".join(code.split())


def _code(module: cst.Module, node: cst.CSTNode) -> str:
    return module.code_for_node(node)


def _import_from(stmt: cst.CSTNode) -> cst.ImportFrom | None:
    import libcst as cst

    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        node = stmt.body[0]
        if isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
            return node
    return None


def _dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None (no code generation: it is hot)."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _module_name(module: cst.Module, node: cst.ImportFrom) -> str:
    assert node.module is not None
    return _dotted(node.module) or _code(module, node.module)


def _call_key(stmt: cst.BaseStatement) -> tuple[str, ...] | None:
    """``ROUTES.handle(A, b)`` -> ("ROUTES.handle", "A", "b"); None for other statements."""
    import libcst as cst

    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return None
    expr = stmt.body[0]
    if not (isinstance(expr, cst.Expr) and isinstance(expr.value, cst.Call)):
        return None
    func = _dotted(expr.value.func)
    if func is None:
        return None
    key = [func]
    for arg in expr.value.args:
        value = arg.value
        if arg.keyword is not None or arg.star:
            return None
        if isinstance(value, cst.Call) and not value.args:
            name = _dotted(value.func)
            key.append(f"{name}()" if name else "?")
        else:
            key.append(_dotted(value) or "?")
    return tuple(key)


def _empty_line() -> cst.EmptyLine:
    import libcst as cst

    return cst.EmptyLine(indent=False)


def _entry(tree: cst.Module, alias: cst.ImportAlias) -> str:
    name = _dotted(alias.name) or _code(tree, alias.name)
    if alias.asname is None:
        return name
    return f"{name} as {_code(tree, alias.asname.name)}"


def _import_statement(module_name: str, entries: list[str]) -> cst.SimpleStatementLine:
    """``from module_name import entries`` as a node, built directly when it fits on a line."""
    import libcst as cst

    line = from_import(module_name, entries)
    if "\n" in line:
        statement = cst.parse_statement(line)
        assert isinstance(statement, cst.SimpleStatementLine)
        return statement
    parts = module_name.split(".")
    module: cst.Name | cst.Attribute = cst.Name(parts[0])
    for part in parts[1:]:
        module = cst.Attribute(value=module, attr=cst.Name(part))
    names = []
    for entry in entries:
        name, _, alias = entry.partition(" as ")
        asname = cst.AsName(name=cst.Name(alias)) if alias else None
        names.append(cst.ImportAlias(name=cst.Name(name), asname=asname))
    return cst.SimpleStatementLine(body=[cst.ImportFrom(module=module, names=names)])


def add_import(module_name: str, name: str, app: str, alias: str | None = None) -> TreeEdit:
    """Make ``from module_name import name [as alias]`` present, in isort's section and order."""
    entry = f"{name} as {alias}" if alias else name

    def edit(tree: cst.Module) -> cst.Module:
        import libcst as cst

        body = list(tree.body)
        imports = [(i, node) for i, s in enumerate(body) if (node := _import_from(s)) is not None]
        for index, node in imports:
            if _module_name(tree, node) != module_name:
                continue
            if isinstance(node.names, cst.ImportStar):
                return tree
            names = [_entry(tree, a) for a in node.names]
            if entry in names:
                return tree
            replacement = _import_statement(
                module_name, sorted([*names, entry], key=name_key)
            ).with_changes(leading_lines=body[index].leading_lines)
            body[index] = replacement
            return tree.with_changes(body=body)
        block = ImportBlock(app)
        key = block.key(module_name)
        new = _import_statement(module_name, [entry])
        after = [(i, n) for i, n in imports if block.key(_module_name(tree, n)) > key]
        if after:
            index, node = after[0]
            following = body[index]
            same = block.section(_module_name(tree, node)) == block.section(module_name)
            earlier = [n for i, n in imports if i < index]
            first_of_section = not earlier or block.section(
                _module_name(tree, earlier[-1])
            ) != block.section(_module_name(tree, node))
            if first_of_section:
                new = new.with_changes(leading_lines=following.leading_lines)
                following = following.with_changes(leading_lines=[] if same else [_empty_line()])
            body[index : index + 1] = [new, following]
        elif imports:
            index, node = imports[-1]
            if block.section(_module_name(tree, node)) != block.section(module_name):
                new = new.with_changes(leading_lines=[_empty_line()])
            body.insert(index + 1, new)
        else:
            position = _after_docstring(body)
            if position:
                new = new.with_changes(leading_lines=[_empty_line()])
            body.insert(position, new)
        return tree.with_changes(body=body)

    return Step(edit, fast_edits.add_import(module_name, entry, app))


def _after_docstring(body: Sequence[cst.BaseStatement]) -> int:
    import libcst as cst

    if body and isinstance(body[0], cst.SimpleStatementLine):
        first = body[0].body[0] if body[0].body else None
        if isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString):
            return 1
    return 0


def add_statement(code: str, blank_lines: int = 0, key: tuple[str, ...] | None = None) -> TreeEdit:
    """Append the top-level statement ``code`` unless an equivalent one is there.

    ``key`` is the call's :func:`_call_key` when the caller knows it (``("ROUTES.handle", "A",
    "b")``): statements are then compared structurally, however the user formatted them.
    """

    def edit(tree: cst.Module) -> cst.Module:
        import libcst as cst

        wanted_key = key
        new = None
        if wanted_key is None:
            new = cst.parse_statement(code)
            wanted_key = _call_key(new)
        wanted = _squash(code)
        for stmt in tree.body:
            if wanted_key is not None:
                if _call_key(stmt) == wanted_key:
                    return tree
                continue
            bare = stmt.with_changes(leading_lines=[])
            if _squash(_code(tree, bare)) == wanted:
                return tree
        if new is None:
            new = cst.parse_statement(code)
        new = new.with_changes(leading_lines=[_empty_line() for _ in range(blank_lines)])
        return tree.with_changes(body=[*tree.body, new])

    return Step(edit, fast_edits.add_statement(code, blank_lines, key))


def add_function(code: str, name: str) -> TreeEdit:
    """Append the top-level function ``code`` unless a function ``name`` exists."""

    def edit(tree: cst.Module) -> cst.Module:
        import libcst as cst

        for stmt in tree.body:
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
                return tree
        new = cst.parse_statement(code).with_changes(leading_lines=[_empty_line(), _empty_line()])
        return tree.with_changes(body=[*tree.body, new])

    return Step(edit, fast_edits.add_function(code, name))


def replace_function_if_pristine(name: str, expected: str, code: str) -> TreeEdit:
    """Replace function ``name`` by ``code`` if it is ``expected`` up to comments and layout.

    The comments above the function and above each of its statements are carried over; if any
    other comment would be lost the edit raises instead (the caller reports the file).
    """

    def edit(tree: cst.Module) -> cst.Module:
        import libcst as cst

        body = list(tree.body)
        for index, stmt in enumerate(body):
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
                old_code = _code(tree, stmt.with_changes(leading_lines=[]))
                if not same_code(old_code, expected):
                    return tree
                new = cst.parse_statement(code)
                assert isinstance(new, cst.FunctionDef)
                if isinstance(stmt.body, cst.IndentedBlock) and isinstance(
                    new.body, cst.IndentedBlock
                ):
                    old_body, new_body = stmt.body.body, list(new.body.body)
                    if len(old_body) == len(new_body):
                        new_body = [
                            n.with_changes(leading_lines=o.leading_lines)  # type: ignore[attr-defined]
                            for o, n in zip(old_body, new_body, strict=True)
                        ]
                    new = new.with_changes(
                        body=new.body.with_changes(body=new_body, footer=stmt.body.footer)
                    )
                new = new.with_changes(leading_lines=stmt.leading_lines)
                lost = _comments(old_code) - _comments(tree.code_for_node(new))
                if lost:
                    raise SlicegenError(
                        f"function {name} holds a comment slicegen cannot place in the new "
                        f"version ({sorted(lost)[0]})"
                    )
                body[index] = new
                return tree.with_changes(body=body)
        return tree

    return edit


def same_code(a: str, b: str) -> bool:
    """Whether two function sources are the same code, comments and layout aside."""
    import ast
    import textwrap

    try:
        return ast.dump(ast.parse(textwrap.dedent(a))) == ast.dump(ast.parse(textwrap.dedent(b)))
    except SyntaxError:
        return False


def _comments(source: str) -> set[str]:
    import io
    import textwrap
    import tokenize

    tokens = tokenize.generate_tokens(io.StringIO(textwrap.dedent(source)).readline)
    try:
        return {t.string for t in tokens if t.type == tokenize.COMMENT}
    except (tokenize.TokenError, SyntaxError):
        return set()


def all_statement(names: list[str]) -> str:
    """``__all__ = [...]`` of ``names``, sorted, on one line if it fits, else one per line."""
    names = sorted(names)
    line = "__all__ = [" + ", ".join(f'"{n}"' for n in names) + "]"
    if len(line) > 100:
        line = "__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]"
    return line


def add_to_all(name: str) -> TreeEdit:
    """Add ``"name"`` to a module's ``__all__`` list, if it has one and lacks the name."""

    def edit(tree: cst.Module) -> cst.Module:
        import libcst as cst

        body = list(tree.body)
        for index, stmt in enumerate(body):
            if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            assign = stmt.body[0]
            if not (
                isinstance(assign, cst.Assign)
                and len(assign.targets) == 1
                and isinstance(assign.targets[0].target, cst.Name)
                and assign.targets[0].target.value == "__all__"
                and isinstance(assign.value, cst.List)
            ):
                continue
            values = [
                e.value.evaluated_value
                for e in assign.value.elements
                if isinstance(e.value, cst.SimpleString)
            ]
            if name in values:
                return tree
            line = all_statement([*(str(v) for v in values), name])
            body[index] = cst.parse_statement(line).with_changes(leading_lines=stmt.leading_lines)
            return tree.with_changes(body=body)
        return tree

    return Step(edit, fast_edits.add_to_all(name))


def add_class_field(class_name: str, code: str, field_name: str) -> TreeEdit:
    """Add the field ``code`` to class ``class_name`` unless it declares ``field_name``."""

    def edit(tree: cst.Module) -> cst.Module:
        import libcst as cst

        body = list(tree.body)
        for index, stmt in enumerate(body):
            if not (isinstance(stmt, cst.ClassDef) and stmt.name.value == class_name):
                continue
            inner = stmt.body
            if not isinstance(inner, cst.IndentedBlock):
                raise SlicegenError(
                    f"class {class_name} has a one-line body: expand it, then re-run"
                )
            for line in inner.body:
                if isinstance(line, cst.SimpleStatementLine):
                    for node in line.body:
                        if (
                            isinstance(node, cst.AnnAssign)
                            and isinstance(node.target, cst.Name)
                            and node.target.value == field_name
                        ):
                            return tree
            new = cst.parse_statement(code)
            statements = list(inner.body)
            position = _after_docstring(statements)
            fields_end = position
            for i in range(position, len(statements)):
                line = statements[i]
                if isinstance(line, cst.SimpleStatementLine) and all(
                    isinstance(n, cst.AnnAssign) for n in line.body
                ):
                    fields_end = i + 1
                else:
                    break
            if fields_end == position and position:
                new = new.with_changes(leading_lines=[_empty_line()])
            statements.insert(fields_end, new)
            if fields_end < len(statements) - 1:
                follower = statements[fields_end + 1]
                if not follower.leading_lines:  # type: ignore[attr-defined]
                    statements[fields_end + 1] = follower.with_changes(
                        leading_lines=[_empty_line()]
                    )
            body[index] = stmt.with_changes(body=inner.with_changes(body=statements))
            return tree.with_changes(body=body)
        raise SlicegenError(f"no class {class_name} here: restore it, then re-run")

    return Step(edit, fast_edits.add_class_field(class_name, code, field_name))


def apply(*edits: TreeEdit, fast: bool = True) -> Edit:
    """One text edit: parse once, apply ``edits`` in order, print once (only if changed).

    When every edit is a :class:`Step` the line-splicing path is tried first; libcst (and its
    import) is only paid for when it declines. ``fast=False`` forces libcst.
    """

    def edit(source: str) -> str:
        if fast and all(isinstance(step, Step) for step in edits):
            done = fast_edits.run(source, [step.fast for step in edits if isinstance(step, Step)])
            if done is not None:
                return done
        tree = _parse(source)
        changed = tree
        for step in edits:
            changed = step(changed)
        return source if changed is tree else changed.code

    return edit


def drop_unused_import(module_name: str, name: str) -> TreeEdit:
    """Remove ``name`` from ``from module_name import ...`` if nothing else uses it."""

    def edit(tree: cst.Module) -> cst.Module:
        import re

        import libcst as cst

        body = list(tree.body)
        for index, stmt in enumerate(body):
            node = _import_from(stmt)
            if node is None or _module_name(tree, node) != module_name:
                continue
            if isinstance(node.names, cst.ImportStar):
                return tree
            names = [_code(tree, alias.name) for alias in node.names]
            if name not in names:
                return tree
            rest = tree.with_changes(body=body[:index] + body[index + 1 :]).code
            if re.search(rf"\b{re.escape(name)}\b", rest):
                return tree
            kept = [n for n in names if n != name]
            if kept:
                body[index] = cst.parse_statement(from_import(module_name, kept)).with_changes(
                    leading_lines=stmt.leading_lines
                )
            else:
                del body[index]
            return tree.with_changes(body=body)
        return tree

    return edit
