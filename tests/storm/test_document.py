"""The storming document rendered from a design model: kept prose, sessions, diagram, drift."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.design.layout import Layout
from slicegen.design.model import DesignModel, parse_design
from slicegen.markers import find_block
from slicegen.storm.document import regenerate, sessions
from slicegen.storm.drift import find_drift
from slicegen.storm.skeleton import render_skeleton

T1 = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
T2 = datetime(2030, 2, 3, 4, 5, tzinfo=UTC)
T3 = datetime(2030, 3, 4, 5, 6, tzinfo=UTC)

DESIGN = """
app: shop
stack: python
domains:
  accounts:
    aggregate: account
    slices:
      initialize_account:
        description: Opens an account for a customer who signed up.
        versions:
          - version: 1
            fields: [email:str, name:str]
        projections: [summary]
      activate_account:
        policies: [account_initialized]
    facts: [account_activated]
  profiles:
    aggregate: profile
    slices:
      establish_profile:
        versions:
          - {version: 1, fields: ["nickname:str?"]}
        policies: ["accounts:account_activated"]
"""

LAYOUT = Layout.default("python", "shop")


def design(text: str = DESIGN) -> DesignModel:
    return parse_design(text, "design.yaml")


def with_prose(doc: str) -> str:
    """The skeleton as a team would edit it: prose between and after the derived sections."""
    doc = doc.replace(
        "## Executive summary\n", "## Executive summary\n\nCustomers sign up; we check them.\n"
    )
    doc = doc.replace("## Code structure\n", "Note: ask Kim about refunds.\n\n## Code structure\n")
    return doc + "\n## Open questions\n\n- Who may close an account?\n"


def outside_blocks(text: str) -> str:
    """The document with every slicegen block's content cut out (what the team owns)."""
    return re.sub(
        r"(<!-- slicegen:begin (\w+) -->).*?(<!-- slicegen:end \2 -->)", r"\1\3", text, flags=re.S
    )


def without_new_sessions(text: str, count: int) -> str:
    parts = re.split(r"(?=^### Session )", text, flags=re.M)
    kept = parts[: len(parts) - count] if count else parts
    return "".join(kept)


def test_regeneration_keeps_every_hand_written_byte() -> None:
    doc = with_prose(render_skeleton("shop", "accounts", "python", "account", now=T1))
    new = regenerate(doc, design(), "accounts", LAYOUT, now=T2)
    assert new != doc
    # Only the blocks and the appended session differ: the rest is the team's text, unchanged.
    head = new.split("### Session 2030-02-03 04:05 UTC")[0].rstrip("\n")
    rest_before = outside_blocks(doc).split("\n## Open questions")[0].rstrip("\n")
    assert outside_blocks(head) == rest_before
    assert "Customers sign up; we check them." in new
    assert "Note: ask Kim about refunds." in new
    assert new.index("## Open questions") > new.index("### Session 2030-02-03 04:05 UTC")
    assert new.endswith("## Open questions\n\n- Who may close an account?\n")


def test_crlf_documents_stay_crlf() -> None:
    doc = render_skeleton("shop", "accounts", "python", "account", now=T1).replace("\n", "\r\n")
    new = regenerate(doc, design(), "accounts", LAYOUT, now=T2)
    assert "\n" not in new.replace("\r\n", "")
    assert find_drift(design(), "accounts", new, LAYOUT) == []


def test_session_log_grows_only_when_the_design_changes() -> None:
    doc = render_skeleton("shop", "accounts", "python", "account", now=T1)
    assert sessions(doc) == ["2030-01-02 03:04 UTC"]
    first = regenerate(doc, design(), "accounts", LAYOUT, now=T2)
    assert sessions(first) == ["2030-01-02 03:04 UTC", "2030-02-03 04:05 UTC"]
    again = regenerate(first, design(), "accounts", LAYOUT, now=T3)
    assert again == first
    versioned = DESIGN.replace(
        "fields: [email:str, name:str]\n",
        "fields: [email:str, name:str]\n          - version: 2\n"
        '            fields: [email:str, name:str, "note:str?"]\n',
    )
    grown = regenerate(first, design(versioned), "accounts", LAYOUT, now=T3)
    assert sessions(grown)[-1] == "2030-03-04 05:06 UTC" and len(sessions(grown)) == 3
    last = grown.split("### Session 2030-03-04 05:06 UTC")[1]
    assert "Versioned `initialize_account`" in last and "account_initialized:v2" in last
    assert "Added slice" not in last


