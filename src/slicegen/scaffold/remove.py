"""The remove commands: the reverse of the add commands, safe for the events already stored.

Each function returns a ``build(change_set)`` callable for :func:`slicegen.execute.execute`; the
storming documents of the domain are refreshed in the same change set (see
:mod:`slicegen.scaffold.documents`).
"""

from __future__ import annotations

import importlib

from slicegen import manifest, naming
from slicegen.change_set import ChangeSet
from slicegen.contracts.write import lock_retired, unlock_domain
from slicegen.errors import SlicegenError
from slicegen.scaffold.commands import Build
from slicegen.scaffold.documents import documented
from slicegen.scaffold.stack import StackContext
from slicegen.workspace import Workspace


def remove_slice(
    ws: Workspace, domain: str, slice_name: str, force: bool, *, documents: bool = True
) -> Build:
    """``slicegen remove-slice``: the slice's files and registrations; its events retired."""
    naming.validate_name(domain, "domain name")
    naming.validate_name(slice_name, "slice name")
    stack, _ = ws.config.require_scaffold()
    ctx = StackContext(ws.root, ws.config)

    def build(cs: ChangeSet) -> None:
        module = importlib.import_module(f"slicegen.stacks.{stack}.remove")
        lock_retired(cs, domain, lambda cs: module.remove_slice(cs, ctx, domain, slice_name, force))

    built = documented(ws, [domain], build) if documents else build
    return manifest.logged(
        "remove-slice", {"domain": domain, "slice_name": slice_name, "force": force}, built
    )


def remove_domain(ws: Workspace, domain: str, force: bool) -> Build:
    """``slicegen remove-domain``: a domain without slices, the reverse of ``new-domain``."""
    naming.validate_name(domain, "domain name")
    stack, _ = ws.config.require_scaffold()
    ctx = StackContext(ws.root, ws.config)

    def build(cs: ChangeSet) -> None:
        module = importlib.import_module(f"slicegen.stacks.{stack}.remove")
        slices, retired, places = module.domain_places(cs, ctx, domain)
        remove_files(cs, slices, retired, places, domain, force)
        unlock_domain(cs, domain)

    return manifest.logged("remove-domain", {"domain": domain, "force": force}, build)


def remove_files(
    cs: ChangeSet,
    slices: list[str],
    retired: bool,
    places: list[str],
    domain: str,
    force: bool,
) -> None:
    """Plan the removal of the files under (or at) ``places``, once the domain is empty.

    A domain with slices is refused (``remove-slice`` retires their events first); one with
    retired events only with ``force`` (its stored events would no longer load); a file the user
    changed since it was generated is kept unless ``force``.
    """
    if slices:
        first = slices[0]
        raise SlicegenError(
            f"domain '{domain}' still has slices ({', '.join(slices)}): remove each first, "
            f"e.g. 'slicegen remove-slice {domain} {first}'"
        )
    if retired and not force:
        raise SlicegenError(
            f"domain '{domain}' keeps the events of removed slices so stored events load; "
            "removing it loses them: migrate or archive those streams, then use --force"
        )
    generated = manifest.read(cs)
    for place in places:
        found = [place] if cs.exists(place) and not (cs.root / place).is_dir() else []
        for rel in found or cs.files_under(place):
            text = cs.read(rel) or ""
            if manifest.user_changed(generated, rel, text) and not force:
                manifest.note_kept(cs, rel)
                continue
            cs.remove(rel)
