"""The python stack end to end: generate a project with the real CLI, then run what its user would.

One module-scoped project (init through ``python -m slicegen``, the other commands through
typer's CliRunner to spare a process start each): init, two domains, three slices with typed
fields, a projection, a cross-domain policy through a fact, events stored at v1 and then
add-version. The generated project's own pytest, ruff check, ruff format --check and
mypy --strict must all be clean.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from uuid import UUID

import pytest

from tests.python_stack.conftest import Run
from tests.python_stack.support import clean_env, invoke, tool, tree_hash
from tests.python_stack.support import ok as ok_subprocess

COMMANDS: list[list[str]] = [
    line.split()
    for line in (
        "new-domain accounts",
        "new-domain profiles --aggregate profile",
        "add-slice accounts initialize_account --field email:str --field born:date"
        " --field nickname:str? --field tags:list[str] --field score:float --field vip:bool"
        " --projection summary",
        "add-slice accounts activate_account --field email:str --field activated_at:datetime"
        " --field credit:decimal",
        "add-slice profiles establish_profile --field email:str --field account_id:uuid"
        " --field referrer:uuid?",
        "add-projection accounts activate_account activity",
        "add-policy profiles establish_profile --on accounts:account_activated --with-fact",
    )
]
VERSION = ["add-version", "accounts", "initialize_account", "--field", "plan:str"]

#: Runs in the generated project: stores v1 events in a SQLite file (before add-version).
STORE_V1 = """
import sys
from datetime import date
from uuid import UUID

from shop import accounts

accounts.start(sys.argv[1])
outcome = accounts.initialize_account(
    UUID(int=7), email="a@example.com", born=date(2000, 1, 2), tags=["x"], score=0.5, vip=False
)
assert isinstance(outcome, list), outcome
accounts.stop()
"""

#: Runs after add-version: the v1 events load through the upcaster and v2 evolver.
READ_AFTER_VERSION = """
import sys
from datetime import date
from uuid import UUID

from shop import accounts
from shop.shared.messages import DomainError

accounts.start(sys.argv[1])
assert accounts.state(UUID(int=7)).account_initialized
summary = accounts.read_model(accounts.Summary, UUID(int=7))
assert summary is not None and summary.events_seen == 1, summary
again = accounts.initialize_account(
    UUID(int=7), email="a@example.com", born=date(2000, 1, 2), tags=[], score=1.0, vip=True,
    plan="gold",
)
assert isinstance(again, DomainError), again
accounts.stop()
print("ok")
"""


def run_script(project: Path, script: str, *args: str) -> str:
    """Run ``script`` with the generated project's ``src`` on the path; its stdout."""
    path = project.parent / "script_under_test.py"
    path.write_text(textwrap.dedent(script), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(path), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(PYTHONPATH=str(project / "src")),
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("python_e2e") / "shop"
    root.mkdir()
    ok_subprocess(root, "init", "--stack", "python", "--app", "shop")
    for command in COMMANDS:
        invoke(root, *command)
    store = root.parent / "kept.sqlite3"
    run_script(root, STORE_V1, f"sqlite:///{store}")
    invoke(root, *VERSION)
    return root


@pytest.fixture
def scratch(project: Path, tmp_path: Path) -> Path:
    """A private copy of the generated project, for tests that change it."""
    copy = tmp_path / "shop"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".mypy_cache", "__pycache__"))
    return copy


def test_generated_tests_pass(project: Path) -> None:
    done = tool(project, "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist")
    assert done.returncode == 0, done.stdout + done.stderr
    # unit tests of every slice file, the integration tests and the policy's integration test
    assert "test_when_account_activated_then_establish_profile_v1_integration.py" in (
        "\n".join(p.name for p in project.rglob("test_*.py"))
    )


