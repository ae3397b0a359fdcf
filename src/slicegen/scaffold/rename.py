"""The rename commands: a slice's command or event renamed across the workspace.

The new name must pass the checks ``add-slice`` makes (so lint does not flag it); the stack
renames the code (python: libcst; elixir: tree-sitter) and keeps stored events loading under
their old type string; the domain's storming document is refreshed in the same change set.
"""

from __future__ import annotations

import importlib

from slicegen import manifest, naming
from slicegen.change_set import ChangeSet
from slicegen.contracts.write import lock_planned, lock_retired
from slicegen.errors import SlicegenError
from slicegen.scaffold.commands import Build, check_command_name, check_event_name, check_slice_name
from slicegen.scaffold.documents import documented
from slicegen.scaffold.stack import StackContext
from slicegen.workspace import Workspace


def _names(domain: str, old: str, new: str, what: str) -> None:
    naming.validate_name(domain, "domain name")
    naming.validate_name(old, f"old {what} name")
    naming.validate_name(new, f"new {what} name")
    if naming.to_snake(old) == naming.to_snake(new):
        raise SlicegenError(f"'{old}' and '{new}' are the same {what}: give a different new name")


def rename_event(ws: Workspace, domain: str, old: str, new: str) -> Build:
    """``slicegen rename-event``: the event's classes, modules, type strings and tests."""
    _names(domain, old, new, "event")
    check_event_name(new, ws.config.lint.all_crud_verbs())
    build = _build(ws, domain, "rename_event", naming.to_snake(old), naming.to_snake(new))
    return manifest.logged("rename-event", {"domain": domain, "old": old, "new": new}, build)


def rename_command(ws: Workspace, domain: str, old: str, new: str) -> Build:
    """``slicegen rename-command``: the slice's folder, command classes, handler and API."""
    _names(domain, old, new, "command")
    check_command_name(new, ws.config.lint.all_crud_verbs())
    check_slice_name(domain, new, False)
    build = _build(ws, domain, "rename_command", naming.to_snake(old), naming.to_snake(new))
    return manifest.logged("rename-command", {"domain": domain, "old": old, "new": new}, build)


def _build(ws: Workspace, domain: str, function: str, old: str, new: str) -> Build:
    stack, _ = ws.config.require_scaffold()
    ctx = StackContext(ws.root, ws.config)

    def rename(cs: ChangeSet) -> None:
        module = importlib.import_module(f"slicegen.stacks.{stack}.rename")
        getattr(module, function)(cs, ctx, domain, old, new)

    def build(cs: ChangeSet) -> None:
        # events.lock.toml: the renamed (or moved) events locked, the retired ones at their path
        lock_retired(cs, domain, lambda cs: lock_planned(cs, domain, rename))

    return documented(ws, [domain], build)
