"""``slicegen upgrade`` through the CLI, on both stacks: a template change made through a
workspace override reaches a generated file, merged three ways with the user's edits."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from slicegen import __version__, manifest
from tests.conftest import RunCli, snapshot

#: stack -> (the overridden template, the file it generated, its first line)
CASES = {
    "python": (
        "python/slice/command.py.j2",
        "src/shop/accounts/domain/open_account/command_v1.py",
    ),
    "elixir": (
        "elixir/slice/command.ex.j2",
        "apps/shop_accounts/lib/shop_accounts/domain/open_account/command_v1.ex",
    ),
}
TEMPLATE_LINE = "# brought by the new template\n"
USER_LINE = "# the user's own note\n"


@pytest.fixture(params=sorted(CASES))
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def ws(cli: RunCli, tmp_path: Path, stack: str) -> Path:
    root = tmp_path / "ws"
    made = cli("init", str(root), "--stack", stack, "--app", "shop", cwd=tmp_path)
    assert made.exit_code == 0, made.stderr
    for step in (
        ("new-domain", "accounts"),
        ("add-slice", "accounts", "open_account", "-f", "owner:str"),
    ):
        result = cli(*step, cwd=root)
        assert result.exit_code == 0, result.stderr
    return root


def change_template(cli: RunCli, root: Path, stack: str) -> None:
    """Eject the slice's command template and add a line after its first."""
    template = CASES[stack][0]
    assert cli("templates", "eject", template, cwd=root).exit_code == 0
    override = root / ".slicegen/templates" / template
    first, rest = override.read_text().split("\n", 1)
    override.write_text(f"{first}\n{TEMPLATE_LINE}{rest}")


def generated(root: Path, stack: str) -> Path:
    return root / CASES[stack][1]


def test_upgrade_keeps_the_users_edit_and_brings_the_template_change(
    cli: RunCli, ws: Path, stack: str
) -> None:
    target = generated(ws, stack)
    original = target.read_text()
    target.write_text(original + USER_LINE)
    change_template(cli, ws, stack)

    result = cli("upgrade", cwd=ws)

    assert result.exit_code == 0, result.stderr
    first, rest = original.split("\n", 1)
    assert target.read_text() == f"{first}\n{TEMPLATE_LINE}{rest}{USER_LINE}"
    assert f"update  {CASES[stack][1]}" in result.stdout
    entry = json.loads((ws / manifest.PATH).read_text())["files"][CASES[stack][1]]
    assert entry["text"] == f"{first}\n{TEMPLATE_LINE}{rest}"  # the base of the next upgrade
    before = snapshot(ws, ignore=())
    again = cli("upgrade", cwd=ws)
    assert again.exit_code == 0, again.stderr
    assert snapshot(ws, ignore=()) == before


def test_a_conflicting_edit_gets_markers_is_listed_and_exits_1(
    cli: RunCli, ws: Path, stack: str
) -> None:
    target = generated(ws, stack)
    first, rest = target.read_text().split("\n", 1)
    target.write_text(f"{first}\n{USER_LINE}{rest}")
    change_template(cli, ws, stack)

    result = cli("upgrade", cwd=ws)

    assert result.exit_code == 1
    assert CASES[stack][1] in result.stderr
    assert target.read_text() == (
        f"{first}\n<<<<<<< yours\n{USER_LINE}=======\n{TEMPLATE_LINE}"
        f">>>>>>> slicegen {__version__} (new render)\n{rest}"
    )


def test_dry_run_shows_the_diff_and_writes_nothing(cli: RunCli, ws: Path, stack: str) -> None:
    change_template(cli, ws, stack)
    before = snapshot(ws, ignore=())

    result = cli("upgrade", "--dry-run", cwd=ws)

    assert result.exit_code == 0, result.stderr
    assert f"+{TEMPLATE_LINE}" in result.stdout
    assert snapshot(ws, ignore=()) == before


def test_an_unchanged_workspace_upgrades_to_no_change(cli: RunCli, ws: Path) -> None:
    before = snapshot(ws, ignore=())

    result = cli("upgrade", cwd=ws)

    assert result.exit_code == 0, result.stderr
    assert "nothing to do" in result.stdout
    assert snapshot(ws, ignore=()) == before


