"""``slicegen lint --daemon``: ask the workspace's lint server, started on first use.

A fresh process pays for its imports, for reading every file's record and for running every
rule; the server (:mod:`slicegen.lint.daemon`) keeps the last run's state in memory and re-lints
only what changed since (:mod:`slicegen.lint.delta`), as the language server does. This module
is what the command line runs: it imports little (no engine, no rules) unless it must start the
server. The answer is the output a plain ``slicegen lint`` with the same arguments prints, and
its exit code; a server that cannot be reached or started means a plain run in this process,
with a warning on stderr.

The server listens on a Unix socket in the workspace's ``.slicegen_cache/`` (a folder of this
user and no symlink), named after slicegen's code digest, so an upgraded slicegen never asks an
older server; each side checks the other is this user (the socket's owner; the peer's
credentials where the system gives them), so requests and answers are :mod:`marshal` data (of
the same Python: the server runs the client's interpreter), which loads fast and runs nothing.
"""

from __future__ import annotations

import marshal
import os
import socket
import stat
import sys
import time

from slicegen.colour import use_colour
from slicegen.constants import CACHE_DIR
from slicegen.own_code import code_key

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (as slicegen.colour)
if TYPE_CHECKING:
    from typing import TextIO

#: How long a client waits for a server it started to listen (its imports; not the lint).
START_WAIT = 20.0
#: The longest answer or request read (findings of a huge tree, as text, fit easily).
LIMIT = 256 * 1024 * 1024


def socket_name() -> str:
    """The socket's name in the cache folder: one per slicegen code."""
    return f"daemon-{code_key()[:16]}.sock"


def supported() -> bool:
    return hasattr(socket, "AF_UNIX") and os.name == "posix"


def ask(
    path: str,
    output_format: str,
    select: list[str] | None,
    ignore: list[str],
    stop: bool = False,
    stream: TextIO | None = None,
) -> int | None:
    """Lint ``path`` through its workspace's server (started if none answers), print what it
    answers and return the exit code; None when no server could answer (lint here instead).
    With ``stop``, stop the server instead (exit 0 whether or not one was running)."""
    if not supported():
        return _unanswered("--daemon needs a Unix system")
    target = os.path.abspath(path)
    request: dict[str, object] = {
        "path": target,
        "cwd": os.getcwd(),
        "format": output_format,
        "select": select,
        "ignore": ignore,
        "colour": output_format == "text" and use_colour(stream or sys.stdout),
        "stop": stop,
    }
    start = os.path.realpath(target)
    if not os.path.isdir(start):
        start = os.path.dirname(start)
    folder = start
    while True:  # a server of a workspace holding the path answers, or says it is not its
        if stop:
            stopped = stop_servers(os.path.join(folder, CACHE_DIR))
            if stopped:
                sys.stderr.write(f"stopped {stopped} lint server(s) of {folder}\n")
                return 0
        answer = _call(os.path.join(folder, CACHE_DIR), request)
        if answer is not None and "elsewhere" not in answer:
            return _print(answer, stream or sys.stdout)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    if stop:
        return 0
    if not os.path.exists(target):
        return None  # the plain run names the problem
    from pathlib import Path

    from slicegen.errors import SlicegenError
    from slicegen.lint.engine import locate, refuse_unbounded
    from slicegen.safe_files import own_folder

    try:
        root, config = locate(Path(target))
        if config is None:
            refuse_unbounded(root)  # no server (nor cache folder) in the home folder or /
    except SlicegenError:
        return None  # the plain run names the problem
    cache = os.path.join(root, CACHE_DIR)
    if not own_folder(cache):
        return _unanswered(f"{cache} is not a folder of this user")
    _start_server(str(root))
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        answer = _call(cache, request)
        if answer is not None:
            if "elsewhere" in answer:
                break
            return _print(answer, stream or sys.stdout)
        time.sleep(0.02)
    return _unanswered("the lint server did not start")


def stop_servers(cache: str, keep: str = "") -> int:
    """Stop the servers (of any slicegen code) listening in ``cache`` but ``keep``; how many
    answered."""
    try:
        names = [n for n in os.listdir(cache) if n.startswith("daemon-") and n.endswith(".sock")]
    except OSError:
        return 0
    request = {"stop": True, "path": ""}
    return sum(_call(cache, request, name) is not None for name in names if name != keep)


def _call(
    cache: str, request: dict[str, object], name: str | None = None
) -> dict[str, object] | None:
    """The answer of the server listening in ``cache`` (on the socket ``name``, default this
    code's); None when none listens there (or it is not this user's, or it did not answer)."""
    name = name or socket_name()
    full = os.path.join(cache, name)
    try:
        info = os.lstat(full)
    except OSError:
        return None
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        try:
            connect(conn, cache, name)
            conn.sendall(marshal.dumps(request))
            conn.shutdown(socket.SHUT_WR)
            data = receive(conn)
        except OSError:
            return None
    try:
        answer = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    return answer if isinstance(answer, dict) else None


def connect(conn: socket.socket, folder: str, name: str, bind: bool = False) -> None:
    """Connect ``conn`` to (with ``bind``: bind it at) the socket ``name`` in ``folder``; a path
    too long for a socket address is reached from inside the folder."""
    reach = conn.bind if bind else conn.connect
    full = os.path.join(folder, name)
    if len(full.encode()) < 100:
        reach(full)
        return
    here = os.open(".", os.O_RDONLY)
    try:
        os.chdir(folder)
        reach(name)
    finally:
        os.fchdir(here)
        os.close(here)


def receive(conn: socket.socket) -> bytes:
    """Everything the other side sends until it closes its end (at most :data:`LIMIT`)."""
    chunks, size = [], 0
    while chunk := conn.recv(1 << 20):
        size += len(chunk)
        if size > LIMIT:
            raise OSError("answer too long")
        chunks.append(chunk)
    return b"".join(chunks)


def _print(answer: dict[str, object], out: TextIO) -> int | None:
    if answer.get("failed"):
        return _unanswered(f"the lint server failed ({answer['failed']})")
    sys.stderr.write(str(answer.get("stderr", "")))
    out.write(str(answer.get("stdout", "")))
    code = answer.get("code", 0)
    return code if isinstance(code, int) else 0


def _unanswered(why: str) -> int | None:
    """None (lint in this process), after a warning saying why."""
    sys.stderr.write(f"warning: {why}; linted in this process (run without --daemon)\n")
    return None


def _start_server(root: str) -> None:
    """Start the server of ``root`` in its own session, detached from this terminal."""
    import subprocess

    subprocess.Popen(
        [sys.executable, "-m", "slicegen.lint.daemon", root],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def from_command_line(args: list[str]) -> tuple[int | None, list[str]]:
    """``lint ... --daemon`` (or ``--stop-daemon``): the exit code of the server's answer, and
    the arguments without those flags (what to run in this process when the code is None).
    Forms the replay does not read (:func:`slicegen.lint.fast.parse_args`) are left to the
    full command line, which names what ``--daemon`` cannot take."""
    from slicegen.lint.fast import parse_args

    plain = [arg for arg in args if arg not in ("--daemon", "--stop-daemon")]
    parsed = parse_args(plain)
    if parsed is None:
        return None, args
    path, output_format, (select, ignore) = parsed
    chosen = list(select) if select is not None else None
    return ask(path, output_format, chosen, list(ignore), "--stop-daemon" in args), plain
