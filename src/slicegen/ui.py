"""How slicegen talks to the terminal: verbosity, colour and a progress display for slow runs.

- Verbosity: ``--quiet`` shows only errors and findings; ``--verbose`` adds detail (files a
  command left identical); the default sits between.
- Colour only when the stream is a terminal and ``NO_COLOR`` is unset (https://no-color.org);
  ``FORCE_COLOR`` turns it on for a non-terminal. Piped output is always plain text.
- :func:`progress` shows a spinner on stderr once a run has taken longer than a second. rich is
  imported only then, so ``slicegen --help`` and fast runs never pay for it.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, TextIO

from slicegen.colour import use_colour

if TYPE_CHECKING:
    from slicegen.change_set import PlannedFile

PROGRESS_DELAY = 1.0  # seconds a run must take before a progress display appears


class Verbosity(IntEnum):
    QUIET = 0
    NORMAL = 1
    VERBOSE = 2


@dataclass
class _Settings:
    verbosity: Verbosity = Verbosity.NORMAL


settings = _Settings()


def configure(*, quiet: bool = False, verbose: bool = False) -> None:
    """Set the verbosity for this run (the CLI's global ``--quiet``/``--verbose``)."""
    from slicegen.errors import SlicegenError

    if quiet and verbose:
        raise SlicegenError("--quiet and --verbose contradict each other: give only one")
    settings.verbosity = (
        Verbosity.QUIET if quiet else Verbosity.VERBOSE if verbose else Verbosity.NORMAL
    )


def reset() -> None:
    """Back to the default verbosity (called when a CLI invocation ends)."""
    settings.verbosity = Verbosity.NORMAL


def is_quiet() -> bool:
    return settings.verbosity is Verbosity.QUIET


def is_verbose() -> bool:
    return settings.verbosity is Verbosity.VERBOSE


_ANSI = {"green": "32", "yellow": "33", "red": "31", "cyan": "36", "dim": "2", "bold": "1"}


def paint(text: str, style: str, stream: TextIO) -> str:
    """``text`` in ``style`` (a key of the ANSI table) if ``stream`` gets colour, else as is."""
    if not use_colour(stream):
        return text
    return f"\x1b[{_ANSI[style]}m{text}\x1b[0m"


_STATUS_STYLE = {
    "create": "green",
    "update": "cyan",
    "identical": "dim",
    "force": "yellow",
    "conflict": "red",
}


def status_lines(plan: list[PlannedFile], stream: TextIO) -> str:
    """Rails-style status lines for a plan, as the verbosity asks.

    Quiet: none. Normal: every file that changes or conflicts. Verbose: identical files too.
    """
    if is_quiet():
        return ""
    lines = []
    for item in plan:
        status = item.status.value
        if status == "identical" and not is_verbose():
            continue
        word = paint(f"{status:>12}", _STATUS_STYLE.get(status, "bold"), stream)
        lines.append(f"{word}  {item.path}\n")
    return "".join(lines)


class Progress:
    """A handle on a running progress display; :meth:`update` changes what it says."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._status: Any = None
        self._lock = threading.Lock()

    def update(self, label: str) -> None:
        with self._lock:
            self.label = label
            if self._status is not None:
                self._status.update(label)

    def _start(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.live import Live
        from rich.spinner import Spinner

        with self._lock:
            console = Console(
                file=stream,
                force_terminal=True,
                no_color=bool(os.environ.get("NO_COLOR")),
                highlight=False,
            )
            spinner = Spinner("dots", text=self.label)
            # Never capture stdout: findings must reach it unchanged, even when it is redirected.
            self._status = _SpinnerLive(
                Live(
                    spinner,
                    console=console,
                    transient=True,
                    redirect_stdout=False,
                    redirect_stderr=False,
                    refresh_per_second=10,
                ),
                spinner,
            )
            self._status.start()

    def _stop(self) -> None:
        with self._lock:
            if self._status is not None:
                self._status.stop()
                self._status = None

    @property
    def shown(self) -> bool:
        return self._status is not None


class _SpinnerLive:
    """A rich Live display of a spinner whose text can change."""

    def __init__(self, live: Any, spinner: Any) -> None:
        self._live = live
        self._spinner = spinner

    def start(self) -> None:
        self._live.start()

    def update(self, label: str) -> None:
        self._spinner.update(text=label)

    def stop(self) -> None:
        self._live.stop()


class TerminalBuffer(io.StringIO):
    """Holds a command's output while a progress display runs; a terminal if ``like`` is one.

    Writing to the terminal under a live spinner would garble both, so commands that show
    progress write here and copy it out once the spinner is gone; colour decisions still see
    whether the real stream is a terminal.
    """

    def __init__(self, like: TextIO) -> None:
        super().__init__()
        self._like = like

    def isatty(self) -> bool:
        isatty = getattr(self._like, "isatty", None)
        try:
            return bool(isatty and isatty())
        except ValueError:
            return False


def progress_enabled(stream: TextIO) -> bool:
    """A progress display only on a terminal, and never with ``--quiet``."""
    if is_quiet():
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:
        return False


@contextmanager
def progress(
    label: str,
    *,
    stream: TextIO | None = None,
    delay: float = PROGRESS_DELAY,
    enabled: bool | None = None,
) -> Iterator[Progress]:
    """Show a spinner with ``label`` on ``stream`` (stderr) if the block runs longer than ``delay``.

    Nothing is shown when the stream is not a terminal or with ``--quiet`` (``enabled`` overrides
    that test). The spinner is removed when the block ends, leaving the output as it was.
    """
    out = stream or sys.stderr
    handle = Progress(label)
    show = progress_enabled(out) if enabled is None else enabled
    if not show:
        yield handle
        return
    timer = threading.Timer(delay, handle._start, args=(out,))
    timer.daemon = True
    timer.start()
    try:
        yield handle
    finally:
        timer.cancel()
        timer.join()
        handle._stop()
