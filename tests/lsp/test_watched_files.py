"""``slicegen lsp`` learns disk changes from the client's file watcher
(``workspace/didChangeWatchedFiles``), driven over stdio by a real LSP client: what it publishes
after a file is created, changed or deleted is a fresh full lint's; a client without a watcher
still sees disk edits: the server watches the tree itself (``watchfiles``), and stats it where it
cannot watch."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from slicegen.lint.engine import LintOptions, run_lint

from .test_server import TIMEOUT, Editor, ok

COMMAND = "src/shop/accounts/domain/open_account/command_v1.py"
NEW = "src/shop/accounts/domain/open_account/helper_v1.py"
INTERNAL = "from shop.billing.state import InvoiceState\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("watched") / "ws"
    ok("init", str(root), "--stack", "python", "--app", "shop")
    for domain in ("accounts", "billing"):
        ok("new-domain", domain, "-C", str(root))
    ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-C", str(root))
    ok("add-slice", "billing", "issue_invoice", "-f", "amount:int", "-C", str(root))
    ok("storm", "-C", str(root))
    return root


class Watching(Editor):
    """An editor whose file watcher the server may register, and which reports changes."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.watchers: list[types.FileSystemWatcher] = []
        self.registered = asyncio.Event()

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            for registration in params.registrations:
                if registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES:
                    options = self.client.protocol._converter.structure(
                        registration.register_options,
                        types.DidChangeWatchedFilesRegistrationOptions,
                    )
                    self.watchers.extend(options.watchers)
            self.registered.set()

    def report(self, *changes: tuple[str, types.FileChangeType]) -> None:
        events = [types.FileEvent(uri=self.uri(rel), type=kind) for rel, kind in changes]
        self.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=events)
        )

    async def published(self) -> set[tuple[str, str, str]]:
        """What the server shows, as (file, code, message), once it has sent all of its last
        lint's (they precede its answer to a request sent after the first one came)."""
        doc = types.TextDocumentIdentifier(uri=self.uri(COMMAND))
        async with asyncio.timeout(TIMEOUT):
            await self.client.text_document_hover_async(
                types.HoverParams(text_document=doc, position=types.Position(line=0, character=0))
            )
        return {
            (Path(to_fs_path(uri) or "").relative_to(self.root).as_posix(), str(d.code), d.message)
            for uri, found in self.diagnostics.items()
            for d in found
        }


def full_lint(root: Path) -> set[tuple[str, str, str]]:
    """A fresh full lint's findings on files (those on a folder are shown on a file in it)."""
    found = run_lint(root, LintOptions(use_cache=False)).findings
    return {(f.path, f.code, f.message) for f in found if (root / f.path).is_file()}


def drive(root: Path, watcher: bool, script) -> Watching:  # type: ignore[no-untyped-def]
    async def main() -> Watching:
        editor = Watching(root)
        await editor.client.start_io(sys.executable, "-m", "slicegen", "lsp", cwd=str(root))
        watched = types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=watcher)
        capabilities = types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(did_change_watched_files=watched)
        )
        try:
            async with asyncio.timeout(TIMEOUT):
                await editor.client.initialize_async(
                    types.InitializeParams(
                        capabilities=capabilities, root_uri=from_fs_path(str(root))
                    )
                )
            editor.client.initialized(types.InitializedParams())
            await script(editor)
        finally:
            async with asyncio.timeout(TIMEOUT):
                await editor.client.shutdown_async(None)
            editor.client.exit(None)
            await editor.client.stop()
        return editor

    return asyncio.run(main())


