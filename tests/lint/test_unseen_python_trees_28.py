"""Premises checked on more Python trees slicegen had not been tuned on (issue 28): the enums,
value models and base of a hand-rolled event store's ``models/events.py``, a framework's
schedule decorator, a microservice's command service in ``commands/``, MQTT topics of a tree
with no domain, and the files a library names ``projection`` that project nothing. Trees
written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, files: Files, *codes: str) -> list[tuple[str, str, int]]:
    write(root, files)
    _, found = lint_json(root, select=list(codes) or ["SG"])
    return [(f["code"], f["path"], f["line"]) for f in found]


def test_a_grouped_events_file_holds_only_the_classes_that_say_they_are_events(
    tmp_path: Path,
) -> None:
    """In ``models/events.py`` an ``Enum``, a value model and the events' ``BaseEvent`` are no
    events, though the file emits type strings: a type string makes an event of the class whose
    body holds it. The events themselves are still judged (SG101, SG306)."""
    events = (
        "from enum import Enum\n"  # 1
        "from pydantic import BaseModel\n"  # 2
        "\n"  # 3
        "class RiskTier(str, Enum):\n"  # 4
        '    LOW = "LOW"\n'  # 5
        "\n"  # 6
        "class CreditDecision(BaseModel):\n"  # 7
        "    tier: RiskTier\n"  # 8
        "\n"  # 9
        "class BaseEvent(BaseModel):\n"  # 10
        "    event_type: str\n"  # 11
        "\n"  # 12
        "class ApplicationSubmitted(BaseEvent):\n"  # 13
        '    event_type: str = "ApplicationSubmitted"\n'  # 14
        "\n"  # 15
        "class PackageCreated(BaseEvent):\n"  # 16
        '    event_type: str = "PackageCreated"\n'  # 17
        "\n"  # 18
        "class StreamMetadata(BaseModel):\n"  # 19
        "    stream_id: str\n"  # 20
    )
    files: Files = {
        "src/__init__.py": "",
        "src/loans/__init__.py": "",
        "src/loans/models/__init__.py": "",
        "src/loans/models/events.py": events,
    }
    found = _found(tmp_path / "repo", files, "SG101", "SG103", "SG306")
    assert found == [
        ("SG306", "src/loans/models/events.py", 1),
        ("SG101", "src/loans/models/events.py", 16),
    ]
    _, raw = lint_json(tmp_path / "repo", select=["SG306"])
    assert "2 events (ApplicationSubmitted, PackageCreated)" in raw[0]["message"]


def test_a_schedule_decorator_declares_no_event(tmp_path: Path) -> None:
    """minos' ``@enroute.periodic.event("* * * * *")`` is a cron schedule, no event name: no
    SG103. The ``eventsourcing`` library's ``@event("Registered")`` still declares one."""
    service = (
        "class CryptoCommandService:\n"
        '    @enroute.periodic.event("* * * * *")\n'
        "    async def refresh(self, request):\n"
        "        pass\n"
        "\n"
        "class Dog(Aggregate):\n"
        '    @event("Registration")\n'
        "    def __init__(self, name):\n"
        "        self.name = name\n"
    )
    files: Files = {
        "src/__init__.py": "",
        "src/crypto/__init__.py": "",
        "src/crypto/events.py": service,
    }
    assert _found(tmp_path / "repo", files, "SG103") == [("SG103", "src/crypto/events.py", 7)]


def test_a_command_service_in_commands_is_no_command(tmp_path: Path) -> None:
    """A microservice's ``commands/services.py`` holding ``CartCommandService(CommandService)``
    (its REST endpoints) is no command file, nor ``commands/cart/add_item_command_dto.py`` (an
    API's transport form of a command): no SG201. A command class beside them still is."""
    files: Files = {
        "src/__init__.py": "",
        "src/cart/__init__.py": "",
        "src/cart/commands/__init__.py": "",
        "src/cart/commands/services.py": (
            "from minos.cqrs import CommandService\n\n\n"
            "class CartCommandService(CommandService):\n"
            "    async def create_cart(self, request):\n        pass\n"
        ),
        "src/cart/commands/cart/__init__.py": "",
        "src/cart/commands/cart/add_item_command_dto.py": (
            "class AddItemCommandDto(BaseModel):\n    sku: str\n"
        ),
    }
    assert _found(tmp_path / "service", files, "SG201") == []
    files["src/cart/commands/add_item.py"] = "class AddItem:\n    sku: str\n"
    assert _found(tmp_path / "command", files, "SG201") == [
        ("SG201", "src/cart/commands/add_item.py", 1)
    ]


