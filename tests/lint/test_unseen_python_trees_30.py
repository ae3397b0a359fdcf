"""Premises checked on more Python trees slicegen had not been tuned on (issue 30): trees just
outside the field (a terminal UI framework, a chat bot framework, a homeserver, a build
system's worker) whose ``events.py``, ``commands/`` and ``handlers/`` are no event-sourced
domain's. Trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, files: Files, *codes: str) -> list[tuple[str, str, int]]:
    write(root, files)
    _, found = lint_json(root, select=list(codes) or ["SG"])
    return sorted((f["code"], f["path"], f["line"]) for f in found)


def _ui_library(examples: Files) -> Files:
    """A UI framework in ``src/``: its ``events.py`` holds input events (``Mount(Event)``),
    and a ``command.py`` (a command palette) right in the package."""
    return {
        "pyproject.toml": '[project]\nname = "widgetry"\n',
        "src/widgetry/__init__.py": "",
        "src/widgetry/message.py": "class Message:\n    pass\n",
        "src/widgetry/events.py": (
            "from widgetry.message import Message\n\n\n"
            "class Event(Message):\n    pass\n\n\n"
            "class Mount(Event):\n    pass\n\n\n"
            "class Click(Event):\n    x: int\n    y: int\n"
        ),
        "src/widgetry/command.py": ("class Palette:\n    def open(self) -> None:\n        pass\n"),
        **examples,
    }


def test_a_library_in_src_with_a_module_named_as_a_slice_is_no_domain(tmp_path: Path) -> None:
    """A library's ``src/<package>/command.py`` made ``src`` a domain (its package read as a
    slice), so the library's UI events were judged (textual: 36 SG103, SG306, 12 SG404 from
    its documentation's examples). The package is a library, as its examples show, wherever
    the file sits in it; without the examples the same tree is still judged."""
    example = {"docs/examples/hello.py": "from widgetry.events import Mount\n"}
    assert _found(tmp_path / "lib", _ui_library(example)) == []
    app = _found(tmp_path / "app", _ui_library({}))
    assert ("SG103", "src/widgetry/events.py", 8) in app


def _tool(commands: Files) -> Files:
    """A packaging tool whose ``console/commands/`` holds its cleo-style commands: a base
    ``Command(BaseCommand)``, bases with no ``handle`` of their own (``EnvCommand``,
    ``InstallerCommand``), the commands built on them, and one in a folder of its own."""
    pkg = "src/packer/console/commands"
    return {
        "src/packer/__init__.py": "",
        "src/packer/console/__init__.py": "",
        f"{pkg}/__init__.py": "",
        f"{pkg}/command.py": (
            "from clitool.commands import BaseCommand\n\n\n"
            "class Command(BaseCommand):\n    def option(self, name: str) -> str:\n"
            "        return name\n"
        ),
        f"{pkg}/env_command.py": (
            "from packer.console.commands.command import Command\n\n\n"
            "class EnvCommand(Command):\n    def set_env(self, env: str) -> None:\n"
            "        self.env = env\n"
        ),
        f"{pkg}/installer_command.py": (
            "from .env_command import EnvCommand\n\n\n"
            "class InstallerCommand(EnvCommand):\n    def installer(self) -> None:\n"
            "        pass\n"
        ),
        f"{pkg}/sync.py": (
            "from packer.console.commands.installer_command import InstallerCommand\n\n\n"
            "class SyncCommand(InstallerCommand):\n    name = 'sync'\n"
        ),
        f"{pkg}/self/__init__.py": "",
        f"{pkg}/self/self_command.py": (
            "from packer.console.commands.installer_command import InstallerCommand\n\n\n"
            "class SelfCommand(InstallerCommand):\n    def reset_env(self) -> None:\n"
            "        pass\n"
        ),
        **commands,
    }


def test_the_bases_of_a_programs_commands_are_no_messages(tmp_path: Path) -> None:
    """A class in ``commands/`` that subclasses, through modules beside it, a program's
    command (``Command(BaseCommand)``) is one too: poetry's ``EnvCommand``,
    ``InstallerCommand``, ``SyncCommand`` and ``self/self_command.py`` gave SG201, SG104 and
    a slice ``self`` (SG301, SG302). A command message beside them is still judged."""
    assert _found(tmp_path / "tool", _tool({})) == []
    message = {
        "src/packer/console/commands/publish.py": (
            "from pydantic import BaseModel\n\n\nclass Publication(BaseModel):\n    repo: str\n"
        )
    }
    found = _found(tmp_path / "mixed", _tool(message), "SG201", "SG104")
    assert found == [("SG201", "src/packer/console/commands/publish.py", 1)]


def test_a_module_reading_a_command_line_is_no_command(tmp_path: Path) -> None:
    """synapse's ``app/admin_cmd.py`` (``argparse``, a ``main()``, a server class) was read
    as a reckon-style command by its ``_cmd`` name: a slice ``app`` (SG301, SG302), SG201 and
    SG104. A ``_cmd`` module holding a command message still is one."""
    program = (
        "import argparse\n\n\nclass AdminServer:\n    pass\n\n\n"
        "def main() -> None:\n    argparse.ArgumentParser().parse_args()\n"
    )
    files = {
        "server/__init__.py": "",
        "server/events/__init__.py": "",
        "server/events/room_joined.py": "class RoomJoined:\n    room: str\n",
        "server/app/__init__.py": "",
        "server/app/admin_cmd.py": program,
    }
    assert _found(tmp_path / "srv", files, "SG301", "SG302", "SG201", "SG104") == [
        ("SG201", "server/events/room_joined.py", 1)
    ]
    message = "from pydantic import BaseModel\n\n\nclass Admin(BaseModel):\n    name: str\n"
    found = _found(tmp_path / "msg", {**files, "server/app/admin_cmd.py": message}, "SG104")
    assert found == [("SG104", "server/app/admin_cmd.py", 4)]


def test_an_unversioned_x_to_y_module_projects_only_an_event(tmp_path: Path) -> None:
    """synapse's ``_scripts/move_remote_media_to_new_store.py`` and a storage module
    ``end_to_end_keys.py`` were projections by their ``_to_``: SG201, SG303. One whose name
    starts with an event (``room_joined_to_members.py``) still is."""
    files = {
        "server/__init__.py": "",
        "server/events/__init__.py": "",
        "server/events/room_joined.py": "class RoomJoined:\n    room: str\n",
        "server/storage/__init__.py": "",
        "server/storage/end_to_end_keys.py": "class KeyLookup:\n    pass\n",
        "server/scripts/__init__.py": "",
        "server/scripts/move_media_to_new_store.py": "def main() -> None:\n    pass\n",
    }
    assert _found(tmp_path / "a", files, "SG303") == []
    projection = {"server/storage/room_joined_to_members.py": "def project(e) -> None:\n    pass\n"}
    found = _found(tmp_path / "b", {**files, **projection}, "SG303")
    assert found == [("SG303", "server/storage/room_joined_to_members.py", 1)]


def _server(extra: Files) -> Files:
    """A server whose ``events/`` holds one event beside other modules."""
    return {
        "server/__init__.py": "",
        "server/events/__init__.py": "",
        "server/events/room_joined.py": "class RoomJoined:\n    room: str\n",
        **extra,
    }


def test_a_helpers_module_in_a_technical_folder_holds_no_artifact(tmp_path: Path) -> None:
    """synapse's ``events/utils.py`` (``FilteredEvent``, a serializer, functions) was an
    event file: SG201 'rename it utils_v1'. A module named as a layer (``utils``, ``types``,
    ``helpers``) holds the folder's helpers; an event module beside it is still judged."""
    utils = {"server/events/utils.py": "class FilteredEvent:\n    pass\n"}
    assert _found(tmp_path / "a", _server(utils), "SG201") == [
        ("SG201", "server/events/room_joined.py", 1)
    ]


