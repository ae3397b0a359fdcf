"""The one exception type users can cause, and the exit codes the CLI maps it to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1  # lint findings, or a change set with conflicts
EXIT_USAGE = 2  # bad arguments, bad names, bad configuration


class SlicegenError(Exception):
    """An error the user can fix: its message is one line naming the problem and the fix."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConflictError(SlicegenError):
    """A change set would overwrite a file that differs from what slicegen would write."""

    exit_code = EXIT_FINDINGS


class PolicyLoop(SlicegenError):
    """A policy would dispatch its command on an event its own slice records: it loops."""
