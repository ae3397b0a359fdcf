"""Atomic, crash-safe writes of a change set, serialised by a workspace lock.

Protocol (all under ``<root>/.slicegen/``):

1. take ``lock`` with ``flock`` (the kernel releases it when a process dies, so a lock left by a
   killed run is taken over at once);
2. roll back any transaction a killed run left behind (``txn/journal.json``);
3. stage every new file and a backup of every file it replaces in ``txn/``, then write the journal;
4. rename the staged files into place;
5. delete the journal (the commit point), then the staging folder.

A failure in step 4 restores the backups; a kill anywhere leaves either the prior tree, rolled back
by the next run, or the new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from slicegen import journal
from slicegen.change_set import WRITES, PlannedFile, Status
from slicegen.errors import SlicegenError
from slicegen.safe_files import UnsafePath, open_regular, real_dir

STATE_DIR = ".slicegen"
LOCK_TIMEOUT_ENV = "SLICEGEN_LOCK_TIMEOUT"
#: Test hook: SIGKILL this process after that many file operations (crash-safety tests).
FAULT_ENV = "SLICEGEN_KILL_AFTER_OPS"


class _Ops:
    """Counts file operations so that crash tests can kill the process between any two."""

    def __init__(self) -> None:
        limit = os.environ.get(FAULT_ENV)
        self.left = int(limit) if limit and limit.isdigit() else -1

    def tick(self) -> None:
        if self.left == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        if self.left > 0:
            self.left -= 1


_process_ops: list[_Ops] = []


def _ops() -> _Ops:
    """The process's one counter: a recovery and the write after it share the kill budget."""
    if not _process_ops:
        _process_ops.append(_Ops())
    return _process_ops[0]


def _os_error(exc: OSError) -> str:
    """``No space left on device: path`` (either part may be missing on a raw OSError)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{reason}: {exc.filename}" if exc.filename else reason


def _lock_timeout() -> float:
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "60")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise SlicegenError(
            f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds: set it to e.g. 60"
        )
    return value


def _state_dir(root: Path) -> Path:
    """``<root>/.slicegen``, refused unless it is a real folder (or absent, to be made)."""
    state = root / STATE_DIR
    try:
        real_dir(state)
    except UnsafePath as exc:
        raise SlicegenError(
            f"cannot create the lock: {state} {exc.reason}; slicegen keeps its lock and journal "
            f"there: check the workspace permissions, or remove it ('rm {state}')"
        ) from None
    return state


def _open_lock(lock: Path) -> IO[str]:
    """The lock file, opened read-write without following a link, refused unless regular."""
    try:
        fd, _ = open_regular(lock, os.O_RDWR | os.O_CREAT, single_link=True)
    except UnsafePath as exc:
        raise SlicegenError(
            f"refusing the lock {lock}: it {exc.reason}; slicegen never writes through it: "
            f"remove it ('rm {lock}') and re-run"
        ) from None
    except OSError as exc:
        raise SlicegenError(
            f"cannot create the lock in {lock.parent}: {exc.strerror}; "
            "check the workspace permissions"
        ) from None
    return os.fdopen(fd, "r+", encoding="utf-8")


@contextlib.contextmanager
def workspace_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the workspace's write lock; wait for another run, or fail clearly after ``timeout``."""
    if timeout is None:
        timeout = _lock_timeout()
    state = _state_dir(root)
    try:
        state.mkdir(exist_ok=True)
    except OSError as exc:
        raise SlicegenError(
            f"cannot create the lock in {state}: {exc.strerror}; check the workspace permissions"
        ) from None
    handle = _open_lock(state / "lock")
    with handle:
        deadline = time.monotonic() + timeout
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    handle.seek(0)
                    holder = handle.read(20).strip()
                    holder = holder if holder.isdigit() else "?"
                    print(
                        f"waiting for another slicegen run (pid {holder}) to finish writing...",
                        file=sys.stderr,
                    )
                    waited = True
                if time.monotonic() >= deadline:
                    raise SlicegenError(
                        f"another slicegen run holds {state / 'lock'} after {timeout:.0f}s; "
                        f"wait for it to finish or raise {LOCK_TIMEOUT_ENV}"
                    ) from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _txn_dir(root: Path) -> Path:
    return _state_dir(root) / "txn"


def _refuse(txn: Path, what: Path, reason: str) -> SlicegenError:
    return SlicegenError(
        f"refusing the interrupted-run journal {what}: {reason}; nothing was touched: "
        f"if no slicegen run of yours was killed here, delete it ('rm -r {txn}') and re-run"
    )


def pending_transaction(root: Path) -> bool:
    """True if a killed run left a transaction behind (to roll back before reading the tree).

    Anything at ``.slicegen/txn`` counts, a link or a file too: :func:`recover` refuses those.
    """
    return os.path.lexists(root / STATE_DIR / "txn")


def recover(root: Path) -> bool:
    """Roll back a transaction a killed run left behind; True if there was one. Hold the lock.

    A journal this user's run did not write, or that names anything outside the workspace, is
    refused with a one-line error before any file is touched.
    """
    txn = _txn_dir(root)
    try:
        if not real_dir(txn, owned=True):
            return False
    except UnsafePath as exc:
        raise _refuse(txn, txn, f"it {exc.reason}") from None
    path = txn / journal.JOURNAL
    try:
        staged = journal.load(root, txn) if os.path.lexists(path) else None
    except journal.UntrustedJournal as exc:
        raise _refuse(txn, path, str(exc)) from None
    except OSError as exc:
        raise SlicegenError(
            f"cannot read the interrupted run's journal {path} ({_os_error(exc)}); "
            f"fix the cause and re-run, or restore the files and delete {txn}"
        ) from None
    try:
        if staged is not None:
            _rollback(root, staged, txn, _ops())
    except journal.UntrustedJournal as exc:
        raise _refuse(txn, path, str(exc)) from None
    except OSError as exc:
        raise SlicegenError(
            f"cannot roll back the interrupted run recorded in {path} ({_os_error(exc)}); "
            f"fix the cause and re-run, or restore the files and delete {txn}"
        ) from None
    shutil.rmtree(txn, ignore_errors=True)
    if os.path.lexists(txn):
        raise SlicegenError(f"cannot delete {txn} after rolling it back; delete it and re-run")
    return True