def test_a_policy_file_that_only_reads_events_is_no_policy(tmp_path: Path) -> None:
    """synapse's ``handlers/room_policy.py`` asks a policy server whether an event is spam:
    it imports events to judge them and dispatches no command (SG201, SG304, SG307 and the
    folder's SG308). One that names a command it sends is a policy."""
    judge = (
        "from server.events.room_joined import RoomJoined\n\n\n"
        "class RoomPolicyHandler:\n    def is_spam(self, e: RoomJoined) -> bool:\n"
        "        return False\n"
    )
    files = {"server/handlers/__init__.py": "", "server/handlers/room_policy.py": judge}
    assert _found(tmp_path / "a", _server(files), "SG304") == []
    sends = judge.replace(
        "from server.events", "from server.commands.ban import BanUser\nfrom server.events"
    )
    found = _found(tmp_path / "b", _server({**files, "server/handlers/room_policy.py": sends}))
    assert ("SG304", "server/handlers/room_policy.py", 5) in found


def test_django_models_of_a_log_of_events_are_no_events(tmp_path: Path) -> None:
    """awx's ``models/events.py`` holds Django models (``UnpartitionedJobEvent(JobEvent)``,
    ``JobEvent(BasePlaybookEvent)``, ``BasePlaybookEvent(CreatedModifiedModel)``): rows of a
    job's output, gave SG101/SG103/SG306. Without Django's ORM the same classes are events."""
    models = (
        "from django.db import models\n\n\n"
        "class CreatedModifiedModel(models.Model):\n    pass\n\n\n"
        "class BaseJobEvent(CreatedModifiedModel):\n    pass\n\n\n"
        "class JobUpdateEvent(BaseJobEvent):\n    pass\n\n\n"
        "class UnpartitionedJobUpdateEvent(JobUpdateEvent):\n    pass\n"
    )
    files = {"ops/__init__.py": "", "ops/main/__init__.py": "", "ops/main/events.py": models}
    assert _found(tmp_path / "a", files, "SG101", "SG103", "SG306") == []
    plain = models.replace("from django.db import models\n", "from ops import models\n")
    found = _found(tmp_path / "b", {**files, "ops/main/events.py": plain}, "SG101")
    assert ("SG101", "ops/main/events.py", 16) in found


