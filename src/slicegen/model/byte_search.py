"""Byte patterns searched in one linear pass, for the loader's and the readers' tests of whether
a file is worth parsing.

RE2 (google-re2, a dependency) runs an alternation of many words in one pass over the bytes,
several times faster than a scan per word or Python's backtracking ``re``; where RE2 is missing
Python's ``re`` compiles the same pattern (the same matches, slower). Patterns are written in
the syntax both share: no look-around, and ``$`` only where a match before a final newline
would be found anyway.
"""

from __future__ import annotations

import re
from typing import Protocol


class Finder(Protocol):
    def search(self, data: bytes) -> object | None: ...


def linear(pattern: bytes) -> Finder:
    """``pattern`` compiled for bytes (Latin-1: each byte is one character, never UTF-8)."""
    try:
        import re2
    except ImportError:
        return re.compile(pattern)
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    found: Finder = re2.compile(pattern, options)
    return found
