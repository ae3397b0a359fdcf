"""The config's plain check (no pydantic) against its schema (pydantic): same keys, types and
defaults, and for any input either the schema's own answer or a deferral to it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from slicegen import config, config_schema
from slicegen.errors import SlicegenError

PAIRS = [
    (config_schema.Config, config.Config),
    (config_schema.LintConfig, config.LintConfig),
    (config_schema.BoundariesConfig, config.BoundariesConfig),
]
SOURCE = Path("slicegen.toml")


@pytest.mark.parametrize(("schema", "plain"), PAIRS)
def test_plain_classes_declare_the_schema(schema: type[BaseModel], plain: type[Any]) -> None:
    hints = typing.get_type_hints(plain)
    fields = dataclasses.fields(plain)
    assert [f.name for f in fields] == list(schema.model_fields)
    for f in fields:
        declared = schema.model_fields[f.name]
        assert declared.alias == config.kebab(f.name)
        annotation = declared.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            assert hints[f.name] is dict(PAIRS)[annotation]
        else:
            assert hints[f.name] == annotation, f.name
    assert config_schema.validate({}) == config.Config()
    assert plain.__doc__ == schema.__doc__


# --- generated input: mostly well-typed, with wrong types, coercible values and unknown keys ---

WORDS = st.sampled_from(
    ["python", "elixir", "ex_esdb", "eventstore", "in_memory", "shop", "Shop", "my_app", "1app",
     "", " ", "src/shop", "src/../up", "/abs", "a\\b", "a\x00b", "SG", "SG101", "Create", "modify",
     "two words", "créer", "src/*", "true", "0", "domains-dir", "app"]
)  # fmt: skip
SCALARS = WORDS | st.booleans() | st.integers(-1, 2) | st.floats(allow_nan=False) | st.none()
JUNK = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=2).map(tuple)
        | st.dictionaries(WORDS, inner, max_size=3)
    ),
    max_leaves=6,
)


def typed(annotation: Any) -> st.SearchStrategy[Any]:
    """Values of the type a schema field declares (some of them refused by its validator)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is str:
        return WORDS
    if annotation is bool:
        return st.booleans()
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([st.none() if a is type(None) else typed(a) for a in args])
    if origin is list:
        return st.lists(typed(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(WORDS, typed(args[1]), max_size=3)
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return section(annotation)


@st.composite
def section(draw: st.DrawFn, schema: type[BaseModel]) -> dict[Any, Any]:
    data: dict[Any, Any] = {}
    for name, declared in schema.model_fields.items():
        spelling = draw(st.sampled_from(["absent", "absent", "key", "key", "name", "both"]))
        if spelling == "absent":
            continue
        value = draw(
            typed(declared.annotation) | JUNK
            if draw(st.integers(0, 5)) == 0
            else typed(declared.annotation)
        )
        keys = {"key": [declared.alias], "name": [name], "both": [declared.alias, name]}[spelling]
        for key in keys:
            data[key] = value
    if draw(st.integers(0, 7)) == 0:
        data[draw(WORDS | st.integers(0, 1))] = draw(JUNK)
    return data


@settings(max_examples=400, deadline=None)
@given(section(config_schema.Config))
def test_the_plain_check_agrees_with_the_schema_or_defers(data: dict[Any, Any]) -> None:
    try:
        expected: config.Config | str = config_schema.validate(data)
    except ValidationError:
        expected = "refused"
    found = config.plainly_valid(data)
    if found is not None:
        assert found == expected
        assert found.as_json() == expected.as_json()  # type: ignore[union-attr]
    # what a reader of slicegen.toml gets: the schema's config, or its one-line error
    try:
        slow: config.Config | str = config_schema.parse(data, SOURCE)
    except SlicegenError as exc:
        slow = exc.message
    try:
        fast: config.Config | str = config.parse_config(data, SOURCE)
    except SlicegenError as exc:
        fast = exc.message
    assert fast == slow


def test_a_full_valid_config_takes_the_plain_path() -> None:
    data = {
        "stack": "elixir",
        "app": "shop",
        "event-store": "eventstore",
        "domains_dir": "apps",
        "lint": {
            "select": ["SG"],
            "extend-crud-verbs": ["Modify"],
            "per-file-ignores": {"tests/*": ["SG101"]},
            "respect-gitignore": False,
            "boundaries": {"allow": {"orders": ["accounts"]}, "namespaces": {"o": "Shop.O"}},
        },
    }
    found = config.plainly_valid(data)
    assert found is not None
    assert found == config_schema.validate(data)
    assert found.lint.extend_crud_verbs == ["modify"]


@pytest.mark.parametrize(
    "data",
    [
        {"stack": "ruby"},
        {"lint": {"crud-verbs": ["two words"]}},
        {"domains-dir": "../out"},
        {"lint": {"respect-gitignore": "yes"}},  # the schema coerces it; the plain check does not
        {"lint": {"select": ("SG",)}},
        {"unknown": 1},
        {"app": "shop", "lint": {"boundaries": {"strict": True, "stric": True}}},
    ],
)
def test_anything_else_goes_to_the_schema(data: dict[str, Any]) -> None:
    assert config.plainly_valid(data) is None


def test_reading_a_valid_config_imports_no_pydantic(tmp_path: Path) -> None:
    (tmp_path / "slicegen.toml").write_text(
        'stack = "python"\napp = "shop"\n\n[lint]\nignore = ["SG101"]\n'
        '[lint.boundaries]\nallow = { orders = ["accounts"] }\n',
        encoding="utf-8",
    )
    code = (
        "import sys; from pathlib import Path; from slicegen.config import find_config; "
        f"found = find_config(Path({str(tmp_path)!r})); "
        "print(found[1].lint.ignore, 'pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['SG101']", "False"]
