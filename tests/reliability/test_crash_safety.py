"""SIGKILL a slicegen write between file operations: the workspace is the before or the after tree.

A sample of the kill points of ``benchmarks/crash_trials.py`` (which runs every point of every
scenario, at least 100 trials); see ``crash_harness`` for what one trial checks.
"""

from __future__ import annotations

import shutil
import signal

import pytest

from tests.reliability.crash_harness import (
    Outcome,
    Prepared,
    blank_stamps,
    prepare,
    scenarios,
    slicegen,
    tree,
)

SCENARIOS = {s.name: s for s in scenarios()}
#: One command per stack here (each run costs a second or more); the benchmark runs all of them.
STACK_SCENARIOS = ["python new-domain", "elixir add-slice"]


def _assert_good(outcome: Outcome) -> None:
    assert outcome.bad == []
    assert outcome.before + outcome.after == outcome.trials


@pytest.fixture(scope="module")
def edited_workspace(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    prepared = prepare(
        SCENARIOS["init --force over an edited workspace"], tmp_path_factory.mktemp("c")
    )
    assert prepared is not None
    return prepared


def test_kill_points_of_init_force_leave_before_or_after(edited_workspace: Prepared) -> None:
    ops = edited_workspace.total_ops()
    assert ops == edited_workspace.planned_ops()  # the harness knows every op it walks through
    outcome = Outcome()
    for kill_after in edited_workspace.sample(ops, 8):
        outcome.add(edited_workspace.trial(kill_after))
    _assert_good(outcome)
    # Kills after the journal is written and before the commit leave a half-written tree that the
    # next run rolls back; the sweep must have hit some of those, and the committed end.
    assert outcome.raw_pending > 0
    assert outcome.before > 0 and outcome.after > 0


def test_dry_run_after_a_kill_rolls_back_first(edited_workspace: Prepared) -> None:
    ops = edited_workspace.total_ops()
    kill_after = edited_workspace.mid_rename_point(ops)
    work = edited_workspace.copy("dry")
    slicegen(edited_workspace.scenario.argv, work, kill_after=kill_after)
    assert (work / ".slicegen" / "txn" / "journal.json").exists()
    assert tree(work) not in (edited_workspace.before, edited_workspace.after)
    dry = slicegen([*edited_workspace.scenario.argv, "--dry-run"], work)
    assert dry.returncode == 0
    assert "recovered: rolled back an interrupted slicegen run" in dry.stderr
    assert blank_stamps(dry.stdout) == edited_workspace.dry_before
    assert tree(work) == edited_workspace.before
    assert not (work / ".slicegen" / "txn").exists()


def test_a_killed_first_init_does_not_block_the_next_init(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The config a killed init half-wrote must not make the retry say 'already a workspace'."""
    prepared = prepare(SCENARIOS["init in an empty folder"], tmp_path_factory.mktemp("e"))
    assert prepared is not None
    argv = prepared.scenario.argv
    seen_pending = False
    for kill_after in prepared.sample(prepared.total_ops(), 5):
        work = prepared.copy(f"k{kill_after}")
        first = slicegen(argv, work, kill_after=kill_after)
        assert first.returncode == -signal.SIGKILL
        pending = (work / ".slicegen" / "txn" / "journal.json").exists()
        seen_pending |= pending and (work / "slicegen.toml").exists()
        committed = not pending and tree(work) == prepared.after
        retry = slicegen(argv, work)
        if committed:
            assert retry.returncode == 2 and "already inside" in retry.stderr
        else:
            assert retry.returncode == 0, retry.stderr
        assert tree(work) == prepared.after
        shutil.rmtree(work)
    assert seen_pending  # some kill left the new slicegen.toml in place with a pending journal


@pytest.mark.parametrize("name", STACK_SCENARIOS)
def test_stack_commands_killed_at_sampled_points(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    prepared = prepare(SCENARIOS[name], tmp_path_factory.mktemp("s"))
    if prepared is None:
        pytest.skip(f"{name}: not implemented by the stack yet")
    ops = prepared.total_ops()
    outcome = Outcome()
    for kill_after in prepared.sample(ops, 2):
        outcome.add(prepared.trial(kill_after))
    _assert_good(outcome)


def test_a_kill_during_recovery_is_recovered_by_the_run_after(edited_workspace: Prepared) -> None:
    ops = edited_workspace.total_ops()
    first = edited_workspace.mid_rename_point(ops)
    outcome = Outcome()
    for second in range(edited_workspace.recovery_ops() + 1):
        outcome.add(edited_workspace.trial(first, recovery_kill=second))
    _assert_good(outcome)
    assert outcome.raw_pending == outcome.trials  # every first kill left a half-written tree


def test_lint_after_a_kill_rolls_back_before_judging(edited_workspace: Prepared) -> None:
    ops = edited_workspace.total_ops()
    kill_after = edited_workspace.mid_rename_point(ops)
    work = edited_workspace.copy("lint")
    slicegen(edited_workspace.scenario.argv, work, kill_after=kill_after)
    assert (work / ".slicegen" / "txn" / "journal.json").exists()
    linted = slicegen(["lint", "."], work)
    assert linted.returncode in (0, 1), linted.stderr
    assert "recovered: rolled back an interrupted slicegen run" in linted.stderr
    linted_tree = {k: v for k, v in tree(work).items() if not k.startswith(".slicegen_cache/")}
    assert linted_tree == edited_workspace.before
    assert not (work / ".slicegen" / "txn").exists()
