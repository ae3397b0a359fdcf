"""Each code action of ``slicegen lsp``, run end to end through a real LSP client on both stacks:
the finding is offered its fix, the fix runs slicegen's own command, and the workspace is
lint-clean afterwards."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from slicegen.lint.engine import LintOptions, run_lint

from .test_server import TIMEOUT, Editor, drive, ok


@pytest.fixture(scope="module", params=["python", "elixir"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(request.param) / "ws"
    ok("init", str(root), "--stack", request.param, "--app", "shop")
    ok("new-domain", "accounts", "-C", str(root))
    ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-p", "summary", "-C", str(root))
    ok("add-slice", "accounts", "close_account", "-f", "reason:str", "-C", str(root))
    return root


def findings(root: Path) -> list[str]:
    return [f"{f.path}: {f.code} {f.message}" for f in run_lint(root, LintOptions()).findings]


def one(root: Path, pattern: str) -> str:
    """The workspace-relative path of the one file matching ``pattern``."""
    [found] = [p for p in root.rglob(pattern) if "_build" not in p.parts]
    return found.relative_to(root).as_posix()


def apply_fix(root: Path, rel: str, code: str, title: str, clears: bool = True) -> list[str]:
    """Open ``rel`` in an editor, wait for a ``code`` finding, run the code action whose title
    holds ``title``; the titles of every action offered for the file's ``code`` findings."""
    offered: list[str] = []

    async def script(editor: Editor) -> None:
        editor.open(rel, (root / rel).read_text())
        await editor.until(lambda: code in editor.codes(rel))
        found = [d for d in editor.diagnostics[editor.uri(rel)] if d.code == code]
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri(rel)),
                range=found[0].range,
                context=types.CodeActionContext(diagnostics=found),
            )
        )
        assert actions
        offered.extend(a.title for a in actions)
        [action] = [a for a in actions if title in a.title]
        assert isinstance(action, types.CodeAction) and action.command is not None
        async with asyncio.timeout(TIMEOUT):
            answer = await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams(
                    command=action.command.command, arguments=action.command.arguments
                )
            )
        assert answer["ok"], answer
        editor.change(rel, (root / rel).read_text(), 2)  # an editor reloads an unmodified buffer
        if clears:
            await editor.until(lambda: code not in editor.codes(rel))

    drive(root, script)
    return offered


def test_missing_evolver(ws: Path) -> None:
    evolver = one(ws, "opened_to_state_v1.*")
    kept = (ws / evolver).read_text()
    (ws / evolver).unlink()
    command = one(ws, "open_account/command_v1.*")
    apply_fix(ws, command, "SG302", "slicegen add-slice")
    assert (ws / evolver).read_text() == kept
    assert findings(ws) == []


def test_missing_projection(ws: Path) -> None:
    projection = one(ws, "opened_to_summary_v1.*")
    kept = (ws / projection).read_text()
    (ws / projection).unlink()
    for registry in ("router.py", "application.ex"):  # the registration goes too, by hand
        for path in ws.rglob(registry):
            lines = path.read_text().splitlines(keepends=True)
            path.write_text("".join(x for x in lines if "to_summary_v1" not in x.lower()))
    doc = one(ws, "event-storming.md")
    offered = apply_fix(ws, doc, "SG602", "add-projection accounts open_account summary")
    assert any("slicegen storm" in t for t in offered)  # or accept the removal in the document
    assert (ws / projection).read_text() == kept
    assert findings(ws) == []


CRUD = [
    ("account_closed", "account_deleted"),
    ("AccountClosed", "AccountDeleted"),
    ("closed_to_state", "deleted_to_state"),
    ("ClosedToState", "DeletedToState"),
    ("account closed", "account deleted"),
]


def test_rename_a_crud_event(ws: Path) -> None:
    """A hand-written CRUD event (slicegen's commands refuse one) renamed by the fix to the
    first name the finding suggests; the retired old name is history, not a finding."""
    for path in sorted(ws.rglob("*")):
        if (
            path.is_file()
            and ".slicegen" not in path.parts
            and path.suffix in (".py", ".ex", ".exs", ".md", ".toml")
        ):
            text = path.read_text()
            for old, new in CRUD:
                text = text.replace(old, new)
            path.write_text(text)
    for path in sorted(ws.rglob("closed_to_state_v1.*")):
        path.rename(path.with_name(path.name.replace("closed", "deleted")))
    ok("storm", "-C", str(ws))
    event = one(ws, "close_account/event_v1.*")
    offered = apply_fix(ws, event, "SG101", "to 'account_closed'")
    assert len(offered) == 3  # one per suggested name
    assert "account_closed:v1" in (ws / event).read_text()
    assert findings(ws) == []


def test_add_a_version(ws: Path) -> None:
    event = one(ws, "open_account/event_v1.*")
    saved = (ws / event).read_text()
    changed = saved.replace("owner: str", "owner: int").replace(
        "owner: String.t()", "owner: integer()"
    )
    assert changed != saved
    (ws / event).write_text(changed)
    apply_fix(ws, event, "SG205", "slicegen add-version accounts open_account")
    # v2 takes the edit, v1 its stored shape back: nothing is left to do by hand
    assert "owner: int" in (ws / one(ws, "open_account/event_v2.*")).read_text()
    assert (ws / event).read_text() == saved
    assert findings(ws) == []