def test_a_module_of_no_domain_publishes_no_fact(tmp_path: Path) -> None:
    """esphome's ``client.publish("esphome/discover", None)`` (MQTT, in a tree with no domain)
    is no domain's fact topic: no SG402. A domain's generic topic is still flagged."""
    mqtt = 'def on_connect(client):\n    client.publish("esphome/discover", None)\n'
    files: Files = {"esphome/__init__.py": "", "esphome/mqtt.py": mqtt}
    assert _found(tmp_path / "none", files, "SG402") == []
    files.update(
        {
            "src/__init__.py": "",
            "src/allocation/__init__.py": "",
            "src/allocation/events.py": "class Allocated(Event):\n    sku: str\n",
            "src/allocation/publisher.py": 'def send(r):\n    r.publish("line_allocated", 1)\n',
        }
    )
    assert _found(tmp_path / "domain", files, "SG402") == [
        ("SG402", "src/allocation/publisher.py", 2)
    ]


def test_files_named_projection_that_project_nothing(tmp_path: Path) -> None:
    """Outside a slice, ``exceptions/projection.py`` (``ProjectionError``), a module that only
    re-exports a library's projection classes and ``memory_projection.py`` (a store beside a
    private helper) are no projections: no SG201, SG303 or SG307. A ``projection.py`` that
    defines a projecting function is still judged."""
    files: Files = {
        "src/__init__.py": "",
        "src/shop/__init__.py": "",
        "src/shop/events.py": "class OrderPlaced:\n    sku: str\n",
        "src/shop/exceptions/__init__.py": "",
        "src/shop/exceptions/projection.py": (
            "class ProjectionError(Exception):\n    pass\n\n\n"
            "class ProjectionTimeoutError(ProjectionError):\n    pass\n"
        ),
        "src/shop/core/__init__.py": "",
        "src/shop/core/projection.py": "from shop.core.checkpoint import Checkpointed\n",
        "src/shop/stores/__init__.py": "",
        "src/shop/stores/memory_projection.py": (
            "def _assert_test_environment():\n    pass\n\n\n"
            "class MemoryProjectionStore:\n    pass\n"
        ),
    }
    assert _found(tmp_path / "none", files, "SG201", "SG303", "SG307") == []
    files["src/shop/read/__init__.py"] = ""
    files["src/shop/read/projection.py"] = "def project(state, event):\n    return state\n"
    found = _found(tmp_path / "one", files, "SG201", "SG303", "SG307")
    assert {path for _, path, _ in found} == {"src/shop/read/projection.py"}


def test_a_django_apps_models_package_is_a_layer_not_a_domain(tmp_path: Path) -> None:
    """``winemaking/models/__init__.py`` re-exporting its models (``from .wine_lot import *``)
    is a layer of the app, not a domain that hides the app: the app's ``events/wine_lot.py``,
    whose first class is the enum of its type strings, has its events judged (SG101 on each
    CRUD event, SG201 on the file, SG308 on the folders)."""
    events = (
        "from enum import StrEnum\n"  # 1
        "\n"  # 2
        "class WineLotEventType(StrEnum):\n"  # 3
        '    CREATED = "WINE_LOT_CREATED"\n'  # 4
        '    DELETED = "WINE_LOT_DELETED"\n'  # 5
        "\n"  # 6
        "class WineLotCreated(AggregateEvent):\n"  # 7
        "    event_type = WineLotEventType.CREATED\n"  # 8
        "\n"  # 9
        "class WineLotDeleted(AggregateEvent):\n"  # 10
        "    event_type = WineLotEventType.DELETED\n"  # 11
    )
    files: Files = {
        "src/winemaking/__init__.py": "",
        "src/winemaking/events/__init__.py": "",
        "src/winemaking/events/wine_lot.py": events,
        "src/winemaking/models/__init__.py": "from .wine_lot import *  # noqa F403\n",
        "src/winemaking/models/wine_lot.py": "class WineLot:\n    code: str\n",
    }
    assert _found(tmp_path / "repo", files, "SG101", "SG201", "SG308") == [
        ("SG308", "src/winemaking/events", 1),
        ("SG201", "src/winemaking/events/wine_lot.py", 1),
        ("SG101", "src/winemaking/events/wine_lot.py", 7),
        ("SG101", "src/winemaking/events/wine_lot.py", 10),
        ("SG308", "src/winemaking/models", 1),
    ]


