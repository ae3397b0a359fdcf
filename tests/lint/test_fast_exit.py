"""A ``slicegen lint`` process ends without freeing its run (``slicegen.entry.end``): its
output is all written and its exit code kept; with a worker process started it ends as usual."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .trees import py_slice

END = (
    "import sys\nfrom slicegen.entry import end\n{before}sys.stdout.write('x' * 300_000)\nend(3)\n"
)


def _run(code: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)


def test_the_output_is_flushed_and_the_code_kept() -> None:
    done = _run(END.format(before="") + "print('never')\n")
    assert (done.returncode, len(done.stdout), done.stderr) == (3, 300_000, b"")


def test_with_a_worker_process_started_the_process_ends_as_usual() -> None:
    done = _run(
        END.format(before="import concurrent.futures.process\n") + "print('after')\n"
    )  # end returned: Python's own exit would join the workers
    assert done.returncode == 0 and done.stdout.endswith(b"after\n")


def test_a_lint_process_prints_what_the_run_found(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", py_slice("accounts", "update_account", "account_updated"))
    (root / "src/shop/accounts/domain/update_account/event_v1.py").write_text(
        "class AccountUpdated:\n    pass\n", encoding="utf-8"
    )
    cli = [sys.executable, "-m", "slicegen", "lint", ".", "--format", "json"]
    runs = [
        subprocess.run([*cli, *extra], cwd=root, capture_output=True, timeout=300)
        for extra in ((), ("--no-cache",), ())
    ]  # a full run, a cold one, a replay
    assert {r.returncode for r in runs} == {1}
    found = [json.loads(r.stdout) for r in runs]
    assert found[0] and found[0] == found[1] == found[2]
