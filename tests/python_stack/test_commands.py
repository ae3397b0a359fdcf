"""The python stack's commands on small workspaces: errors, copier, and what each one writes."""

from __future__ import annotations

from pathlib import Path

from tests.python_stack.conftest import Run
from tests.python_stack.support import tree_hash


def test_add_slice_needs_the_domain(tmp_path: Path, sg: Run, ok: Run) -> None:
    ok(tmp_path, "init", "--stack", "python", "--app", "shop")
    done = sg(tmp_path, "add-slice", "billing", "issue_invoice")
    assert done.exit_code == 2
    assert "slicegen new-domain billing" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_add_projection_needs_the_slice(workspace: Path, sg: Run, ok: Run) -> None:
    done = sg(workspace, "add-projection", "accounts", "close_account", "summary")
    assert done.exit_code == 2
    assert "slicegen add-slice accounts close_account" in done.stderr


def test_a_cross_domain_policy_needs_a_fact(workspace: Path, sg: Run, ok: Run) -> None:
    ok(workspace, "new-domain", "profiles")
    ok(workspace, "add-slice", "accounts", "activate_account")
    ok(workspace, "add-slice", "profiles", "establish_profile")
    before = tree_hash(workspace)
    done = sg(
        workspace,
        "add-policy",
        "profiles",
        "establish_profile",
        "--on",
        "accounts:account_activated",
    )
    assert done.exit_code == 2
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "slicegen add-fact accounts account_activated" in message
    assert "--with-fact" in message
    assert tree_hash(workspace) == before
    out = ok(
        workspace,
        "add-policy",
        "profiles",
        "establish_profile",
        "--on",
        "accounts:account_activated",
        "--with-fact",
    )
    assert "src/shop/shared/facts/accounts/account_activated_fact_v1.py" in out
    assert "activated_to_fact_v1.py" in out


def test_a_policy_on_its_own_slices_event_is_refused(workspace: Path, sg: Run, ok: Run) -> None:
    """Dispatching a command on the event it records loops: each dispatch triggers the next."""
    ok(workspace, "add-slice", "accounts", "note_account")
    before = tree_hash(workspace)
    done = sg(workspace, "add-policy", "accounts", "note_account", "--on", "accounts:account_noted")
    assert done.exit_code == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "loops" in done.stderr and "another slice's event" in done.stderr
    assert tree_hash(workspace) == before


def test_a_fact_needs_an_event_the_domain_records(workspace: Path, sg: Run, ok: Run) -> None:
    done = sg(workspace, "add-fact", "accounts", "account_activated")
    assert done.exit_code == 2
    assert "records no event 'account_activated'" in done.stderr


def test_the_shared_kernel_is_not_a_domain(tmp_path: Path, sg: Run, ok: Run) -> None:
    ok(tmp_path, "init", "--stack", "python", "--app", "shop")
    done = sg(tmp_path, "new-domain", "shared")
    assert done.exit_code == 2
    assert "reserved" in done.stderr


def test_crud_names_are_refused(workspace: Path, sg: Run, ok: Run) -> None:
    done = sg(workspace, "add-slice", "accounts", "create_account")
    assert done.exit_code == 2
    assert "open_account" in done.stderr or "register_account" in done.stderr


def test_the_default_event_comes_from_the_inflection_library(
    workspace: Path, sg: Run, ok: Run
) -> None:
    ok(workspace, "add-slice", "accounts", "cast_vote")
    event = workspace / "src/shop/accounts/domain/cast_vote/event_v1.py"
    assert 'event_type: ClassVar[str] = "vote_cast:v1"' in event.read_text()
    assert (workspace / "src/shop/accounts/domain/cast_vote/cast_to_state_v1.py").is_file()


def test_copier_renders_the_domain_with_its_answers_file(workspace: Path, sg: Run, ok: Run) -> None:
    answers = (workspace / "src/shop/accounts/.copier-answers.yml").read_text()
    assert "domain: accounts" in answers
    assert "aggregate: account" in answers
    assert str(workspace) not in answers  # no machine-specific paths in the user's repository


def test_an_override_template_never_runs_tasks(workspace: Path, sg: Run, ok: Run) -> None:
    template = workspace / ".slicegen/templates/python/domain"
    builtin = Path(__file__).resolve().parents[2] / "templates/python/domain"
    for source in builtin.rglob("*"):
        if source.is_file():
            target = template / source.relative_to(builtin)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    with (template / "copier.yml").open("a") as handle:
        handle.write(
            '_tasks:\n  - "touch {{ _copier_conf.dst_path }}/../TASK_RAN"\n  - "touch TASK_RAN"\n'
        )
    done = sg(workspace, "new-domain", "billing")
    assert not list(workspace.parent.rglob("TASK_RAN"))
    assert not list(Path.cwd().glob("TASK_RAN"))
    assert done.exit_code in (0, 2), done.stderr
    if done.exit_code == 0:
        assert (workspace / "src/shop/billing/app.py").is_file()


def test_field_names_the_generated_code_uses_are_refused(workspace: Path, sg: Run, ok: Run) -> None:
    for field in ("account_id:uuid", "aggregate_id:uuid", "model_name:str", "command:str"):
        done = sg(workspace, "add-slice", "accounts", "open_account", "--field", field)
        assert done.exit_code == 2, field
        assert "rename" in done.stderr
    assert not (workspace / "src/shop/accounts/domain/open_account").exists()


def test_which_slice_starts_the_aggregate(workspace: Path, ok: Run) -> None:
    def handler(command: str) -> str:
        slice_dir = workspace / "src/shop/accounts/domain" / command
        return (slice_dir / f"maybe_{command}_v1.py").read_text()

    ok(workspace, "add-slice", "accounts", "activate_account")  # the domain's first slice
    ok(workspace, "add-slice", "accounts", "close_account")
    ok(workspace, "add-slice", "accounts", "open_account")  # its verb starts things
    ok(workspace, "add-slice", "accounts", "book_account", "--starts")
    ok(workspace, "add-slice", "accounts", "register_account", "--no-starts")
    starting = {
        name: "    if state.exists:" in handler(name)
        for name in (
            "activate_account",
            "close_account",
            "open_account",
            "book_account",
            "register_account",
        )
    }
    assert starting == {
        "activate_account": True,
        "close_account": False,
        "open_account": True,
        "book_account": True,
        "register_account": False,
    }
    # a re-run keeps what the handler says
    assert "nothing to do" in ok(workspace, "add-slice", "accounts", "activate_account")
    assert "nothing to do" in ok(workspace, "add-slice", "accounts", "register_account")
