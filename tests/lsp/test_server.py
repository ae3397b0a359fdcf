"""``slicegen lsp`` driven over stdio by pygls's own language client, as an editor would."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path
from typer.testing import CliRunner

from slicegen.cli import app

SLICE = "src/shop/accounts/domain/open_account"
EVENT = f"{SLICE}/event_v1.py"
#: Every wait for the server is bounded: a server that never answers fails the test.
TIMEOUT = 60


def ok(*args: str) -> None:
    result = CliRunner().invoke(app, list(args), prog_name="slicegen")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp") / "ws"
    ok("init", str(root), "--stack", "python", "--app", "shop")
    ok("new-domain", "accounts", "-C", str(root))
    ok(
        "add-slice",
        "accounts",
        "open_account",
        "-f",
        "owner:str",
        "-f",
        "limit:int?",
        "-C",
        str(root),
    )
    ok("storm", "-C", str(root))
    return root


@pytest.fixture
def ws(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(source, root)
    return root


class Editor:
    """A language client that records what the server publishes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("test-editor", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.sent: Counter[str] = Counter()  # how many times each file's were published
        self.messages: list[str] = []
        self.changed = asyncio.Event()
        # lsprotocol reads any code action carrying a command as a bare Command; editors read
        # the JSON as sent: a Command's "command" is a string, a CodeAction's an object
        converter = self.client.protocol._converter

        def action(obj: dict[str, object], _: object) -> types.Command | types.CodeAction:
            kind = types.Command if isinstance(obj.get("command"), str) else types.CodeAction
            return converter.structure(obj, kind)

        converter.register_structure_hook(types.Command | types.CodeAction, action)

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params.diagnostics
            self.sent[params.uri] += 1
            self.changed.set()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def shown(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    def uri(self, rel: str) -> str:
        uri = from_fs_path(str(self.root / rel))
        assert uri is not None
        return uri

    def codes(self, rel: str) -> list[str]:
        return sorted(str(d.code) for d in self.diagnostics.get(self.uri(rel), []))

    async def until(self, done: Callable[[], bool]) -> None:
        """Wait (bounded) until the published diagnostics satisfy ``done``."""
        async with asyncio.timeout(TIMEOUT):
            while not done():
                self.changed.clear()
                await self.changed.wait()

    def open(self, rel: str, text: str) -> None:
        item = types.TextDocumentItem(uri=self.uri(rel), language_id="python", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))

    def change(self, rel: str, text: str, version: int) -> None:
        doc = types.VersionedTextDocumentIdentifier(uri=self.uri(rel), version=version)
        whole = types.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=doc, content_changes=[whole])
        )

    async def save(self, rel: str) -> None:
        """Tell the server the file was saved; return once it has handled that (a request
        sent after a notification is answered after it)."""
        doc = types.TextDocumentIdentifier(uri=self.uri(rel))
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc))
        async with asyncio.timeout(TIMEOUT):
            await self.client.text_document_hover_async(
                types.HoverParams(text_document=doc, position=types.Position(line=0, character=0))
            )


def drive(root: Path, script: Callable[[Editor], Awaitable[None]]) -> None:
    async def main() -> None:
        editor = Editor(root)
        await editor.client.start_io(sys.executable, "-m", "slicegen", "lsp", cwd=str(root))
        try:
            async with asyncio.timeout(TIMEOUT):
                await editor.client.initialize_async(
                    types.InitializeParams(
                        capabilities=types.ClientCapabilities(), root_uri=from_fs_path(str(root))
                    )
                )
            editor.client.initialized(types.InitializedParams())
            await script(editor)
        finally:
            async with asyncio.timeout(TIMEOUT):
                await editor.client.shutdown_async(None)
            editor.client.exit(None)
            await editor.client.stop()

    asyncio.run(main())


def test_unsaved_buffer_is_linted_and_hover_explains_the_rule(ws: Path) -> None:
    saved = (ws / EVENT).read_text()
    broken = saved.replace("    owner: str", "    owner_name: str")

    async def script(editor: Editor) -> None:
        editor.open(EVENT, saved)
        await editor.until(lambda: editor.uri(EVENT) in editor.diagnostics)
        assert editor.codes(EVENT) == []
        editor.change(EVENT, broken, 2)  # typed, not saved
        await editor.until(lambda: editor.codes(EVENT) == ["SG205"])
        [finding] = editor.diagnostics[editor.uri(EVENT)]
        assert "field 'owner' renamed to 'owner_name'" in finding.message
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri(EVENT)),
                position=finding.range.start,
            )
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert "# event-contract (SG205)" in hover.contents.value
        editor.change(EVENT, saved, 3)
        await editor.until(lambda: editor.codes(EVENT) == [])

    drive(ws, script)
    assert (ws / EVENT).read_text() == saved  # the server never writes a buffer to disk


