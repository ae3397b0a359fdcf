"""The editor set-ups in docs/editors.md: each starts the server with the command line these
tests drive it with, and what an editor reads of them (JSON, TOML, JavaScript) is well formed."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from slicegen.lsp import ADD_MISSING, RENAME_EVENT, RUN

from .test_server import TIMEOUT

DOCS = Path(__file__).resolve().parents[2] / "docs" / "editors.md"
ARGV = ["slicegen", "lsp"]


def section() -> str:
    text = DOCS.read_text()
    return text[text.index("## Language server: `slicegen lsp`") :]


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section(), re.S)


def lua_argv(table: str) -> list[str]:
    return re.findall(r'"([^"]*)"', table)


def test_vs_code_extension() -> None:
    [manifest] = [json.loads(b) for b in blocks("json")]
    assert manifest["main"] == "extension.js"
    assert "vscode-languageclient" in manifest["dependencies"]
    assert {"onLanguage:python", "onLanguage:elixir"} <= set(manifest["activationEvents"])
    [script] = blocks("js")
    found = re.search(r'\{ command: "([^"]+)", args: \[([^\]]*)\] \}', script)
    assert found is not None
    assert [found.group(1), *lua_argv(found.group(2))] == ARGV


def test_vs_code_extension_is_valid_javascript(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    [script] = blocks("js")
    (tmp_path / "extension.js").write_text(script)
    done = subprocess.run(
        [node, "--check", str(tmp_path / "extension.js")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_neovim() -> None:
    tables = re.findall(r"cmd = \{([^}]*)\}", section())
    assert len(tables) == 2  # Neovim 0.11's vim.lsp.config and 0.10's vim.lsp.start
    assert all(lua_argv(t) == ARGV for t in tables)
    [config] = blocks("lua")
    assert 'vim.lsp.enable("slicegen")' in config
    filetypes = re.search(r"filetypes = \{([^}]*)\}", config)
    assert filetypes is not None and lua_argv(filetypes.group(1)) == ["python", "elixir"]


def test_helix() -> None:
    [text] = blocks("toml")
    config = tomllib.loads(text)
    server = config["language-server"]["slicegen"]
    assert [server["command"], *server["args"]] == ARGV
    languages = {lang["name"]: lang["language-servers"] for lang in config["language"]}
    assert set(languages) == {"python", "elixir"}
    assert all("slicegen" in servers for servers in languages.values())


def test_the_documented_command_line_starts_the_server() -> None:
    """``slicegen lsp`` as installed (the console script beside this Python) answers an
    editor's ``initialize`` with what the documented features need."""
    script = Path(sys.executable).parent / ARGV[0]
    if not script.is_file():
        pytest.skip("slicegen's console script is not installed beside this Python")

    async def main() -> types.InitializeResult:
        client = LanguageClient("editor", "1")
        await client.start_io(str(script), *ARGV[1:])
        try:
            async with asyncio.timeout(TIMEOUT):
                return await client.initialize_async(
                    types.InitializeParams(capabilities=types.ClientCapabilities())
                )
        finally:
            async with asyncio.timeout(TIMEOUT):
                await client.shutdown_async(None)
            client.exit(None)
            await client.stop()

    capabilities = asyncio.run(main()).capabilities
    sync = capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.open_close and sync.save and sync.change != types.TextDocumentSyncKind.None_
    assert capabilities.hover_provider
    actions = capabilities.code_action_provider
    assert isinstance(actions, types.CodeActionOptions)
    assert list(actions.code_action_kinds or ()) == [types.CodeActionKind.QuickFix]
    assert capabilities.execute_command_provider is not None
    assert {RUN, ADD_MISSING, RENAME_EVENT} <= set(capabilities.execute_command_provider.commands)
