"""Premises checked on more Python trees slicegen had not been tuned on (issue 32): a UI
toolkit's files saved with a byte order mark. Trees written here."""

from __future__ import annotations

import codecs
from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, files: Files, *codes: str) -> list[tuple[str, str, int]]:
    write(root, files)
    _, found = lint_json(root, select=list(codes) or ["SG"])
    return sorted((f["code"], f["path"], f["line"]) for f in found)


def test_a_python_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A UTF-8 file starting with a byte order mark (an editor on Windows writes one) is valid
    Python, as Python reads it: it was reported unreadable (SG001, "invalid non-printable
    character U+FEFF") and its code went unchecked. Its event is now judged (SG101)."""
    event = (
        "from pydantic import BaseModel\n\n\nclass OrderCreated(BaseModel):\n"
        "    event_type: str = 'order_created:v1'\n    sku: str\n"
    )
    files: Files = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/events/__init__.py": "",
        "shop/orders/events/order_created.py": codecs.BOM_UTF8 + event.encode(),
    }
    found = _found(tmp_path, files, "SG001", "SG101")
    assert found == [("SG101", "shop/orders/events/order_created.py", 4)]


def test_a_gui_package_is_no_domain(tmp_path: Path) -> None:
    """A game library's ``gui/events.py`` defines its widgets' input events (mouse pressed,
    key released, clicked), dispatched in-process to widgets: ``gui`` was read as a domain,
    every class as an event (13 SG103, SG101, SG306) and the package asked for a storming
    document (SG601). A GUI is a layer of a program, as ``ui/`` is; a domain's grouped events
    beside it are still judged."""
    ui_events = (
        "from dataclasses import dataclass\nfrom typing import Any\n\n\n@dataclass\n"
        "class UIEvent:\n    source: Any\n\n\n@dataclass\nclass UIMousePressEvent(UIEvent):\n"
        "    x: int\n    y: int\n    button: int\n\n\n@dataclass\n"
        "class UIKeyReleaseEvent(UIEvent):\n    symbol: int\n\n\n@dataclass\n"
        "class UIOnUpdateEvent(UIEvent):\n    dt: float\n"
    )
    files: Files = {
        "game/__init__.py": "",
        "game/gui/__init__.py": "from game.gui.events import UIEvent\n",
        "game/gui/events.py": ui_events,
        "game/gui/widget.py": (
            "from game.gui.events import UIMousePressEvent\n\n\nclass UIWidget:\n"
            "    def on_mouse_press(self, x: int, y: int, button: int) -> None:\n"
            "        self.dispatch_event('on_event', UIMousePressEvent(self, x, y, button))\n"
        ),
    }
    assert _found(tmp_path / "game", files) == []
    shop: Files = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/events.py": ui_events.replace("UIKeyReleaseEvent", "OrderPlacedEvent"),
    }
    found = _found(tmp_path / "shop", shop, "SG103")
    assert ("SG103", "shop/orders/events.py", 11) in found


def test_a_plugins_event_kinds_make_no_domain(tmp_path: Path) -> None:
    """An incident app's ``plugins/`` holds its integrations, each a package; the chat plugin's
    ``events.py`` defines the kinds of channel activity it fetches from the chat service
    (classes with behaviour only). ``plugins`` was read as a domain (SG601) holding grouped
    events with no participle (SG103, SG306): the discovery of domains by package had already
    decided that a program's ``plugins/`` is none, the domains located by file names had not.
    A domain's events beside it are still judged."""
    app = "src/helpdesk"
    files: Files = {
        f"{app}/__init__.py": "",
        f"{app}/plugins/__init__.py": "",
        f"{app}/plugins/base/__init__.py": "",
        f"{app}/plugins/base/v1.py": (
            "class PluginEvent:\n    slug = ''\n\n    def fetch_activity(self):\n"
            "        raise NotImplementedError\n"
        ),
        f"{app}/plugins/helpdesk_chat/__init__.py": "",
        f"{app}/plugins/helpdesk_chat/events.py": (
            "from helpdesk.plugins.base.v1 import PluginEvent\n\n\n"
            "class ChatPluginEvent(PluginEvent):\n    def fetch_activity(self):\n"
            "        raise NotImplementedError\n\n\n"
            "class ChannelActivityEvent(ChatPluginEvent):\n    slug = 'channel-activity'\n\n"
            "    def fetch_activity(self, client, subject, oldest='0'):\n"
            "        return client.history(subject.channel, oldest)\n\n\n"
            "class ThreadActivityEvent(ChatPluginEvent):\n    slug = 'thread-activity'\n\n"
            "    def fetch_activity(self, client, subject, oldest='0'):\n"
            "        return client.replies(subject.thread, oldest)\n"
        ),
        f"{app}/incident/__init__.py": "",
        f"{app}/incident/events.py": (
            "from pydantic import BaseModel\n\n\nclass IncidentCreated(BaseModel):\n"
            "    event_type: str = 'incident_created:v1'\n    incident_id: str\n"
        ),
    }
    found = _found(tmp_path, files)
    assert not [f for f in found if "/plugins" in f[1]]
    assert ("SG101", f"{app}/incident/events.py", 4) in found


