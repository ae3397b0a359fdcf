"""The design of existing code is built without pydantic's validation (``checked_*``): the result
must be exactly what validating the same data in a :class:`DesignModel` gives, and must be absent
exactly where that validation fails."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from slicegen.config import read_config_file
from slicegen.design import checked
from slicegen.design.from_workspace import design_of, layout_of
from slicegen.design.model import (
    DesignModel,
    DomainDesign,
    SliceDesign,
    checked_design,
    checked_domain,
    checked_slice,
)
from slicegen.model.load import load_model
from slicegen.storm.document import derived_blocks
from slicegen.storm.drift import find_drift
from slicegen.storm.summary import summarize
from tests.conftest import loaded_by

from .test_workspaces import build_source, doc_path, ok

NAMES = ["account_initialized", "summary", "x", "", "Bad", "class", "two__words", "a:b", "a/b"]
SPECS = [
    "email:str",
    "email:string",
    "tags:list[str]",
    "note:str?",
    "count:int",
    "count:integer",
    "Email:str",
    "bad name:str",
    "when:unknown",
    "email",
    "id:uuid",
]
TRIGGERS = [
    "account_initialized",
    "accounts:account_initialized",
    "billing:invoice_paid",
    "Billing:invoice_paid",
    "billing:Paid",
    "a:b:c",
    "",
]

versions = st.lists(
    st.fixed_dictionaries(
        {
            "version": st.sampled_from([0, 1, 2, 3]),
            "fields": st.lists(st.sampled_from(SPECS), max_size=4),
            "event_type": st.sampled_from([None, "", "account_initialized:v1", "custom:v9"]),
        }
    ),
    max_size=3,
)
projections = st.lists(
    st.fixed_dictionaries(
        {
            "read_model": st.sampled_from(NAMES),
            "versions": st.lists(st.integers(1, 3), min_size=1, max_size=2),
        }
    ),
    max_size=2,
)
policies = st.lists(
    st.fixed_dictionaries({"on": st.sampled_from(TRIGGERS), "version": st.sampled_from([0, 1, 2])}),
    max_size=2,
)
slices = st.fixed_dictionaries(
    {
        "event": st.sampled_from([n for n in NAMES if n]),  # never empty (documented)
        "description": st.sampled_from(["", "What it does."]),
        "versions": versions,
        "projections": projections,
        "policies": policies,
    }
)


def _validated(data: dict[str, Any]) -> SliceDesign | None:
    document = {"domains": {"accounts": {"aggregate": "account", "slices": {"do_it": data}}}}
    try:
        return DesignModel.model_validate(document).domains["accounts"].slices["do_it"]
    except ValidationError:
        return None


@settings(max_examples=400, deadline=None)
@given(slices)
def test_checked_slice_is_the_validated_slice(data: dict[str, Any]) -> None:
    expected = _validated(data)
    built = checked_slice(data, "accounts")
    assert built == expected
    if built is not None and expected is not None:
        assert built.model_dump() == expected.model_dump()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=3))
def test_checked_domain_fails_where_validation_fails(aggregate: str, facts: list[str]) -> None:
    try:
        expected: DomainDesign | None = DomainDesign.model_validate(
            {"aggregate": aggregate, "facts": facts}
        )
    except ValidationError:
        expected = None
    assert checked_domain(aggregate, {}, facts) == expected


def test_checked_design_is_the_validated_design() -> None:
    data = {
        "event": "account_initialized",
        "description": "",
        "versions": [{"version": 1, "fields": ["email:string"], "event_type": None}],
        "projections": [{"read_model": "summary", "versions": [1]}],
        "policies": [{"on": "accounts:account_opened", "version": 1}],
    }
    built = checked_slice(data, "accounts")
    assert built is not None
    domain = checked_domain("account", {"initialize_account": built}, ["account_initialized"])
    assert domain is not None
    design = checked_design("shop", "python", {"accounts": domain})
    document = {
        "app": "shop",
        "stack": "python",
        "domains": {
            "accounts": {
                "aggregate": "account",
                "slices": {"initialize_account": data},
                "facts": ["account_initialized"],
            }
        },
    }
    assert design == DesignModel.model_validate(document)
    assert design.domains["accounts"].slices["initialize_account"].policies[0].on == (
        "account_opened"
    )


# --- the plain classes lint's drift check builds (no pydantic) ---------------------------------


@settings(max_examples=400, deadline=None)
@given(slices)
def test_a_plain_slice_holds_what_the_model_slice_holds(data: dict[str, Any]) -> None:
    model = checked_slice(data, "accounts")
    plain = checked.checked_slice(data, "accounts", checked.PLAIN)
    assert (plain is None) == (model is None)
    if plain is not None and model is not None:
        assert asdict(plain) == model.model_dump()
        assert [plain.event_type(v) for v in plain.versions] == [
            model.event_type(v) for v in model.versions
        ]
        for a, b in zip(plain.policies, model.policies, strict=True):
            assert (a.trigger("accounts"), a.module("x")) == (b.trigger("accounts"), b.module("x"))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=3))
def test_a_plain_domain_fails_where_the_model_domain_fails(
    aggregate: str, facts: list[str]
) -> None:
    model = checked_domain(aggregate, {}, facts)
    plain = checked.checked_domain(aggregate, {}, facts, checked.PLAIN)
    assert (None if plain is None else asdict(plain)) == (model and model.model_dump())


@pytest.fixture(scope="module", params=["python", "elixir"])
def workspace(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    stack: str = request.param
    root = tmp_path_factory.mktemp(f"plain_{stack}")
    build_source(root, stack)
    ok("storm", "-C", str(root))
    return stack, root


def test_the_plain_design_of_a_workspace_renders_what_the_model_renders(
    workspace: tuple[str, Path],
) -> None:
    """Slices, versions, a projection, a fact and a policy across domains, both stacks: the
    same data, the same derived sections and summary, and the same drift (none, then some)."""
    stack, root = workspace
    model = load_model(root, read_config_file(root / "slicegen.toml")).model
    validated = design_of(model)
    plain = design_of(model, plain=True)
    assert isinstance(plain, checked.Design) and isinstance(validated, DesignModel)
    assert asdict(plain) == validated.model_dump()
    layout = layout_of(model)
    for name in validated.domains:
        text = doc_path(stack, root, name).read_text(encoding="utf-8")
        for mermaid in (False, True):
            assert derived_blocks(plain, name, layout, mermaid) == derived_blocks(
                validated, name, layout, mermaid
            )
        assert summarize(plain, name) == summarize(validated, name)
        assert find_drift(plain, name, text, layout) == find_drift(validated, name, text, layout)
        stale = text.replace("slicegen:begin", "slicegen:begin ", 1) + "\nmore\n"
        assert find_drift(plain, name, stale, layout) == find_drift(validated, name, stale, layout)


def test_a_lint_run_with_storming_documents_imports_no_pydantic(
    workspace: tuple[str, Path],
) -> None:
    """SG602 runs (the workspace has storming documents) on the plain design."""
    _, root = workspace
    assert loaded_by(["lint", "--no-cache", "--select", "SG602"], root, ("pydantic",)) == []
