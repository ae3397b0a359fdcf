"""Child processes that end with slicegen: a stranger's tree can make one wait for ever (git on
a FIFO in a planted ``.git``, a command a language server's code action runs)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def tied_to_us() -> Callable[[], None] | None:
    """On Linux, a ``preexec_fn`` that makes the child ended (SIGKILL) when the thread that
    starts it ends, even killed itself (and so slicegen, run from its main thread); None
    elsewhere. Prepared here, since the child, between fork and exec, should only make system
    calls."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent, kill = os.getpid(), signal.SIGKILL

    def tie() -> None:
        prctl(_PR_SET_PDEATHSIG, kill)
        if os.getppid() != parent:  # slicegen ended before the tie was made
            os._exit(1)

    return tie


#: ``prctl`` option: the signal a process gets when its parent ends (linux/prctl.h).
_PR_SET_PDEATHSIG = 1
