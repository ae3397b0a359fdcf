"""Boundary records made from bytes the lint readers already read (``Scan``) are the records
the boundary run makes by reading the files itself: same records, stats, cache and findings."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from slicegen.boundaries.collect import CACHE_FILE, Scan, collect, run
from slicegen.boundaries.relevance import Relevance
from slicegen.boundaries.result_cache import read_json
from slicegen.config import Config, read_config_file
from slicegen.constants import CACHE_DIR
from slicegen.lint.engine import LintOptions, run_lint
from slicegen.model import load
from slicegen.model.domains import discover
from tests.boundaries.conftest import ELIXIR_BASE, PYTHON_BASE, write

PYTHON_FILES = {
    **PYTHON_BASE,
    "src/shop/orders/leak.py": "from shop.accounts.repo import AccountRepo\n",
    "src/shop/orders/climb.py": "from ...accounts import repo\n",
    "src/shop/orders/quiet.py": "import os\n\nX = 1\n",
    "src/shop/orders/db.py": 'URL = "SHOP_ACCOUNTS_DATABASE_URL"\n',
    "src/shop/orders/typed.py": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import shop.inventory\n"
    ),
    "src/shop/inventory/broken.py": "def (:\n    import shop.orders\n",
}


def _tree(root: Path, files: dict[str, str], stack: str, app: str) -> Config:
    write(root, files)
    (root / "slicegen.toml").write_text(f'stack = "{stack}"\napp = "{app}"\n', encoding="utf-8")
    (root / "src/shop/orders/latin1.py").parent.mkdir(parents=True, exist_ok=True)
    (root / "src/shop/orders/latin1.py").write_bytes(b"# caf\xe9\nimport shop.accounts\n")
    config = read_config_file(root / "slicegen.toml")
    assert config is not None
    return config


def _provided(root: Path, scan: Scan, rels: list[str]) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for rel in rels:
        raw = (root / rel).read_bytes()
        stat = os.stat(root / rel)
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        entry = scan.entry(rel, raw, stat.st_size, stat.st_mtime_ns, digest)
        if entry is not None:
            out[rel] = entry
    return out


@pytest.mark.parametrize("use_cache", [True, False])
@pytest.mark.parametrize("stack", ["python", "elixir"])
def test_provided_entries_give_what_reading_gives(
    tmp_path: Path, stack: str, use_cache: bool
) -> None:
    files = PYTHON_FILES if stack == "python" else ELIXIR_BASE
    config = _tree(tmp_path, files, stack, "shop" if stack == "python" else "reckon")
    domains = discover(tmp_path, config)
    rels = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    scan = Scan(domains, layers=False, use_cache=use_cache)
    provided = _provided(tmp_path, scan, rels)
    assert provided and all(scan.domains.of_path(rel) is not None for rel in provided)
    inside = [r for r in rels if r.endswith((".py", ".ex", ".exs"))]

    def collected(given: dict[str, list[object]] | None) -> tuple[object, ...]:
        cache = tmp_path / CACHE_DIR / CACHE_FILE
        cache.unlink(missing_ok=True)
        stats: dict[str, tuple[int, int]] = {}
        relevance = Relevance(discover(tmp_path, config), layers=False)
        records = collect(
            tmp_path,
            discover(tmp_path, config),
            [r for r in inside if discover(tmp_path, config).of_path(r) is not None],
            use_cache=use_cache,
            stats=stats,
            relevance=relevance,
            provided=given,
        )
        saved = read_json(tmp_path, CACHE_FILE) if cache.exists() else None
        return records, stats, saved

    assert collected(provided) == collected(None)
    assert run(tmp_path, config, paths=rels, provided=provided, use_cache=use_cache) == run(
        tmp_path, config, paths=rels, use_cache=use_cache
    )


@pytest.mark.parametrize("use_cache", [False, True])
def test_lint_pool_makes_the_boundary_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    _tree(tmp_path, PYTHON_FILES, "python", "shop")
    here = run_lint(tmp_path, LintOptions(select=["SG5", "SG001"], use_cache=False, workers=1))
    made: list[int] = []
    original = load.finish_load

    def spy(plan: load.ReadPlan, **kwargs: object) -> load.Loaded:
        loaded = original(plan, **kwargs)  # type: ignore[arg-type]
        made.append(len(loaded.boundary))
        return loaded

    monkeypatch.setattr(load, "POOL_THRESHOLD", 4)
    monkeypatch.setattr("slicegen.lint.engine.finish_load", spy)
    (tmp_path / CACHE_DIR / CACHE_FILE).unlink(missing_ok=True)  # the in-process rules wrote it
    options = LintOptions(select=["SG5", "SG001"], use_cache=use_cache, workers=2)
    pooled = run_lint(tmp_path, options)
    assert made and made[0] > 0  # the pool's readers made them: the check did not read
    assert pooled.findings == here.findings
    # the boundary cache is kept exactly when the lint cache is
    assert (tmp_path / CACHE_DIR / CACHE_FILE).exists() == use_cache
    assert {f.code for f in here.findings} >= {"SG501", "SG001"}


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("covered", [False, True])
def test_lint_reads_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, covered: bool
) -> None:
    """In one process or beside a pool, with or without files outside the domains counting
    (``covered``), the boundary check reads no file the lint readers read: its records come
    from their bytes, and its findings are those of the check reading the files itself."""
    config = _tree(
        tmp_path, {**PYTHON_FILES, "src/shop/tools.py": "import shop.orders\n"}, "python", "shop"
    )
    if covered:
        with (tmp_path / "slicegen.toml").open("a", encoding="utf-8") as toml:
            toml.write('[lint.boundaries]\ncovered = ["shop.**"]\n')
        config = read_config_file(tmp_path / "slicegen.toml")
        assert config is not None
    alone = run(tmp_path, config, use_cache=False)
    collect_module = sys.modules["slicegen.boundaries.collect"]
    opened: list[str] = []
    one = collect_module._one
    monkeypatch.setattr(
        collect_module, "_one", lambda root, rel, *a: opened.append(rel) or one(root, rel, *a)
    )
    monkeypatch.setattr(load, "POOL_THRESHOLD", 4)
    linted = run_lint(tmp_path, LintOptions(select=["SG5"], use_cache=False, workers=workers))
    assert opened == []
    assert [(f.code, f.path, f.line) for f in linted.findings] == [
        (v.code, v.path, v.line) for v in alone
    ]
    assert linted.findings and (not covered or any(f.code == "SG507" for f in linted.findings))


@pytest.mark.parametrize("workers", [2, 3])
def test_pool_results_are_those_read_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """This process reads beside the pool's workers: together they give every job's result
    once, in job order, as one process reading them all does (boundary entries included)."""
    config = _tree(tmp_path, PYTHON_FILES, "python", "shop")
    for i in range(40):
        write(tmp_path, {f"src/shop/orders/filler_{i}.py": f"import shop.accounts\nN = {i}\n"})
    rels = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.py"))
    jobs: list[load.Job] = [(rel, load.PARSE, "", (), i % 2 == 0) for i, rel in enumerate(rels)]
    scan = Scan(discover(tmp_path, config), layers=False, use_cache=True)
    here = load._read_all(tmp_path, jobs, 1, scan)
    monkeypatch.setattr(load, "POOL_THRESHOLD", 4)
    called: list[int] = []
    pooled = load._read_all(tmp_path, jobs, workers, scan, lambda: called.append(1))
    assert list(pooled) == list(here) and len(here) == len(jobs) and called == [1]


@pytest.mark.parametrize(
    ("cores", "average", "expected"),
    [(2, 0.3, 2), (2, 1.2, 1), (2, 7.5, 1), (8, 3.5, 5), (1, 0.0, 1)],
)
def test_reads_use_the_cores_the_load_leaves_idle(
    monkeypatch: pytest.MonkeyPatch, cores: int, average: float, expected: int
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(os, "getloadavg", lambda: (average,) * 3)
    assert load.idle_cores() == expected
