"""A framework's abstract ``Event`` interface is no slice's event (nonebot2's
``internal/adapter/event.py``); trees written here."""

from __future__ import annotations

from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, files: Files) -> list[tuple[str, str]]:
    write(root, files)
    _, found = lint_json(root, select=["SG"])
    return sorted((f["code"], f["path"]) for f in found)


def _bot_framework(event_bases: str) -> Files:
    """A chat-bot framework whose ``internal/adapter/`` package declares what every platform
    adapter implements: ``event.py``'s one ``Event`` class, an abstract interface."""
    pkg = "botkit/internal/adapter"
    return {
        "pyproject.toml": '[project]\nname = "botkit"\n',
        "botkit/__init__.py": "",
        "botkit/internal/__init__.py": "",
        f"{pkg}/__init__.py": "from .event import Event as Event\n",
        f"{pkg}/adapter.py": "class Adapter:\n    def connect(self) -> None:\n        pass\n",
        f"{pkg}/bot.py": "class Bot:\n    def send(self, text: str) -> None:\n        pass\n",
        f"{pkg}/event.py": (
            "import abc\n\nfrom pydantic import BaseModel\n\n\n"
            f"class Event({event_bases}):\n"
            "    @abc.abstractmethod\n"
            "    def get_type(self) -> str:\n        raise NotImplementedError\n\n"
            "    @abc.abstractmethod\n"
            "    def get_user_id(self) -> str:\n        raise NotImplementedError\n"
        ),
    }


def test_an_abstract_event_interface_makes_no_slice(tmp_path: Path) -> None:
    """nonebot2: ``internal/adapter/event.py``'s ``class Event(abc.ABC, BaseModel)`` made
    ``adapter`` a slice and ``internal`` a domain (SG601, SG301, SG302, SG201). An interface
    is what adapters implement, no slice's event; the same file with a plain ``Event(BaseModel)``
    is still judged as a slice's generically named event."""
    assert _found(tmp_path / "abstract", _bot_framework("abc.ABC, BaseModel")) == []
    plain = _found(tmp_path / "plain", _bot_framework("BaseModel"))
    assert ("SG201", "botkit/internal/adapter/event.py") in plain
