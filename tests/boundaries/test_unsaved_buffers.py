"""The boundary rules read an editor's unsaved buffers (``LintOptions.overlay``) on every path
the engine takes (in process, a worker beside the readers, records from the read pool), and
the boundary cache keeps what the disk holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from slicegen.boundaries.collect import CACHE_FILE
from slicegen.boundaries.result_cache import read_json
from slicegen.lint.engine import LintOptions, run_lint
from slicegen.model.load import POOL_THRESHOLD
from tests.boundaries.conftest import PYTHON_BASE, write

QUIET = "src/shop/orders/quiet.py"
LEAK = "from shop.accounts.repo import AccountRepo\n"


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("filler", [0, POOL_THRESHOLD])
def test_an_unsaved_buffer_gives_its_findings_and_leaves_the_disk_cached(
    tmp_path: Path, workers: int, filler: int
) -> None:
    files = {**PYTHON_BASE, QUIET: "import os\n"}
    files.update({f"src/shop/orders/fill_{n}.py": f"N = {n}\n" for n in range(filler)})
    write(tmp_path, files)
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')

    def sg5(overlay: dict[str, str]) -> list[tuple[str, str]]:
        options = LintOptions(select=["SG5"], overlay=overlay, workers=workers)
        return [(f.path, f.code) for f in run_lint(tmp_path, options).findings]

    assert sg5({}) == []
    leaking = sg5({QUIET: LEAK})
    assert (QUIET, "SG501") in leaking and {path for path, _ in leaking} == {QUIET}
    entry = read_json(tmp_path, CACHE_FILE)[QUIET]
    assert entry[:2] == [(tmp_path / QUIET).stat().st_size, (tmp_path / QUIET).stat().st_mtime_ns]
    assert sg5({}) == []  # the disk's record, not the buffer's
    (tmp_path / QUIET).write_text(LEAK)
    assert sg5({QUIET: "import os\n"}) == []
    assert sg5({}) == leaking