def test_a_command_its_handler_is_named_after_is_one(tmp_path: Path) -> None:
    """A pydantic command in ``commands/`` (``CreateUserCommand(BaseModel)``) was never shown
    to be one, so its name went unjudged (anmarkoulis' event-sourcing: 3 CRUD commands, SG102
    when selected). A handler class named after it (``CreateUserCommandHandler``) shows it is;
    without one the class is judged as before (no finding)."""
    command = (
        "from pydantic import BaseModel\n\n\nclass UserRemovalCommand(BaseModel):\n    id: int\n"
    )
    handler = (
        "from app.users.commands.remove import UserRemovalCommand\n\n\n"
        "class UserRemovalCommandHandler:\n"
        "    def handle(self, command: UserRemovalCommand) -> None:\n        pass\n"
    )
    files = {
        "app/__init__.py": "",
        "app/users/__init__.py": "",
        "app/users/commands/__init__.py": "",
        "app/users/commands/remove.py": command,
    }
    assert _found(tmp_path / "a", files, "SG104") == []
    with_handler = {
        **files,
        "app/users/handlers/__init__.py": "",
        "app/users/handlers/remove.py": handler,
    }
    assert _found(tmp_path / "b", with_handler, "SG104") == [
        ("SG104", "app/users/commands/remove.py", 4)
    ]


def _chat(extra: Files) -> Files:
    """A chat service laid out by layer: events in ``domain/events/``, commands in
    ``logic/commands/``."""
    return {
        "app/__init__.py": "",
        "app/domain/__init__.py": "",
        "app/domain/events/__init__.py": "",
        "app/domain/events/chats.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass ChatOpened:\n"
            "    chat_id: str\n"
        ),
        "app/logic/__init__.py": "",
        "app/logic/commands/__init__.py": "",
        "app/logic/commands/chats.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass OpenChatCommand:\n"
            "    title: str\n"
        ),
        **extra,
    }


def test_a_mediators_abstract_classes_make_no_slice(tmp_path: Path) -> None:
    """``logic/mediator/command.py`` (``CommandMediator(ABC)``) and ``event.py``
    (``EventMediator(ABC)``) made a slice ``mediator``: SG301, SG302, SG201 x2, SG104,
    SG103. An abstract class is no command; the same folder holding a command still is one."""
    abstract = (
        "from abc import ABC, abstractmethod\n\n\nclass {0}Mediator(ABC):\n"
        "    @abstractmethod\n    def send(self, message: object) -> None: ...\n"
    )
    mediator = {
        "app/logic/mediator/__init__.py": "",
        "app/logic/mediator/command.py": abstract.format("Command"),
        "app/logic/mediator/event.py": abstract.format("Event"),
    }
    codes = ("SG301", "SG302", "SG103", "SG104")
    assert _found(tmp_path / "a", _chat(mediator), *codes) == []
    concrete = "from dataclasses import dataclass\n\n\n@dataclass\nclass Mediate:\n    x: int\n"
    real = {**mediator, "app/logic/mediator/command.py": concrete}
    assert ("SG301", "app/logic/mediator", 1) in _found(tmp_path / "b", _chat(real), *codes)


