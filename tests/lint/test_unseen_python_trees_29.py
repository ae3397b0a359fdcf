"""Premises checked on more Python trees slicegen had not been tuned on (issue 29): a library's
subpackages, which its examples import, are its parts and not bounded contexts. Trees written
here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, files: Files, *codes: str) -> list[tuple[str, str, int]]:
    write(root, files)
    _, found = lint_json(root, select=list(codes) or ["SG"])
    return sorted((f["code"], f["path"], f["line"]) for f in found)


def _library(examples: dict[str, str]) -> Files:
    """A mediator library: ``dispatching`` uses ``messages``' internals, each re-exports its
    own modules (which made both domains), and ``messages/contracts/event.py`` holds its
    abstract base event."""
    return {
        "pyproject.toml": '[project]\nname = "mediator"\n',
        "src/mediator/__init__.py": "",
        "src/mediator/messages/__init__.py": "from mediator.messages.base import Message\n",
        "src/mediator/messages/base.py": "class Message:\n    pass\n",
        "src/mediator/messages/contracts/__init__.py": "",
        "src/mediator/messages/contracts/event.py": (
            "from mediator.messages.base import Message\n\n\nclass IEvent(Message):\n    pass\n"
        ),
        "src/mediator/dispatching/__init__.py": "from .default import Dispatcher\n",
        "src/mediator/dispatching/default.py": (
            "from mediator.messages.base import Message\n\n\n"
            "class Dispatcher:\n    def send(self, m: Message) -> None:\n        pass\n"
        ),
        **examples,
    }


def test_a_librarys_subpackages_are_no_domains(tmp_path: Path) -> None:
    """With an ``examples/`` script importing the package as its users do, the package is a
    library: no SG501 between its subpackages, no SG103/SG201 on its base event class. The
    same tree without the example keeps reading the subpackages as domains."""
    example = {"examples/simple.py": "from mediator.dispatching import Dispatcher\n"}
    codes = ("SG501", "SG103", "SG201", "SG301")
    assert _found(tmp_path / "lib", _library(example), *codes) == []
    app = _found(tmp_path / "app", _library({}), *codes)
    assert ("SG501", "src/mediator/dispatching/default.py", 1) in app


def test_an_example_that_does_not_import_the_package_makes_no_library(tmp_path: Path) -> None:
    """An ``examples/`` folder holding other code (a client of some other service) says
    nothing about the package: its subpackages stay domains."""
    example = {"examples/client.py": "import requests\n\nrequests.get('http://x')\n"}
    found = _found(tmp_path / "repo", _library(example), "SG501")
    assert found == [("SG501", "src/mediator/dispatching/default.py", 1)]


def _messages(root: Path, files: Files, code: str) -> list[str]:
    write(root, files)
    _, found = lint_json(root, select=[code])
    return sorted(f["message"].split(" has ")[0] for f in found)


def test_a_source_folder_taken_whole_is_named_after_its_holder(tmp_path: Path) -> None:
    """Two microservices' ``<service>/src/`` (their ``commands/`` and ``events/`` right in
    ``src``) are two domains named after the service, where both were one named ``src``; a
    repository's root ``src`` package taken whole is named after the repository."""
    service = {
        "src/__init__.py": "",
        "src/commands/__init__.py": "",
        "src/commands/place.py": "class PlaceOrder:\n    pass\n",
        "src/events/__init__.py": "",
        "src/events/placed.py": ("class OrderPlaced:\n    event_type = 'order_placed'\n"),
    }
    files = {f"services/{s}/{p}": t for s in ("cart", "payment") for p, t in service.items()}
    assert _messages(tmp_path / "shop", files, "SG601") == [
        "domain 'cart'",
        "domain 'payment'",
    ]
    assert _messages(tmp_path / "ledger-app", service, "SG601") == ["domain 'ledger_app'"]