def test_first_session_lists_what_was_added() -> None:
    doc = render_skeleton("shop", "profiles", "python", "profile", now=T1)
    new = regenerate(doc, design(), "profiles", LAYOUT, now=T2)
    entry = new.split("### Session 2030-02-03 04:05 UTC")[1]
    assert "Added slice `establish_profile`" in entry
    assert "`profile_established:v1`" in entry and "`nickname:str?`" in entry
    assert "when_account_activated_then_establish_profile_v1" in entry
    assert "accounts:facts:account_activated" in entry


def test_removal_is_recorded() -> None:
    doc = regenerate(
        render_skeleton("shop", "accounts", "python", "account", now=T1),
        design(),
        "accounts",
        LAYOUT,
        now=T2,
    )
    smaller = DESIGN.replace("        projections: [summary]\n", "")
    new = regenerate(doc, design(smaller), "accounts", LAYOUT, now=T3)
    assert "- Removed projection `summary` (v1) in `initialize_account`." in new


def test_fresh_skeleton_has_no_drift_and_drift_after_a_change() -> None:
    empty = design("app: shop\nstack: python\ndomains:\n  accounts: {aggregate: account}\n")
    doc = render_skeleton("shop", "accounts", "python", "account", now=T1)
    assert find_drift(empty, "accounts", doc, LAYOUT) == []
    drift = find_drift(design(), "accounts", doc, LAYOUT)
    joined = "\n".join(drift)
    for section in ("diagram", "structure", "slices"):
        assert f"section '{section}' is out of date" in joined
    assert "the design changed since the last session" in joined
    current = regenerate(doc, design(), "accounts", LAYOUT, now=T2)
    assert find_drift(design(), "accounts", current, LAYOUT) == []


def test_hand_edit_inside_a_derived_section_is_drift() -> None:
    doc = regenerate(
        render_skeleton("shop", "accounts", "python", "account", now=T1),
        design(),
        "accounts",
        LAYOUT,
        now=T2,
    )
    edited = doc.replace("### activate_account", "### activate_the_account")
    assert any("section 'slices'" in m for m in find_drift(design(), "accounts", edited, LAYOUT))


def test_deleted_markers_are_reported_and_restored() -> None:
    doc = render_skeleton("shop", "accounts", "python", "account", now=T1)
    block = find_block(doc, "structure")
    assert block is not None
    cut = doc.replace(
        f"<!-- slicegen:begin structure -->\n{block}<!-- slicegen:end structure -->\n", ""
    )
    assert any(
        "lacks its '<!-- slicegen:begin structure -->'" in m
        for m in find_drift(design(), "accounts", cut, LAYOUT)
    )
    restored = regenerate(cut, design(), "accounts", LAYOUT, now=T2)
    assert find_drift(design(), "accounts", restored, LAYOUT) == []


def test_mermaid_is_added_beside_the_ascii_diagram_and_sticks() -> None:
    doc = render_skeleton("shop", "accounts", "python", "account", now=T1)
    with_mermaid = regenerate(doc, design(), "accounts", LAYOUT, mermaid=True, now=T2)
    diagram = find_block(with_mermaid, "diagram") or ""
    assert "```text" in diagram and "```mermaid\nflowchart LR" in diagram
    assert "InitializeAccountV1" in diagram.split("```mermaid")[1]
    again = regenerate(with_mermaid, design(), "accounts", LAYOUT, now=T3)
    assert again == with_mermaid
    assert find_drift(design(), "accounts", with_mermaid, LAYOUT) == []


def test_diagram_shows_cross_domain_policies_on_both_sides() -> None:
    model = design()
    accounts = regenerate(
        render_skeleton("shop", "accounts", "python", "account"), model, "accounts", LAYOUT
    )
    profiles = regenerate(
        render_skeleton("shop", "profiles", "python", "profile"), model, "profiles", LAYOUT
    )
    source = find_block(accounts, "diagram") or ""
    target = find_block(profiles, "diagram") or ""
    policy = "when_account_activated_then_establish_profile_v1"
    assert "fact accounts:facts:account_activated" in source
    assert f"profiles: policy {policy} -> establish_profile" in source
    assert f"policy {policy}  on fact accounts:facts:account_activated (from accounts)" in target