def test_created_changed_and_deleted_files_give_a_full_lints_findings(ws: Path) -> None:
    command = ws / COMMAND
    saved = command.read_text()

    async def script(editor: Watching) -> None:
        async with asyncio.timeout(TIMEOUT):
            await editor.registered.wait()
        editor.open(COMMAND, saved)
        await editor.until(lambda: editor.uri(COMMAND) in editor.diagnostics)
        assert await editor.published() == full_lint(ws)
        # created
        (ws / NEW).write_text(INTERNAL)
        editor.report((NEW, types.FileChangeType.Created))
        await editor.until(lambda: editor.codes(NEW) == ["SG501"])
        assert await editor.published() == full_lint(ws)
        # changed on disk (not in the editor's buffer)
        (ws / NEW).write_text("x = 1\n")
        editor.report((NEW, types.FileChangeType.Changed))
        await editor.until(lambda: editor.codes(NEW) == [])
        assert await editor.published() == full_lint(ws)
        (ws / NEW).write_text(INTERNAL)
        editor.report((NEW, types.FileChangeType.Changed))
        await editor.until(lambda: editor.codes(NEW) == ["SG501"])
        # deleted
        (ws / NEW).unlink()
        editor.report((NEW, types.FileChangeType.Deleted))
        await editor.until(lambda: editor.codes(NEW) == [])
        assert await editor.published() == full_lint(ws)
        # a folder removed: reported as the folder alone
        slice_folder = "src/shop/billing/domain/issue_invoice"
        shutil.rmtree(ws / slice_folder)
        editor.report((slice_folder, types.FileChangeType.Deleted))
        await editor.until(lambda: "SG602" in editor.codes("design_docs/billing/event-storming.md"))
        assert await editor.published() == full_lint(ws)
        # the server looks only where the watcher reports: an edit it was not told of waits
        event = "src/shop/accounts/domain/open_account/event_v1.py"
        (ws / event).write_text((ws / event).read_text() + INTERNAL)
        evolver = "src/shop/accounts/domain/open_account/opened_to_state_v1.py"
        (ws / evolver).write_text((ws / evolver).read_text() + INTERNAL)
        editor.report((evolver, types.FileChangeType.Changed))
        await editor.until(lambda: editor.codes(evolver) == ["SG501"])
        assert editor.codes(event) == []
        editor.report((event, types.FileChangeType.Changed))
        await editor.until(lambda: editor.codes(event) == ["SG501"])
        assert await editor.published() == full_lint(ws)

    editor = drive(ws, True, script)
    globs = {w.glob_pattern for w in editor.watchers}
    assert {"**/*.py", "**/*.ex", "**/*.md", "**/*.toml", "**/.gitignore", "**/*"} <= globs


def test_a_client_without_a_watcher_still_sees_disk_edits(ws: Path) -> None:
    command = ws / COMMAND
    saved = command.read_text()

    async def script(editor: Watching) -> None:
        editor.open(COMMAND, saved)
        await editor.until(lambda: editor.uri(COMMAND) in editor.diagnostics)
        (ws / NEW).write_text(INTERNAL)  # written by another program: nothing reports it
        editor.change(COMMAND, saved + "\n", 2)  # the next lint stats the tree
        await editor.until(lambda: editor.codes(NEW) == ["SG501"])
        assert await editor.published() == full_lint(ws)

    editor = drive(ws, False, script)
    assert editor.watchers == [] and not editor.registered.is_set()


def test_a_client_without_a_watcher_gets_the_servers_own(ws: Path) -> None:
    """Nothing but the disk changes: the server's own watcher reports it, as a client's would."""
    command = ws / COMMAND
    saved = command.read_text()

    async def script(editor: Watching) -> None:
        editor.open(COMMAND, saved)
        await editor.until(lambda: editor.uri(COMMAND) in editor.diagnostics)
        # written by another program; the server's watcher may still be starting: write again
        # until it reports (bounded by TIMEOUT, as every wait here)
        async with asyncio.timeout(TIMEOUT):
            while editor.codes(NEW) != ["SG501"]:
                (ws / NEW).write_text(INTERNAL)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(1):
                        await editor.until(lambda: editor.codes(NEW) == ["SG501"])
        assert await editor.published() == full_lint(ws)
        (ws / NEW).write_text("x = 1\n")  # the watcher is ready now: reported, re-linted
        await editor.until(lambda: editor.codes(NEW) == [])
        assert await editor.published() == full_lint(ws)

    editor = drive(ws, False, script)
    assert editor.watchers == [] and not editor.registered.is_set()


def test_where_nothing_can_watch_the_tree_is_stated(tmp_path: Path) -> None:
    """A watcher that cannot start (here: its folder is gone) leaves each re-lint stat'ing."""
    from slicegen.lsp import SlicegenServer, _watch_disk

    ls = SlicegenServer()
    gone = tmp_path / "gone"
    asyncio.run(_watch_disk(ls, gone))
    assert gone in ls.watched and ls.watched[gone] is None


def test_a_report_naming_a_nul_keeps_the_rest(ws: Path) -> None:
    """A watcher report holding a percent-encoded NUL stopped at it with "Error in server": the
    changes after it in the same report were lost."""
    command = ws / COMMAND

    async def script(editor: Watching) -> None:
        async with asyncio.timeout(TIMEOUT):
            await editor.registered.wait()
        editor.open(COMMAND, command.read_text())
        await editor.until(lambda: editor.uri(COMMAND) in editor.diagnostics)
        (ws / NEW).write_text(INTERNAL)
        nul = types.FileEvent(
            uri=editor.uri("src") + "/a%00b/c.py", type=types.FileChangeType.Created
        )
        new = types.FileEvent(uri=editor.uri(NEW), type=types.FileChangeType.Created)
        editor.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[nul, new])
        )
        await editor.until(lambda: editor.codes(NEW) == ["SG501"])
        assert editor.messages == []

    drive(ws, True, script)