def test_a_file_the_user_deleted_stays_deleted(cli: RunCli, ws: Path, stack: str) -> None:
    generated(ws, stack).unlink()
    change_template(cli, ws, stack)

    result = cli("upgrade", cwd=ws)

    assert result.exit_code == 0, result.stderr
    assert not generated(ws, stack).exists()
    assert f"left {CASES[stack][1]} deleted" in result.stderr


def test_upgrade_of_one_domain_leaves_the_others(cli: RunCli, ws: Path, stack: str) -> None:
    for step in (("new-domain", "billing"), ("add-slice", "billing", "open_account")):
        assert cli(*step, cwd=ws).exit_code == 0
    change_template(cli, ws, stack)
    billing = generated(ws, stack).as_posix().replace("accounts", "billing")
    billing_before = Path(billing).read_text()

    result = cli("upgrade", "accounts", cwd=ws)

    assert result.exit_code == 0, result.stderr
    assert TEMPLATE_LINE in generated(ws, stack).read_text()
    assert Path(billing).read_text() == billing_before
    unknown = cli("upgrade", "shipping", cwd=ws)
    assert unknown.exit_code == 2
    assert "no recorded command generated domain 'shipping'" in unknown.stderr


def test_a_manifest_without_recorded_commands_is_refused(cli: RunCli, ws: Path) -> None:
    path = ws / manifest.PATH
    data = json.loads(path.read_text())
    data.pop("commands")
    path.write_text(json.dumps(data))
    before = snapshot(ws, ignore=())

    result = cli("upgrade", cwd=ws)

    assert result.exit_code == 2
    assert "records no 'slicegen init' to replay" in result.stderr
    assert snapshot(ws, ignore=()) == before


