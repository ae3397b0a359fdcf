"""Premises checked on more Python trees slicegen had not been tuned on (issue 31): a text game
engine whose commands run themselves, a tiling window manager's documentation, a shell's
in-process event species, a messaging library's abstract bases. Trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, files: Files, *codes: str) -> list[tuple[str, str, int]]:
    write(root, files)
    _, found = lint_json(root, select=list(codes) or ["SG"])
    return sorted((f["code"], f["path"], f["line"]) for f in found)


def _game(extra: Files) -> Files:
    """A text game engine: ``commands/`` holds its player commands, each a class that runs
    itself (``func``) after parsing what the player typed, the sets of commands a player has
    (``CmdSet``, iterable), and a ``contrib`` game's grouped ``commands.py``; beside them a
    real domain's ``events/`` with an event really stored."""
    return {
        "engine/__init__.py": "",
        "engine/commands/__init__.py": "",
        "engine/commands/command.py": (
            "class Command:\n    key = 'command'\n\n    def parse(self) -> None:\n"
            "        self.args = self.raw.strip()\n\n    def func(self) -> None:\n"
            "        self.caller.msg('Command called')\n"
        ),
        "engine/commands/default/__init__.py": "",
        "engine/commands/default/general.py": (
            "from engine.commands.command import Command\n\n\n"
            "class CmdLook(Command):\n    key = 'look'\n\n    def func(self) -> None:\n"
            "        self.caller.msg(self.caller.location.describe())\n\n\n"
            "class CmdHome(Command):\n    key = 'home'\n\n    def func(self) -> None:\n"
            "        self.caller.move_to(self.caller.home)\n"
        ),
        "engine/commands/cmdset.py": (
            "class CmdSet:\n    def __init__(self):\n        self.commands = []\n\n"
            "    def __iter__(self):\n        return iter(self.commands)\n\n"
            "    def __contains__(self, cmd):\n        return cmd in self.commands\n\n"
            "    def add(self, cmd):\n        self.commands.append(cmd)\n"
        ),
        "engine/commands/default/cmdset_character.py": (
            "from engine.commands.cmdset import CmdSet\n"
            "from engine.commands.default import general\n\n\n"
            "class CharacterCmdSet(CmdSet):\n    def at_cmdset_creation(self):\n"
            "        self.add(general.CmdLook())\n"
        ),
        "engine/contrib/dungeon/__init__.py": "",
        "engine/contrib/dungeon/commands.py": (
            "from engine.commands.command import Command\n\n\n"
            "class CmdWield(Command):\n    key = 'wield'\n\n    def func(self) -> None:\n"
            "        self.caller.wield(self.args)\n\n\n"
            "class CmdGive(Command):\n    key = 'give'\n\n    def func(self) -> None:\n"
            "        self.caller.give(self.args)\n"
        ),
        **extra,
    }


def test_commands_that_run_themselves_are_no_messages(tmp_path: Path) -> None:
    """A game engine's player commands (a class with ``func``, the engine's way to run a
    command a player typed) were read as domain commands: unversioned command files (SG201),
    ``CmdLook`` not imperative (SG104), grouped modules (SG306), ``commands/`` a technical
    folder (SG308). A message is data that a handler acts on; a command that runs itself is a
    program's command. A true finding in the same tree stays."""
    event = {
        "engine/ledger/__init__.py": "",
        "engine/ledger/events/__init__.py": "",
        "engine/ledger/events/gold.py": (
            "from pydantic import BaseModel\n\n\n"
            "class GoldCreated(BaseModel):\n    event_type: str = 'gold_created:v1'\n"
            "    amount: int\n"
        ),
    }
    found = _found(tmp_path, _game(event), "SG1", "SG2", "SG3")
    assert not [f for f in found if "/commands" in f[1] or f[1].endswith("commands.py")]
    assert ("SG101", "engine/ledger/events/gold.py", 4) in found


