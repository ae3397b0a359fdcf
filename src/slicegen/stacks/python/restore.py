"""``add-version`` on an edited locked event (python): the event file written back to its locked
shape, and how each field of the next version is read from a stored event of the locked one."""

from __future__ import annotations

import ast

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.fields import FieldSpec
from slicegen.scaffold.requests import Restore
from slicegen.stacks.python import edits
from slicegen.stacks.python.pysource import declaration, default_value, field_imports
from slicegen.stacks.python.pysource import parse_annotation as parse_spec

#: old scalar -> new scalars a stored value converts to without loss
_CONVERTS = {"int": ("float", "str"), "float": ("str",), "uuid": ("str",)}


def locked_fields(restore: Restore) -> list[FieldSpec]:
    """The locked fields as field specs; an error for a type ``add-version`` cannot write."""
    found = []
    for f in restore.fields:
        try:
            spec = parse_spec(f.name, ast.unparse(ast.parse(f.type, mode="eval")))
        except SyntaxError:
            spec = None
        if spec is None or spec.type.optional == f.required:
            raise SlicegenError(
                f"{restore.path}: field '{f.name}' is locked as '{f.type}' "
                f"({'required' if f.required else 'optional'}), which add-version cannot write "
                "back: restore the locked shape by hand, then re-run"
            )
        found.append(spec)
    return found


def restore_event(
    cs: ChangeSet, path: str, locked: list[FieldSpec], edited: list[FieldSpec], app: str
) -> None:
    """Plan ``path``'s event class with the ``locked`` fields again (a field still as it was
    locked keeps its line); the imports only the ``edited`` fields needed are dropped."""

    def edit(text: str) -> str:
        tree = ast.parse(text)
        cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
        items = [i for i in cls.body if _is_field(i)]
        lines = text.split("\n")
        kept: dict[str, list[str]] = {}
        for item in items:
            assert isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            spec = parse_spec(item.target.id, ast.unparse(item.annotation))
            if spec in locked and (item.value is None) != spec.type.optional:
                kept[spec.name] = lines[item.lineno - 1 : item.end_lineno]
        indent = " " * (items[0].col_offset if items else cls.body[-1].col_offset)
        block = [line for s in locked for line in kept.get(s.name, [f"{indent}{declaration(s)}"])]
        at = items[0].lineno - 1 if items else (cls.body[-1].end_lineno or cls.lineno)
        for item in reversed(items):
            del lines[item.lineno - 1 : item.end_lineno]
        lines[at:at] = block
        restored = "\n".join(lines)
        steps = [edits.add_import(m, n, app) for m, n in field_imports(locked)]
        steps += [
            edits.drop_unused_import(m, n)
            for m, n in field_imports(edited)
            if (m, n) not in field_imports(locked)
        ]
        return edits.apply(*steps)(restored) if steps else restored

    cs.edit(path, edit)


def _is_field(node: ast.stmt) -> bool:
    if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
        return False
    return node.target.id != "event_type" and "ClassVar" not in ast.unparse(node.annotation)


def carried(new: FieldSpec, old: dict[str, FieldSpec], renamed: dict[str, str]) -> tuple[str, bool]:
    """How the upcaster fills ``new`` from a stored ``event`` of the old shape: the expression,
    and whether it carries the stored value (False: a neutral value the user adjusts)."""
    source = next((o for o, n in renamed.items() if n == new.name), new.name)
    was = old.get(source)
    if was is None or was.type.is_list != new.type.is_list:
        return default_value(new), False
    value = f"event.{source}"
    if was.type.scalar != new.type.scalar:
        if new.type.is_list or new.type.scalar not in _CONVERTS.get(was.type.scalar, ()):
            return default_value(new), False
        converted = f"{new.type.scalar}({value})"
    else:
        converted = value
    fallback = "None" if new.type.optional else default_value(new)
    if was.type.optional and (converted != value or fallback != "None"):
        converted = f"{fallback} if {value} is None else {converted}"
    return converted, True
