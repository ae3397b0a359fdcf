"""The Python extractor: the fast line scan agrees with the ``ast`` walk, and the relevance
filter never changes a result."""

from __future__ import annotations

import asyncio
import email
import json
from pathlib import Path

import pytest

import slicegen
from slicegen.boundaries import check, collect, discover, run
from slicegen.boundaries.imports_python import _needs_parse as needs_parse
from slicegen.boundaries.imports_python import extract_python, parse_imports
from slicegen.config import read_config_file
from tests.boundaries.conftest import PYTHON_BASE, Build, found, write

CORPUS = [
    Path(slicegen.__file__).parent,
    Path(json.__file__).parent,
    Path(email.__file__).parent,
    Path(asyncio.__file__).parent,
]


def test_scan_agrees_with_ast_on_real_code() -> None:
    scanned = 0
    for folder in CORPUS:
        for path in sorted(folder.rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            reference = parse_imports(str(path), source, "pkg.sub.mod", "pkg.sub")
            if reference.error is None:
                extracted = extract_python(str(path), source, "pkg.sub.mod")
                assert extracted.uses == reference.uses, path
                scanned += not needs_parse(source)
    assert scanned > 50


@pytest.mark.parametrize(
    "source",
    [
        '"""Doc.\n\nimport not_real\n"""\nimport real\n',
        "x = 1\nif x: import inline\nimport real\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import hidden\n",
        "import a, b.c as d  # comment\nfrom .x import (\n    y,\n    z as w,\n)\n",
        "from .. import *\nfrom ...too.far import x\n",
        's = \'"""\'\nimport real\n',
        "def f():\n    from b import c; import d\n",
    ],
)
def test_extract_matches_ast_on_awkward_sources(source: str) -> None:
    module, package = "pkg.sub.mod", "pkg.sub"
    fast = extract_python("x.py", source, module)
    assert fast.uses == parse_imports("x.py", source, module, package).uses


def test_relative_import_up_to_the_app_package(python_tree: Build) -> None:
    handler = "src/shop/orders/domain/place_order/handler.py"
    violations = python_tree({handler: "from ... import app\nfrom .... import accounts\n"})
    assert found(violations) == [("SG502", handler, 2)]


def test_relevance_filter_does_not_change_findings(tmp_path: Path) -> None:
    files = {
        **PYTHON_BASE,
        "src/shop/orders/a.py": "from shop import accounts\n",
        "src/shop/orders/b.py": "import shop.accounts.domain as d\n",
        "src/shop/orders/c.py": "x = 'shop.orders.app'\nfrom . import a\n",
        "src/shop/orders/domain/place_order/d.py": "from ....inventory import thing\n",
        "src/shop/orders/e.py": "import os\nURL = os.environ['SHOP_ACCOUNTS_DATABASE_URL']\n",
        "src/shop/accounts/f.py": "from shop.orders import app\nfrom shop.shared import facts\n",
    }
    write(tmp_path, files)
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    config = read_config_file(tmp_path / "slicegen.toml")
    assert config is not None
    domains = discover(tmp_path, config)
    unfiltered = check(collect(tmp_path, domains, use_cache=False), config.lint.boundaries, domains)
    assert run(tmp_path, config, use_cache=False) == unfiltered
    assert {v.path for v in unfiltered} == {
        "src/shop/orders/a.py",
        "src/shop/orders/b.py",
        "src/shop/orders/domain/place_order/d.py",
        "src/shop/orders/e.py",
        "src/shop/accounts/f.py",
    }
