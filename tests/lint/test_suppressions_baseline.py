"""Suppression comments (line, file, both stacks, unused = SG002) and the baseline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .conftest import lint_json
from .trees import ex_slice, py_slice

EVENT = "src/shop/accounts/domain/update_account/event_v1.py"
EX_EVENT = "apps/reckon_accounts/lib/reckon_accounts/domain/update_account/event_v1.ex"


def _crud_py(extra_first_line: str = "", file_comment: str = "") -> dict[str, str | bytes]:
    files = py_slice("accounts", "update_account", "account_updated")
    files[EVENT] = (
        f"{file_comment}class AccountUpdatedV1:{extra_first_line}\n"
        '    event_type = "account_updated:v1"\n'
    )
    return files


def test_line_suppression_python(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", _crud_py("  # slicegen: ignore[SG101] legacy name"))
    _, findings = lint_json(root, select=["SG0", "SG101"])
    assert [f for f in findings if f["path"] in (EVENT, EX_EVENT) or f["code"] == "SG002"] == []


def test_file_suppression_python(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", _crud_py(file_comment="# slicegen: ignore-file[SG1] legacy\n"))
    _, findings = lint_json(root, select=["SG0", "SG101"])
    assert [f for f in findings if f["path"] == EVENT or f["code"] == "SG002"] == []


def test_line_suppression_elixir(make_tree: Callable[..., Path]) -> None:
    files = ex_slice("accounts", "update_account", "account_updated")
    files[EX_EVENT] = (
        "defmodule ReckonAccounts.Domain.UpdateAccount.EventV1 do # slicegen: ignore[SG101] old\n"
        '  def event_type, do: "account_updated:v1"\nend\n'
    )
    root = make_tree("elixir", files)
    _, findings = lint_json(root, select=["SG0", "SG101"])
    assert [f for f in findings if f["path"] in (EVENT, EX_EVENT) or f["code"] == "SG002"] == []


def test_suppression_on_another_line_does_not_apply(make_tree: Callable[..., Path]) -> None:
    files = _crud_py()
    files[EVENT] = str(files[EVENT]) + "# slicegen: ignore[SG101]\n"
    root = make_tree("python", files)
    _, findings = lint_json(root, select=["SG0", "SG101"])
    mine = {(f["code"], f["line"]) for f in findings if f["path"] == EVENT}
    assert mine == {("SG101", 1), ("SG002", 3)}


def test_unused_suppression_names_the_codes(make_tree: Callable[..., Path]) -> None:
    root = make_tree(
        "python", {"src/shop/accounts/notes.py": "x = 1  # slicegen: ignore[SG101, SG999]\n"}
    )
    _, findings = lint_json(root, select=["SG0", "SG101"])
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in findings] == [
        ("SG002", "src/shop/accounts/notes.py", 1, 8)
    ]
    assert "SG101, SG999" in findings[0]["message"]


def test_suppression_of_a_disabled_rule_is_not_unused(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", {"src/shop/accounts/notes.py": "x = 1  # slicegen: ignore[SG401]\n"})
    _, findings = lint_json(root, select=["SG0", "SG101"])
    assert findings == []


def _write_baseline(root: Path, base: Path) -> None:
    import io

    from slicegen.lint.command import lint

    assert (
        lint(root, select=["SG1"], write_baseline=base, use_cache=False, stream=io.StringIO()) == 0
    )


def test_baseline_reports_only_new_findings(make_tree: Callable[..., Path], tmp_path: Path) -> None:
    root = make_tree("python", _crud_py())
    base = tmp_path / "baseline.json"
    _, before = lint_json(root, select=["SG1"])
    assert before
    _write_baseline(root, base)
    data = json.loads(base.read_text())
    assert all("line" not in entry for entry in data["findings"])
    assert data["findings"] == sorted(
        data["findings"], key=lambda e: (e["code"], e["path"], e["names"])
    )
    code, findings = lint_json(root, select=["SG1"], baseline=base)
    assert (code, findings) == (0, [])
    # moving the code (other line numbers) does not resurface baselined findings
    event = root / EVENT
    event.write_text("\n\n" + event.read_text())
    code, findings = lint_json(root, select=["SG1"], baseline=base)
    assert (code, findings) == (0, [])
    # a new finding is reported
    new = py_slice("accounts", "delete_account", "account_deleted")
    from .trees import write

    write(root, new)
    code, findings = lint_json(root, select=["SG1"], baseline=base)
    assert code == 1
    assert {f["path"].split("/")[-2] for f in findings} == {"delete_account"}


def test_rewriting_the_baseline_drops_fixed_findings(
    make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_tree("python", _crud_py())
    base = tmp_path / "baseline.json"
    _write_baseline(root, base)
    first = base.read_text()
    _write_baseline(root, base)
    assert base.read_text() == first  # stable
    for rel in list(_crud_py()):
        (root / rel).unlink()
    _write_baseline(root, base)
    assert json.loads(base.read_text())["findings"] == []


def test_missing_baseline_is_a_usage_error(make_tree: Callable[..., Path], tmp_path: Path) -> None:
    import pytest

    from slicegen.errors import SlicegenError

    with pytest.raises(SlicegenError, match="does not exist"):
        lint_json(make_tree("python"), baseline=tmp_path / "nope.json")