def test_a_console_interfaces_commands_are_no_messages(tmp_path: Path) -> None:
    """A music tagger's console keeps each subcommand in ``ui/commands/``; the import
    subcommand is a package whose helper modules hold the terminal's session and the change
    display (in the domain that the app's ``events.py`` makes of it): both were read as
    unversioned command files (SG201). The commands of a console or graphical interface are
    what its user types, not messages to a domain; a domain's ``commands/`` is still judged."""
    files: Files = {
        "tagger/__init__.py": "",
        "tagger/events.py": (
            "from typing import TypedDict\n\n\nclass AlbumImportedEventArgs(TypedDict):\n"
            "    album_id: str\n"
        ),
        "tagger/importer.py": "class ImportSession:\n    def run(self) -> None:\n        pass\n",
        "tagger/ui/__init__.py": (
            "class Subcommand:\n    def __init__(self, name):\n        self.name = name\n"
        ),
        "tagger/ui/commands/__init__.py": "",
        "tagger/ui/commands/import_/__init__.py": (
            "from tagger import ui\n\nfrom .session import TerminalImportSession\n\n"
            "import_cmd = ui.Subcommand('import')\n"
        ),
        "tagger/ui/commands/import_/session.py": (
            "from tagger import importer\n\nfrom .display import ChangeRepresentation\n\n\n"
            "class TerminalImportSession(importer.ImportSession):\n"
            "    def choose_match(self, task):\n        return ChangeRepresentation(task).show()\n"
        ),
        "tagger/ui/commands/import_/display.py": (
            "from dataclasses import dataclass\n\n\n@dataclass\nclass ChangeRepresentation:\n"
            "    task: object\n\n    def show(self) -> None:\n        print(self.task)\n"
        ),
        "tagger/library/__init__.py": "",
        "tagger/library/commands/__init__.py": "",
        "tagger/library/commands/retag_album.py": (
            "from pydantic import BaseModel\n\n\nclass RetagAlbum(BaseModel):\n    album_id: str\n"
        ),
    }
    found = _found(tmp_path, files, "SG2")
    assert found == [("SG201", "tagger/library/commands/retag_album.py", 1)]


def test_what_derives_from_an_event_builder_or_plugin_is_no_event(tmp_path: Path) -> None:
    """A chat client's ``events/`` holds its event builders: ``MessageDeleted(EventBuilder)``
    filters the updates a handler gets, ``MessageEdited(NewMessage)`` through its base too; a
    music player's ``ext/events/`` holds plugins (``SynchronizedLyrics(EventPlugin)``). Their
    names tell what happened, so they were read as unversioned events (SG201) in a technical
    folder (SG308). A class is what its base is: one that builds, handles or plugs into events
    is none. An event of the same folder deriving from an event base is still judged."""
    events = "chat/events"
    files: Files = {
        "chat/__init__.py": "",
        f"{events}/__init__.py": "",
        f"{events}/common.py": (
            "import abc\n\n\nclass EventBuilder(abc.ABC):\n"
            "    def __init__(self, chats=None):\n        self.chats = chats\n\n"
            "    @classmethod\n    @abc.abstractmethod\n"
            "    def build(cls, update):\n        ...\n\n"
            "    def filter(self, event):\n        return event.chat in self.chats\n"
        ),
        f"{events}/newmessage.py": (
            "from .common import EventBuilder\n\n\nclass NewMessage(EventBuilder):\n"
            "    @classmethod\n    def build(cls, update):\n        return update.message\n"
        ),
        f"{events}/messagedeleted.py": (
            "from .common import EventBuilder\n\n\nclass MessageDeleted(EventBuilder):\n"
            "    @classmethod\n    def build(cls, update):\n        return update.deleted_ids\n"
        ),
        f"{events}/messageedited.py": (
            "from .newmessage import NewMessage\n\n\nclass MessageEdited(NewMessage):\n"
            "    @classmethod\n    def build(cls, update):\n        return update.edited\n"
        ),
        "chat/ext/__init__.py": "",
        "chat/ext/events/__init__.py": "",
        "chat/ext/events/synchronizedlyrics.py": (
            "from chat.plugins.events import EventPlugin\n\n\n"
            "class SynchronizedLyrics(EventPlugin):\n    def enabled(self) -> None:\n"
            "        self.timer = 0\n"
        ),
    }
    assert _found(tmp_path / "chat", files) == []
    shop: Files = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/events/__init__.py": "",
        "shop/orders/events/base.py": "class DomainEvent:\n    pass\n",
        "shop/orders/events/order_placed.py": (
            "from .base import DomainEvent\n\n\nclass OrderPlaced(DomainEvent):\n"
            "    order_id: str\n"
        ),
    }
    assert ("SG201", "shop/orders/events/order_placed.py", 1) in _found(tmp_path / "shop", shop)
