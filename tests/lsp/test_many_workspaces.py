"""``slicegen lsp`` driven over stdio through many workspaces, as an editor moving from folder to
folder: the server keeps the last lint of a few of them only (each is a workspace's whole lint
state), so its memory does not grow with every folder it ever linted, and a workspace it let go
of is linted again, right, from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from slicegen.lsp import MAX_STATES

from .test_server import EVENT, Editor, drive, ok

WORKSPACES = 3 * MAX_STATES
FILES = 1500


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("many") / "ws"
    ok("init", str(root), "--stack", "python", "--app", "shop")
    ok("new-domain", "accounts", "-C", str(root))
    ok("add-slice", "accounts", "open_account", "-f", "owner:str", "-C", str(root))
    util = root / "src/shop/accounts/util"
    util.mkdir()
    for i in range(FILES):
        (util / f"m{i}.py").write_text(f"NAME_{i} = 'value {i}'\n" * 5)
    return root


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_the_server_keeps_the_state_of_a_few_workspaces(built: Path, tmp_path: Path) -> None:
    roots = [tmp_path / f"ws{i}" for i in range(WORKSPACES)]
    for root in roots:
        shutil.copytree(built, root)
    saved = (built / EVENT).read_text()
    retyped = saved.replace("    owner: str", "    owner: int")
    rss: list[int] = []

    async def script(editor: Editor) -> None:
        server = editor.client._server
        assert server is not None
        for root in roots:  # a file of each workspace opened, retyped
            editor.root = root  # the editor's paths are in this workspace now
            editor.open(EVENT, saved)
            await editor.until(lambda: editor.uri(EVENT) in editor.diagnostics)
            editor.change(EVENT, retyped, 2)
            await editor.until(lambda: editor.codes(EVENT) == ["SG205"])
            rss.append(_rss_kb(server.pid))
        editor.root = roots[0]  # let go of long ago: linted again, right
        editor.change(EVENT, saved, 3)
        await editor.until(lambda: editor.codes(EVENT) == [])

    drive(roots[0], script)
    kept = rss[MAX_STATES - 1]
    grown = rss[-1] - kept
    # a state per workspace grew the server by one workspace's state for each (about the
    # first workspace's growth over the server at rest); kept to MAX_STATES, it stays flat
    per_workspace = (rss[MAX_STATES - 1] - rss[0]) / (MAX_STATES - 1)
    assert grown < per_workspace * (WORKSPACES - MAX_STATES) / 2, rss
