"""Fields as Elixir sees them: typespecs, Ecto types and sample values for the generated tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slicegen.fields import FieldSpec, FieldType

_TYPESPEC = {
    "str": "String.t()",
    "int": "integer()",
    "float": "float()",
    "bool": "boolean()",
    "datetime": "DateTime.t()",
    "date": "Date.t()",
    "uuid": "String.t()",
    "decimal": "Decimal.t()",
}
_ECTO = {
    "str": ":string",
    "int": ":integer",
    "float": ":float",
    "bool": ":boolean",
    "datetime": ":utc_datetime_usec",
    "date": ":date",
    "uuid": ":binary_id",
    "decimal": ":decimal",
}
_SAMPLE = {
    "int": "42",
    "float": "1.5",
    "bool": "true",
    "datetime": "~U[2024-01-01 09:00:00.000000Z]",
    "date": "~D[2024-01-01]",
    "uuid": '"00000000-0000-0000-0000-000000000001"',
    "decimal": 'Decimal.new("9.99")',
}


@dataclass(frozen=True)
class ElixirField:
    """One struct field with everything the templates print about it."""

    name: str
    typespec: str
    ecto_type: str
    sample: str
    required: bool


def elixir_field(spec: FieldSpec) -> ElixirField:
    """The Elixir view of a parsed ``--field``."""
    ftype = spec.type
    base = _TYPESPEC[ftype.scalar]
    typespec = f"[{base}]" if ftype.is_list else base
    ecto = _ECTO[ftype.scalar]
    sample = _SAMPLE.get(ftype.scalar, f'"sample {spec.name.replace("_", " ")}"')
    return ElixirField(
        name=spec.name,
        typespec=f"{typespec} | nil" if ftype.optional else typespec,
        ecto_type=f"{{:array, {ecto}}}" if ftype.is_list else ecto,
        sample=f"[{sample}]" if ftype.is_list else sample,
        required=not ftype.optional,
    )


def sample_of(scalar: str) -> str:
    """The sample value the generated tests give a field of ``scalar`` type (not ``str``)."""
    return _SAMPLE[scalar]


def as_uuid(field: ElixirField) -> ElixirField:
    """``field`` (read back as ``String.t()``, which a ``uuid`` is written as) typed ``uuid``."""
    is_list = field.typespec.strip().startswith("[")
    return elixir_field(FieldSpec(field.name, FieldType("uuid", is_list, not field.required)))


def identity_field(aggregate: str) -> ElixirField:
    """The aggregate identity every command and event carries: ``account_id``."""
    return elixir_field(FieldSpec(f"{aggregate}_id", FieldType("str")))


def with_identity(aggregate: str, fields: list[ElixirField]) -> list[ElixirField]:
    """``fields`` with the aggregate identity first (once)."""
    ident = identity_field(aggregate)
    return [ident, *(f for f in fields if f.name != ident.name)]


#: The scalar type each typespec slicegen writes stands for (``uuid`` is written as a string).
SCALAR_BY_TYPESPEC = {v: k for k, v in _TYPESPEC.items() if k != "uuid"}
#: Typespecs slicegen does not write but reads as a scalar when it shows a tree's fields.
READ_ALIASES = {"NaiveDateTime.t()": "datetime"}


def base_typespec(typespec: str) -> str:
    """The typespec without ``| nil`` (``String.t() | nil`` -> ``String.t()``)."""
    return re.sub(r"\s*\|\s*nil$", "", typespec.strip())


def field_from_typespec(name: str, typespec: str) -> ElixirField:
    """Rebuild a field from the typespec found in an existing struct (``String.t() | nil``).

    Types slicegen did not write fall back to ``String.t()``-like handling with the original
    typespec kept, so that nothing the user wrote is lost when a v2 copies v1's fields.
    """
    text = typespec.strip()
    optional = bool(re.search(r"\|\s*nil$", text))
    core = base_typespec(text)
    is_list = core.startswith("[") and core.endswith("]")
    inner = core[1:-1].strip() if is_list else core
    scalar = SCALAR_BY_TYPESPEC.get(inner)
    if scalar is None:
        return ElixirField(name, text, ":string", f'"sample {name.replace("_", " ")}"', True)
    field = elixir_field(FieldSpec(name, FieldType(scalar, is_list, optional)))
    return field