def test_a_projection_base_and_a_projection_test_project_nothing(tmp_path: Path) -> None:
    """``common/projection.py`` holding the ``Projection`` base that projections subclass (an
    ``eventsourcing`` process application with a default policy) and a documentation's
    ``wait_for_projection.py`` holding ``test_*`` functions are no projections (no SG201,
    SG303, SG307); a ``projection.py`` whose class projects an event still is."""
    files: Files = {
        "src/__init__.py": "",
        "src/shop/__init__.py": "",
        "src/shop/events.py": "class OrderPlaced:\n    sku: str\n",
        "src/shop/common/__init__.py": "",
        "src/shop/common/projection.py": (
            "from eventsourcing.system import ProcessApplication\n\n\n"
            "class Projection(ProcessApplication):\n"
            "    def policy(self, domain_event, process_event):\n        pass\n"
        ),
        "src/shop/checks/__init__.py": "",
        "src/shop/checks/wait_for_projection.py": (
            "async def test_wait_for_single_projection(store):\n    await store.wait()\n"
        ),
    }
    assert _found(tmp_path / "none", files, "SG201", "SG303", "SG307") == []
    files["src/shop/read/__init__.py"] = ""
    files["src/shop/read/projection.py"] = (
        "from shop.common.projection import Projection\n\n\n"
        "class OrderSummary(Projection):\n    def handle(self, event):\n        pass\n"
    )
    found = _found(tmp_path / "one", files, "SG201", "SG303", "SG307")
    assert {path for _, path, _ in found} == {"src/shop/read/projection.py"}


def test_a_modules_own_shared_domain_layer_locates_the_module(tmp_path: Path) -> None:
    """petisco's layout keeps a module's events in ``<module>/shared/domain/events.py``, beside
    its use cases (``<module>/approve/application/``): the module is a domain and its CRUD events
    are judged (they went unjudged: ``shared`` is never a domain). A top-level shared kernel's
    ``src/shared/domain/events.py`` still locates none."""
    events = (
        "from petisco import DomainEvent\n\n\n"
        "class TransactionCreated(DomainEvent):\n    data: dict\n\n\n"
        "class TransactionApproved(DomainEvent):\n    data: dict\n"
    )
    base = "from pydantic import BaseModel\n\n\nclass DomainEvent(BaseModel):\n    pass\n"
    files: Files = {
        "svc/__init__.py": "",
        "svc/src/__init__.py": "",
        "svc/src/shared/__init__.py": "",
        "svc/src/shared/domain/__init__.py": "",
        "svc/src/shared/domain/events.py": base,
        "svc/src/transaction/__init__.py": "",
        "svc/src/transaction/shared/__init__.py": "",
        "svc/src/transaction/shared/domain/__init__.py": "",
        "svc/src/transaction/shared/domain/events.py": events,
        "svc/src/transaction/approve/__init__.py": "",
        "svc/src/transaction/approve/application/__init__.py": "",
        "svc/src/transaction/approve/application/approver.py": "class Approver:\n    pass\n",
    }
    assert _found(tmp_path / "repo", files, "SG101", "SG601") == [
        ("SG101", "svc/src/transaction/shared/domain/events.py", 4),
        ("SG601", "svc/src/transaction", 1),
    ]


def test_an_event_handler_on_a_base_named_event_is_no_event(tmp_path: Path) -> None:
    """A use case's ``AddBookToAuthorEventHandler(BaseEvent)``, whose abstract base is a
    handler protocol misnamed ``BaseEvent``, handles events: no SG103. A class on that base
    named as an event still is one."""
    base = (
        "from abc import ABC, abstractmethod\n\n\n"
        "class BaseEvent(ABC):\n"
        "    @abstractmethod\n    async def handle(self, param=None):\n        ...\n"
    )
    handler = (
        "from common.event import BaseEvent\n\n\n"
        "class AddBookToAuthorEventHandler(BaseEvent):\n"
        "    async def handle(self, param=None):\n        pass\n"
    )
    files: Files = {
        "common/__init__.py": "",
        "common/event.py": base,
        "modules/__init__.py": "",
        "modules/author/__init__.py": "",
        "modules/author/usecase/__init__.py": "",
        "modules/author/usecase/add_book/__init__.py": "",
        "modules/author/usecase/add_book/command.py": "class AddBookCommand:\n    pass\n",
        "modules/author/usecase/add_book/on_book.py": handler,
    }
    write(tmp_path / "none", files)
    _, found = lint_json(tmp_path / "none", select=["SG103"], parse_all=True)
    assert found == []
    files["modules/author/usecase/add_book/on_book.py"] = handler.replace(
        "AddBookToAuthorEventHandler", "BookAdditionEvent"
    )
    write(tmp_path / "one", files)
    _, found = lint_json(tmp_path / "one", select=["SG103"], parse_all=True)
    assert [(f["path"], f["line"]) for f in found] == [
        ("modules/author/usecase/add_book/on_book.py", 4)
    ]


