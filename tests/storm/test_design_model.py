"""The design model's YAML: short forms, round trip, and one-line errors naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from slicegen.design.model import dump_design, load_design, parse_design
from slicegen.errors import SlicegenError

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "design.yaml"


def test_short_forms_are_expanded_with_conventional_defaults() -> None:
    model = parse_design(
        "domains:\n  accounts:\n    aggregate: account\n    slices:\n"
        "      activate_account:\n        projections: [summary]\n"
        "        policies: [account_initialized, 'billing:invoice_paid']\n",
        "d.yaml",
    )
    slice_ = model.domains["accounts"].slices["activate_account"]
    assert slice_.event == "account_activated"
    assert [v.version for v in slice_.versions] == [1]
    assert slice_.versions[0].event_type == "account_activated:v1"
    assert slice_.projections[0].read_model == "summary"
    assert slice_.projections[0].versions == [1]
    assert slice_.policies[0].trigger("accounts") == ("accounts", "account_initialized")
    assert slice_.policies[1].trigger("accounts") == ("billing", "invoice_paid")
    assert slice_.policies[1].module("activate_account") == (
        "when_invoice_paid_then_activate_account_v1"
    )


def test_dump_then_parse_gives_the_same_model() -> None:
    model = load_design(EXAMPLE)
    text = dump_design(model)
    assert parse_design(text, "again.yaml") == model
    assert dump_design(parse_design(text, "again.yaml")) == text


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("domains:\n  accounts:\n    aggregat: account\n", "domains.accounts.aggregat"),
        ("domains:\n  accounts: {}\n", "domains.accounts.aggregate"),
        (
            "domains:\n  accounts:\n    aggregate: account\n    slices:\n      open_account:\n"
            "        versions: [{version: 1, fields: ['email:strr']}]\n",
            "domains.accounts.slices.open_account.versions.0.fields",
        ),
        (
            "domains:\n  accounts:\n    aggregate: account\n    slices:\n      open_account:\n"
            "        versions: [{version: 2}]\n",
            "domains.accounts.slices.open_account.versions",
        ),
        ("domains:\n  Accounts:\n    aggregate: account\n", "domains"),
        ("stack: cobol\n", "stack"),
        ("domains: [a, b\n", "not valid YAML at line"),
        ("- just\n- a list\n", "a design model is a mapping"),
    ],
)
def test_errors_are_one_line_naming_the_file_and_key(yaml_text: str, expected: str) -> None:
    with pytest.raises(SlicegenError) as info:
        parse_design(yaml_text, "model.yaml")
    message = info.value.message
    assert "\n" not in message
    assert message.startswith("model.yaml: ")
    assert expected in message


def test_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SlicegenError, match="cannot be read"):
        load_design(tmp_path / "missing.yaml")