def test_handlers_of_a_web_layer_are_no_command_handlers(tmp_path: Path) -> None:
    """``application/api/messages/handlers.py`` holds FastAPI routes that send commands
    (``create_chat_handler``): SG306 '9 handlers'. Outside a web layer such a file is still a
    file of command handlers."""
    routes = (
        "from app.logic.commands.chats import OpenChatCommand\n\n\n"
        "def open_chat_handler(title: str) -> None:\n    OpenChatCommand(title)\n\n\n"
        "def close_chat_handler(title: str) -> None:\n    OpenChatCommand(title)\n"
    )
    api = {"app/application/__init__.py": "", "app/application/api/__init__.py": ""}
    web = {**api, "app/application/api/handlers.py": routes}
    assert _found(tmp_path / "a", _chat(web), "SG306") == []
    logic = {**api, "app/application/handlers.py": routes}
    assert _found(tmp_path / "b", _chat(logic), "SG306") == [
        ("SG306", "app/application/handlers.py", 1)
    ]


def test_commands_a_program_runs_are_no_messages(tmp_path: Path) -> None:
    """A build worker's ``commands/`` holds the commands it runs for its master:
    ``MakeDirectory(base.Command)``, whose base has ``start`` and ``interrupt`` (buildbot:
    SG201 x3, SG104, SG308). A command message beside them is still judged."""
    files = {
        "worker/__init__.py": "",
        "worker/commands/__init__.py": "",
        "worker/commands/base.py": (
            "class Command:\n    def start(self) -> None:\n        pass\n\n"
            "    def interrupt(self) -> None:\n        pass\n"
        ),
        "worker/commands/fs.py": (
            "from worker.commands import base\n\n\nclass MakeDirectory(base.Command):\n"
            "    def start(self) -> None:\n        pass\n"
        ),
        "worker/commands/shell.py": (
            "from worker.commands import base\n\n\nclass WorkerShellCommand(base.Command):\n"
            "    pass\n"
        ),
    }
    assert _found(tmp_path / "a", files, "SG201", "SG104") == []
    message = {"worker/commands/pause.py": "class PauseBuild:\n    reason: str\n"}
    assert _found(tmp_path / "b", {**files, **message}, "SG201") == [
        ("SG201", "worker/commands/pause.py", 1)
    ]


def test_a_command_file_holding_its_handler_first_yields_the_command(tmp_path: Path) -> None:
    """A ``commands/`` file with the handler above the command it handles gave the handler as
    the file's command (SG104 on ``PublisherCommandHandler``, the command's name unjudged)."""
    text = (
        "from dataclasses import dataclass\n\n\n"
        "class PublisherCommandHandler:\n"
        "    def handle(self, command: 'PublisherCommand') -> None:\n        pass\n\n\n"
        "@dataclass\nclass PublisherCommand:\n    name: str\n"
    )
    files = {
        "app/__init__.py": "",
        "app/books/__init__.py": "",
        "app/books/commands/__init__.py": "",
        "app/books/commands/publish.py": text,
    }
    found = _found(tmp_path / "a", files, "SG104")
    assert found == [("SG104", "app/books/commands/publish.py", 10)]


def test_sg201_suggests_a_snake_case_file_name(tmp_path: Path) -> None:
    """A camelCase event file (``applicationConfigured``) was told to become
    ``applicationConfigured_v1``; the guideline's file names are snake case."""
    files = {
        "app/__init__.py": "",
        "app/setup/__init__.py": "",
        "app/setup/events/__init__.py": "",
        "app/setup/events/applicationConfigured.py": "class ApplicationConfigured:\n    x: int\n",
    }
    write(tmp_path, files)
    _, found = lint_json(tmp_path, select=["SG201"])
    assert [f["message"].rsplit(" ", 1)[-1] for f in found] == ["'application_configured_v1'"]


def test_a_framework_whose_documented_examples_import_it_is_a_library(tmp_path: Path) -> None:
    """opsdroid's ``docs/examples/*.md`` show skills importing it (``from opsdroid.skill
    import Skill``): a framework, whose ``events.py`` (``JoinRoom(Event)``, ``Typing(Event)``)
    is its API, no domain's (45 findings). A page that imports nothing says nothing."""
    bot = {
        "chatbot/__init__.py": "",
        "chatbot/events.py": (
            "class Event:\n    pass\n\n\nclass JoinRoom(Event):\n    room: str\n\n\n"
            "class Typing(Event):\n    user: str\n"
        ),
        "chatbot/skill.py": "class Skill:\n    pass\n",
    }
    page = "# Hello\n\n```python\nfrom chatbot.skill import Skill\n```\n"
    assert _found(tmp_path / "a", {**bot, "docs/examples/hello.md": page}) == []
    prose = "# Hello\n\nWrite a skill.\n"
    found = _found(tmp_path / "b", {**bot, "docs/examples/hello.md": prose}, "SG103")
    assert ("SG103", "chatbot/events.py", 5) in found
