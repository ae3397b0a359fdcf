"""A plain cold lint run in one process loads only what it uses: not ``subprocess`` (git, for
``--since``) nor ``concurrent.futures`` (the read pool and the boundary worker)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_a_plain_lint_loads_no_subprocess_nor_pool(tmp_path: Path) -> None:
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n', encoding="utf-8")
    slice_dir = tmp_path / "src/shop/accounts/domain/open_account"
    slice_dir.mkdir(parents=True)
    (slice_dir / "command_v1.py").write_text("class OpenAccountV1:\n    x: int\n", encoding="utf-8")
    (slice_dir / "event_v1.py").write_text(
        'class AccountOpenedV1:\n    event_type = "account_opened:v1"\n', encoding="utf-8"
    )
    code = (
        "import sys; from slicegen.entry import main\n"
        "try:\n    main(['lint', '.', '--no-cache', '--format', 'json'])\n"
        "except SystemExit as e: assert e.code in (0, 1), e.code\n"
        "print(sorted(m for m in ('subprocess', 'concurrent.futures') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines()[-1] == "[]"