def test_code_action_adds_a_version(ws: Path) -> None:
    saved = (ws / EVENT).read_text()
    (ws / EVENT).write_text(saved.replace("    owner: str", "    owner: int"))

    async def script(editor: Editor) -> None:
        editor.open(EVENT, (ws / EVENT).read_text())
        await editor.until(lambda: editor.codes(EVENT) == ["SG205"])
        finding = editor.diagnostics[editor.uri(EVENT)][0]
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri(EVENT)),
                range=finding.range,
                context=types.CodeActionContext(diagnostics=[finding]),
            )
        )
        assert actions is not None
        [action] = actions
        assert isinstance(action, types.CodeAction) and action.command is not None
        assert "slicegen add-version accounts open_account" in action.title
        async with asyncio.timeout(TIMEOUT):
            await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command=action.command.command, arguments=action.command.arguments
                )
            )

    drive(ws, script)
    assert (ws / SLICE / "event_v2.py").is_file()
    assert '"account_opened:v2"' in (ws / "events.lock.toml").read_text()


def test_code_action_adds_a_missing_evolver(ws: Path) -> None:
    evolver = ws / SLICE / "opened_to_state_v1.py"
    kept = evolver.read_text()
    evolver.unlink()
    command = f"{SLICE}/command_v1.py"

    async def script(editor: Editor) -> None:
        editor.open(command, (ws / command).read_text())
        await editor.until(lambda: "SG302" in editor.codes(command))
        finding = next(d for d in editor.diagnostics[editor.uri(command)] if d.code == "SG302")
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri(command)),
                range=finding.range,
                context=types.CodeActionContext(diagnostics=[finding]),
            )
        )
        assert actions is not None
        [action] = actions
        assert isinstance(action, types.CodeAction) and action.command is not None
        async with asyncio.timeout(TIMEOUT):
            await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command=action.command.command, arguments=action.command.arguments
                )
            )
        await editor.until(lambda: "SG302" not in editor.codes(command))

    drive(ws, script)
    assert evolver.read_text() == kept  # the slice's own fields: the same evolver again


def test_run_refuses_other_commands(ws: Path) -> None:
    async def script(editor: Editor) -> None:
        async with asyncio.timeout(TIMEOUT):
            answer = await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="slicegen.run", arguments=[str(ws), "init"])
            )
        assert answer == {"ok": False, "output": editor.messages[-1]}
        assert (
            "runs only add-version, add-slice, add-projection, rename-event, storm"
            in editor.messages[-1]
        )

    drive(ws, script)


def test_help_and_version_do_not_import_the_server() -> None:
    code = (
        "import sys; from slicegen.entry import main; main(['--help']); main(['--version']);"
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('pygls', 'lsprotocol', 'typer')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "lsp " in done.stdout  # listed in the help screen
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_burst_of_changes_ends_with_the_last_buffers_findings(ws: Path) -> None:
    saved = (ws / EVENT).read_text()
    renamed = saved.replace("    owner: str", "    owner_name: str")
    retyped = saved.replace("    owner: str", "    owner: int")

    async def script(editor: Editor) -> None:
        editor.open(EVENT, saved)
        await editor.until(lambda: editor.uri(EVENT) in editor.diagnostics)
        for version, text in enumerate((renamed, saved, retyped), start=2):
            editor.change(EVENT, text, version)
        await editor.until(
            lambda: any("retyped" in d.message for d in editor.diagnostics[editor.uri(EVENT)])
        )
        assert editor.codes(EVENT) == ["SG205"]

    drive(ws, script)


def test_closing_an_unsaved_buffer_lints_the_file_on_disk(ws: Path) -> None:
    broken = (ws / EVENT).read_text().replace("    owner: str", "    owner_name: str")

    async def script(editor: Editor) -> None:
        editor.open(EVENT, broken)
        await editor.until(lambda: editor.codes(EVENT) == ["SG205"])
        doc = types.TextDocumentIdentifier(uri=editor.uri(EVENT))
        editor.client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc))
        await editor.until(lambda: editor.codes(EVENT) == [])

    drive(ws, script)
