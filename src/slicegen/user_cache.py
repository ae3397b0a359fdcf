"""slicegen's private per-user folder (``$XDG_CACHE_HOME/slicegen`` or ``~/.cache/slicegen``).

Things that must not come from a workspace live here: compiled templates, and the key that signs
the lint caches kept inside workspaces (:mod:`slicegen.signed_pickle`). So the folder is used
only where the workspace's checkout cannot have written it: when it lies inside the workspace
or the repository holding it (``HOME`` set to a CI job's checkout), a pull request could commit
a signing key and cache files signed with it, or compiled templates, and slicegen would load
them. Such a folder is not used (one ``warning:`` line a run); nothing is cached then.

Only ``os``, ``sys`` and :mod:`slicegen.constants` are imported: the lint replay finds its key
through this module.
"""

from __future__ import annotations

import os
import sys

from slicegen.constants import CACHE_DIR, CONFIG_NAMES, PROJECT_FILES, VCS_MARKERS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from pathlib import Path


def cache_home() -> str | None:
    """The folder (whether or not it exists), None when there is no home folder to find."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "slicegen")


def workspace_of(path: str | os.PathLike[str]) -> str | None:
    """The workspace a file of slicegen's state belongs to: the folder holding the
    ``.slicegen_cache`` or ``.slicegen`` folder on ``path``'s way; None if none is."""
    parts = os.path.abspath(path).split(os.sep)
    for at in range(len(parts) - 1, 0, -1):
        if parts[at] in (CACHE_DIR, ".slicegen"):
            return os.sep.join(parts[:at]) or os.sep
    return None


def _repository_roots(start: str) -> list[str]:
    """The folders at or above ``start`` that may be the top of the checkout holding it: the
    nearest holding a repository (``.git``, ``.hg``) and a project or config file (what lint
    takes for a repository's root), and the nearest holding a repository at all (a monorepo's
    top may hold only ``.git``), unless that is the user's own home folder (a repository of
    dotfiles) or a shared temporary folder (sticky: a stray ``git init /tmp``)."""
    found: list[str] = []
    at = start
    while True:
        if any(os.path.lexists(os.path.join(at, m)) for m in VCS_MARKERS):
            if not found and not _shared(at):
                found.append(at)
            if any(os.path.lexists(os.path.join(at, f)) for f in (*PROJECT_FILES, *CONFIG_NAMES)):
                return [*found, at]
        parent = os.path.dirname(at)
        if parent == at:
            return found
        at = parent


def _shared(folder: str) -> bool:
    """Whether ``folder`` is the account's own home folder or a sticky (shared) one."""
    try:
        import pwd

        if os.path.samefile(folder, pwd.getpwuid(os.getuid()).pw_dir):
            return True
        return bool(os.stat(folder).st_mode & 0o1000)
    except (OSError, KeyError, ImportError):
        return False


def _checkout_holding(folder: str, workspace: str) -> str | None:
    """The workspace, or the repository around it, if ``folder`` lies inside it (as named or
    as resolved); else None."""
    names = dict.fromkeys((os.path.abspath(folder), os.path.realpath(folder)))
    for top in dict.fromkeys((os.path.abspath(workspace), os.path.realpath(workspace))):
        for around in (top, *_repository_roots(top)):
            if any(
                name == around or name.startswith(around.rstrip(os.sep) + os.sep) for name in names
            ):
                return around
    return None


_judged: dict[tuple[str, str], bool] = {}  # (cache folder, workspace) -> whether usable
_warned: list[str] = []


def usable(folder: str, workspace: str | None) -> bool:
    """Whether the user cache ``folder`` lies outside ``workspace`` and the repository holding
    it (else a one-line warning, once a run): a checkout could have written it."""
    if workspace is None:
        return True
    found = _judged.get((folder, workspace))
    if found is None:
        around = _checkout_holding(folder, workspace)
        found = _judged[folder, workspace] = around is None
        if around is not None and not _warned:
            _warned.append(around)
            sys.stderr.write(
                f"warning: slicegen's user cache {folder} is inside {around}, which a checkout "
                "writes: a signing key or compiled templates there could be planted, so it is not "
                "used and nothing is cached; set XDG_CACHE_HOME to a folder of yours outside it\n"
            )
    return found


def private_dir(name: str, workspace: str | os.PathLike[str] | None) -> Path | None:
    """``cache_home()/name``, created mode 700; None if it cannot be made, is not ours, or the
    cache folder is not :func:`usable` with ``workspace``."""
    from pathlib import Path  # not at import time: the lint replay loads this module

    home = cache_home()
    if home is None or not usable(home, None if workspace is None else os.fspath(workspace)):
        return None
    folder = Path(home) / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if folder.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None  # someone else could plant files there
    return folder
