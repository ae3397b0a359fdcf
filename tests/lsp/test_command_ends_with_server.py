"""A command a code action runs (``slicegen.run``) ends with the language server: an editor
killing the server left it running, orphaned, for up to its 300 s timeout (a stranger's tree
can make a command wait: a FIFO where it reads)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SERVER = """
import sys
from types import SimpleNamespace
from slicegen import lsp
sys.executable = {fake!r}  # the command run: the fake, which waits
server = SimpleNamespace(window_show_message=lambda params: None)
lsp.lint_root = lambda *args, **kwargs: None
lsp.run_command(server, {root!r}, "storm")
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's parent-death signal")
def test_a_running_command_dies_with_the_server(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    fake = tmp_path / "fake-python"
    fake.write_text(
        f"#!/bin/sh\necho $$ > {pid_file}.tmp && mv {pid_file}.tmp {pid_file}\nexec sleep 120\n"
    )
    fake.chmod(0o755)
    script = SERVER.format(fake=str(fake), root=str(tmp_path))
    server = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(600):
            if pid_file.exists():
                break
            time.sleep(0.1)
        command = int(pid_file.read_text())
        assert _alive(command)
        server.send_signal(signal.SIGKILL)
        server.wait()
        for _ in range(100):
            if not _alive(command):
                break
            time.sleep(0.1)
        assert not _alive(command), "the command outlived the server"
    finally:
        server.kill()
        if pid_file.exists() and _alive(pid := int(pid_file.read_text())):
            os.kill(pid, signal.SIGKILL)
