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
        "src/widgetry/command.py": (
            "class Palette:\n    def open(self) -> None:\n        pass\n"
        ),
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
