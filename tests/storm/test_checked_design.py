"""The design of existing code is built without pydantic's validation (``checked_*``): the result
must be exactly what validating the same data in a :class:`DesignModel` gives, and must be absent
exactly where that validation fails."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from slicegen.design.model import (
    DesignModel,
    DomainDesign,
    SliceDesign,
    checked_design,
    checked_domain,
    checked_slice,
)

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
