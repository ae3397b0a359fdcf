"""A policy's command is recorded once per trigger, though delivery is at least once: run in
Elixir, the generated policy and its domain's `PolicyOnce` (the router's middleware, and the
handler whose `before_execute` runs in the aggregate's process), compiled with the command and
the trigger against the stand-ins and an event store that keeps a command's id as its events'
causation id, as Commanded does, handle one event or fact twice and another once. The repeat is
found however many events the stream holds before it or gained since: the first check in a
process reads the stream once, each later one only the events recorded since; with a router
`prefix:` it reads the stream the router names, for a fact's policy too. The same policy against
real Commanded and EventStore: `test_policy_once_real.py`."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_slicegen
from tests.elixir_stack.support import ok, require_elixir, run_tool

STAND_INS = Path(__file__).parent / "elixir"
#: Other commands' events in a long stream before the policy's first command.
PADDING = 3000
ACCOUNTS = "apps/reckon_accounts/lib/reckon_accounts/domain"
PROFILES = "apps/reckon_profiles/lib/reckon_profiles/domain"

#: Two policies whose commands do not start their aggregate (no refusal tells a repeat): one on
#: the domain's own event, one on another domain's fact.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("new-domain", "accounts"),
    ("add-slice", "accounts", "open_account", "-f", "email:str"),
    ("add-slice", "accounts", "note_account", "-f", "email:str?"),
    ("add-policy", "accounts", "note_account", "--on", "accounts:account_opened"),
    ("new-domain", "profiles"),
    ("add-slice", "profiles", "establish_profile"),
    ("add-slice", "profiles", "tag_profile", "-f", "email:str?"),
    ("add-policy", "profiles", "tag_profile", "--on", "accounts:account_opened", "--with-fact"),
)


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("elixir_policy_once")
    ok(root, "init", "--stack", "elixir", "--app", "reckon", ".")
    for args in COMMANDS:
        ok(root, *args)
    return root


#: Per trigger kind: the app, the command's id field, the policy, its trigger, and the files to
#: compile (the trigger, the command, the policy, the domain's router middleware).
POLICIES: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "event": (
        "ReckonAccounts",
        "account_id",
        "ReckonAccounts.Domain.NoteAccount.WhenAccountOpenedThenNoteAccountV1",
        "ReckonAccounts.Domain.OpenAccount.EventV1",
        (
            f"{ACCOUNTS}/open_account/event_v1.ex",
            f"{ACCOUNTS}/note_account/command_v1.ex",
            f"{ACCOUNTS}/note_account/when_account_opened_then_note_account_v1.ex",
            "apps/reckon_accounts/lib/reckon_accounts/policy_once.ex",
        ),
    ),
    "fact": (
        "ReckonProfiles",
        "profile_id",
        "ReckonProfiles.Domain.TagProfile.WhenAccountOpenedThenTagProfileV1",
        "ReckonShared.Accounts.AccountOpenedFact",
        (
            "apps/reckon_shared/lib/reckon_shared/accounts/account_opened_fact.ex",
            f"{PROFILES}/tag_profile/command_v1.ex",
            f"{PROFILES}/tag_profile/when_account_opened_then_tag_profile_v1.ex",
            "apps/reckon_profiles/lib/reckon_profiles/policy_once.ex",
        ),
    ),
}


def deliver(policies: Path, tmp_path: Path, kind: str, padding: int, **env: str) -> str:
    """Run the policy of ``kind`` on three deliveries (the first trigger twice); its output."""
    app, id_field, policy, trigger, files = POLICIES[kind]
    elixir, _ = require_elixir()
    done = run_tool(
        [
            elixir,
            str(STAND_INS / "policy_once.exs"),
            str(STAND_INS / "stand_ins.exs"),
            app,
            id_field,
            policy,
            trigger,
            str(padding),
            *(str(policies / f) for f in files),
        ],
        tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def commands(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("commands ")]


@pytest.mark.parametrize("kind", POLICIES)
@pytest.mark.parametrize(
    ("padding", "prefix"),
    [(0, ""), (PADDING, ""), (0, "account-")],
    ids=["short", "long", "prefixed"],
)
def test_a_trigger_delivered_twice_dispatches_its_command_once(
    policies: Path, tmp_path: Path, kind: str, padding: int, prefix: str
) -> None:
    out = deliver(policies, tmp_path, kind, padding, PREFIX=prefix)
    # once after the first delivery, still once after the repeat, twice after another trigger
    assert commands(out) == ["commands [1] ids 1", "commands [1] ids 1", "commands [2] ids 2"]
    reads = [int(line.split()[1]) for line in out.splitlines() if line.startswith("read ")]
    # the first delivery reads the stream whole (its padding and the trigger), each later one
    # only what was recorded since the last read (the command's event, or the next trigger)
    assert reads == [padding + 1, 1, 1]


@pytest.mark.parametrize(("kind", "later"), [("event", PADDING), ("fact", 150)])
def test_a_repeat_after_any_number_of_later_events_is_told(
    policies: Path, tmp_path: Path, kind: str, later: int
) -> None:
    """Other commands record events on the aggregate between the deliveries: the repeat is
    still found (it was let through after 100 later events, the old in-memory window)."""
    out = deliver(policies, tmp_path, kind, 0, LATER=str(later))
    assert commands(out)[:2] == ["commands [1] ids 1", "commands [1] ids 1"]


def test_add_policy_registers_the_middleware_once_below_use_keeping_the_users_prefix(
    tmp_path: Path,
) -> None:
    """The router a user gave a ``prefix:`` gets ``PolicyOnce`` on the line below its ``use``
    (before every dispatch, as Commanded requires), once however many policies the domain has."""
    ok(tmp_path, "init", "--stack", "elixir", "--app", "reckon", ".")
    for args in COMMANDS[:3]:
        ok(tmp_path, *args)
    ok(tmp_path, "add-slice", "accounts", "tag_account", "-f", "email:str?")
    router = tmp_path / "apps/reckon_accounts/lib/reckon_accounts/router.ex"
    identify = "identify(ReckonAccounts.Shared.Account, by: :account_id"
    router.write_text(router.read_text().replace(identify, f'{identify}, prefix: "acc-"'))
    ok(tmp_path, *COMMANDS[3])
    ok(tmp_path, "add-policy", "accounts", "tag_account", "--on", "accounts:account_opened")
    text = router.read_text()
    assert text.count("middleware(") == 1
    assert "  use Commanded.Commands.Router\n  middleware(ReckonAccounts.PolicyOnce)\n\n" in text
    assert f'{identify}, prefix: "acc-")' in text
    assert (router.parent / "policy_once.ex").is_file()


def test_a_policys_command_goes_through_policy_once_until_its_last_policy_is_removed(
    tmp_path: Path,
) -> None:
    """`add-policy` sends the command through `PolicyOnce` (its `before_execute` runs in the
    aggregate's process); `remove-policy` sends it straight to the aggregate again once no
    policy dispatches it, keeping an option the user added to the line."""
    ok(tmp_path, "init", "--stack", "elixir", "--app", "reckon", ".")
    for args in COMMANDS[:3]:
        ok(tmp_path, *args)
    ok(tmp_path, "add-slice", "accounts", "close_account", "-f", "reason:str?")
    router = tmp_path / "apps/reckon_accounts/lib/reckon_accounts/router.ex"
    command, aggregate = (
        "ReckonAccounts.Domain.NoteAccount.CommandV1",
        "ReckonAccounts.Shared.Account",
    )
    plain = f"dispatch({command}, to: {aggregate})"
    mine = f"dispatch(\n    {command},\n    to: {aggregate},\n    timeout: 9_000\n  )"
    router.write_text(router.read_text().replace(plain, mine))
    before = router.read_text()
    ok(tmp_path, *COMMANDS[3])
    ok(tmp_path, "add-policy", "accounts", "note_account", "--on", "accounts:account_closed")
    through = (
        f"  dispatch(\n    {command},\n    to: ReckonAccounts.PolicyOnce,\n"
        f"    aggregate: {aggregate},\n    before_execute: :before_execute,\n"
        "    timeout: 9_000\n  )\n"
    )
    assert through in router.read_text()
    ok(tmp_path, "remove-policy", "accounts", "note_account", "--on", "accounts:account_opened")
    assert through in router.read_text()  # another policy still dispatches it
    ok(tmp_path, "remove-policy", "accounts", "note_account", "--on", "accounts:account_closed")
    assert router.read_text() == before


def test_add_policy_refuses_a_dispatch_with_the_users_own_before_execute(tmp_path: Path) -> None:
    """Commanded takes one handler and one `before_execute` per command: the user's are never
    replaced; one line names the fix, and nothing is written."""
    ok(tmp_path, "init", "--stack", "elixir", "--app", "reckon", ".")
    for args in COMMANDS[:3]:
        ok(tmp_path, *args)
    router = tmp_path / "apps/reckon_accounts/lib/reckon_accounts/router.ex"
    command = "ReckonAccounts.Domain.NoteAccount.CommandV1"
    plain = f"dispatch({command}, to: ReckonAccounts.Shared.Account)"
    mine = plain.replace(")", ", before_execute: :mine)")
    router.write_text(router.read_text().replace(plain, mine))

    def files() -> dict[Path, bytes]:  # the lock file holds the last command's pid
        return {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.name != "lock"}

    before = files()
    done = run_slicegen(*COMMANDS[3], cwd=tmp_path)
    assert done.exit_code != 0
    assert f"make it `dispatch({command}, to: <aggregate>)`" in done.stderr
    assert files() == before


OLDER_ONCE = "defmodule ReckonAccounts.PolicyOnce do\n  @behaviour Commanded.Middleware\nend\n"


def _older_slicegens_tree(root: Path) -> Path:
    """A domain with one policy as an older slicegen left it: its `PolicyOnce` a middleware only
    (recorded as generated in the manifest), the policy's command routed to the aggregate."""
    ok(root, "init", "--stack", "elixir", "--app", "reckon", ".")
    for args in (*COMMANDS[:4], ("add-slice", "accounts", "tag_account", "-f", "email:str?")):
        ok(root, *args)
    once = root / "apps/reckon_accounts/lib/reckon_accounts/policy_once.ex"
    once.write_text(OLDER_ONCE)
    manifest_file = root / ".slicegen/manifest.json"
    manifest = json.loads(manifest_file.read_text())
    entry = manifest["files"][str(once.relative_to(root))]
    entry.update(sha256=hashlib.sha256(OLDER_ONCE.encode()).hexdigest(), text=OLDER_ONCE)
    manifest_file.write_text(json.dumps(manifest))
    router = root / "apps/reckon_accounts/lib/reckon_accounts/router.ex"
    command = "ReckonAccounts.Domain.NoteAccount.CommandV1"
    older = f"dispatch({command}, to: ReckonAccounts.Shared.Account)"
    through = rf"dispatch\(\n    {re.escape(command)},\n.*?\n  \)"
    router.write_text(re.sub(through, older, router.read_text(), count=1, flags=re.S))
    assert older in router.read_text()
    return router


def test_add_policy_brings_an_older_policy_once_up_to_date(tmp_path: Path) -> None:
    """Its earlier policies' commands go through the new check too, not only the new one's."""
    router = _older_slicegens_tree(tmp_path)
    ok(tmp_path, "add-policy", "accounts", "tag_account", "--on", "accounts:account_opened")
    assert "def before_execute(" in (router.parent / "policy_once.ex").read_text()
    text = router.read_text()
    for command in ("NoteAccount", "TagAccount"):
        assert (
            f"    ReckonAccounts.Domain.{command}.CommandV1,\n    to: ReckonAccounts.PolicyOnce,"
            in text
        )


def test_add_policy_refuses_an_older_policy_once_the_user_changed(tmp_path: Path) -> None:
    router = _older_slicegens_tree(tmp_path)
    (router.parent / "policy_once.ex").write_text(OLDER_ONCE + "# mine\n")
    done = run_slicegen(
        "add-policy", "accounts", "tag_account", "--on", "accounts:account_opened", cwd=tmp_path
    )
    assert done.exit_code != 0
    assert "move your changes aside, delete the file and re-run" in done.stderr
    assert "to: ReckonAccounts.PolicyOnce" not in router.read_text()
