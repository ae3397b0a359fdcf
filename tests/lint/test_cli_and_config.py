"""The commands as a user runs them: exit codes, settings, rules listing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slicegen.command_table import COMMANDS
from slicegen.lint.registry import RULES
from tests.conftest import RunCli

from .conftest import lint_json
from .trees import py_slice, write

CRUD = py_slice("accounts", "update_account", "account_updated")


def test_exit_codes(cli: RunCli, make_tree: Callable[..., Path]) -> None:
    clean = make_tree("python")
    assert cli("lint", str(clean), "--no-cache", "--ignore", "SG5,SG602").exit_code == 0
    write(clean, CRUD)
    result = cli("lint", str(clean), "--no-cache", "--ignore", "SG5,SG602")
    assert result.exit_code == 1
    assert "SG101" in result.stdout
    bad = cli("lint", str(clean), "--select", "XX1")
    assert bad.exit_code == 2
    assert "unknown rule code or prefix 'XX1'" in bad.stderr
    assert cli("lint", str(clean), "--format", "yaml").exit_code == 2
    assert cli("lint", str(clean / "nowhere")).exit_code == 2


def test_bad_config_is_exit_2(cli: RunCli, make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", {"slicegen.toml": '[lint]\nselect = ["SG"]\nbogus = 1\n'})
    result = cli("lint", str(root), "--no-cache")
    assert result.exit_code == 2
    assert "unknown key 'lint.bogus'" in result.stderr


def test_rules_and_rule(cli: RunCli) -> None:
    listing = cli("rules")
    assert listing.exit_code == 0
    for rule in RULES:
        assert f"{rule.CODE}  {rule.NAME}" in listing.stdout
    shown = cli("rule", "SG101")
    assert shown.exit_code == 0
    assert "crud-event" in shown.stdout
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in shown.stdout
    assert cli("rule", "crud-command").stdout.startswith("# crud-command (SG102)")
    assert cli("rule", "SG999").exit_code == 2


def test_every_rule_documents_itself() -> None:
    codes = [r.CODE for r in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        if rule.CODE.startswith("SG5"):
            continue  # the boundary family documents itself in its own tests
        assert rule.NAME.lower() == rule.NAME and " " not in rule.NAME
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert section in rule.EXPLANATION, (rule.CODE, section)


def test_commands_are_in_the_table() -> None:
    names = [name for name, _ in COMMANDS]
    assert {"lint", "rules", "rule"} <= set(names)


def test_select_ignore_from_config_and_cli(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", CRUD)
    _, found = lint_json(root, select=["SG1"])
    assert {f["code"] for f in found} == {"SG101"}  # SG102 is opt-in: never through a prefix
    _, found = lint_json(root, select=["SG1", "SG102"])
    assert {f["code"] for f in found} == {"SG101", "SG102"}
    _, found = lint_json(root, select=["SG1", "SG102"], ignore=["SG101"])
    assert {f["code"] for f in found} == {"SG102"}
    write(
        root,
        {
            "slicegen.toml": 'stack = "python"\napp = "shop"\n[lint]\nselect = ["SG10"]\n'
            'ignore = ["SG102", "SG6"]\n'
        },
    )
    _, found = lint_json(root)
    assert {f["code"] for f in found} == {"SG101"}
    write(
        root,
        {
            "slicegen.toml": 'stack = "python"\napp = "shop"\n[lint]\nselect = ["SG1"]\n'
            'ignore = ["SG10"]\nextend-select = ["SG102"]\n'
        },
    )
    _, found = lint_json(root)
    assert {f["code"] for f in found} == {"SG102"}  # the more specific code wins


def test_per_file_ignores_and_exclude(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", CRUD)
    base = 'stack = "python"\napp = "shop"\n[lint]\nselect = ["SG1", "SG102"]\n'
    write(
        root,
        {"slicegen.toml": base + '[lint.per-file-ignores]\n"**/update_account/*" = ["SG101"]\n'},
    )
    _, found = lint_json(root)
    assert {f["code"] for f in found} == {"SG102"}
    write(root, {"slicegen.toml": base + 'exclude = ["src/shop/accounts/domain/update_account"]\n'})
    _, found = lint_json(root)
    assert found == []


def test_gitignore_is_respected(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", {**CRUD, ".gitignore": "update_account/\n"})
    _, found = lint_json(root, select=["SG1", "SG102"])
    assert found == []
    write(
        root,
        {"slicegen.toml": 'stack = "python"\napp = "shop"\n[lint]\nrespect-gitignore = false\n'},
    )
    _, found = lint_json(root, select=["SG1", "SG102"])
    assert {f["code"] for f in found} == {"SG101", "SG102"}


def test_default_skipped_folders(make_tree: Callable[..., Path]) -> None:
    junk = {
        f"{d}/x/domain/update_thing/event_v1.py": "class ThingUpdatedV1:\n    pass\n"
        for d in (".venv", "node_modules", "_build", "deps", ".git")
    }
    root = make_tree("python", junk)
    _, found = lint_json(root, select=["SG"], ignore=["SG5", "SG602"])
    assert found == []


def test_extra_crud_verbs(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", py_slice("accounts", "modify_account", "account_modified"))
    _, found = lint_json(root, select=["SG101", "SG102"])
    assert found == []
    write(
        root,
        {
            "slicegen.toml": 'stack = "python"\napp = "shop"\n[lint]\n'
            'extend-crud-verbs = ["modify"]\n'
        },
    )
    _, found = lint_json(root, select=["SG101", "SG102"])
    assert {f["code"] for f in found} == {"SG101", "SG102"}
    assert any("account_revised" in f["message"] for f in found)


def test_lint_a_subfolder_reports_only_it(make_tree: Callable[..., Path]) -> None:
    root = make_tree("python", CRUD)
    _, found = lint_json(root / "src/shop/accounts/domain/initialize_account", select=["SG1"])
    assert found == []
    _, found = lint_json(root / "src/shop/accounts/domain/update_account", select=["SG1"])
    assert found
