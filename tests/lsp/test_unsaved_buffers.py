"""Every rule reads the editor's unsaved buffers: the boundary rules (SG5xx) and the storming
document's drift (SG602) included, driven over stdio by a real LSP client."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .test_server import Editor, drive, ok

COMMAND = "src/shop/accounts/domain/open_account/command_v1.py"
DOC = "design_docs/accounts/event-storming.md"
INTERNAL = "from shop.billing.state import InvoiceState\n"
NEW_FIELD = ("    owner: str\n", "    owner: str\n    limit: int | None = None\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("buffers") / "ws"
    ok("init", str(root), "--stack", "python", "--app", "shop")
    for domain in ("accounts", "billing"):
        ok("new-domain", domain, "-C", str(root))
    ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-C", str(root))
    ok("add-slice", "billing", "issue_invoice", "-f", "amount:int", "-C", str(root))
    ok("lint", str(root))  # a warm cache: the rules' memos hold the saved files' answers
    return root


def test_an_unsaved_import_of_internals_is_sg501_until_undone(ws: Path) -> None:
    saved = (ws / COMMAND).read_text()

    async def script(editor: Editor) -> None:
        editor.open(COMMAND, saved)
        await editor.until(lambda: editor.uri(COMMAND) in editor.diagnostics)
        assert editor.codes(COMMAND) == []
        editor.change(COMMAND, saved + INTERNAL, 2)
        await editor.until(lambda: editor.codes(COMMAND) == ["SG501"])
        editor.change(COMMAND, saved, 3)
        await editor.until(lambda: editor.codes(COMMAND) == [])

    drive(ws, script)
    assert (ws / COMMAND).read_text() == saved


def test_an_unsaved_fix_clears_a_saved_sg501(ws: Path) -> None:
    saved = (ws / COMMAND).read_text()
    (ws / COMMAND).write_text(saved + INTERNAL)

    async def script(editor: Editor) -> None:
        editor.open(COMMAND, saved + INTERNAL)
        await editor.until(lambda: editor.codes(COMMAND) == ["SG501"])
        editor.change(COMMAND, saved, 2)
        await editor.until(lambda: editor.codes(COMMAND) == [])

    drive(ws, script)


def test_an_unsaved_design_change_drifts_the_storming_document(ws: Path) -> None:
    saved = (ws / COMMAND).read_text()
    changed = saved.replace(*NEW_FIELD)
    assert changed != saved

    async def script(editor: Editor) -> None:
        editor.open(COMMAND, saved)
        await editor.until(lambda: editor.uri(COMMAND) in editor.diagnostics)
        assert editor.codes(DOC) == []
        editor.change(COMMAND, changed, 2)
        await editor.until(lambda: "SG602" in editor.codes(DOC))
        assert any("limit:int?" in d.message for d in editor.diagnostics[editor.uri(DOC)])
        editor.change(COMMAND, saved, 3)
        await editor.until(lambda: editor.codes(DOC) == [])

    drive(ws, script)


def test_an_unsaved_storming_document_is_read(ws: Path, tmp_path: Path) -> None:
    """The code changed and saved (SG602); the document as ``storm`` writes it, open and not
    saved, is what the rule compares."""
    (ws / COMMAND).write_text((ws / COMMAND).read_text().replace(*NEW_FIELD))
    stormed = tmp_path / "stormed"
    shutil.copytree(ws, stormed)
    ok("storm", "-C", str(stormed))
    current = (stormed / DOC).read_text()
    assert current != (ws / DOC).read_text()

    async def script(editor: Editor) -> None:
        editor.open(DOC, (ws / DOC).read_text())
        await editor.until(lambda: "SG602" in editor.codes(DOC))
        editor.change(DOC, current, 2)
        await editor.until(lambda: editor.codes(DOC) == [])

    drive(ws, script)
