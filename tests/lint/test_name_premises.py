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


def test_events_an_aggregate_declares_are_read_and_judged(make_tree: Callable[..., Path]) -> None:
    """Nested event classes and the eventsourcing library's ``@event`` (any folder, tests aside);
    the events of a base aggregate (``Pet``, subclassed by ``Cat``) are not judged."""
    model = (
        "from eventsourcing.domain import Aggregate, event\n"  # 1
        "class Dog(Aggregate):\n"
        "    class Registered(Aggregate.Created):\n"
        "        name: str\n"
        "    class ProfileUpdated(Aggregate.Event):\n"  # 5
        "        pass\n"
        '    @event("TrickAdded")\n'
        "    def add_trick(self, trick): ...\n"
        '    @event("OwnerDeleted")\n'
        "    def remove_owner(self): ...\n"  # 10
        "    @event\n"
        "    def record_vaccination(self): ...\n"
        "class Pet(Base):\n"  # a base aggregate of the tree: its events are base classes
        "    class Created(Base.Created):\n"
        "        pass\n"
        "class Cat(Pet):\n"
        "    pass\n"
    )
    root = make_tree("python", {"dogs/domainmodel.py": model, "tests/test_dogs.py": model})
    _, found = lint_json(root, select=NAMES)
    assert {(f["code"], f["path"], f["line"], f["names"][0]) for f in found} == {
        ("SG101", "dogs/domainmodel.py", 5, "profile_updated"),
        ("SG101", "dogs/domainmodel.py", 9, "owner_deleted"),
        ("SG103", "dogs/domainmodel.py", 11, "record_vaccination"),  # named after the method
    }


def test_a_mapper_declares_type_strings_for_events(make_tree: Callable[..., Path]) -> None:
    """A type string an event type mapper gives an event is the event's: judged as an event name
    (SG101 on a CRUD one), and not 'emitted by no event' (SG405) when the event exists."""
    mapper = (
        "defmodule ReckonAccounts.Mapper do\n"
        "  def to_event_type(Elixir.ReckonAccounts.Domain.InitializeAccount.EventV1),\n"
        '    do: "account_initialized:v1"\n'
        '  def to_event_type(ReckonAccounts.Domain.OpenAccount.EventV1), do: "account_opened:v9"\n'
        '  def to_event_type(ReckonAccounts.Domain.Gone.EventV1), do: "poll_created:v1"\n'
        "end\n"
    )
    opened = _ex("Domain.OpenAccount.EventV1")  # no event_type/0: the mapper gives its type
    root = make_tree(
        "elixir",
        {f"{ACC}/mapper.ex": mapper, f"{ACC}/domain/open_account/event_v1.ex": opened},
    )
    _, found = lint_json(root, select=[*NAMES, "SG405"])
    assert {(f["code"], f["line"], f["names"][0]) for f in found} == {
        ("SG101", 5, "poll_created"),  # a CRUD event spelled only as a mapped type string
        ("SG405", 5, "poll_created:v1"),  # mapped for a module that does not exist
    }


def test_base_classes_in_events_modules_are_not_domain_events(
    make_tree: Callable[..., Path],
) -> None:
    """A shared ``events.py`` of base classes (python-ddd's seedwork) is not grouped events
    (SG306) and importing it is no domain-event leak (SG404); real events still are both."""
    extra: Files = {
        "src/shop/profiles/__init__.py": "",
        "src/shop/profiles/events.py": (
            "from pydantic import BaseModel\n"
            "class DomainEvent(BaseModel):\n    pass\n"
            "class EventId(BaseModel):\n    pass\n"
            "class EventResult(BaseModel):\n    pass\n"
        ),
        f"{PY}/events.py": (
            "from shop.profiles.events import DomainEvent\n"
            "class AccountOpened(DomainEvent):\n    pass\n"
            "class AccountClosed(DomainEvent):\n    pass\n"
        ),
        "src/shop/profiles/reactions.py": "from shop.accounts.events import AccountOpened\n",
        "src/shop/profiles/tests/test_reactions.py": (
            "from shop.accounts.events import AccountOpened\n"
        ),
    }
    _, found = lint_json(make_tree("python", extra), select=["SG306", "SG404"])
    assert {(f["code"], f["path"]) for f in found} == {
        ("SG306", f"{PY}/events.py"),
        ("SG404", "src/shop/profiles/reactions.py"),
    }


def test_a_python_mapper_declares_type_strings(make_tree: Callable[..., Path]) -> None:
    mapper = (
        "from shop.accounts.domain.close_account.event_v1 import AccountClosedV1\n"
        'TYPES = {"account_closed:v1": AccountClosedV1, "account_deleted:v1": GoneV1}\n'
    )
    closed = "class AccountClosedV1:\n    pass\n"  # emits no type string of its own
    root = make_tree(
        "python",
        {f"{PY}/mapper.py": mapper, f"{PY}/domain/close_account/event_v1.py": closed},
    )
    _, found = lint_json(root, select=["SG101", "SG405"])
    assert {(f["code"], f["names"][0]) for f in found} == {
        ("SG101", "account_deleted"),
        ("SG405", "account_deleted:v1"),
    }
