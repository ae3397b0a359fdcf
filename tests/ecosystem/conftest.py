"""A workspace with findings, shared by the tests of the output-consuming integrations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ecosystem.installed_cli import slicegen

# A slice written by hand with CRUD names: lint must report it.
CRUD_EVENT = '''"""Written by hand, not by slicegen."""

from shop.shared.messages import Event


class AccountUpdatedV1(Event):
    event_type = "account_updated:v1"
    email: str
'''


@pytest.fixture(scope="module")
def crud_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A python workspace whose ``accounts`` domain has a hand-written CRUD slice."""
    root = tmp_path_factory.mktemp("crud") / "shop"
    slicegen("init", str(root), "--stack", "python", "--app", "shop", cwd=root.parent)
    event = root / "src" / "shop" / "accounts" / "domain" / "update_account" / "event_v1.py"
    event.parent.mkdir(parents=True)
    event.write_text(CRUD_EVENT)
    return root
