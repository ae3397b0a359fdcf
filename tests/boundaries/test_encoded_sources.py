"""The boundary check reads a Python file as Python (and the model's readers) do: a UTF-8 byte
order mark or a PEP 263 coding cookie hides none of its imports (a planted BOM used to make
a file's crossings vanish from a stranger's pull request)."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.lint.trees import clean, write

PEEK = "src/shop/accounts/read_models/peek.py"
CROSSING = "from shop.profiles.app import dispatch\n\nX = dispatch\n"


@pytest.mark.parametrize(
    "data",
    [
        CROSSING.encode("utf-8"),
        codecs.BOM_UTF8 + CROSSING.encode("utf-8"),
        ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + CROSSING).encode("latin-1"),
    ],
    ids=["plain", "byte-order-mark", "latin-1-cookie"],
)
def test_an_encoded_file_keeps_its_crossing(cli: RunCli, tmp_path: Path, data: bytes) -> None:
    root = tmp_path / "ws"
    write(root, clean("python"))
    (root / PEEK).parent.mkdir(parents=True, exist_ok=True)
    (root / PEEK).write_bytes(data)
    for cache in (["--no-cache"], [], []):  # the same cold, cached, and from the cache
        result = cli("lint", *cache, "--format", "json", "--select", "SG5", cwd=root)
        found = [f for f in json.loads(result.stdout) if f["path"] == PEEK]
        assert [f["code"] for f in found] == ["SG501"], result.stdout