def test_a_module_named_as_a_command_with_no_class_is_none(tmp_path: Path) -> None:
    """A documentation extension's ``templates/command.py`` holds a Jinja template string, no
    class: it made ``templates/`` a slice (SG301, SG302, SG104) and was an unversioned command
    file (SG201). A Python command or event is a class; a loosely named file with none holds
    neither. A ``command.py`` holding a class is still judged."""
    files: Files = {
        "docs/wm_docs/__init__.py": "",
        "docs/wm_docs/templates/__init__.py": "",
        "docs/wm_docs/templates/command.py": (
            "from jinja2 import Template\n\ncommands_template = Template('{{ name }}')\n"
        ),
        "docs/wm_docs/templates/graph.py": "graph_template = '{{ graph }}'\n",
    }
    assert _found(tmp_path / "docs", files) == []
    shop = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/place_order/__init__.py": "",
        "shop/orders/place_order/command.py": (
            "from pydantic import BaseModel\n\n\nclass PlaceOrder(BaseModel):\n    sku: str\n"
        ),
    }
    assert ("SG201", "shop/orders/place_order/command.py", 1) in _found(tmp_path / "shop", shop)


def test_an_event_species_that_fires_its_handlers_is_no_event(tmp_path: Path) -> None:
    """A shell's ``events.py`` defines its kinds of in-process events: classes holding their
    handlers and calling them (``fire``), an observer's signal. ``LoadEvent(AbstractEvent)``
    was read as a stored event with no past participle (SG103) and its package as a domain
    lacking a storming document (SG601). A recorded event in the same kind of file is still
    judged."""
    species = (
        "import abc\nimport collections.abc\n\n\n"
        "class AbstractEvent(collections.abc.MutableSet, abc.ABC):\n"
        "    def fire(self, **kwargs):\n        raise NotImplementedError\n\n\n"
        "class Event(AbstractEvent):\n    def __init__(self):\n        self._handlers = set()\n\n"
        "    def add(self, item):\n        self._handlers.add(item)\n\n"
        "    def fire(self, **kwargs):\n        return [h(**kwargs) for h in self._handlers]\n\n\n"
        "class LoadEvent(AbstractEvent):\n    def __init__(self):\n"
        "        self._handlers = set()\n\n"
        "    def fire(self, **kwargs):\n        return [h(**kwargs) for h in self._handlers]\n"
    )
    assert _found(tmp_path / "shell", {"shell/__init__.py": "", "shell/events.py": species}) == []
    stored = {
        "shop/__init__.py": "",
        "shop/events.py": (
            "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\n"
            "class ReloadEvent:\n    event_type = 'reload:v1'\n    order_id: str\n"
        ),
    }
    assert ("SG103", "shop/events.py", 5) in _found(tmp_path / "shop", stored, "SG103")


def test_an_abstract_command_named_for_its_kind_makes_no_slice(tmp_path: Path) -> None:
    """A CQRS library's ``domain/command/abc/`` holds its abstract ``Command(ABC)``, its bus
    and its handler interface: ``abc`` was read as a slice (SG104, SG302, SG601) with an
    unversioned command and handler (SG201). An abstract class named for the kind, with no
    field, is a base as ``class Command: ...`` is."""
    abc = "src/messaging/domain/command/abc"
    files: Files = {
        "src/messaging/__init__.py": "",
        "src/messaging/domain/__init__.py": "",
        "src/messaging/domain/command/__init__.py": "",
        f"{abc}/__init__.py": "",
        f"{abc}/command.py": "from abc import ABC\n\n\nclass Command(ABC):\n    pass\n",
        f"{abc}/command_handler.py": (
            "from abc import ABC, abstractmethod\n\nfrom .command import Command\n\n\n"
            "class CommandHandler(ABC):\n    @abstractmethod\n"
            "    def handle(self, command: Command) -> None:\n        ...\n"
        ),
        f"{abc}/command_bus.py": (
            "from abc import ABC, abstractmethod\n\nfrom .command import Command\n\n\n"
            "class CommandBus(ABC):\n    @abstractmethod\n"
            "    def dispatch(self, command: Command) -> None:\n        ...\n"
        ),
    }
    assert _found(tmp_path, files) == []