def test_an_apps_events_grouped_by_aggregate_below_a_dto_layer(tmp_path: Path) -> None:
    """A layered event-sourced app (a ``domain/events/`` package) keeps its events in
    ``dto/events/user/`` and its commands in
    ``application/commands/user/``: ``dto/`` and ``exceptions/`` are layers, not domains that
    hide the app; a folder grouping one aggregate's events in ``events/`` gives its files their
    kind; ``UserCreatedV1(EventDTO[...])`` is an event, ``UserCreatedDataV1`` only what it
    carries (no SG306), and the ``description=`` of its ``event_type`` field no type string (no
    SG105)."""
    created = (
        "from pydantic import Field\n"  # 1
        "\n"  # 2
        "class UserCreatedDataV1(ModelConfigBaseModel):\n"  # 3
        "    username: str\n"  # 4
        "\n"  # 5
        "class UserCreatedV1(EventDTO[UserCreatedDataV1]):\n"  # 6
        "    event_type: EventType = Field(\n"  # 7
        '        default=EventType.USER_CREATED, description="User created event"\n'  # 8
        "    )\n"  # 9
        "    data: UserCreatedDataV1\n"  # 10
    )
    files: Files = {
        "src/shop/__init__.py": "",
        "src/shop/dto/__init__.py": "from .base import EventDTO\n",
        "src/shop/dto/base.py": "class EventDTO:\n    pass\n",
        "src/shop/dto/events/__init__.py": "",
        "src/shop/dto/events/user/__init__.py": "",
        "src/shop/dto/events/user/user_created.py": created,
        "src/shop/exceptions/__init__.py": "from .base import ShopError\n",
        "src/shop/exceptions/base.py": "class ShopError(Exception):\n    pass\n",
        "src/shop/domain/__init__.py": "",
        "src/shop/domain/events/__init__.py": "",
        "src/shop/application/__init__.py": "",
        "src/shop/application/commands/__init__.py": "",
        "src/shop/application/commands/user/__init__.py": "",
        "src/shop/application/commands/user/register_user.py": (
            "class RegisterUserCommand(BaseModel):\n    username: str\n"
        ),
    }
    found = _found(tmp_path / "repo", files, "SG101", "SG105", "SG201", "SG306")
    assert found == [
        ("SG201", "src/shop/application/commands/user/register_user.py", 1),
        ("SG201", "src/shop/dto/events/user/user_created.py", 1),
        ("SG101", "src/shop/dto/events/user/user_created.py", 6),
    ]


def test_each_event_of_a_file_grouped_below_events_is_judged(tmp_path: Path) -> None:
    """``events/domain/articles.py`` (events grouped by kind below ``events/``) has each of its
    events judged, not only its first (SG101 on both CRUD events) and is unversioned (SG201);
    ``events/v1/inventory.py`` is versioned by its folder (no SG201). In a grouped
    ``commands.py``, ``SendData`` is a command (SG306 counts it): a ``...Data`` class is a
    payload only beside the message it is named after."""
    files: Files = {
        "app/__init__.py": "",
        "app/events/__init__.py": "",
        "app/events/core.py": "class DomainEvent:\n    pass\n",
        "app/events/domain/__init__.py": "",
        "app/events/domain/articles.py": (
            "class ArticleCreated(DomainEvent):\n    pass\n\n\n"
            "class ArticleDeleted(DomainEvent):\n    pass\n"
        ),
        "app/events/v1/__init__.py": "",
        "app/events/v1/inventory.py": "class StockReservedV1(DomainEvent):\n    pass\n",
        "app/commands.py": (
            "class Command:\n    pass\n\n\nclass RequestWakeup(Command):\n    pass\n\n\n"
            "class SendData(Command):\n    pass\n"
        ),
    }
    assert _found(tmp_path / "repo", files, "SG101", "SG201", "SG306") == [
        ("SG306", "app/commands.py", 1),
        ("SG101", "app/events/domain/articles.py", 1),
        ("SG201", "app/events/domain/articles.py", 1),
        ("SG101", "app/events/domain/articles.py", 5),
    ]
    _, raw = lint_json(tmp_path / "repo", select=["SG306"])
    assert "2 commands (RequestWakeup, SendData)" in raw[0]["message"]