def test_an_aggregates_singular_event_folder_beside_its_command_folder(tmp_path: Path) -> None:
    """ambar's layout keeps an aggregate's events in ``<aggregate>/event/`` beside the
    ``<aggregate>/command/<slice>/`` folders: they are events (SG201 on the unversioned file,
    SG101 on a CRUD name). An ``event/`` folder with no ``command/`` beside it (a business area
    named ``event``) is parsed, as a normal run now parses every ``event/`` folder (polar's
    ``event/system.py`` was judged only with ``--parse-all``), but its files are no event files:
    SG101 on the event class its code shows, no SG201."""
    event = (
        "from common.event.creation_event import CreationEvent\n\n\n"
        "class MembershipCreated(CreationEvent):\n    first_name: str\n"
    )
    files: Files = {
        "domain/club/membership/command/submit_application/submit_application_command.py": (
            "class SubmitApplicationCommand:\n    first_name: str\n"
        ),
        "domain/club/membership/event/membership_created.py": event,
        "domain/club/venue/event/membership_created.py": event,
        "common/event/event.py": "from abc import ABC\n\n\nclass Event(ABC):\n    pass\n",
        "common/event/creation_event.py": (
            "from common.event.event import Event\n\n\nclass CreationEvent(Event):\n    pass\n"
        ),
    }
    assert _found(tmp_path / "repo", files, "SG101", "SG201") == [
        ("SG101", "domain/club/membership/event/membership_created.py", 4),
        ("SG101", "domain/club/venue/event/membership_created.py", 4),
        (
            "SG201",
            "domain/club/membership/command/submit_application/submit_application_command.py",
            1,
        ),
        ("SG201", "domain/club/membership/event/membership_created.py", 1),
    ]


def test_a_flat_librarys_grouped_events_make_no_domain(tmp_path: Path) -> None:
    """An event store client laid out flat (``esdbclient/events.py`` holding its subscription
    messages ``Checkpoint`` and ``CaughtUp``), whose ``samples/`` import it, is a library: no
    domain, no SG601, SG306 or SG103. Without the samples it is read as before."""
    events = (
        "from dataclasses import dataclass\n\n\n"
        "@dataclass(frozen=True)\nclass RecordedEvent:\n    type: str\n\n\n"
        "@dataclass(frozen=True)\nclass Checkpoint(RecordedEvent):\n    commit_position: int\n\n\n"
        "@dataclass(frozen=True)\nclass CaughtUp(RecordedEvent):\n    pass\n"
    )
    files: Files = {"client/__init__.py": "", "client/events.py": events}
    codes = ("SG601", "SG306", "SG103")
    assert _found(tmp_path / "app", files, *codes) != []
    files["samples/reading_events.py"] = "from client import Client\n"
    assert _found(tmp_path / "lib", files, *codes) == []
    del files["samples/reading_events.py"]
    files["docs/examples/stores/get_set.py"] = "import client\n"
    assert _found(tmp_path / "documented", files, *codes) == []


def test_an_examples_package_importing_itself_is_no_library(tmp_path: Path) -> None:
    """An app's ``examples/`` package whose modules import each other
    (``from examples.shop.events import ...``) shows no library: its grouped CRUD events are
    judged as before (SG101, SG306)."""
    events = (
        "class UserCreated:\n    event_type = 'user_created:v1'\n\n\n"
        "class UserRenamed:\n    event_type = 'user_renamed:v1'\n"
    )
    files: Files = {
        "examples/__init__.py": "",
        "examples/shop/__init__.py": "",
        "examples/shop/events.py": events,
        "examples/shop/app.py": "from examples.shop.events import UserCreated\n",
    }
    assert _found(tmp_path / "repo", files, "SG101", "SG306") == [
        ("SG101", "examples/shop/events.py", 1),
        ("SG306", "examples/shop/events.py", 1),
    ]