def test_a_ddd_librarys_model_package_is_no_slice(tmp_path: Path) -> None:
    """A DDD library's ``domain/model/`` holds its building blocks, among them ``event.py``
    defining the ``DomainEvent`` base: ``model`` was read as a slice (SG302, SG601) and
    ``DomainEvent`` as its unversioned event with no participle (SG201, SG103). A slice's
    ``event.py`` holding an event named generically (``class Event(BaseModel)``) stays one."""
    model = "kit/domain/model"
    files: Files = {
        "kit/__init__.py": "",
        "kit/domain/__init__.py": "",
        f"{model}/__init__.py": "",
        f"{model}/event.py": (
            "import datetime\n\n\nclass DomainEvent:\n"
            "    def stamp(self) -> None:\n        self.at = datetime.datetime.now()\n"
        ),
        f"{model}/aggregate.py": (
            "from .event import DomainEvent\n\n\nclass AggregateRoot:\n"
            "    def apply(self, event: DomainEvent) -> None:\n        self.changes.append(event)\n"
        ),
        f"{model}/value_object.py": "class ValueObject:\n    pass\n",
    }
    assert _found(tmp_path / "kit", files) == []
    slice_event = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/domain/place_order/__init__.py": "",
        "shop/orders/domain/place_order/event.py": (
            "from pydantic import BaseModel\n\n\nclass Event(BaseModel):\n    sku: str\n"
        ),
    }
    found = _found(tmp_path / "shop", slice_event, "SG201")
    assert ("SG201", "shop/orders/domain/place_order/event.py", 1) in found


def _printer_host(extra: Files) -> Files:
    """A 3D-printer host in ``src/``: its web ``server/``, its ``util/`` and its ``plugin/``
    framework each export names from their ``__init__.py``, as its ``jobs/`` package does,
    and ``jobs`` uses their modules."""
    pkg = "src/printhost"
    return {
        f"{pkg}/__init__.py": "",
        f"{pkg}/server/__init__.py": "from .app import create_app\n\n__all__ = ['create_app']\n",
        f"{pkg}/server/app.py": "def create_app() -> object:\n    return object()\n",
        f"{pkg}/util/__init__.py": "from .files import atomic_write\n",
        f"{pkg}/util/files.py": "def atomic_write(path: str) -> None:\n    pass\n",
        f"{pkg}/plugin/__init__.py": "from .core import PluginManager\n",
        f"{pkg}/plugin/core.py": "class PluginManager:\n    pass\n",
        f"{pkg}/jobs/__init__.py": "from .queue import JobQueue\n",
        f"{pkg}/jobs/queue.py": (
            "from printhost.plugin.core import PluginManager\n"
            "from printhost.server.app import create_app\n"
            "from printhost.util.files import atomic_write\n\n\n"
            "class JobQueue:\n    plugins = PluginManager()\n"
        ),
        **extra,
    }


def test_a_programs_server_utilities_and_plugins_are_no_domains(tmp_path: Path) -> None:
    """A program's ``server/``, ``util/`` and ``plugin/`` packages export names, which made
    each a domain: every use of them from another package was an undeclared dependency or an
    internal access (OctoPrint: 110 SG501/SG502 on ``octoprint.util``, ``.server``,
    ``.plugin``, ``.schema``). They are parts every package of the program uses, no bounded
    contexts. Two business packages of the same program are still judged."""
    assert _found(tmp_path / "host", _printer_host({}), "SG5") == []
    files = {
        "src/printhost/files/__init__.py": "from .store import FileStore\n",
        "src/printhost/files/store.py": "class FileStore:\n    pass\n",
        "src/printhost/jobs/estimate.py": "from printhost.files.store import FileStore\n",
    }
    found = _found(tmp_path / "both", _printer_host(files), "SG501")
    assert found == [("SG501", "src/printhost/jobs/estimate.py", 1)]
