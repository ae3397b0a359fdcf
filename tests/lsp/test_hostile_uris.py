"""``slicegen lsp`` given files outside any project: an editor opening ``/etc/passwd`` or
``/tmp/x.py`` alone made the server lint that whole folder and write its cache there (as root:
``/etc/.slicegen_cache``); a percent-encoded NUL in a URI popped up "Error in server". A file
in no project (outside the editor's folders, no config, no repository) is not linted, and the
workspace's own files still are."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from .test_server import EVENT, Editor, drive, ok, source, ws  # noqa: F401  (fixtures)


def test_files_in_no_project_are_not_linted(ws: Path, tmp_path: Path) -> None:  # noqa: F811
    loose = tmp_path / "loose"  # no config, no repository: as /etc or /tmp
    loose.mkdir()
    (loose / "x.py").write_text("from os import *\n")
    other = tmp_path / "other"  # another project, outside the editor's folder: linted
    ok("init", str(other), "--stack", "python", "--app", "shop")
    (other / "src/shop/y.py").write_text("Y = 1\n")
    outside = [
        (loose / "x.py").as_uri(),
        f"{ws.as_uri()}/src/../../loose/x.py",  # `..` out of the workspace
        f"{ws.as_uri()}/src/shop/a%00b.py",  # a NUL
        "untitled:Untitled-1",
    ]

    async def script(editor: Editor) -> None:
        for uri in outside:
            editor.client.text_document_did_open(_opened(uri))
        editor.client.text_document_did_open(_opened((other / "src/shop/y.py").as_uri()))
        editor.open(EVENT, (ws / EVENT).read_text())
        await editor.until(lambda: editor.uri(EVENT) in editor.diagnostics)
        await editor.until(lambda: (other / "src/shop/y.py").as_uri() in editor.diagnostics)
        await asyncio.sleep(0.5)
        await editor.save(EVENT)  # answered once everything before it was handled
        assert not [u for u in outside if u in editor.diagnostics], editor.diagnostics.keys()
        assert editor.messages == []

    drive(ws, script)
    assert not (loose / ".slicegen_cache").exists()
    assert (other / ".slicegen_cache").is_dir()


def _opened(uri: str) -> types.DidOpenTextDocumentParams:
    item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text="X = 1\n")
    return types.DidOpenTextDocumentParams(text_document=item)
