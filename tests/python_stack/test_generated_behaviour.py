"""What the generated python code does when run: policies, add-version, preconditions, types.

One module-scoped project, made as a user would: two domains, a policy whose command has a field
the fact lacks (``display_name``), a business rule written by hand into ``maybe_..._v1`` and a
comment into the public function, then ``add-version``. Each test runs the generated code (its
own pytest, or a script through the public API) rather than reading it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.python_stack.conftest import Run
from tests.python_stack.support import invoke, tool
from tests.python_stack.support import ok as ok_subprocess
from tests.python_stack.test_end_to_end import run_script

SLICE = "src/shop/accounts/domain/initialize_account"
POLICY = (
    "src/shop/profiles/domain/establish_profile/when_account_activated_then_establish_profile_v1.py"
)
RULE = """\
    if command.email.endswith("@blocked.example"):
        return DomainError(reason="blocked email domain")
"""


def _write_rule_and_comment(root: Path) -> None:
    handler = root / SLICE / "maybe_initialize_account_v1.py"
    text = handler.read_text()
    assert "    event = " in text
    handler.write_text(text.replace("    event = ", RULE + "    event = ", 1))
    api = root / "src/shop/accounts/__init__.py"
    docstring = (
        '"""Initialize account: the events it caused, or the refusal'
        ' (once per idempotency key)."""\n'
    )
    assert docstring in api.read_text()
    api.write_text(api.read_text().replace(docstring, docstring + "    # the one way in\n"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("python_behaviour") / "shop"
    root.mkdir()
    ok_subprocess(root, "init", "--stack", "python", "--app", "shop")
    for line in (
        "new-domain accounts",
        "new-domain profiles --aggregate profile",
        "add-slice accounts initialize_account --field email:str",
        "add-slice accounts activate_account --field email:str --field activated_at:datetime",
        "add-slice profiles establish_profile --field email:str --field account_id:uuid"
        " --field display_name:str",
        "add-policy profiles establish_profile --on accounts:account_activated --with-fact",
    ):
        invoke(root, *line.split())
    _write_rule_and_comment(root)
    invoke(root, "add-version", "accounts", "initialize_account", "--field", "plan:str")
    return root


def test_only_the_unmapped_policy_field_fails_the_generated_tests(project: Path) -> None:
    done = tool(project, "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-rf")
    failed = sorted(
        line.split("::")[0].rsplit("/", 1)[-1]
        for line in done.stdout.splitlines()
        if line.startswith("FAILED")
    )
    assert failed == [
        "test_when_account_activated_then_establish_profile_v1.py",
        "test_when_account_activated_then_establish_profile_v1_integration.py",
    ], done.stdout
    assert "NotImplementedError: map display_name from AccountActivatedFactV1" in done.stdout


def test_mypy_strict_and_ruff_are_clean(project: Path) -> None:
    for args in (
        ("mypy", "--strict", "--no-incremental"),
        ("ruff", "check", "--no-cache", "."),
        ("ruff", "format", "--no-cache", "--check", "."),
    ):
        done = tool(project, *args)
        assert done.returncode == 0, done.stdout + done.stderr


def test_lint_says_where_the_policy_is_unmapped(project: Path, tmp_path: Path, sg: Run) -> None:
    copy = tmp_path / "shop"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".mypy_cache", "__pycache__"))
    assert sg(copy, "storm").exit_code == 0
    linted = sg(copy, "lint", "--format", "text")
    line = next(
        n
        for n, text in enumerate((copy / POLICY).read_text().splitlines(), 1)
        if "map display_name from" in text
    )
    assert linted.exit_code == 1
    assert [f for f in linted.stdout.splitlines() if ": SG" in f] == [
        f"{POLICY}:{line}:13: SG406 policy '{POLICY.rsplit('/', 1)[-1]}' does not map "
        "'display_name' from AccountActivatedFactV1: say where its value comes from"
    ]


