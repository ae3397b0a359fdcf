"""Whether to colour output: one rule for every command and for the lint replay.

It imports only ``os``, so the replay (:mod:`slicegen.lint.fast`), which runs before anything
heavy is loaded, can ask it too.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import TextIO


def use_colour(stream: TextIO) -> bool:
    """Whether to colour what goes to ``stream``: NO_COLOR wins, then FORCE_COLOR, then a tty."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