def test_elixir_structure_follows_the_elixir_layout() -> None:
    layout = Layout.default("elixir", "reckon")
    model = design(DESIGN.replace("app: shop\nstack: python", "app: reckon\nstack: elixir"))
    doc = regenerate(
        render_skeleton("reckon", "accounts", "elixir", "account"), model, "accounts", layout
    )
    tree = find_block(doc, "structure") or ""
    assert tree.splitlines()[1] == "apps/reckon_accounts/lib/"
    assert "maybe_initialize_account_v1.ex" in tree
    assert "apps/reckon_shared/lib/reckon_shared/accounts/" in tree
    assert "account_activated_fact.ex" in tree


NOUNS = ["account", "vote", "order", "invoice", "ticket", "profile"]
VERBS = ["activate", "cast", "pay", "close", "reopen", "approve", "ship"]


@st.composite
def designs(draw: st.DrawFn) -> DesignModel:
    """A domain with random slices, versions, projections, same-domain policies and facts."""
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(VERBS), st.sampled_from(NOUNS)),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    commands = [f"{verb}_{noun}" for verb, noun in pairs]
    slices: dict[str, object] = {}
    for command in commands:
        entry: dict[str, object] = {
            "versions": [{"version": n} for n in range(1, draw(st.integers(1, 3)) + 1)],
            "projections": draw(st.lists(st.sampled_from(["summary", "history"]), unique=True)),
        }
        slices[command] = entry
    model = DesignModel.model_validate(
        {
            "app": "shop",
            "stack": "python",
            "domains": {"sales": {"aggregate": "sale", "slices": slices}},
        }
    )
    events = [s.event for s in model.domains["sales"].slices.values()]
    data = model.model_dump()
    for command in commands:
        triggers = draw(st.lists(st.sampled_from(events), unique=True, max_size=2))
        data["domains"]["sales"]["slices"][command]["policies"] = [{"on": e} for e in triggers]
    data["domains"]["sales"]["facts"] = draw(st.lists(st.sampled_from(events), unique=True))
    return DesignModel.model_validate(data)


@settings(max_examples=40, deadline=None)
@given(designs())
def test_ascii_diagram_names_every_command_event_and_policy(model: DesignModel) -> None:
    doc = regenerate(render_skeleton("shop", "sales", "python", "sale"), model, "sales", LAYOUT)
    diagram = find_block(doc, "diagram") or ""
    assert diagram.isascii()
    dom = model.domains["sales"]
    for command, slice_ in dom.slices.items():
        for v in slice_.versions:
            assert f"{''.join(w.title() for w in command.split('_'))}V{v.version}" in diagram
            assert slice_.event_type(v) in diagram
        for policy in slice_.policies:
            assert policy.module(command) in diagram
        for projection in slice_.projections:
            assert f"read model {projection.read_model}" in diagram
    for event in dom.facts:
        assert f"sales:facts:{event}" in diagram
    assert find_drift(model, "sales", doc, LAYOUT) == []


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_structure_and_slices_are_ascii_and_stable(stack: str) -> None:
    layout = Layout.default(stack, "shop")
    doc = regenerate(
        render_skeleton("shop", "accounts", stack, "account"), design(), "accounts", layout, now=T2
    )
    for block in ("structure", "slices", "model"):
        assert (find_block(doc, block) or "").isascii()
    assert regenerate(doc, design(), "accounts", layout, now=T3) == doc


def test_no_mermaid_removes_the_flowchart() -> None:
    doc = render_skeleton("shop", "accounts", "python", "account", now=T1)
    with_mermaid = regenerate(doc, design(), "accounts", LAYOUT, mermaid=True, now=T2)
    plain = regenerate(with_mermaid, design(), "accounts", LAYOUT, mermaid=False, now=T3)
    assert "```mermaid" not in plain and "```text" in plain
    assert sessions(plain) == sessions(with_mermaid)