POLICY_SCRIPT = """
from datetime import UTC, datetime
from uuid import UUID

from importlib import import_module

from shop.shared.facts.accounts.account_activated_fact_v1 import AccountActivatedFactV1

slice_ = "shop.profiles.domain.establish_profile"
policy = import_module(f"{slice_}.when_account_activated_then_establish_profile_v1")
fact = AccountActivatedFactV1(
    aggregate_id=UUID(int=5), email="ann@example.com", activated_at=datetime.now(UTC)
)
try:
    policy.when_account_activated_then_establish_profile_v1(fact)
except NotImplementedError as exc:
    print(exc)
"""


def test_the_policy_raises_rather_than_inventing_a_value(project: Path) -> None:
    out = run_script(project, POLICY_SCRIPT)
    assert out.strip() == (
        "map display_name from AccountActivatedFactV1: it has no display_name (str)"
    )


VERSIONED = """
import sys
from uuid import UUID

from shop import accounts
from shop.shared.messages import DomainError

accounts.start(sys.argv[1])
refused = accounts.initialize_account(UUID(int=1), email="eve@blocked.example", plan="gold")
print(refused.reason if isinstance(refused, DomainError) else "accepted")
done = accounts.initialize_account(UUID(int=2), email="ann@example.com", plan="gold")
print(type(done[0]).__name__ if isinstance(done, list) else done.reason)
accounts.stop()
"""


def test_add_version_keeps_the_hand_written_rule(project: Path, tmp_path: Path) -> None:
    v2 = (project / SLICE / "maybe_initialize_account_v2.py").read_text()
    assert RULE in v2
    assert "# the one way in" in (project / "src/shop/accounts/__init__.py").read_text()
    out = run_script(project, VERSIONED, f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    assert out.split() == ["blocked", "email", "domain", "AccountInitializedV2"]


PRECONDITIONS = """
import sys
from datetime import datetime, UTC
from uuid import UUID

from pydantic import ValidationError

from shop import accounts
from shop.shared.messages import DomainError

accounts.start(sys.argv[1])
now = datetime.now(UTC)
missing = accounts.activate_account(UUID(int=3), email="a@example.com", activated_at=now)
print(missing.reason if isinstance(missing, DomainError) else "accepted")
accounts.initialize_account(UUID(int=3), email="a@example.com", plan="basic")
again = accounts.initialize_account(UUID(int=3), email="a@example.com", plan="basic")
print(again.reason if isinstance(again, DomainError) else "accepted")
for _ in range(2):
    done = accounts.activate_account(UUID(int=3), email="a@example.com", activated_at=now)
    print("refused" if isinstance(done, DomainError) else "accepted")
try:
    accounts.activate_account(UUID(int=3), email="a@example.com", activated_at=datetime(2024, 1, 1))
except ValidationError as exc:
    print(exc.errors()[0]["type"])
accounts.stop()
"""


def test_preconditions_and_aware_datetimes(project: Path, tmp_path: Path) -> None:
    out = run_script(project, PRECONDITIONS, f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    assert out.splitlines() == [
        "no such account",
        "account already exists",
        "accepted",
        "accepted",
        "timezone_aware",
    ]


def test_add_version_reports_what_it_could_not_edit(tmp_path: Path, sg: Run, ok: Run) -> None:
    ok(tmp_path, "init", "--stack", "python", "--app", "shop")
    ok(tmp_path, "new-domain", "accounts")
    ok(tmp_path, "add-slice", "accounts", "initialize_account", "--field", "email:str")
    api = tmp_path / "src/shop/accounts/__init__.py"
    text = api.read_text()
    assert "return dispatch(command, idempotency_key)" in text
    api.write_text(
        text.replace(
            "dispatch(command, idempotency_key)", "dispatch(command.model_copy(), idempotency_key)"
        )
    )
    test = tmp_path / "tests/accounts/initialize_account/test_initialize_account_integration.py"
    before = test.read_text()
    done = sg(tmp_path, "add-version", "accounts", "initialize_account", "--field", "plan:str?")
    assert done.exit_code == 0, done.stdout + done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes) == 2, done.stderr
    assert notes[0].startswith("note: src/shop/accounts/__init__.py was left as it is")
    assert notes[1].startswith(f"note: {test.relative_to(tmp_path)} was left at")
    assert test.read_text() == before
    ran = tool(tmp_path, "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist")
    assert ran.returncode == 0, ran.stdout + ran.stderr