def test_python_copier_answers_name_the_template_and_slicegens_version(
    cli: RunCli, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--app", "shop", cwd=tmp_path).exit_code == 0
    assert cli("new-domain", "accounts", cwd=root).exit_code == 0
    assert cli("templates", "eject", "python/domain/copier.yml", cwd=root).exit_code == 0
    assert cli("new-domain", "billing", cwd=root).exit_code == 0

    builtin = (root / "src/shop/accounts/.copier-answers.yml").read_text()
    override = (root / "src/shop/billing/.copier-answers.yml").read_text()

    assert f"_src_path: slicegen:python/domain\n_commit: {__version__}\n" in builtin
    assert f"_src_path: .slicegen/templates/python/domain\n_commit: {__version__}\n" in override
    assert "template_source" not in builtin + override  # an internal value, not an answer


def test_a_removal_upgrade_cannot_replay_is_refused(cli: RunCli, ws: Path, stack: str) -> None:
    from slicegen.execute import execute

    execute(ws, lambda cs: cs.remove(CASES[stack][1]), out=io.StringIO())  # no recorded command
    before = snapshot(ws, ignore=())

    result = cli("upgrade", cwd=ws)

    assert result.exit_code == 2
    assert f"a command that upgrade cannot replay removed {CASES[stack][1]}" in result.stderr
    assert snapshot(ws, ignore=()) == before


def test_upgrade_refreshes_the_documents_from_the_merged_code(cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (("new-domain", "accounts"), ("add-slice", "accounts", "open_account")):
        assert cli(*step, cwd=root).exit_code == 0
    command = root / CASES["python"][1]
    command.write_text(command.read_text() + "    nickname: str\n")  # the user's field...
    assert cli("storm", cwd=root).exit_code == 0  # ...documented; the replay knows neither
    change_template(cli, root, "python")

    assert cli("upgrade", cwd=root).exit_code == 0

    assert "nickname" in command.read_text()
    assert "nickname:str" in (root / "design_docs/accounts/event-storming.md").read_text()
    assert cli("storm", "--check", cwd=root).exit_code == 0


def test_a_rule_add_version_carried_into_v2_survives_the_upgrade(
    cli: RunCli, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    assert cli("init", str(root), "--app", "shop", cwd=tmp_path).exit_code == 0
    for step in (("new-domain", "accounts"), ("add-slice", "accounts", "open_account")):
        assert cli(*step, cwd=root).exit_code == 0
    folder = root / "src/shop/accounts/domain/open_account"
    handler = folder / "maybe_open_account_v1.py"
    rule = '    if not command.aggregate_id:\n        return DomainError(reason="no id")\n'
    text = handler.read_text()
    handler.write_text(text.replace("    event = ", rule + "    event = ", 1))
    assert (
        cli("add-version", "accounts", "open_account", "-f", "email:str", cwd=root).exit_code == 0
    )
    assert 'reason="no id"' in (folder / "maybe_open_account_v2.py").read_text()
    change_template(cli, root, "python")

    assert cli("upgrade", cwd=root).exit_code == 0

    assert TEMPLATE_LINE in (folder / "command_v2.py").read_text()
    assert 'reason="no id"' in (folder / "maybe_open_account_v2.py").read_text()


def test_a_re_run_is_recorded_once_unless_a_removal_came_between(cli: RunCli, ws: Path) -> None:
    def commands() -> list[str]:
        data = json.loads((ws / manifest.PATH).read_text())
        return [run["command"] for run in data["commands"]]

    before = commands()
    assert cli("add-slice", "accounts", "open_account", "-f", "owner:str", cwd=ws).exit_code == 0
    assert commands() == before
    assert cli("remove-slice", "accounts", "open_account", cwd=ws).exit_code == 0
    assert cli("add-slice", "accounts", "open_account", "-f", "owner:str", cwd=ws).exit_code == 0
    assert commands() == [*before, "remove-slice", "add-slice"]


def test_a_renamed_event_and_command_upgrade_to_no_change(
    cli: RunCli, ws: Path, stack: str
) -> None:
    for step in (
        ("rename-event", "accounts", "account_opened", "account_registered"),
        ("rename-command", "accounts", "open_account", "register_account"),
    ):
        result = cli(*step, cwd=ws)
        assert result.exit_code == 0, result.stderr
    before = snapshot(ws, ignore=(".slicegen",))
    result = cli("upgrade", cwd=ws)
    assert result.exit_code == 0, result.stderr
    assert snapshot(ws, ignore=(".slicegen",)) == before


def _record_a_loop(ws: Path, *commands: str) -> None:
    """Make the recorded ``commands`` (add-policy, remove-policy) name the note slice's own event,
    as a slicegen from before add-policy refused self-looping policies could record them."""
    path = ws / manifest.PATH
    data = json.loads(path.read_text())
    for run in data["commands"]:
        if run["command"] in commands:
            run["args"]["trigger"] = "accounts:account_noted"
    path.write_text(json.dumps(data))


@pytest.fixture
def with_policy(cli: RunCli, ws: Path) -> Path:
    for step in (
        ("add-slice", "accounts", "note_account", "-f", "owner:str?"),
        ("add-policy", "accounts", "note_account", "--on", "accounts:account_opened"),
    ):
        result = cli(*step, cwd=ws)
        assert result.exit_code == 0, result.stderr
    return ws


def test_a_recorded_self_looping_policy_is_refused_naming_its_removal(
    cli: RunCli, with_policy: Path
) -> None:
    _record_a_loop(with_policy, "add-policy")
    before = snapshot(with_policy, ignore=())

    result = cli("upgrade", cwd=with_policy)

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "'add-policy accounts note_account'" in lines[0]
    assert "loops" in lines[0]
    assert "slicegen remove-policy accounts note_account --on accounts:account_noted" in lines[0]
    assert snapshot(with_policy, ignore=()) == before


def test_a_recorded_self_looping_policy_removed_later_upgrades_the_rest(
    cli: RunCli, with_policy: Path, stack: str
) -> None:
    removed = cli(
        "remove-policy",
        "accounts",
        "note_account",
        "--on",
        "accounts:account_opened",
        cwd=with_policy,
    )
    assert removed.exit_code == 0, removed.stderr
    _record_a_loop(with_policy, "add-policy", "remove-policy")
    change_template(cli, with_policy, stack)

    result = cli("upgrade", cwd=with_policy)

    assert result.exit_code == 0, result.stderr
    assert TEMPLATE_LINE in generated(with_policy, stack).read_text()
