"""The remove commands: the reverse of the add commands, safe for the events already stored.

Each function returns a ``build(change_set)`` callable for :func:`slicegen.execute.execute`; the
storming documents of the domain are refreshed in the same change set (see
:mod:`slicegen.scaffold.documents`).
"""

from __future__ import annotations

import importlib

from slicegen import naming
from slicegen.change_set import ChangeSet
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
        module.remove_slice(cs, ctx, domain, slice_name, force)

    return documented(ws, [domain], build) if documents else build
