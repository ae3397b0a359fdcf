"""``apply --prune`` removes a slice before the slices whose events its policies follow:
``remove-slice`` refuses a slice a policy still follows, so pruning a policy's slice together
with the slice it follows must remove the follower first, whatever order the code lists them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import RunCli


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_prune_removes_a_follower_before_the_slice_it_follows(
    cli: RunCli, tmp_path: Path, stack: str
) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "close_account", "-f", "reason:str", "--starts"),
        ("add-slice", "accounts", "open_account", "-f", "email:str"),
        ("add-slice", "accounts", "note_account", "-f", "email:str?"),
        ("add-policy", "accounts", "note_account", "--on", "accounts:account_opened"),
    ):
        done = cli(*step, cwd=root)
        assert done.exit_code == 0, done.stderr
    exported = cli("storm", "--export", cwd=root).stdout
    # the model keeps close_account only
    model = tmp_path / "design.yaml"
    design = yaml.safe_load(exported)
    for name in ("open_account", "note_account"):
        del design["domains"]["accounts"]["slices"][name]
    model.write_text(yaml.safe_dump(design))
    assert "open_account" not in model.read_text() and "note_account" not in model.read_text()
    pruned = cli("apply", str(model), "--prune", cwd=root)
    assert pruned.exit_code == 0, pruned.stderr
    plan = [line for line in pruned.stdout.splitlines() if line.startswith("plan: remove-slice")]
    assert plan == [
        "plan: remove-slice accounts note_account",
        "plan: remove-slice accounts open_account",
    ]
    assert cli("apply", str(model), "--check", cwd=root).exit_code == 0
    assert cli("lint", cwd=root).exit_code == 0


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_prune_removes_two_slices_whose_policies_follow_each_other(
    cli: RunCli, tmp_path: Path, stack: str
) -> None:
    """A cycle: open_account's policy follows note_account's event and note_account's follows
    open_account's. Each remove-slice alone is refused (the other still follows it); pruning
    both removes one policy first, then both slices, with nothing left behind."""
    root = tmp_path / "ws"
    assert cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "close_account", "-f", "reason:str", "--starts"),
        ("add-slice", "accounts", "open_account", "-f", "email:str?"),
        ("add-slice", "accounts", "note_account", "-f", "email:str?"),
        ("add-policy", "accounts", "note_account", "--on", "accounts:account_opened"),
        ("add-policy", "accounts", "open_account", "--on", "accounts:account_noted"),
    ):
        done = cli(*step, cwd=root)
        assert done.exit_code == 0, done.stderr
    design = yaml.safe_load(cli("storm", "--export", cwd=root).stdout)
    for name in ("open_account", "note_account"):
        del design["domains"]["accounts"]["slices"][name]
    model = tmp_path / "design.yaml"
    model.write_text(yaml.safe_dump(design))
    pruned = cli("apply", str(model), "--prune", cwd=root)
    assert pruned.exit_code == 0, pruned.stderr
    assert [line for line in pruned.stdout.splitlines() if line.startswith("plan: remove")] == [
        "plan: remove-policy accounts note_account --on accounts:account_opened",
        "plan: remove-slice accounts open_account",
        "plan: remove-slice accounts note_account",
    ]
    assert "note: kept" not in pruned.stdout
    gone = ("open_account", "note_account")
    left = [p for p in root.rglob("*") if any(g in p.name for g in gone)]
    assert [p for p in left if "retired" not in p.parts] == []  # only their events, retired
    assert not list(root.rglob("policy_once.ex"))  # the domain's last policy went with them
    assert cli("apply", str(model), "--check", cwd=root).exit_code == 0
    assert cli("lint", cwd=root).exit_code == 0
