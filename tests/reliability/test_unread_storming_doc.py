"""A storming document lint does not read (a symlink, a FIFO, in a symlinked folder) is an
SG601 finding: a stranger's tree replacing its documents by any of them passed lint silently,
with no drift checked."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.lint.conftest import lint_json
from tests.lint.trees import clean, write

DOC = "design_docs/accounts/event-storming.md"


def _fifo(root: Path, outside: Path) -> None:
    (root / DOC).unlink()
    os.mkfifo(root / DOC)


def _link_out(root: Path, outside: Path) -> None:
    (root / DOC).rename(outside / "event-storming.md")
    (root / DOC).symlink_to(outside / "event-storming.md")


def _link_in(root: Path, outside: Path) -> None:
    (root / DOC).rename(root / "design_docs" / "shared.md")
    (root / DOC).symlink_to("../shared.md")


def _linked_folder(root: Path, outside: Path) -> None:
    (root / "design_docs" / "accounts").rename(outside / "accounts")
    (root / "design_docs" / "accounts").symlink_to(outside / "accounts")


@pytest.mark.parametrize(
    ("plant", "why"),
    [
        (_fifo, "is a FIFO, not a regular file"),
        (_link_out, "is a symlink"),
        (_link_in, "is a symlink"),
        (_linked_folder, "is in a symlinked folder"),
    ],
)
def test_an_unread_storming_document_is_a_finding(
    tmp_path: Path, plant: Callable[[Path, Path], None], why: str
) -> None:
    root, outside = tmp_path / "ws", tmp_path / "outside"
    write(root, clean("python"))
    outside.mkdir()
    assert lint_json(root, select=["SG601"]) == (0, [])
    plant(root, outside)
    code, found = lint_json(root, select=["SG601"])
    assert code == 1
    assert [(f["code"], f["path"], f["message"]) for f in found] == [
        (
            "SG601",
            "src/shop/accounts",
            f"domain 'accounts' has no event-storming document lint reads: {DOC} {why}, and "
            "is not read (no drift is checked); make it a regular file",
        )
    ]
