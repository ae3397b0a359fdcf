"""A code action's command given a name from the tree that reads as an option: a stranger's
domain folder named ``-C..`` made the fix "Write the storming document of '-C..'" run
``slicegen storm -C..``, which wrote the storming documents of the workspace one folder up (the
user's own, the checkout being vendored inside it). Names are passed after ``--``."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from lsprotocol import types

from tests.conftest import snapshot

from .test_server import EVENT, TIMEOUT, Editor, drive, ok, source  # noqa: F401  (fixture)

DOMAIN = "src/shop/-C.."
INIT = f"{DOMAIN}/__init__.py"  # where the domain's SG601 is published


def test_a_domain_named_like_an_option_is_a_name(source: Path, tmp_path: Path) -> None:  # noqa: F811
    outer = tmp_path / "outer"  # the user's own workspace, a storming document not yet written
    ok("init", str(outer), "--stack", "python", "--app", "mine")
    ok("new-domain", "orders", "-C", str(outer))
    (outer / "design_docs/orders/event-storming.md").unlink()
    ws = outer / "vendor"  # the stranger's checkout, inside it
    shutil.copytree(source, ws)
    (ws / DOMAIN).mkdir()
    (ws / INIT).write_text("")
    before = snapshot(outer, ignore=(".slicegen", "vendor"))
    answers: list[dict[str, object]] = []

    async def script(editor: Editor) -> None:
        editor.open(EVENT, (ws / EVENT).read_text())
        await editor.until(lambda: "SG601" in editor.codes(INIT))
        found = [d for d in editor.diagnostics[editor.uri(INIT)] if d.code == "SG601"]
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri(EVENT)),
                range=found[0].range,
                context=types.CodeActionContext(diagnostics=found),
            )
        )
        [action] = [a for a in actions or [] if "slicegen storm" in a.title]
        assert isinstance(action, types.CodeAction) and action.command is not None
        async with asyncio.timeout(TIMEOUT):
            answers.append(
                await editor.client.workspace_execute_command_async(
                    types.ExecuteCommandParams(
                        command=action.command.command, arguments=action.command.arguments
                    )
                )
            )

    drive(ws, script)
    assert snapshot(outer, ignore=(".slicegen", "vendor")) == before
    assert not (outer / "design_docs/orders/event-storming.md").exists()
    [answer] = answers
    assert answer["ok"] is False and "no domain '-C..'" in str(answer["output"]), answer
