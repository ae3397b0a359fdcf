"""``exit`` (or the editor gone) ends ``slicegen lsp`` even while its event loop is busy: the
first lint of a large tree held it for as long as the lint ran (10-12 s on a 13,543-file
tree), since the loop reads the next message only between lints."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.lint.trees import clean, write

#: A server whose lint never ends (a stand-in for the first lint of a huge tree).
BUSY = """
import threading, sys
from slicegen import lsp
def forever(*args, **kwargs):
    sys.stderr.write("linting\\n"); sys.stderr.flush()
    threading.Event().wait()
lsp.run_lint = forever
lsp.main()
"""
HANG_GUARD = 60  # seconds: a server that does not end fails the test, never hangs it


def _message(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _busy_server(root: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-c", BUSY],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert server.stdin is not None and server.stderr is not None
    initialize = {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}
    event = root / "src/shop/accounts/domain/open_account/event_v1.py"
    item = {"uri": event.as_uri(), "languageId": "python", "version": 1, "text": ""}
    server.stdin.write(
        _message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize})
        + _message({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        + _message(
            {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": item}}
        )
    )
    server.stdin.flush()
    linting = threading.Event()
    threading.Thread(
        target=lambda: server.stderr.readline() and linting.set(),  # type: ignore[union-attr]
        daemon=True,
    ).start()
    assert linting.wait(HANG_GUARD), "the server never started its lint"
    return server


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    write(folder, clean("python"))
    return folder


def test_exit_ends_a_server_busy_linting(root: Path) -> None:
    server = _busy_server(root)
    try:
        assert server.stdin is not None
        server.stdin.write(
            _message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
            + _message({"jsonrpc": "2.0", "method": "exit"})
        )
        server.stdin.flush()
        assert server.wait(HANG_GUARD) == 0  # after shutdown: 0, as the protocol asks
    finally:
        server.kill()


def test_the_editor_gone_ends_a_server_busy_linting(root: Path) -> None:
    server = _busy_server(root)
    try:
        assert server.stdin is not None
        server.stdin.close()  # no shutdown, no exit: the editor died
        assert server.wait(HANG_GUARD) == 1
    finally:
        server.kill()
