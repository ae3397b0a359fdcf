"""``remove-slice`` of a slice whose event another slice's policy follows (as a fact from another
domain, or as an event of its own domain) is refused in both stacks, with one line naming the
follower and the ``remove-policy`` to run first, and writes nothing; once the policy is gone the
slice goes. Before, a fact's publisher went with the slice and the other domain's policy waited
for facts that never came; an event's policy was left importing the removed event (the Elixir
umbrella no longer compiled, the Python project's tests no longer imported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.scaffold.test_remove_slice import files

#: Per stack: the policy file that follows the ``account_opened`` fact.
FOLLOWER = {
    "python": "src/shop/profiles/domain/establish_profile/"
    "when_account_opened_then_establish_profile_v1.py",
    "elixir": "apps/shop_profiles/lib/shop_profiles/domain/establish_profile/"
    "when_account_opened_then_establish_profile_v1.ex",
}


@pytest.mark.parametrize("stack", FOLLOWER)
def test_a_slice_whose_fact_another_domain_follows_is_kept(
    cli: RunCli, tmp_path: Path, stack: str
) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (
        ("new-domain", "accounts"),
        ("new-domain", "profiles"),
        ("add-slice", "accounts", "open_account", "-f", "owner:str"),
        ("add-slice", "profiles", "establish_profile", "-f", "owner:str"),
        ("add-policy", "profiles", "establish_profile", "--on", "accounts:account_opened"),
    ):
        # the policy is added with its fact
        done = cli(*step, *(["--with-fact"] if step[0] == "add-policy" else []), cwd=root)
        assert done.exit_code == 0, done.stderr
    before = files(root)
    for force in ((), ("--force",)):
        refused = cli("remove-slice", "accounts", "open_account", *force, cwd=root)
        assert refused.exit_code == 2
        assert refused.stderr.strip().splitlines() == [
            "error: slice 'open_account' publishes fact 'account_opened', which is still "
            f"consumed ({FOLLOWER[stack]}): remove that policy first (slicegen remove-policy "
            "profiles establish_profile --on accounts:account_opened)"
        ]
        assert files(root) == before
    policy = ("remove-policy", "profiles", "establish_profile", "--on", "accounts:account_opened")
    assert cli(*policy, cwd=root).exit_code == 0
    removed = cli("remove-slice", "accounts", "open_account", cwd=root)
    assert removed.exit_code == 0, removed.stderr
    assert not [rel for rel in files(root) if "/open_account/" in rel]


#: Per stack: the policy file of another slice of the same domain that follows the event.
LOCAL_FOLLOWER = {
    "python": "src/shop/accounts/domain/note_account/when_account_opened_then_note_account_v1.py",
    "elixir": "apps/shop_accounts/lib/shop_accounts/domain/note_account/"
    "when_account_opened_then_note_account_v1.ex",
}


@pytest.mark.parametrize("stack", LOCAL_FOLLOWER)
def test_a_slice_whose_event_a_policy_of_its_domain_follows_is_kept(
    cli: RunCli, tmp_path: Path, stack: str
) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path).exit_code == 0
    policy = ("add-policy", "accounts", "note_account", "--on", "accounts:account_opened")
    for step in (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "open_account", "-f", "owner:str"),
        ("add-slice", "accounts", "note_account", "-f", "owner:str?"),
        policy,
    ):
        done = cli(*step, cwd=root)
        assert done.exit_code == 0, done.stderr
    before = files(root)
    refused = cli("remove-slice", "accounts", "open_account", cwd=root)
    assert refused.exit_code == 2
    assert refused.stderr.strip().splitlines() == [
        "error: slice 'open_account' records event 'account_opened', which is still consumed "
        f"({LOCAL_FOLLOWER[stack]}): remove that policy first (slicegen remove-policy "
        "accounts note_account --on accounts:account_opened)"
    ]
    assert files(root) == before
    assert cli("remove-policy", *policy[1:], cwd=root).exit_code == 0
    assert cli("remove-slice", "accounts", "open_account", cwd=root).exit_code == 0