def test_the_policys_integration_test_keeps_to_its_database(project: Path, tmp_path: Path) -> None:
    """With the team's databases configured (PostgreSQL in CI, here another SQLite file), the
    following domain looked for the facts in the configured store, not the test's own."""
    other = f"sqlite:///{tmp_path / 'configured.sqlite3'}"
    test = "when_account_activated_then_establish_profile_v1_integration.py"
    (path,) = project.rglob(f"test_{test}")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", path],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(SHOP_ACCOUNTS_DATABASE_URL=other, SHOP_PROFILES_DATABASE_URL=other),
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_check_is_clean(project: Path) -> None:
    done = tool(project, "ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_clean(project: Path) -> None:
    done = tool(project, "ruff", "format", "--no-cache", "--check", "--diff", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean(project: Path) -> None:
    done = tool(project, "mypy", "--strict", "--no-incremental")
    assert done.returncode == 0, done.stdout + done.stderr


def test_events_stored_at_v1_still_load_after_add_version(project: Path) -> None:
    store = project.parent / "kept.sqlite3"
    assert run_script(project, READ_AFTER_VERSION, f"sqlite:///{store}").strip() == "ok"


def test_stored_topics_are_type_strings(project: Path) -> None:
    import sqlite3

    with sqlite3.connect(project.parent / "kept.sqlite3") as db:
        topics = {row[0] for row in db.execute("SELECT topic FROM accounts_events")}
    assert topics == {"account_initialized:v1"}


def test_the_layout_follows_the_conventions(project: Path) -> None:
    slice_dir = project / "src/shop/accounts/domain/initialize_account"
    for name in (
        "command_v1.py",
        "event_v1.py",
        "maybe_initialize_account_v1.py",
        "initialized_to_state_v1.py",
        "initialized_to_summary_v1.py",
        "command_v2.py",
        "event_v2.py",
        "maybe_initialize_account_v2.py",
        "initialized_to_state_v2.py",
        "upcast_account_initialized_v1_to_v2.py",
    ):
        assert (slice_dir / name).is_file(), name
    policy = "when_account_activated_then_establish_profile_v1.py"
    assert (project / "src/shop/profiles/domain/establish_profile" / policy).is_file()
    fact = project / "src/shop/shared/facts/accounts/account_activated_fact_v1.py"
    assert 'TOPIC = "accounts:facts:account_activated"' in fact.read_text()
    event = (slice_dir / "event_v1.py").read_text()
    assert 'event_type: ClassVar[str] = "account_initialized:v1"' in event
    answers = (project / "src/shop/accounts/.copier-answers.yml").read_text()
    assert "aggregate: account" in answers
    assert "SHOP_ACCOUNTS_DATABASE_URL" in (project / "src/shop/accounts/app.py").read_text()
    assert (project / "design_docs/accounts/event-storming.md").is_file()
    for path in project.rglob("*.py"):
        assert "import slicegen" not in path.read_text(), path
        assert "from slicegen" not in path.read_text(), path


def test_every_command_rerun_changes_nothing(scratch: Path, ok: Run) -> None:
    before = tree_hash(scratch)
    for command in [*COMMANDS, VERSION, ["add-fact", "accounts", "account_activated"]]:
        out = ok(scratch, *command)
        assert "nothing to do" in out, (command, out)
    assert tree_hash(scratch) == before


def test_an_edited_generated_file_is_a_conflict_that_writes_nothing(scratch: Path, sg: Run) -> None:
    handler = scratch / "src/shop/accounts/domain/activate_account/maybe_activate_account_v1.py"
    handler.write_text(handler.read_text() + "# my rule\n")
    router = scratch / "src/shop/accounts/router.py"
    before = tree_hash(scratch)
    done = sg(
        scratch,
        "add-slice",
        "accounts",
        "activate_account",
        "--field",
        "email:str",
        "--field",
        "activated_at:datetime",
        "--field",
        "credit:decimal",
        "--projection",
        "ledger",
    )
    assert done.exit_code == 1, done.stdout + done.stderr
    assert "maybe_activate_account_v1.py" in done.stderr
    assert tree_hash(scratch) == before
    assert "Ledger" not in router.read_text()


def test_dry_run_prints_the_diff_and_writes_nothing(scratch: Path, ok: Run) -> None:
    before = tree_hash(scratch)
    out = ok(
        scratch, "add-slice", "accounts", "suspend_account", "--field", "reason:str", "--dry-run"
    )
    assert "+class SuspendAccountV1(Command):" in out
    assert "+ROUTES.handle(SuspendAccountV1, maybe_suspend_account_v1)" in out
    assert tree_hash(scratch) == before


def test_source_edits_keep_the_users_comments(scratch: Path, ok: Run) -> None:
    router = scratch / "src/shop/accounts/router.py"
    api = scratch / "src/shop/accounts/__init__.py"
    router.write_text(router.read_text() + "# keep: audit routes below\n")
    api.write_text(api.read_text().replace("\n\ndef ", "\n\n# the team's note\ndef ", 1))
    ok(scratch, "add-slice", "accounts", "suspend_account", "--field", "reason:str")
    assert "# keep: audit routes below" in router.read_text()
    assert "# the team's note" in api.read_text()
    assert "def suspend_account(" in api.read_text()
    done = tool(scratch, "ruff", "check", "--no-cache", "src")
    assert done.returncode == 0, done.stdout


def test_slicegen_lint_finds_nothing_once_the_documents_are_stormed(scratch: Path, sg: Run) -> None:
    stormed = sg(scratch, "storm")
    assert stormed.exit_code == 0, stormed.stdout + stormed.stderr
    linted = sg(scratch, "lint")
    assert linted.exit_code == 0, linted.stdout + linted.stderr


#: Runs the generated policy on a fact: every command field comes from the fact.
POLICY_MAPS = """
from datetime import UTC, datetime
from decimal import Decimal
from importlib import import_module
from uuid import UUID

from shop.shared.facts.accounts.account_activated_fact_v1 import AccountActivatedFactV1

name = "when_account_activated_then_establish_profile_v1"
policy = getattr(import_module(f"shop.profiles.domain.establish_profile.{name}"), name)
fact = AccountActivatedFactV1(
    aggregate_id=UUID(int=9),
    email="ann@example.com",
    activated_at=datetime(2024, 5, 1, tzinfo=UTC),
    credit=Decimal("2"),
)
print(policy(fact).model_dump_json())
"""


def test_the_policy_maps_the_facts_values(project: Path) -> None:
    import json

    command = json.loads(run_script(project, POLICY_MAPS))
    assert command == {
        "aggregate_id": str(UUID(int=9)),
        "email": "ann@example.com",
        "account_id": str(UUID(int=9)),
        "referrer": None,
    }
