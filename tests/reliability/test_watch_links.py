"""A planted symlink to a folder outside the tree, under a file watcher: the watcher follows
links to folders, so ``ln -s / x`` made ``slicegen lint --watch`` watch the whole machine (a
watch per folder, from the user's limit shared with every editor; a re-lint for every change
made anywhere; a traceback at the first unreadable folder). ``lint --watch`` refuses such a
tree in one line; ``slicegen lsp``'s own watcher leaves it to stat the tree instead."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

from tests.conftest import RunCli, run_slicegen

#: Every wait is bounded: a watch that never ends fails the test.
TIMEOUT = 60


def _workspace(cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    assert cli("init", str(root), "--app", "shop").exit_code == 0
    (tmp_path / "elsewhere" / "deep").mkdir(parents=True)
    (root / "src/shop/inside").symlink_to("../../src", target_is_directory=True)  # kept
    (root / "src/shop/loop").symlink_to("loop")  # no folder: kept
    (root / "src/shop/nested").mkdir()
    (root / "src/shop/nested/outside").symlink_to(tmp_path / "elsewhere")
    return root


def test_lint_watch_refuses_a_link_out_of_the_tree(cli: RunCli, tmp_path: Path) -> None:
    root = _workspace(cli, tmp_path)
    result = run_slicegen("lint", "--watch", cwd=root, timeout=TIMEOUT)
    assert result.exit_code == 2, result.stdout + result.stderr
    [line] = result.stderr.splitlines()
    assert "src/shop/nested/outside is a symlink to" in line
    assert "remove the link, or lint without --watch" in line
    assert result.stdout == ""


def test_the_servers_own_watcher_stats_such_a_tree(cli: RunCli, tmp_path: Path) -> None:
    from slicegen import lsp

    root = _workspace(cli, tmp_path)
    server = SimpleNamespace(watched={})

    async def watch() -> None:
        async with asyncio.timeout(TIMEOUT):
            await lsp._watch_disk(server, root)  # type: ignore[arg-type]

    asyncio.run(watch())
    assert server.watched == {root: None}  # nothing watches it: each re-lint stats the tree
