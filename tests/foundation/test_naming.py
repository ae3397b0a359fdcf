"""The naming module: validation, case conversion, past participles, CRUD detection."""

from __future__ import annotations

import pytest

from slicegen import naming
from slicegen.errors import SlicegenError


@pytest.mark.parametrize(
    ("command", "event"),
    [
        ("initialize_account", "account_initialized"),
        ("establish_profile", "profile_established"),
        ("cast_vote", "vote_cast"),
        ("pay_invoice", "invoice_paid"),
        ("ship_order", "order_shipped"),
        ("submit_claim", "claim_submitted"),
        ("grant_membership", "membership_granted"),
        ("register_loyalty_card", "loyalty_card_registered"),
        ("begin_session", "session_begun"),
        ("split_bill", "bill_split"),
        ("verify_email", "email_verified"),
    ],
)
def test_default_event_uses_real_past_participles(command: str, event: str) -> None:
    assert naming.default_event(command) == event


def test_default_event_needs_an_object() -> None:
    with pytest.raises(SlicegenError, match="no object"):
        naming.default_event("activate")


@pytest.mark.parametrize(
    "name",
    ["accounts", "initialize_account", "a", "v2_thing", "x" * naming.MAX_NAME_LENGTH],
)
def test_valid_names_pass(name: str) -> None:
    assert naming.validate_name(name) == name


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "empty"),
        ("../etc", "path separator"),
        ("a/b", "path separator"),
        ("a\\b", "path separator"),
        ("a..b", "path separator"),
        ("café", "non-ASCII"),
        ("\u0430ccount", "non-ASCII"),  # a Cyrillic letter that looks like "a"
        ("Account", "try 'account'"),
        ("initializeAccount", "try 'initialize_account'"),
        ("kebab-name", "try 'kebab_name'"),
        ("1account", "snake_case"),
        ("_private", "snake_case"),
        ("double__underscore", "snake_case"),
        ("trailing_", "snake_case"),
        ("class", "Python keyword"),
        ("match", "Python keyword"),
        ("nil", "Elixir reserved"),
        ("end", "Elixir reserved"),
        ("when", "Elixir reserved"),
        ("x" * (naming.MAX_NAME_LENGTH + 1), "at most 64"),
        ("a\x00b", "NUL"),
    ],
)
def test_bad_names_are_refused_with_a_reason(name: str, fragment: str) -> None:
    with pytest.raises(SlicegenError) as info:
        naming.validate_name(name, "domain name")
    message = info.value.message
    assert fragment in message
    assert "\n" not in message
    assert message.startswith("domain name")


@pytest.mark.parametrize(
    ("source", "snake", "pascal", "kebab"),
    [
        ("initialize_account", "initialize_account", "InitializeAccount", "initialize-account"),
        (
            "InitializeAccountV1",
            "initialize_account_v1",
            "InitializeAccountV1",
            "initialize-account-v1",
        ),
        ("loyalty-card", "loyalty_card", "LoyaltyCard", "loyalty-card"),
        ("HTTPServer", "http_server", "HttpServer", "http-server"),
        ("cast_vote_v2", "cast_vote_v2", "CastVoteV2", "cast-vote-v2"),
    ],
)
def test_case_conversions(source: str, snake: str, pascal: str, kebab: str) -> None:
    assert naming.to_snake(source) == snake
    assert naming.to_pascal(source) == pascal
    assert naming.to_kebab(source) == kebab


def test_conversions_round_trip() -> None:
    for name in ["register_loyalty_card", "vote_cast", "a1_b2"]:
        assert naming.to_snake(naming.to_pascal(name)) == name
        assert naming.to_snake(naming.to_kebab(name)) == name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("command_v2", ("command", 2)),
        ("CastVoteV1", ("CastVote", 1)),
        ("maybe_cast_vote_v12", ("maybe_cast_vote", 12)),
        ("command", ("command", None)),
        ("v1", ("v1", None)),
    ],
)
def test_split_version(name: str, expected: tuple[str, int | None]) -> None:
    assert naming.split_version(name) == expected


@pytest.mark.parametrize(
    ("event", "verb"),
    [
        ("ProfileCreated", "create"),
        ("account_updated", "update"),
        ("UserDeletedV2", "delete"),
        ("profile_created_v1", "create"),
        ("ProfileEstablished", None),
        ("CreatedProfile", None),
    ],
)
def test_crud_event_detection(event: str, verb: str | None) -> None:
    assert naming.crud_verb_in_event(event) == verb


def test_crud_detection_with_configured_verbs() -> None:
    verbs = (*naming.CRUD_VERBS, "modify", "save")
    assert naming.crud_verb_in_event("AccountModified", verbs) == "modify"
    assert naming.crud_verb_in_event("AccountModified") is None
    assert naming.crud_verb_in_command("save_draft", verbs) == "save"


def test_crud_suggestions_keep_the_callers_style() -> None:
    assert naming.suggest_event_names("ProfileCreated")[:2] == [
        "ProfileEstablished",
        "ProfileRegistered",
    ]
    assert "profile_closed_v2" in naming.suggest_event_names("profile_deleted_v2")
    assert naming.suggest_command_names("create_profile")[0] == "establish_profile"
    assert naming.suggest_event_names("ProfileEstablished") == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [("cast", True), ("casted", False), ("paid", True), ("activation", False), ("begun", True)],
)
def test_is_past_participle(word: str, expected: bool) -> None:
    assert naming.is_past_participle(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cast", True),
        ("casted", True),  # the guideline's own VoteCastedV1
        ("activation", False),
        ("favorited", True),  # not in the dictionary, inflected back from lemminflect's guess
        ("unfollowed", True),  # a verb prefix before a participle
        ("unstarred", True),
        ("leaderboard", False),
        ("red", False),  # a known word that is no verb keeps the dictionary's verdict
        ("seed", False),
    ],
)
def test_names_a_past(word: str, expected: bool) -> None:
    assert naming.names_a_past(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("follow", True), ("unfollow", True), ("reopen", True), ("favorite", False), ("uuid", False)],
)
def test_names_an_act(word: str, expected: bool) -> None:
    assert naming.names_an_act(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("initialize", True), ("cast", True), ("summary", False), ("initialized", False)],
)
def test_is_base_verb(word: str, expected: bool) -> None:
    assert naming.is_base_verb(word) is expected


def test_type_strings_and_topics() -> None:
    assert naming.event_type_string("AccountInitialized", 2) == "account_initialized:v2"
    assert naming.fact_topic("accounts", "AccountActivated") == "accounts:facts:account_activated"
    assert naming.event_verb("account_initialized") == "initialized"


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("accounts", "account"),
        ("inventories", "inventory"),
        ("loyalty_cards", "loyalty_card"),
        ("addresses", "address"),
        ("catalog", "catalog"),
    ],
)
def test_singular(plural: str, singular: str) -> None:
    assert naming.singular(plural) == singular
