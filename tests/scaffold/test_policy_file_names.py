"""A policy's file name is declared once (``stacks/artifacts``): ``policy_file`` for both stacks'
remove and refusal plans, ``POLICY`` (the name without its version) for the tree reader. Its
event and command are snake_case names, digits allowed; a dot or a dash makes no policy's name
(no module of either stack is named so). Before, the reader took any characters and each plan
had its own pattern. Likewise an Elixir slice's event module (``is_event_file``), which the
remove and rename plans each matched with a pattern of their own."""

from __future__ import annotations

import pytest

from slicegen.stacks.artifacts import is_event_file, kind_from_stem, policy_file

SHAPES = [
    (
        "when_account_opened_then_establish_profile_v1.py",
        ".py",
        ("account_opened", "establish_profile"),
    ),
    ("when_level_2_reached_then_grant_badge_v12.ex", ".ex", ("level_2_reached", "grant_badge")),
    ("when_v2_order_placed_then_ship_order_v1.ex", ".ex", ("v2_order_placed", "ship_order")),
    ("src/shop/a/domain/b/when_level_2_reached_then_b_v1.py", ".py", ("level_2_reached", "b")),
    ("when_account-opened_then_establish_profile_v1.ex", ".ex", None),
    ("when_account.opened_then_establish_profile_v1.py", ".py", None),
    ("when_account_opened_then_establish-profile_v1.ex", ".ex", None),
    ("when_account_opened_then_establish_profile.py", ".py", None),  # no version
    ("when_account_opened_then_establish_profile_v1.ex", ".py", None),  # the other stack's
    ("when_account_opened_then_establish_profile_v1.py.bak", ".py", None),
    ("test_when_account_opened_then_establish_profile_v1.py", ".py", None),  # its test
    ("a/when_account_opened_then_establish_profile_v1.py/x.py", ".py", None),
]


@pytest.mark.parametrize(("path", "ext", "parts"), SHAPES)
def test_the_names_a_policy_file_may_have(
    path: str, ext: str, parts: tuple[str, str] | None
) -> None:
    assert policy_file(path, ext) == parts


def test_a_part_the_plan_knows_settles_a_name_with_then_in_it() -> None:
    name = "when_order_placed_then_pay_then_ship_v1.ex"
    assert policy_file(name, ".ex") == ("order_placed_then_pay", "ship")
    assert policy_file(name, ".ex", command="pay_then_ship") == ("order_placed", "pay_then_ship")
    assert policy_file(name, ".ex", event="order_placed") == ("order_placed", "pay_then_ship")
    assert policy_file(name, ".ex", event="order_placed", command="ship") is None
    assert policy_file("when_a_b_then_c_v1.py", ".py", event="a.b") is None  # literal, no pattern


@pytest.mark.parametrize(
    ("stem", "kind"),
    [
        ("when_account_opened_then_establish_profile_v1", "policy"),
        ("when_level_2_reached_then_grant_badge_v12", "policy"),
        ("when_account_opened_then_establish_profile", "policy"),  # unversioned: SG201's
        ("when_account-opened_then_establish_profile_v1", None),
        ("when_account.opened_then_establish_profile_v1", None),
        ("when_account_opened_then_establish-profile_v1", None),
    ],
)
def test_the_reader_takes_the_same_names_as_policies(stem: str, kind: str | None) -> None:
    assert kind_from_stem(stem) == kind


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("apps/a/lib/a/domain/open_account/event_v1.ex", True),
        ("apps/a/lib/a/domain/open_account/event_v12.ex", True),
        ("apps/a/lib/a/domain/open_account/event_v1.exs", False),
        ("apps/a/lib/a/domain/open_account/event.ex", False),
        ("apps/a/lib/a/domain/open_account/event_v1_v2.ex", False),
        ("apps/a/lib/a/domain/open_account/old_event_v1.ex", False),
        ("apps/a/lib/a/domain/open_account/event_v1.py", False),
    ],
)
def test_the_names_an_event_module_may_have(path: str, found: bool) -> None:
    assert is_event_file(path, ".ex") is found
