"""Paths and messages made safe to print: a file name is the tree author's, and a stranger's
pull request may name a file so that its raw bytes forge output lines (a newline and then
``::warning ...`` is a GitHub Actions workflow command), colour or move the terminal (escape
sequences), or reorder what a reader sees (bidirectional marks). Human and CI-log formats show
such characters escaped (``\\n``, ``\\x1b``, ``\\u202e``); JSON and SARIF keep the exact text,
which their own escaping makes safe."""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """``text`` with control and bidirectional characters escaped."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def error_line(message: str) -> str:
    """The one line a command prints for a refused request: ``error: <message>``, escaped
    (a message may quote a name from the tree)."""
    return f"error: {printable(message)}"
