"""``slicegen lsp`` given input that is no language server protocol: a header that never ends
(took time in its square: 64 MB, 28 s CPU and 320 MB, and grew with the input), a
``Content-Length`` of a terabyte (the server waited for it for ever, ``exit`` unseen), one of
5,000 digits (the reader thread died with a traceback). Each ends the server with one line
naming the problem and the fix, exit code 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

INITIALIZE = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'


def _framed(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        (b"X-Junk: " + b"y" * 2**18, "a message header over 65,536 bytes"),
        (b"Content-Length: 1000000000000\r\n\r\n{}", "a message of 1,000,000,000,000 bytes"),
        (b"Content-Length: " + b"9" * 5000 + b"\r\n\r\n{}", "a message of 999,999,999,999,"),
    ],
    ids=["endless-header", "terabyte", "digits"],
)
def test_input_that_is_no_protocol_ends_the_server(tmp_path: Path, sent: bytes, said: str) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "slicegen", "lsp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert server.stdin is not None and server.stderr is not None
    try:
        try:
            server.stdin.write(_framed(INITIALIZE) + sent)
            server.stdin.flush()  # stdin stays open: an editor that is still there
        except BrokenPipeError:  # ended before it was all sent
            pass
        assert server.wait(timeout=60) == 1
        lines = server.stderr.read().decode().splitlines()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"slicegen lsp: the editor sent {said}")
    assert "not the language server protocol; check the editor's client settings" in lines[0]
