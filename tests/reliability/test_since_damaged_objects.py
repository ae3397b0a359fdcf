"""``lint --since REF`` where git cannot read an event file at ``REF`` (its object damaged, or
missing: a partial clone, which ``--since`` lets fetch nothing): the contracts were silently not
compared ("All checks passed" over a retyped field). Now one line naming the file and the fix,
exit 2."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import RunCli
from tests.contracts.test_lint_contracts import EVENT, git, ok

PYTHON_EVENT = EVENT["python"]


def test_an_event_file_git_cannot_read_at_since_is_an_error(cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    ok("init", str(root), "--stack", "python", "--app", "shop")
    ok("new-domain", "accounts", "-C", str(root))
    ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-C", str(root))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "x")
    event = root / PYTHON_EVENT
    event.write_text(event.read_text().replace("    owner: str", "    owner: int"))
    found = cli("lint", "--no-cache", "--since", "HEAD", "--select", "SG205", str(root), cwd=root)
    assert found.exit_code == 1 and "SG205" in found.stdout  # readable: the change is found
    listed = subprocess.run(
        ["git", "rev-parse", f"HEAD:{PYTHON_EVENT}"], cwd=root, capture_output=True, text=True
    )
    oid = listed.stdout.strip()
    stored = root / ".git" / "objects" / oid[:2] / oid[2:]
    os.chmod(stored, 0o644)
    stored.write_bytes(b"damaged")
    result = cli("lint", "--no-cache", "--since", "HEAD", "--select", "SG205", str(root), cwd=root)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.count("\n") == 1
    assert f"--since: git cannot read {PYTHON_EVENT} at that revision" in result.stderr
    assert "fetch the revision's objects (a full clone), run 'git fsck', or drop" in result.stderr
