"""Workspace template overrides: list, eject, render through the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from slicegen.errors import SlicegenError
from slicegen.storm.skeleton import render_skeleton
from slicegen.template_overrides import builtin_names, list_templates
from slicegen.templates import OVERRIDES_DIR, builtin_templates_dir
from tests.conftest import RunCli, snapshot

STORMING = "common/event-storming.md.j2"
NOW = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


@pytest.fixture
def workspace(cli: RunCli, tmp_path: Path) -> Path:
    assert cli("init", str(tmp_path), "--app", "shop").exit_code == 0
    return tmp_path


def _skeleton(root: Path) -> str:
    return render_skeleton("shop", "accounts", "python", "account", now=NOW, workspace_root=root)


def test_list_shows_every_builtin_template(cli: RunCli, workspace: Path) -> None:
    result = cli("templates", "list", cwd=workspace)
    assert result.exit_code == 0
    on_disk = sorted(
        p.relative_to(builtin_templates_dir()).as_posix()
        for p in builtin_templates_dir().rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert builtin_names() == on_disk
    for name in on_disk:
        assert name in result.stdout
    assert f"{len(on_disk)} built-in template(s), 0 overridden" in result.stdout


def test_eject_copies_the_template_and_list_marks_it(cli: RunCli, workspace: Path) -> None:
    result = cli("templates", "eject", STORMING, cwd=workspace)
    assert result.exit_code == 0, result.stderr
    ejected = workspace / OVERRIDES_DIR / STORMING
    assert ejected.read_bytes() == (builtin_templates_dir() / STORMING).read_bytes()
    listing = cli("templates", "list", cwd=workspace).stdout
    marked = [line for line in listing.splitlines() if line.startswith("* ")]
    assert len(marked) == 1 and STORMING in marked[0]
    # Ejecting again is a no-op; an edited override is the team's and is never overwritten.
    assert "nothing to do" in cli("templates", "eject", STORMING, cwd=workspace).stdout
    ejected.write_text("ours\n")
    conflict = cli("templates", "eject", STORMING, cwd=workspace)
    assert conflict.exit_code == 1
    assert ejected.read_text() == "ours\n"


def test_eject_dry_run_writes_nothing(cli: RunCli, workspace: Path) -> None:
    result = cli("templates", "eject", "event-storming.md.j2", "--dry-run", cwd=workspace)
    assert result.exit_code == 0
    assert f"+++ b/{OVERRIDES_DIR}/{STORMING}" in result.stdout
    assert not (workspace / OVERRIDES_DIR).exists()


def test_eject_unknown_or_ambiguous_name_is_one_line(cli: RunCli, workspace: Path) -> None:
    unknown = cli("templates", "eject", "common/event-stroming.md.j2", cwd=workspace)
    assert unknown.exit_code == 2
    assert f"did you mean {STORMING}" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1
    assert cli("templates", "eject", cwd=workspace).exit_code == 2
    assert cli("templates", "frobnicate", cwd=workspace).exit_code == 2
    assert cli("templates", "list", "--stack", "java", cwd=workspace).exit_code == 2


def test_list_outside_a_workspace_and_by_stack(cli: RunCli, tmp_path: Path) -> None:
    result = cli("templates", "list", "--stack", "elixir", cwd=tmp_path)
    assert result.exit_code == 0
    shown = [line.split()[0] for line in result.stdout.splitlines()[:-1]]
    assert shown and all(name.startswith(("elixir/", "common/")) for name in shown)
    expected = [n for n in builtin_names() if n.startswith(("elixir/", "common/"))]
    assert shown == expected


def test_an_override_changes_the_generated_output(cli: RunCli, workspace: Path) -> None:
    before = _skeleton(workspace)
    cli("templates", "eject", STORMING, cwd=workspace)
    override = workspace / OVERRIDES_DIR / STORMING
    override.write_text("# {{ domain | pascal }} storming, by our team\n" + override.read_text())
    after = _skeleton(workspace)
    assert after == "# Accounts storming, by our team\n" + before


def test_unused_overrides_are_reported(cli: RunCli, workspace: Path) -> None:
    stray = workspace / OVERRIDES_DIR / "common" / "event_storming.md.j2"
    stray.parent.mkdir(parents=True)
    stray.write_text("typo\n")
    entries = list_templates(workspace)
    assert [e.name for e in entries if e.unused] == ["common/event_storming.md.j2"]
    assert "! common/event_storming.md.j2" in cli("templates", "list", cwd=workspace).stdout


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ domain.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    ],
)
def test_override_reaching_python_internals_fails_safely(workspace: Path, payload: str) -> None:
    override = workspace / OVERRIDES_DIR / STORMING
    override.parent.mkdir(parents=True)
    override.write_text(payload + "\n")
    with pytest.raises(SlicegenError) as caught:
        _skeleton(workspace)
    message = caught.value.message
    assert str(override) in message and "unsafe" in message
    assert "\n" not in message


def test_broken_override_names_the_file_and_line(workspace: Path) -> None:
    override = workspace / OVERRIDES_DIR / STORMING
    override.parent.mkdir(parents=True)
    override.write_text("fine\n{% if %}\n")
    with pytest.raises(SlicegenError, match=r"event-storming\.md\.j2:2 is broken"):
        _skeleton(workspace)
    override.write_text("{{ no_such_variable }}\n")
    with pytest.raises(SlicegenError, match="no_such_variable"):
        _skeleton(workspace)


def test_override_changes_what_new_domain_writes(cli: RunCli, workspace: Path) -> None:
    override = workspace / OVERRIDES_DIR / STORMING
    override.parent.mkdir(parents=True)
    override.write_text(
        "# {{ domain | pascal }}: our own storming template\n"
        + (builtin_templates_dir() / STORMING).read_text()
    )
    result = cli("new-domain", "accounts", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    doc = (workspace / "design_docs" / "accounts" / "event-storming.md").read_text()
    assert doc.startswith("# Accounts: our own storming template\n")


def test_sandbox_violation_in_a_command_is_exit_2_and_writes_nothing(
    cli: RunCli, workspace: Path
) -> None:
    override = workspace / OVERRIDES_DIR / STORMING
    override.parent.mkdir(parents=True)
    override.write_text("{{ ''.__class__.__mro__ }}\n")
    before = snapshot(workspace)
    result = cli("new-domain", "accounts", cwd=workspace)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert STORMING in result.stderr and "unsafe" in result.stderr
    assert snapshot(workspace) == before


def test_copier_template_is_ejected_as_a_whole_and_used(cli: RunCli, workspace: Path) -> None:
    result = cli("templates", "eject", "python/domain/app.py.jinja", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    folder = workspace / OVERRIDES_DIR / "python" / "domain"
    assert (folder / "copier.yml").is_file()
    listing = cli("templates", "list", "--stack", "python", cwd=workspace).stdout
    builtin_domain = [n for n in builtin_names() if n.startswith("python/domain/")]
    for name in builtin_domain:
        assert f"* {name}" in listing
    app_template = folder / "app.py.jinja"
    app_template.write_text('"""Our team\'s header."""\n' + app_template.read_text())
    assert cli("new-domain", "accounts", cwd=workspace).exit_code == 0
    app_py = workspace / "src" / "shop" / "accounts" / "app.py"
    assert app_py.read_text().startswith('"""Our team\'s header."""\n')


