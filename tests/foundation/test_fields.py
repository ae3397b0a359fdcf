"""Field specs from the command line."""

from __future__ import annotations

import pytest

from slicegen.errors import SlicegenError
from slicegen.fields import FieldType, parse_field, parse_fields


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("email", FieldType("str")),
        ("email:str", FieldType("str")),
        ("age:int", FieldType("int")),
        ("note:str?", FieldType("str", optional=True)),
        ("tags:list[str]", FieldType("str", is_list=True)),
        ("ids:list[UUID]?", FieldType("uuid", is_list=True, optional=True)),
        ("amount:Decimal", FieldType("decimal")),
        ("at:datetime", FieldType("datetime")),
    ],
)
def test_parse_field(spec: str, expected: FieldType) -> None:
    assert parse_field(spec).type == expected


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("email:strin", "unknown type 'strin'"),
        ("Email:str", "snake_case"),
        (":str", "empty"),
        ("tags:list[list[str]]", "unknown type"),
        ("../x:str", "path separator"),
    ],
)
def test_bad_fields(spec: str, fragment: str) -> None:
    with pytest.raises(SlicegenError, match=fragment.replace("[", r"\[")):
        parse_field(spec)


def test_duplicate_fields_are_refused() -> None:
    with pytest.raises(SlicegenError, match="given twice"):
        parse_fields(["email:str", "email:int"])


def test_spec_round_trips() -> None:
    for spec in ["email:str", "tags:list[int]?", "amount:decimal"]:
        assert parse_field(spec).spec() == spec
