"""Every scaffolding command leaves the workspace lint-clean, its storming documents included,
and the generator refuses the names its own lint rules would flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli

STEPS = [
    ("new-domain", "accounts"),
    ("new-domain", "billing"),
    ("add-slice", "accounts", "open_account", "-f", "email:str", "-p", "account_list"),
    ("add-projection", "accounts", "open_account", "account_summary"),
    ("add-fact", "accounts", "account_opened"),
    ("add-slice", "billing", "open_ledger"),
    ("add-policy", "billing", "open_ledger", "--on", "accounts:account_opened"),
    ("add-version", "accounts", "open_account", "-f", "name:str"),
]


def _init(cli: RunCli, tmp_path: Path, stack: str) -> Path:
    root = tmp_path / "ws"
    result = cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    return root


@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_lint_is_clean_after_every_command(cli: RunCli, tmp_path: Path, stack: str) -> None:
    root = _init(cli, tmp_path, stack)
    for step in STEPS:
        made = cli(*step, cwd=root)
        assert made.exit_code == 0, f"{step}: {made.stderr}"
        linted = cli("lint", cwd=root)
        assert linted.exit_code == 0, f"after {' '.join(step)}:\n{linted.stdout}"
        assert "SG602" not in linted.stdout
    assert cli("storm", "--check", cwd=root).exit_code == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("activate_account_v2",), ["SG202", "'activate_account'", "add-version"]),
        (("account_email_change",), ["email_change_accounted", "'change_account_email'"]),
        (("ledger_open",), ["SG101", "'open_ledger'"]),
    ],
)
def test_names_lint_would_flag_are_refused(
    cli: RunCli, tmp_path: Path, args: tuple[str, ...], words: list[str]
) -> None:
    root = _init(cli, tmp_path, "python")
    assert cli("new-domain", "accounts", cwd=root).exit_code == 0
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    refused = cli("add-slice", "accounts", *args, cwd=root)
    assert refused.exit_code == 2
    message = refused.stderr.strip()
    assert message.count("\n") == 0
    for word in words:
        assert word in message
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before


def test_an_aggregate_first_command_is_kept_with_its_event(cli: RunCli, tmp_path: Path) -> None:
    root = _init(cli, tmp_path, "python")
    assert cli("new-domain", "accounts", cwd=root).exit_code == 0
    made = cli(
        "add-slice",
        "accounts",
        "account_email_change",
        "--event",
        "account_email_changed",
        cwd=root,
    )
    assert made.exit_code == 0, made.stderr
    assert (
        "AccountEmailChangedV1"
        in (root / "src/shop/accounts/domain/account_email_change/event_v1.py").read_text()
    )
    assert cli("lint", cwd=root).exit_code == 0
