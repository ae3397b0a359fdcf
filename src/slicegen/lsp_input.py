"""The language server's input, read ahead by a thread of its own, so that ``exit`` ends the
server even while its event loop is busy.

The server lints in its event loop, which reads the next message only between lints: the first
lint of a large tree (seconds; a stranger's tree can make it much longer) held an editor's
``shutdown``/``exit`` until it ended. Here a reader thread takes each message off stdin as it
comes and hands it to pygls through a buffer; after ``exit``, or at the end of the input (the
editor gone), the process ends :data:`EXIT_GRACE` seconds later if the loop has not ended it by
then (exit code 0 after ``shutdown``, else 1, as the protocol asks).
"""

from __future__ import annotations

import json
import os
import re
import threading

#: Seconds the event loop has to end the server itself after ``exit`` or the end of the input.
EXIT_GRACE = 1.0
#: The most bytes of one message's header, and of its body (an editor sends a file's text in
#: one: VS Code hands an extension none over 50 MB). Past either, the input is no protocol the
#: server can follow: it ends (a header with no end took time in its square: 64 MB, 28 s CPU).
MAX_HEADER = 64 * 1024
MAX_BODY = 64 * 2**20
_LENGTH = re.compile(rb"content-length:[ \t]*(\d+)", re.IGNORECASE)


class ReadAhead:
    """``readline`` and ``read`` (what pygls's reader calls) over a buffer that a daemon thread
    fills from the file descriptor ``fd``, noting the ``shutdown`` and ``exit`` messages. The
    thread reads with ``os.read``: a daemon thread blocked in a file object's read holds its
    lock, which the interpreter takes at its end (a fatal error)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = bytearray()
        self._ended = False
        self._ready = threading.Condition()
        self._shut_down = False
        threading.Thread(target=self._pump, name="slicegen-lsp-input", daemon=True).start()

    def readline(self) -> bytes:
        with self._ready:
            while b"\n" not in self._buffer and not self._ended:
                self._ready.wait()
            end = self._buffer.find(b"\n") + 1 or len(self._buffer)
            return self._take(end)

    def read(self, size: int) -> bytes:
        with self._ready:
            while len(self._buffer) < size and not self._ended:
                self._ready.wait()
            return self._take(min(size, len(self._buffer)))

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _pump(self) -> None:
        unread = bytearray()  # the bytes after the last whole message seen
        body_at = size = -1  # where the next message's body starts, and its length (-1: unknown)
        searched = 0  # how far ``unread`` holds no header's end
        while True:
            try:
                chunk = os.read(self._fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            with self._ready:
                self._buffer += chunk
                self._ready.notify_all()
            unread += chunk
            while True:
                if body_at < 0:
                    head = unread.find(b"\r\n\r\n", searched)
                    if head < 0:
                        if len(unread) > MAX_HEADER:
                            _refuse(f"a message header over {MAX_HEADER:,} bytes")
                        searched = max(0, len(unread) - 3)
                        break
                    found = _LENGTH.search(unread, 0, head)
                    digits = found.group(1) if found else b"0"
                    if len(digits) > 12 or int(digits) > MAX_BODY:
                        _refuse(f"a message of {int(digits[:30]):,} bytes or more")
                    body_at, size = head + 4, int(digits)
                if len(unread) < body_at + size:
                    break
                self._note(bytes(unread[body_at : body_at + size]))
                del unread[: body_at + size]
                body_at = size = -1
                searched = 0
        with self._ready:
            self._ended = True
            self._ready.notify_all()
        self._end_soon()  # the editor is gone

    def _note(self, body: bytes) -> None:
        method = _method(body)
        if method == "shutdown":
            self._shut_down = True
        elif method == "exit":
            self._end_soon()

    def _end_soon(self) -> None:
        code = 0 if self._shut_down else 1
        timer = threading.Timer(EXIT_GRACE, os._exit, (code,))
        timer.daemon = True
        timer.start()


def _refuse(what: str) -> None:
    """End the server: its input is no protocol it can follow (one line on stderr)."""
    os.write(
        2,
        f"slicegen lsp: the editor sent {what}, more than the server reads: its input is "
        "not the language server protocol; check the editor's client settings and restart "
        "the server\n".encode(),
    )
    os._exit(1)


def _method(body: bytes) -> str | None:
    """The ``method`` of a JSON-RPC message (None for a response or a damaged message)."""
    if b'"exit"' not in body and b'"shutdown"' not in body:
        return None
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return None
    method = message.get("method") if isinstance(message, dict) else None
    return method if isinstance(method, str) else None
