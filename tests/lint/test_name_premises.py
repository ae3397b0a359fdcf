"""The naming rules judge a name only once the code shows it is a command or an event, and accept
the names the guideline and real trees use (participle inside the name, verbs the dictionary
lacks, the guideline's own ``VoteCasted``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .conftest import lint_json
from .trees import Files, ex_lib

ACC = ex_lib("accounts")
PY = "src/shop/accounts"
NAMES = ["SG101", "SG103", "SG104"]


def _ex(name: str, body: str = "  defstruct [:id]\n") -> str:
    return f"defmodule ReckonAccounts.{name} do\n{body}end\n"


def _found(root: Path) -> set[tuple[str, str]]:
    _, found = lint_json(root, select=NAMES)
    return {(f["code"], f["path"].rsplit("/", 1)[-1]) for f in found}


# A Commanded app laid out by technical folder: events applied by an aggregate or handled by an
# event handler, commands routed or executed, and things that only sit in those folders.
ELIXIR: Files = {
    f"{ACC}/commands/favorite_article.ex": _ex("Commands.FavoriteArticle"),
    f"{ACC}/commands/unfollow_author.ex": _ex("Commands.UnfollowAuthor"),
    f"{ACC}/commands/user_registration.ex": _ex("Commands.UserRegistration"),
    f"{ACC}/commands/uuid_validator.ex": _ex(
        "Commands.UuidValidator", "  def validate(value, _opts), do: value\n"
    ),
    f"{ACC}/commands/dispatcher.ex": _ex("Commands.Dispatcher", "  def run(x), do: x\n"),
    f"{ACC}/events/article_favorited.ex": _ex("Events.ArticleFavorited"),
    f"{ACC}/events/author_unfollowed.ex": _ex("Events.AuthorUnfollowed"),
    f"{ACC}/events/members_joined_club.ex": _ex("Events.MembersJoinedClub"),
    f"{ACC}/events/pending_adjustment.ex": _ex("Events.PendingAdjustment"),
    f"{ACC}/events/author_created.ex": _ex("Events.AuthorCreated"),
    f"{ACC}/events/account_closing.ex": _ex("Events.AccountClosing"),
    f"{ACC}/events/event_helpers.ex": _ex("Events.EventHelpers", "  def wrap(x), do: x\n"),
    f"{ACC}/blog_router.ex": _ex(
        "BlogRouter",
        "  use Commanded.Commands.Router\n"
        "  dispatch([ReckonAccounts.Commands.FavoriteArticle,\n"
        "            ReckonAccounts.Commands.UnfollowAuthor], to: Author)\n",
    ),
    f"{ACC}/aggregates/author.ex": _ex(
        "Aggregates.Author",
        "  alias ReckonAccounts.Commands.UserRegistration\n"
        "  def execute(%Author{}, %UserRegistration{} = c), do: []\n"
        "  def apply(%Author{} = a, %ArticleFavorited{}), do: a\n"
        "  def apply(%Author{} = a, %Events.AuthorUnfollowed{}), do: a\n"
        "  def apply(%Author{} = a,\n"
        "            %MembersJoinedClub{}), do: a\n"
        "  def apply(%Author{} = a, %PendingAdjustment{}), do: a\n"
        "  def apply(%Author{} = a, %AuthorCreated{}), do: a\n",
    ),
    f"{ACC}/closing_handler.ex": _ex(
        "ClosingHandler",
        "  use Commanded.Event.Handler, name: __MODULE__\n"
        "  def handle(%AccountClosing{}, _metadata), do: :ok\n",
    ),
}


def test_elixir_names_are_judged_only_for_real_commands_and_events(
    make_tree: Callable[..., Path],
) -> None:
    assert _found(make_tree("elixir", ELIXIR)) == {
        ("SG104", "user_registration.ex"),  # executed by the aggregate: a command
        ("SG103", "pending_adjustment.ex"),  # applied: an event, with no participle
        ("SG103", "account_closing.ex"),  # handled by an event handler
        ("SG101", "author_created.ex"),  # applied, and a CRUD event
    }


PYTHON: Files = {
    f"{PY}/events.py": (
        "class DomainEvent(BaseModel):\n    pass\n"
        "class CompositeDomainEvent(DomainEvent):\n    pass\n"
        "class IntegrationEvent(BaseModel):\n    pass\n"
        "class EventResult:\n    pass\n"
        "class AccountActivation(DomainEvent):\n    pass\n"
        "class ListingDraftCreatedEvent(DomainEvent):\n    pass\n"
        "class MembersJoinedClub(DomainEvent):\n    pass\n"
    ),
    f"{PY}/commands.py": (
        "class Command(BaseModel):\n    pass\n"
        "class OwnershipTransferCommand(Command):\n    pass\n"
        "class RenameAccountCommand(Command):\n    pass\n"
    ),
}


def test_python_names_are_judged_only_for_real_commands_and_events(
    make_tree: Callable[..., Path],
) -> None:
    _, found = lint_json(make_tree("python", PYTHON), select=NAMES)
    assert {(f["code"], f["names"][0]) for f in found} == {
        ("SG103", "account_activation"),  # subclasses the tree's event base
        ("SG101", "listing_draft_created"),
        ("SG104", "ownership_transfer"),  # subclasses the tree's command base
    }


def test_guideline_participle_is_an_event_name(make_tree: Callable[..., Path]) -> None:
    """The guideline's own ``VoteCastedV1`` in its ``cast_vote`` slice."""
    extra = {
        f"{ACC}/domain/cast_vote/command_v1.ex": _ex("Domain.CastVote.CommandV1"),
        f"{ACC}/domain/cast_vote/event_v1.ex": _ex(
            "Domain.CastVote.EventV1", '  def event_type, do: "vote_casted:v1"\n'
        ),
    }
    assert _found(make_tree("elixir", extra)) == set()
