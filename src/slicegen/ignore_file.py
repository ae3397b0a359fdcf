"""Adding entries to a ``.gitignore``: only the missing ones, under a header, line endings kept."""

from __future__ import annotations

from collections.abc import Iterable


def add_ignore_entries(text: str, header: str, entries: Iterable[str]) -> str:
    """``text`` with every entry it lacks appended after a ``# header`` comment line."""
    present = set(text.splitlines())
    missing = [entry for entry in entries if entry not in present]
    if not missing:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    prefix = text if not text or text.endswith(newline) else text + newline
    return prefix + f"# {header}" + newline + "".join(entry + newline for entry in missing)
