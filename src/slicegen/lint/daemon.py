"""The lint server ``slicegen lint --daemon`` asks (:mod:`slicegen.lint.daemon_client`).

One server per workspace root and slicegen code. It answers each request with what a plain
``slicegen lint`` of the same arguments prints (:func:`slicegen.lint.command.lint`, its output
and its exit code), run from the last run's state of the same selection: the tree is stat'ed and
only what changed is re-linted (:mod:`slicegen.lint.delta`; anything it cannot answer safely is
a full run, with the on-disk cache). Requests are answered one at a time.

It ends after :data:`IDLE` seconds without a request (``SLICEGEN_DAEMON_IDLE``, when set), on
``--stop-daemon``, on SIGTERM or SIGINT, or when its socket or the workspace is gone. It holds
a lock beside its socket while it lives (the lock file names its process), so two clients
starting one at once leave one server (the other ends at once).

Run: ``python -m slicegen.lint.daemon ROOT`` (the client does).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import marshal
import os
import signal
import socket
import stat
import struct
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slicegen.constants import CACHE_DIR
from slicegen.errors import SlicegenError
from slicegen.lint.daemon_client import LIMIT, connect, receive, socket_name, stop_servers
from slicegen.safe_files import own_folder

if TYPE_CHECKING:  # the linter is imported on the first request: the socket listens first
    from slicegen.lint.delta import LintState

#: Seconds without a request after which the server ends.
IDLE = 30 * 60
#: Seconds a client has to send its request.
READ_TIMEOUT = 10.0
#: How often an idle server checks that its socket (and so its workspace) is still there.
TICK = 2.0
#: The selections whose last state is kept (each holds the model of the tree).
KEPT = 2


class Server:
    """The workspace's last lint states (one per selection) and how to answer a request."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.states: dict[str, LintState] = {}

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        from slicegen.lint.engine import locate

        if request.get("stop"):
            return {"stop": True, "stderr": f"stopped the lint server of {self.root}\n"}
        path = Path(str(request["path"]))
        if not path.exists():
            return {"elsewhere": True}  # the client's own run names the problem
        if locate(path)[0] != self.root:
            return {"elsewhere": True}
        return self._lint(path, request)

    def _lint(self, path: Path, request: dict[str, Any]) -> dict[str, Any]:
        from slicegen.lint.command import lint
        from slicegen.lint.output.printable import error_line

        select, ignore = request.get("select"), request.get("ignore") or []
        slot = json.dumps([select, ignore])
        out, err = Answer(bool(request.get("colour"))), io.StringIO()
        kept: list[Any] = []
        with contextlib.redirect_stderr(err):
            try:
                code = lint(
                    path,
                    str(request.get("format", "text")),
                    select,
                    ignore,
                    stream=out,
                    relative_to=Path(str(request["cwd"])),
                    previous=self.states.get(slot),
                    kept=kept,
                )
            except SlicegenError as exc:
                err.write(error_line(exc.message) + "\n")
                code = exc.exit_code
        state = kept[0].state if kept else None
        self.states.pop(slot, None)
        if state is not None:  # the most recent last: the oldest goes first
            self.states[slot] = state
            while len(self.states) > KEPT:
                del self.states[next(iter(self.states))]
        return {"stdout": out.getvalue(), "stderr": err.getvalue(), "code": code}


class Answer(io.StringIO):
    """The output of one request: a terminal exactly when the client's output is one (the
    client has already weighed NO_COLOR and FORCE_COLOR)."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def serve(root: Path, idle: float = IDLE) -> int:
    """Listen in ``root``'s cache folder and answer until idle, stopped or gone."""
    cache = root / CACHE_DIR
    if not own_folder(cache):
        return 2
    os.umask(0o077)  # the socket and anything else made here: this user's only
    os.chdir("/")  # holds no folder of the client's (requests name absolute paths)
    for name in ("NO_COLOR", "FORCE_COLOR"):  # the client decides colour
        os.environ.pop(name, None)
    name = socket_name()
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
    lock = os.open(cache / (name + ".lock"), flags, 0o600)
    try:
        if not stat.S_ISREG(os.fstat(lock).st_mode):
            return 2  # a FIFO or device planted in its place
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock)
        return 0  # another server of this workspace and code is running
    with contextlib.suppress(FileNotFoundError):
        os.unlink(cache / name)  # a dead server's (the lock says none is alive)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connect(listener, str(cache), name, bind=True)
    listener.listen(8)
    listener.settimeout(min(TICK, idle))
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server = Server(root)
    made = os.lstat(cache / name).st_ino
    os.ftruncate(lock, 0)
    os.write(lock, f"{os.getpid()}\n".encode())  # who holds it (for a user or a test to see)
    stop_servers(str(cache), keep=name)  # an older slicegen's: no client of this one asks them
    last = time.monotonic()
    try:
        while _still_ours(cache / name, made) and time.monotonic() - last < idle:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                if not _answer(server, conn):
                    return 0
            last = time.monotonic()
        return 0
    except StopServer:
        return 0
    finally:
        with contextlib.suppress(OSError):
            if os.lstat(cache / name).st_ino == made:
                os.unlink(cache / name)
        listener.close()
        os.close(lock)


class StopServer(Exception):
    """SIGTERM or SIGINT: end after the current answer."""


def _stop(_signum: int, _frame: object) -> None:
    raise StopServer


def _answer(server: Server, conn: socket.socket) -> bool:
    """Answer one connection; False when the server should end."""
    if not _same_user(conn):
        return True
    conn.settimeout(READ_TIMEOUT)
    try:
        request = marshal.loads(receive(conn))
    except (OSError, ValueError, EOFError, TypeError):
        return True
    if not isinstance(request, dict) or not isinstance(request.get("path"), str):
        return True
    try:
        answer = server.answer(request)
    except Exception as exc:  # never a dead server: the client lints in its own process
        answer = {"failed": f"{type(exc).__name__}: {exc}"}
        traceback.print_exc()
    data = marshal.dumps(answer)
    with contextlib.suppress(OSError):
        conn.settimeout(60.0)
        conn.sendall(data[:LIMIT])
    return not bool(answer.get("stop"))


def _same_user(conn: socket.socket) -> bool:
    """Whether the peer runs as this user (where the system says; the socket is 0600 anyway)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    try:
        _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, 12))
    except OSError:
        return False
    return bool(uid == os.getuid())


def _still_ours(path: Path, made: int) -> bool:
    """Whether the socket this server made is still there (else no client can reach it)."""
    try:
        return os.lstat(path).st_ino == made
    except OSError:
        return False


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m slicegen.lint.daemon ROOT\n")
        return 2
    idle = os.environ.get("SLICEGEN_DAEMON_IDLE", "")
    return serve(Path(argv[0]).resolve(), float(idle) if idle.isdigit() else IDLE)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
