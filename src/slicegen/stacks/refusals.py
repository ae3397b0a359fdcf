"""What both stacks' remove and rename plans refuse, worded once: each error names the problem
and the fix."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING

from slicegen.errors import PolicyLoop, SlicegenError
from slicegen.stacks import artifacts

if TYPE_CHECKING:
    from slicegen.change_set import ChangeSet

_LOOK_UP = "check the names with 'slicegen storm --export'"
#: The folder a file lies in (a policy's: the slice of the command it dispatches).
_SLICE_DIR = re.compile(r"/(\w+)/[^/]+$")


def no_slice(domain: str, name: str, command_file: str) -> SlicegenError:
    """``name`` is no slice of ``domain``: its ``command_file`` is missing."""
    return SlicegenError(
        f"domain '{domain}' has no slice '{name}' ({command_file} is missing): {_LOOK_UP}"
    )


def no_event(domain: str, name: str) -> SlicegenError:
    """No event module of ``domain`` stores ``name``."""
    return SlicegenError(
        f"domain '{domain}' has no event '{name}' (no event module stores '{name}:v1'): {_LOOK_UP}"
    )


def slice_taken(domain: str, name: str) -> SlicegenError:
    return SlicegenError(f"domain '{domain}' has a slice '{name}' already: pick another name")


def event_taken(domain: str, name: str) -> SlicegenError:
    return SlicegenError(f"domain '{domain}' has an event '{name}' already: pick another name")


def file_taken(path: str) -> SlicegenError:
    """A rename would move a file onto ``path``, which exists."""
    return SlicegenError(
        f"{path} exists already: the rename would overwrite it; "
        "pick another name or move that file first"
    )


def retired_taken(path: str, name: str) -> SlicegenError:
    """Retiring event ``name`` would write ``path``, where an earlier one was retired."""
    return SlicegenError(
        f"{path} exists already: an earlier event '{name}' was retired there; "
        "pick another name or retire that one for good first"
    )


def policy_loop(domain: str, command: str, event: str) -> PolicyLoop:
    """A policy would dispatch ``command`` on ``event``, which ``command``'s own slice records."""
    return PolicyLoop(
        f"a policy dispatching '{command}' on '{event}' loops: '{command}' records "
        f"'{event}' itself, so each dispatch triggers the next; trigger '{command}' on another "
        f"slice's event (slicegen add-policy {domain} {command} --on {domain}:<event>)"
    )


def fact_consumed(
    what: str, where: str, consumer: str, command: str, source: str, event: str
) -> SlicegenError:
    """``what`` (a fact, or the slice publishing it) is removed while ``where`` consumes it."""
    return SlicegenError(
        f"{what} is still consumed ({where}): remove that policy first "
        f"(slicegen remove-policy {consumer} {command} --on {source}:{event})"
    )


def if_consumed(
    users: list[str], place: re.Pattern[str], ext: str, what: str, source: str, event: str
) -> None:
    """:func:`fact_consumed` when ``users`` (the files of other domains naming ``source``'s
    fact ``event``) is not empty, naming the first that is a policy on ``event`` whose path
    ``place`` matches (groups: its domain, its command's slice), else the first user.
    ``what``: the fact, or the slice publishing it (default: the fact)."""
    if not users:
        return
    found = [
        (f, m[1], m[2])
        for f in users
        if artifacts.policy_file(f, ext, event=event) and (m := place.search(f))
    ]
    where, consumer, command = found[0] if found else (users[0], "DOMAIN", "COMMAND")
    raise fact_consumed(what or f"fact '{event}'", where, consumer, command, source, event)


def if_followed(
    cs: ChangeSet,
    domain: str,
    name: str,
    places: tuple[str, str, str, str],
    events: Collection[str],
) -> None:
    """:func:`fact_consumed` if a policy of another slice follows one of the ``events`` of
    slice ``name`` (removing the slice would leave that policy naming no module). ``places``:
    the folder holding the domain's policies, the slice's folder, the prefix of the slice's
    module names, and the stack's source file extension."""
    under, folder, namespace, ext = places
    for path in cs.files_under(under):
        policy = artifacts.policy_file(path, ext)
        slice_dir = _SLICE_DIR.search(path)
        if (
            policy
            and slice_dir
            and policy[0] in events
            and not path.startswith(f"{folder}/")
            and namespace in (cs.read(path) or "")
        ):
            what = f"slice '{name}' records event '{policy[0]}', which"
            raise fact_consumed(what, path, domain, slice_dir[1], domain, policy[0])
