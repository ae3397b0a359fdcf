"""Python source fragments: typed fields, sample values and isort-ordered import blocks.

Generated code must pass the generated project's ``ruff check`` (isort rules included) and
``ruff format --check``, so imports are grouped and ordered here rather than in templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from slicegen.fields import FieldSpec, FieldType

#: Scalar field type -> (annotation, module to import it from or ""). A datetime must carry its
#: time zone (pydantic's ``AwareDatetime``): a naive one is refused at validation.
SCALAR_TYPES: dict[str, tuple[str, str]] = {
    "str": ("str", ""),
    "int": ("int", ""),
    "float": ("float", ""),
    "bool": ("bool", ""),
    "datetime": ("AwareDatetime", "pydantic"),
    "date": ("date", "datetime"),
    "uuid": ("UUID", "uuid"),
    "decimal": ("Decimal", "decimal"),
}

STDLIB = frozenset({"collections", "datetime", "decimal", "os", "typing", "uuid", "pathlib"})

Import = tuple[str, str]  # (module, name)


def annotation(field_type: FieldType) -> str:
    """``list[str]?`` -> ``tuple[str, ...] | None``: messages are frozen, so lists are tuples."""
    core = SCALAR_TYPES[field_type.scalar][0]
    if field_type.is_list:
        core = f"tuple[{core}, ...]"
    return f"{core} | None" if field_type.optional else core


def field_imports(fields: Iterable[FieldSpec]) -> list[Import]:
    """The imports a set of field annotations needs."""
    out = []
    for spec in fields:
        name, module = SCALAR_TYPES[spec.type.scalar]
        if module:
            out.append((module, name))
    return out


def sample_imports(fields: Iterable[FieldSpec]) -> list[Import]:
    """The imports the sample values of ``fields`` need (``datetime`` and ``UTC`` for datetimes)."""
    out = [i for i in field_imports(fields) if i != ("pydantic", "AwareDatetime")]
    if any(spec.type.scalar == "datetime" for spec in fields):
        out += [("datetime", "UTC"), ("datetime", "datetime")]
    return out


def default_imports(fields: Iterable[FieldSpec]) -> list[Import]:
    """The imports the :func:`default_value` of ``fields`` need."""
    return sample_imports([f for f in fields if not f.type.optional and not f.type.is_list])


def declaration(spec: FieldSpec) -> str:
    """A pydantic field line: ``email: str`` or ``note: str | None = None``."""
    default = " = None" if spec.type.optional else ""
    return f"{spec.name}: {annotation(spec.type)}{default}"


def sample(spec: FieldSpec, index: int = 1) -> str:
    """A literal sample value of the field, as Python source."""
    scalar = spec.type.scalar
    value = {
        "str": f'"{spec.name.replace("_", "-")}-{index}"',
        "int": str(index),
        "float": f"{index}.5",
        "bool": "True",
        "datetime": f"datetime(2024, 1, {index}, 9, 30, tzinfo=UTC)",
        "date": f"date(2024, 1, {index})",
        "uuid": f'UUID("00000000-0000-4000-8000-{index:012d}")',
        "decimal": f'Decimal("{index}.25")',
    }[scalar]
    return f"({value},)" if spec.type.is_list else value


LINE_LENGTH = 100  # the generated project's ruff line length


def assertion(subject: str, operator: str, value: str, indent: str = "    ") -> str:
    """``assert subject operator value`` laid out as ``ruff format`` lays it out.

    ``value`` is a :func:`sample`-like literal: an atom, a call or a one-element tuple.
    """
    line = f"{indent}assert {subject} {operator} {value}"
    if len(line) <= LINE_LENGTH:
        return line
    inner = indent + "    "
    head, _, body = value[:-1].partition("(")
    opening = f"{indent}assert {subject} {operator} {head}("
    if value.endswith(")") and len(opening) <= LINE_LENGTH:  # split inside the value's brackets
        return f"{opening}\n{inner}{body}\n{indent})"
    if len(f"{inner}{subject} {operator} {value}") <= LINE_LENGTH:
        return f"{indent}assert (\n{inner}{subject} {operator} {value}\n{indent})"
    compared = f"{inner}{operator} {value}"
    if value.endswith(")") and len(compared) > LINE_LENGTH:
        compared = f"{inner}{operator} {head}(\n{inner}    {body}\n{inner})"
    return f"{indent}assert (\n{inner}{subject}\n{compared}\n{indent})"


def default_value(spec: FieldSpec) -> str:
    """A neutral value for a field an older version lacks (used by upcasters)."""
    if spec.type.optional:
        return "None"
    if spec.type.is_list:
        return "()"
    return {
        "str": '""',
        "int": "0",
        "float": "0.0",
        "bool": "False",
        "datetime": "datetime(1970, 1, 1, tzinfo=UTC)",
        "date": "date(1970, 1, 1)",
        "uuid": "UUID(int=0)",
        "decimal": 'Decimal("0")',
    }[spec.type.scalar]


def parse_annotation(name: str, text: str) -> FieldSpec | None:
    """The reverse of :func:`annotation`; None for an annotation slicegen did not write."""
    optional = text.endswith(" | None") or text.startswith("Optional[")
    core = text.removesuffix(" | None")
    is_list = core.startswith(("list[", "tuple[")) and core.endswith("]")
    if is_list:
        core = core[core.index("[") + 1 : -1].removesuffix(", ...")
    by_annotation = {ann: scalar for scalar, (ann, _) in SCALAR_TYPES.items()}
    by_annotation["datetime"] = "datetime"  # projects written before AwareDatetime
    scalar = by_annotation.get(core)
    if scalar is None:
        return None
    return FieldSpec(name, FieldType(scalar, is_list=is_list, optional=optional))


@dataclass(frozen=True)
class ImportBlock:
    """Imports grouped stdlib / third-party / first-party, each ordered as ruff's isort does."""

    app: str

    def section(self, module: str) -> int:
        top = module.split(".")[0]
        if top == self.app:
            return 2
        return 0 if top in STDLIB else 1

    def key(self, module: str) -> tuple[int, str]:
        return (self.section(module), module.lower())

    def render(self, imports: Iterable[Import], line_length: int = 100) -> str:
        by_module: dict[str, set[str]] = {}
        for module, name in imports:
            by_module.setdefault(module, set()).add(name)
        lines: list[str] = []
        previous: int | None = None
        for module in sorted(by_module, key=self.key):
            section = self.section(module)
            if previous is not None and section != previous:
                lines.append("")
            previous = section
            lines.append(from_import(module, sorted(by_module[module], key=name_key), line_length))
        return "\n".join(lines) + "\n" if lines else ""


def name_key(name: str) -> tuple[int, str]:
    """isort's order-by-type: CONSTANTS, then Classes, then functions and modules."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def from_import(module: str, names: list[str], line_length: int = 100) -> str:
    """``from module import a, b``, wrapped as ruff format wraps it when too long."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= line_length:
        return line
    body = "".join(f"    {name},\n" for name in names)
    return f"from {module} import (\n{body})"


def call(callee: str, args: list[str], line_length: int = 100, indent: str = "") -> str:
    """``callee(a, b)``, exploded one argument per line (magic trailing comma) when too long."""
    line = f"{indent}{callee}({', '.join(args)})"
    if len(line) <= line_length:
        return line
    body = "".join(f"{indent}    {arg},\n" for arg in args)
    return f"{indent}{callee}(\n{body}{indent})"