def recover_pending(root: Path) -> bool:
    """Take the lock and roll back a transaction a killed run left, if any (say so on stderr).

    Call it before reading a workspace that a killed run may have left half-written.
    """
    if not pending_transaction(root):
        return False
    with workspace_lock(root):
        return report_recovery(root)


def report_recovery(root: Path) -> bool:
    """:func:`recover`, telling the user on stderr when it rolled something back."""
    if recover(root):
        print("recovered: rolled back an interrupted slicegen run", file=sys.stderr)
        return True
    return False


def _rollback(root: Path, staged: journal.Journal, txn: Path, ops: _Ops) -> None:
    """Put back every file the journal lists; idempotent, so a killed rollback can run again.

    Each path is checked again just before it is used: a backup put back earlier (a link) must
    not lead a later entry out of the workspace.
    """
    for item in staged.files:
        journal.check_path(root, item.path)
        target = root / item.path
        backup = txn / "old" / str(item.index)
        if item.existed:
            if os.path.lexists(backup):  # gone: restored by an earlier, interrupted rollback
                os.replace(backup, target)
        elif not target.is_dir() or target.is_symlink():  # a folder there: never renamed into place
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        ops.tick()
    for folder in reversed(staged.dirs):
        journal.check_path(root, folder)
        with contextlib.suppress(OSError):
            (root / folder).rmdir()
        ops.tick()


def _missing_dirs(root: Path, paths: list[str]) -> list[str]:
    missing: list[str] = []
    for rel in paths:
        parent = Path(rel).parent
        chain = []
        while parent != Path(".") and not (root / parent).exists():
            chain.append(parent.as_posix())
            parent = parent.parent
        for folder in reversed(chain):
            if folder not in missing:
                missing.append(folder)
    return missing


def _fsync_write(path: Path, data: bytes, ops: _Ops) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    ops.tick()


def _stage(root: Path, changes: list[PlannedFile], txn: Path, ops: _Ops) -> journal.Journal:
    """Write new contents and backups into ``txn`` and then the signed journal; touch no target."""
    shutil.rmtree(txn, ignore_errors=True)
    (txn / "new").mkdir(parents=True)
    (txn / "old").mkdir()
    entries: list[journal.Entry] = []
    for index, change in enumerate(changes):
        target = root / change.path
        _fsync_write(txn / "new" / str(index), change.new.encode("utf-8"), ops)
        existed = os.path.lexists(target)  # a dangling symlink is restored as it was, too
        if existed:
            shutil.copy2(target, txn / "old" / str(index), follow_symlinks=False)
            if target.exists():
                shutil.copymode(target, txn / "new" / str(index))
            ops.tick()
        entries.append(journal.Entry(change.path, index, existed))
    staged = journal.Journal(entries, _missing_dirs(root, [c.path for c in changes]))
    _fsync_write(txn / "journal.tmp", journal.encode(staged, txn), ops)
    os.replace(txn / "journal.tmp", txn / journal.JOURNAL)
    ops.tick()
    return staged


def write_atomically(root: Path, plan: list[PlannedFile]) -> None:
    """Write every file of ``plan`` that changes, all or nothing. Caller holds the lock."""
    changes = [p for p in plan if p.status in WRITES]
    if not changes:
        return
    ops = _ops()
    txn = _txn_dir(root)
    try:
        staged = _stage(root, changes, txn, ops)
    except OSError as exc:
        shutil.rmtree(txn, ignore_errors=True)
        raise SlicegenError(
            f"staging the change failed ({_os_error(exc)}); nothing was changed: "
            "free space or fix permissions and re-run"
        ) from None
    try:
        for folder in staged.dirs:
            (root / folder).mkdir()
            ops.tick()
        for index, change in enumerate(changes):
            if change.status is Status.REMOVE:
                os.unlink(root / change.path)
            else:
                os.replace(txn / "new" / str(index), root / change.path)
            ops.tick()
    except OSError as exc:
        try:
            _rollback(root, staged, txn, ops)
        except OSError as undo:
            raise SlicegenError(
                f"writing the workspace failed ({_os_error(exc)}) and so did undoing it "
                f"({_os_error(undo)}); the next slicegen run rolls back from {txn}"
            ) from None
        shutil.rmtree(txn, ignore_errors=True)
        raise SlicegenError(
            f"writing the workspace failed ({_os_error(exc)}); "
            "nothing was changed: free space or fix permissions and re-run"
        ) from None
    (txn / journal.JOURNAL).unlink()
    ops.tick()
    shutil.rmtree(txn, ignore_errors=True)
    _remove_empty_folders(root, [c.path for c in changes if c.status is Status.REMOVE])


def _remove_empty_folders(root: Path, removed: list[str]) -> None:
    """The folders a removal left empty, deepest first (never the workspace root)."""
    folders = {p for path in removed for p in Path(path).parents if p != Path(".")}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty: the user's files stay
            (root / folder).rmdir()
