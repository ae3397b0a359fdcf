"""tree-sitter-elixir's parser, bounded in CPU time: the one parse of a stranger's Elixir file,
for the lint's reader, the boundary check and the scaffolding commands' edits alike.

tree-sitter is imported on the first parse, so loading this module costs nothing.
"""

from __future__ import annotations

import os
import time
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Parser, Tree


@cache
def _parser() -> Parser:
    import tree_sitter_elixir
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_elixir.language()))


#: CPU seconds tree-sitter may spend on one Elixir file. Its Elixir scanner takes time
#: quadratic in a run of whitespace-only lines (16,000 such lines, 32 KB, take 1.5 to 5 s), so
#: a planted file of them would hold a lint for hours; an honest file takes milliseconds.
PARSE_CPU_SECONDS = float(os.environ.get("SLICEGEN_PARSE_CPU_SECONDS", "") or 2)
TOO_SLOW = "too slow to parse (runs of whitespace-only lines?); simplify it"
#: Files up to this size are parsed without the clock: none can take long.
_UNTIMED_BYTES = 16 * 1024


def parse_bounded(data: bytes) -> Tree | None:
    """tree-sitter's tree of ``data``, or None when parsing takes over
    :data:`PARSE_CPU_SECONDS` of CPU time (then it is cancelled)."""
    if len(data) <= _UNTIMED_BYTES:
        return _parser().parse(data)
    deadline = time.process_time() + PARSE_CPU_SECONDS

    def read(offset: int, _point: object) -> bytes:
        return data[offset : offset + (1 << 20)]

    def cancel(_offset: int, _has_error: bool) -> bool:
        return time.process_time() > deadline

    parser = _parser()
    try:
        return parser.parse(read, progress_callback=cancel)
    except ValueError:  # cancelled
        parser.reset()  # else the next parse would resume this one
        return None
