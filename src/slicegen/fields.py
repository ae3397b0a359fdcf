"""Field specs given on the command line: ``email:str``, ``tags:list[str]``, ``note:str?``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slicegen import naming
from slicegen.errors import SlicegenError

#: Scalar types a field may have, by their canonical name; aliases map onto these.
SCALARS = ("str", "int", "float", "bool", "datetime", "date", "uuid", "decimal")
ALIASES = {
    "string": "str",
    "integer": "int",
    "boolean": "bool",
    "UUID": "uuid",
    "Decimal": "decimal",
    "text": "str",
}
_LIST = re.compile(r"list\[(?P<item>[A-Za-z]+)\]")


@dataclass(frozen=True)
class FieldType:
    """A field's type: a scalar, or a list of scalars; possibly optional."""

    scalar: str
    is_list: bool = False
    optional: bool = False

    def spec(self) -> str:
        core = f"list[{self.scalar}]" if self.is_list else self.scalar
        return core + ("?" if self.optional else "")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType

    def spec(self) -> str:
        return f"{self.name}:{self.type.spec()}"


def _shown(text: str) -> str:
    return naming.quoted(text, 60)


def _scalar(text: str, spec: str) -> str:
    name = ALIASES.get(text, text)
    if name not in SCALARS:
        allowed = ", ".join([*SCALARS, "list[<type>]"])
        raise SlicegenError(
            f"field {_shown(spec)}: unknown type {_shown(text)}; allowed: {allowed} "
            "(suffix '?' for optional)"
        )
    return name


def parse_field(spec: str) -> FieldSpec:
    """Parse ``name:type`` (type defaults to ``str``); raise a one-line error on bad input."""
    name, sep, type_text = spec.partition(":")
    naming.validate_name(name.strip(), f"field name in {_shown(spec)}")
    type_text = type_text.strip() if sep else "str"
    optional = type_text.endswith("?")
    type_text = type_text.removesuffix("?").strip()
    match = _LIST.fullmatch(type_text)
    if match:
        field_type = FieldType(_scalar(match["item"], spec), is_list=True, optional=optional)
    else:
        field_type = FieldType(_scalar(type_text, spec), optional=optional)
    return FieldSpec(name.strip(), field_type)


def parse_fields(specs: list[str]) -> list[FieldSpec]:
    """Parse several specs; a name given twice is an error."""
    fields = [parse_field(s) for s in specs]
    seen: set[str] = set()
    for f in fields:
        if f.name in seen:
            raise SlicegenError(f"field '{f.name}' is given twice: give each field once")
        seen.add(f.name)
    return fields
