"""Files the relevance check ruled out are remembered by the per-file cache, but only under the
same domains and settings: an unchanged file is not read again, and a new domain re-judges it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from slicegen.boundaries.collect import run
from slicegen.boundaries.relevance import Relevance
from slicegen.config import read_config_file
from tests.boundaries.conftest import PYTHON_BASE, write

collect_module = importlib.import_module("slicegen.boundaries.collect")

FILES = {
    **PYTHON_BASE,
    "src/shop/orders/quiet.py": "import os\n\nX = 1\n",
    "src/shop/orders/leak.py": "from shop.accounts.repo import AccountRepo\n",
}


def _judged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which files the relevance check looks at."""
    seen: list[str] = []
    original = Relevance.python

    def spy(self: Relevance, text: str, module: str, is_package: bool, own: object) -> bool:
        seen.append(module)
        return original(self, text, module, is_package, own)  # type: ignore[arg-type]

    monkeypatch.setattr(Relevance, "python", spy)
    return seen


def test_ruled_out_verdicts_are_reused_until_the_domains_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, FILES)
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n', encoding="utf-8")
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    seen = _judged(monkeypatch)
    first = run(tmp_path, config, paths=sorted(FILES))
    assert "shop.orders.quiet" in seen
    assert first and {v.path for v in first} == {"src/shop/orders/leak.py"}

    seen.clear()
    again = run(tmp_path, config, paths=sorted(FILES))
    assert again == first
    assert seen == []  # every file answered by the cache, ruled-out ones included

    write(tmp_path, {"src/shop/billing/__init__.py": ""})  # a new domain: verdicts may change
    seen.clear()
    run(tmp_path, config, paths=[*sorted(FILES), "src/shop/billing/__init__.py"])
    assert "shop.orders.quiet" in seen


def test_a_ruled_out_entry_is_not_trusted_without_a_relevance_check(tmp_path: Path) -> None:
    write(tmp_path, FILES)
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n', encoding="utf-8")
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    run(tmp_path, config, paths=sorted(FILES))
    stored = collect_module._load(tmp_path)
    entry = stored["src/shop/orders/quiet.py"]
    assert entry[4] is None and len(entry) == 6
    domains = collect_module.discover(tmp_path, config)
    record, _ = collect_module._one(
        tmp_path, "src/shop/orders/quiet.py", domains, entry, relevance=None
    )
    assert record is not None and record.module == "shop.orders.quiet"
