"""Whether the user trusts workspace templates to run code (``slicegen --trust``).

Off unless the command line turns it on: a workspace's copier template never runs tasks or
migrations, nor loads jinja extensions, without the user's explicit consent.
"""

from __future__ import annotations

from contextvars import ContextVar

_TRUSTED: ContextVar[bool] = ContextVar("slicegen_trusted", default=False)


def set_trusted(value: bool) -> None:
    """Trust (or stop trusting) templates for the rest of this run."""
    _TRUSTED.set(value)


def trusted() -> bool:
    """True when the user passed ``--trust``."""
    return _TRUSTED.get()
