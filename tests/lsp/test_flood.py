"""``slicegen lsp`` under a flood of notifications, driven over stdio by a real LSP client: an
editor restoring a session opens a thousand files at once, typing sends a change per key, a
checkout reports thousands of watched files. Each burst is one lint of the workspace's last
state: the server never falls behind (a lint per open took time in the square of the open files:
400 opens, 143 s), and the last diagnostics it sends are the last buffer's."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lsprotocol import types

from .test_server import EVENT, Editor, drive, ok

FILES = 1000
FOLDER = "src/shop/accounts/util"
CLEAN = [f"{FOLDER}/m{i}.py" for i in range(FILES)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("flood") / "ws"
    ok("init", str(root), "--stack", "python", "--app", "shop")
    ok("new-domain", "accounts", "-C", str(root))
    ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-C", str(root))
    (root / FOLDER).mkdir()
    for i in range(FILES):
        (root / FOLDER / f"m{i}.py").write_text(f"X{i} = {i}\n")
    return root


def _retyped(editor: Editor) -> bool:
    return any("retyped" in d.message for d in editor.diagnostics.get(editor.uri(EVENT), []))


def _flood(ws: Path, burst: str) -> Counter[str]:
    """Open the event, send a ``burst``, retype the event's field; how many times each file's
    diagnostics were published."""
    saved = (ws / EVENT).read_text()
    retyped = saved.replace("    owner: str", "    owner: int")
    sent: Counter[str] = Counter()

    async def script(editor: Editor) -> None:
        editor.open(EVENT, saved)
        await editor.until(lambda: editor.uri(EVENT) in editor.diagnostics)
        if burst == "opens":  # a session restored: every file opened at once
            for i in range(FILES):
                editor.open(f"{FOLDER}/m{i}.py", f"X{i} = {i}\n")
        elif burst == "changes":  # a change per key, the last one retyping the field
            for version in range(2, 2 * FILES):
                editor.change(EVENT, retyped if version % 2 else saved + f"# {version}\n", version)
        elif burst == "watched":  # a checkout: thousands of reports, one file each
            for i in range(5 * FILES):
                uri = editor.uri(f"{FOLDER}/m{i % FILES}.py")
                change = types.FileEvent(uri=uri, type=types.FileChangeType.Changed)
                editor.client.workspace_did_change_watched_files(
                    types.DidChangeWatchedFilesParams(changes=[change])
                )
        editor.change(EVENT, retyped, 2 * FILES)
        await editor.until(lambda: _retyped(editor))
        await editor.save(EVENT)  # answered once the server has handled everything before it
        assert _retyped(editor) and editor.codes(EVENT) == ["SG205"]
        sent.update({editor.uri(path): editor.sent[editor.uri(path)] for path in CLEAN})

    drive(ws, script)
    return sent


@pytest.mark.parametrize("burst", ["opens", "changes", "watched"])
def test_a_flood_ends_with_the_last_buffers_findings(ws: Path, burst: str) -> None:
    sent = _flood(ws, burst)
    assert (ws / EVENT).read_text().count("owner: str") == 1  # the buffer is never written
    if burst == "opens":  # a clean file is told so once, not again at every lint
        assert set(sent.values()) == {1}
