"""The time generated files may carry (migration versions), frozen while a command is replayed.

``slicegen upgrade`` re-runs each recorded command at the time it first ran, so a timestamped
file (an Ecto migration) comes out under the same name as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

FORMAT = "%Y%m%d%H%M%S"
_frozen: ContextVar[datetime | None] = ContextVar("slicegen_clock", default=None)


def now() -> datetime:
    """The current UTC time, or the frozen one."""
    return _frozen.get() or datetime.now(UTC)


def stamp() -> str:
    """:func:`now` as ``YYYYMMDDHHMMSS``."""
    return now().strftime(FORMAT)


def after(stamp_text: str) -> str:
    """The stamp one second after ``stamp_text`` (``...235959`` -> the next day's ``...000000``).

    A version that is no timestamp (``42``) gets the next integer instead.
    """
    try:
        moment = datetime.strptime(stamp_text, FORMAT) if len(stamp_text) == 14 else None
    except ValueError:
        moment = None
    if moment is None:
        return str(int(stamp_text) + 1)
    return (moment + timedelta(seconds=1)).strftime(FORMAT)


@contextmanager
def frozen(at: str) -> Iterator[None]:
    """Let :func:`now` return ``at`` (``YYYYMMDDHHMMSS``) inside the block."""
    token = _frozen.set(datetime.strptime(at, FORMAT).replace(tzinfo=UTC))
    try:
        yield
    finally:
        _frozen.reset(token)
