"""The language server given what a stranger's tree makes an editor send it: a buffer over
the read cap, a file of no workspace (the home folder). Driven over stdio by a real client."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lsp.conftest import ws
from tests.lsp.test_server import Editor, drive
from tests.lsp.test_unsaved_buffers import COMMAND, built

__all__ = ["built", "ws"]  # the fixtures, shared with the unsaved-buffer tests


def test_a_buffer_over_the_read_cap_is_sg001_as_the_file_would_be(ws: Path) -> None:
    """A buffer grown past the 2 MiB lint reads of a file was parsed whole (a file on disk that
    size is an SG001, never read)."""
    saved = (ws / COMMAND).read_text()
    huge = saved + "x = 1\n" * 400_000

    async def script(editor: Editor) -> None:
        editor.open(COMMAND, saved)
        await editor.until(lambda: editor.uri(COMMAND) in editor.diagnostics)
        editor.change(COMMAND, huge, 2)
        await editor.until(lambda: editor.codes(COMMAND) == ["SG001"])
        [told] = editor.diagnostics[editor.uri(COMMAND)]
        assert told.message == (
            f"{COMMAND} could not be checked: is {len(huge):,} bytes, over the 2,097,152 bytes "
            "slicegen reads of a file; exclude it or replace it"
        )
        editor.change(COMMAND, saved, 3)
        await editor.until(lambda: editor.codes(COMMAND) == [])

    drive(ws, script)


def test_a_file_of_the_home_folder_is_refused_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file opened in the home folder (no config, no repository): the server linted the whole
    home folder. Since stop 32 a file in no project is not linted at all (the home folder is no
    project for being the editor's folder): nothing is said, published or written there."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.py").write_text("x = 1\n")
    monkeypatch.setenv("HOME", str(home))  # the server's, started below

    async def script(editor: Editor) -> None:
        editor.open("notes.py", "x = 1\n")
        await editor.save("notes.py")
        await editor.save("notes.py")
        assert editor.messages == []
        assert editor.diagnostics == {}

    drive(home, script)
    assert not (home / ".slicegen_cache").exists()
