"""The files slicegen writes for itself grow with the tree: a manifest or an event lock over the
2 MiB slicegen reads of any other file is still read (a tree of ~4,000 slices has both; every
command, ``storm`` and SG205 stopped at them before)."""

from __future__ import annotations

import json
from pathlib import Path

from slicegen.contracts.lock import LOCK_FILE, parse, render
from slicegen.manifest import PATH as MANIFEST
from slicegen.model.readers.fields import EventShape, FieldShape
from slicegen.safe_files import MAX_BYTES

from .test_lint_contracts import CHANGES, edit, ok, sg205, slicegen


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "python"  # the folder's name is the stack (test_lint_contracts.edit)
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
    return root


def test_a_large_manifest_is_read(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    manifest = json.loads((root / MANIFEST).read_text())
    text = "x" * MAX_BYTES
    manifest["files"]["src/shop/padding.py"] = {"sha256": "0" * 64, "text": text}
    (root / MANIFEST).write_text(json.dumps(manifest))
    ok("add-slice", "accounts", "close_account", "-f", "reason:str", "-C", str(root))
    files = json.loads((root / MANIFEST).read_text())["files"]
    assert "src/shop/accounts/domain/close_account/command_v1.py" in files


def test_a_large_lock_is_read(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    locked = parse((root / LOCK_FILE).read_text())
    fields = {f"field_{i}": FieldShape("str", True) for i in range(40)}
    locked["elsewhere"] = {  # a domain of another tree: SG205 judges only this tree's domains
        f"thing_{i}:v1": EventShape(f"thing_{i}:v1", f"src/x/s{i}/event_v1.py", 1, fields)
        for i in range(3000)
    }
    (root / LOCK_FILE).write_text(render(locked))
    assert (root / LOCK_FILE).stat().st_size > MAX_BYTES
    edit(root, *CHANGES["renamed"]["python"])
    [one] = sg205(root)
    assert "field 'owner' renamed to 'owner_name'" in one["message"]
    _, out = slicegen("storm", "--check", "-C", str(root))
    assert "bytes slicegen reads" not in out
