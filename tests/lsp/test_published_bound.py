"""What ``slicegen lsp`` published is kept for the last :data:`MAX_PUBLISHED` workspaces only:
it was kept for every workspace the server ever linted (an editor moving through many
checkouts, each with thousands of files' diagnostics)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from lsprotocol import types
from pygls.uris import from_fs_path

from slicegen import lsp
from tests.lint.trees import clean, py_slice, write


def test_published_diagnostics_are_kept_for_the_last_workspaces(tmp_path: Path) -> None:
    cleared: list[str] = []

    def publish(params: types.PublishDiagnosticsParams) -> None:
        if not params.diagnostics:
            cleared.append(params.uri)

    server = SimpleNamespace(
        workspace=SimpleNamespace(text_documents={}),
        published={},
        states={},
        pending={},
        polled={},
        waits={},
        told={},
        watching_since=None,
        own_watch=False,
        watched={},
        text_document_publish_diagnostics=publish,
    )
    files = clean("python") | py_slice("accounts", "update_account", "AccountUpdated")
    roots = [tmp_path / f"ws{i}" for i in range(lsp.MAX_PUBLISHED + 3)]
    for root in roots:
        write(root, files)
        lsp.lint_root(server, root)  # type: ignore[arg-type]
    assert list(server.published) == roots[3:]
    event = "src/shop/accounts/domain/update_account/event_v1.py"
    for root in roots[:3]:  # let go of: cleared in the editor, not left stale
        assert from_fs_path(str(root / event)) in cleared
    assert not any(uri.startswith(from_fs_path(str(roots[3])) or "?") for uri in cleared)
    lsp.lint_root(server, roots[0])  # linted again: published again, kept
    assert list(server.published)[-1] == roots[0]
    assert server.published[roots[0]][from_fs_path(str(roots[0] / event)) or ""]
