"""``slicegen apply MODEL --check``: every difference between the model and the code, both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli

MODEL = """\
app: shop
stack: {stack}
domains:
  accounts:
    aggregate: account
    slices:
      open_account:
        event: account_opened
        versions:
          - version: 1
            fields: [email:str]
        projections: [account_summary]
      close_account:
        event: account_closed
  shipping:
    aggregate: shipment
"""


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_check_lists_each_difference_both_ways(cli: RunCli, tmp_path: Path, stack: str) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "open_account", "-f", "email:int", "-p", "account_list"),
        ("add-slice", "accounts", "suspend_account"),
    ):
        assert cli(*step, cwd=root).exit_code == 0
    model = tmp_path / "design.yaml"
    model.write_text(MODEL.format(stack=stack))
    before = sorted(p.as_posix() for p in root.rglob("*"))
    text = cli("apply", str(model), "--check", cwd=root)
    assert text.exit_code == 1
    found = json.loads(cli("apply", str(model), "--check", "--format", "json", cwd=root).stdout)
    kinds = {(d["key"], d["kind"]) for d in found["differences"]}
    slices = "domains.accounts.slices"
    assert kinds == {
        (f"{slices}.open_account.versions.0.fields", "differs"),
        (f"{slices}.open_account.projections", "missing"),  # account_summary
        (f"{slices}.open_account.projections", "extra"),  # account_list
        (f"{slices}.close_account", "missing"),
        (f"{slices}.suspend_account", "extra"),
        ("domains.shipping", "missing"),
    }
    assert len(text.stdout.splitlines()) == len(found["differences"]) + 1
    sarif = json.loads(cli("apply", str(model), "--check", "--format", "sarif", cwd=root).stdout)
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == len(found["differences"])
    assert sorted(p.as_posix() for p in root.rglob("*")) == before  # --check writes nothing


def test_check_of_the_exported_model_is_clean(cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--app", "shop", cwd=tmp_path).exit_code == 0
    assert cli("new-domain", "accounts", cwd=root).exit_code == 0
    assert cli("add-slice", "accounts", "open_account", "-f", "email:str", cwd=root).exit_code == 0
    model = tmp_path / "design.yaml"
    model.write_text(cli("storm", "--export", cwd=root).stdout)
    same = cli("apply", str(model), "--check", cwd=root)
    assert same.exit_code == 0, same.stdout
    assert "matches" in same.stdout
    bad = cli("apply", str(model), "--check", "--format", "xml", cwd=root)
    assert bad.exit_code == 2 and "--format 'xml'" in bad.stderr


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_prune_removes_what_the_model_lacks(cli: RunCli, tmp_path: Path, stack: str) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path).exit_code == 0
    assert cli("new-domain", "accounts", cwd=root).exit_code == 0
    assert cli("add-slice", "accounts", "open_account", cwd=root).exit_code == 0
    model = tmp_path / "design.yaml"
    model.write_text(cli("storm", "--export", cwd=root).stdout)
    assert cli("add-slice", "accounts", "close_account", cwd=root).exit_code == 0
    kept = cli("--dry-run", "apply", str(model), cwd=root)
    assert "kept slice accounts.close_account" in kept.stdout
    assert "remove  " not in kept.stdout
    pruned = cli("apply", str(model), "--prune", cwd=root)
    assert pruned.exit_code == 0, pruned.stderr
    assert "plan: remove-slice accounts close_account" in pruned.stdout
    assert "reads back differently" not in pruned.stdout
    assert cli("apply", str(model), "--check", cwd=root).exit_code == 0
    assert cli("lint", cwd=root).exit_code == 0
