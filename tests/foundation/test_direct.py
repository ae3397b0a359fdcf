"""Plain scaffolding invocations run without typer (:mod:`slicegen.direct`), with typer's
output, errors, exit codes and files; anything else is left to typer."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from slicegen import clock, direct
from slicegen.cli import app
from slicegen.entry import main

SEQUENCE = [
    ["new-domain", "accounts"],
    ["new-domain", "accounts"],  # nothing to do
    ["--dry-run", "new-domain", "orders"],
    ["new-domain", "orders", "--dry-run"],
    ["-q", "new-domain", "orders", "--aggregate", "purchase"],
    ["new-domain", "Bad-Name"],
    ["-q", "-v", "new-domain", "carts"],
    ["new-domain", "carts", "-C", "missing"],
    ["--force", "-v", "new-domain", "carts", "-C", "."],
    ["add-slice", "accounts", "open_account", "-f", "email:str", "--field", "limit:int?"],
    ["add-slice", "accounts", "close_account", "--projection", "summary", "-p", "ledger"],
    ["add-slice", "accounts", "create_account"],  # a CRUD verb: refused
    ["add-slice", "accounts", "suspend_account", "--starts", "--event", "account_frozen"],
    ["add-slice", "accounts", "verify_account", "--no-starts", "--dry-run"],
    ["add-slice", "nowhere", "open_thing"],
    ["add-projection", "accounts", "open_account", "balances"],
    ["add-projection", "accounts", "no_such_slice", "balances"],
    ["add-fact", "accounts", "account_opened"],
    ["add-fact", "accounts", "account_opened"],
    ["add-fact", "accounts", "no_such_event"],
]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".slicegen" not in p.parts and "manifest" not in p.name
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("base")
    cmd = [sys.executable, "-m", "slicegen", "init", "--stack", "python", "--app", "shop"]
    subprocess.run(cmd, cwd=base, check=True, capture_output=True)
    return base


def test_same_output_codes_and_files_as_typer(
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    results = {}
    for mode in ("direct", "typer"):
        root = tmp_path / mode
        shutil.copytree(workspace, root)
        monkeypatch.chdir(root)
        if mode == "typer":
            monkeypatch.setattr(direct, "COMMANDS", {})
        with clock.frozen("20260101000000"):  # the storming documents' stamps: same minute
            results[mode] = [(_run(argv, capsys), _files(root)) for argv in SEQUENCE]
    codes = [code for (code, _, _), _ in results["direct"]]
    assert codes == [0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 2, 0, 0, 2, 0, 2, 0, 0, 2]
    assert results["direct"] == results["typer"]


@pytest.mark.parametrize(
    "argv",
    [
        ["new-domain"],
        ["new-domain", "--help"],
        ["new-domain", "a", "b"],
        ["new-domain", "--aggregate=x", "a"],
        ["new-domain", "a", "--aggregate"],
        ["new-domain", "a", "--aggregate", "x", "--aggregate", "y"],
        ["new-domain", "a", "--aggregate", "-x"],
        ["new-domain", ""],
        ["--version", "new-domain", "a"],
        ["-qv", "new-domain", "a"],
        ["add-slice", "a"],
        ["add-slice", "a", "b", "--starts", "--no-starts"],
        ["add-slice", "a", "b", "--field=x:str"],
        ["add-policy", "a", "b", "--on", "c:d"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert direct.parse(argv) is None
    assert direct.run(argv) is None


def test_the_table_matches_the_typer_commands() -> None:
    group = get_command(app)
    flags = {o for p in group.params if p.is_flag for o in p.opts + p.secondary_opts}  # type: ignore[attr-defined]
    left_to_typer = {"--version", "--help", "--install-completion", "--show-completion"}
    assert set(direct.GLOBAL_FLAGS) == flags - left_to_typer
    for name, spec in direct.COMMANDS.items():
        command = group.commands[name]  # type: ignore[attr-defined]
        params = [p for p in command.params if p.param_type_name == "option"]
        arguments = tuple(p.name for p in command.params if p.param_type_name == "argument")
        assert spec.arguments == arguments
        single = {o: p.name for p in params if not p.is_flag and not p.multiple for o in p.opts}
        lists = {o: p.name for p in params if p.multiple for o in p.opts}
        switches = {o: (p.name, True) for p in params if p.is_flag for o in p.opts}
        switches.update({o: (p.name, False) for p in params if p.is_flag for o in p.secondary_opts})
        assert {**spec.options, **direct._COMMON_OPTIONS} == single
        assert spec.lists == lists
        assert {**spec.flags, **direct._COMMON_FLAGS} == switches


def test_new_domain_does_not_load_typer(workspace: Path, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(workspace, root)
    code = (
        "import sys\nfrom slicegen.entry import main\n"
        "try:\n    main(['new-domain', 'accounts'])\n"
        "except SystemExit as e:\n    assert e.code == 0\n"
        "print('typer' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "False"
    assert (root / "src/shop/accounts/app.py").is_file()


LINTS = [
    ["lint"],
    ["lint", ".", "--format", "json"],
    ["lint", "--select", "SG1", "--format=json"],
    ["lint", "--ignore", "SG101,SG602", "src"],
    ["lint", "--no-cache", "--format", "json", "--no-cache"],
    ["lint", "--format", "--no-cache"],  # typer's
    ["lint", "missing"],
    ["lint", "--select", ""],  # typer's
    ["lint", "--format", "yaml"],  # typer's
]


def test_a_plain_lint_runs_as_typer_runs_it(
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from slicegen.lint import fast

    monkeypatch.setattr(fast, "replay", lambda args: None)  # the run itself, not its replay
    results = {}
    for mode in ("direct", "typer"):
        root = tmp_path / mode
        shutil.copytree(workspace, root)
        monkeypatch.chdir(root)
        assert _run(["new-domain", "accounts"], capsys)[0] == 0
        event = root / "src/shop/accounts/domain/update_account/event_v1.py"
        event.parent.mkdir(parents=True)
        event.write_text("class AccountUpdatedV1:\n    pass\n", encoding="utf-8")
        if mode == "typer":
            monkeypatch.setattr(direct, "lint", lambda args: None)
        results[mode] = [_run(argv, capsys) for argv in LINTS]
    codes = [code for code, _, _ in results["direct"]]
    assert codes[0] == codes[4] == 1 and codes[6] == 2  # findings; a missing path
    assert "SG" in results["direct"][1][1]
    assert results["direct"] == results["typer"]


def test_a_plain_lint_does_not_load_typer(workspace: Path, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(workspace, root)
    code = (
        "import sys\nfrom slicegen.entry import main\n"
        "try:\n    main(['lint', '--format', 'json'])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print('typer' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "False", done.stderr


BAD_CONFIGS = [
    'stack = "cobol"\napp = "shop"\n',
    'stack = "python"\napp = "Bad-App"\n',
    'stack = "python"\napp = "shop"\ncolour = "blue"\n',
    'stack = "python"\napp = "shop"\ndomains-dir = "../elsewhere"\n',
    'stack = "python"\napp = "shop"\n[lint]\ncrud-verbs = ["up date"]\n',
    'stack = "python"\napp = "shop"\n[lint]\nselect = "SG"\n',
    'stack = "python"\napp = "shop"\n[lint.boundaries]\nstrict = "yes please"\n',
    'stack = "python"\napp = [\n',
]


@pytest.mark.parametrize("text", BAD_CONFIGS)
def test_a_bad_config_is_the_same_one_line_error(
    text: str,
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    results = {}
    for mode in ("direct", "typer"):
        root = tmp_path / mode
        shutil.copytree(workspace, root)
        (root / "slicegen.toml").write_text(text)
        before = _files(root)
        monkeypatch.chdir(root)
        if mode == "typer":
            monkeypatch.setattr(direct, "COMMANDS", {})
        code, out, err = _run(["new-domain", "accounts"], capsys)
        assert _files(root) == before  # nothing written
        results[mode] = (code, out, err.replace(str(root), "<ws>"))
    code, out, err = results["direct"]
    assert code != 0 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "slicegen.toml" in err
    assert results["direct"] == results["typer"]