def test_sandbox_violation_in_a_copier_override_is_exit_2(cli: RunCli, workspace: Path) -> None:
    assert cli("templates", "eject", "python/domain/app.py.jinja", cwd=workspace).exit_code == 0
    (workspace / OVERRIDES_DIR / "python" / "domain" / "app.py.jinja").write_text(
        "{{ ''.__class__.__mro__ }}\n"
    )
    before = snapshot(workspace)
    result = cli("new-domain", "accounts", cwd=workspace)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "python/domain" in result.stderr
    assert snapshot(workspace) == before


def test_documented_filter_examples_render_as_shown() -> None:
    """Each line of the filter block in docs/templates.md renders to its comment's first word."""
    from slicegen.templates import environment
    from tests.ecosystem.doc_blocks import DOCS, blocks

    block = next(b.body for b in blocks(DOCS / "templates.md", "jinja"))
    env = environment(None)
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 6
    for line in lines:
        expression, comment = line.split("{#", 1)
        expected = comment.removesuffix("#}").strip().split(":", 1)[0]
        assert env.from_string(expression.strip()).render() == expected, line


def test_override_that_is_not_utf8_is_a_one_line_error(workspace: Path) -> None:
    override = workspace / OVERRIDES_DIR / STORMING
    override.parent.mkdir(parents=True)
    override.write_bytes(b"caf\xe9 {{ domain }}\n")
    with pytest.raises(SlicegenError, match="not UTF-8"):
        _skeleton(workspace)
