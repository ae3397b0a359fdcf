"""Premises checked on more Python trees slicegen had not been tuned on (issue 32): a UI
toolkit's files saved with a byte order mark. Trees written here."""

from __future__ import annotations

import codecs
from pathlib import Path

from .conftest import lint_json
from .trees import Files, write


def _found(root: Path, files: Files, *codes: str) -> list[tuple[str, str, int]]:
    write(root, files)
    _, found = lint_json(root, select=list(codes) or ["SG"])
    return sorted((f["code"], f["path"], f["line"]) for f in found)


def test_a_python_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A UTF-8 file starting with a byte order mark (an editor on Windows writes one) is valid
    Python, as Python reads it: it was reported unreadable (SG001, "invalid non-printable
    character U+FEFF") and its code went unchecked. Its event is now judged (SG101)."""
    event = (
        "from pydantic import BaseModel\n\n\nclass OrderCreated(BaseModel):\n"
        "    event_type: str = 'order_created:v1'\n    sku: str\n"
    )
    files: Files = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/events/__init__.py": "",
        "shop/orders/events/order_created.py": codecs.BOM_UTF8 + event.encode(),
    }
    found = _found(tmp_path, files, "SG001", "SG101")
    assert found == [("SG101", "shop/orders/events/order_created.py", 4)]
