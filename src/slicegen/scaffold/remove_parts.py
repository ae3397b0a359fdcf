"""``remove-projection``, ``remove-policy`` and ``remove-fact``: the reverse of the add commands.

Like ``remove-slice`` (:mod:`slicegen.scaffold.remove`), each returns a ``build(change_set)``;
the storming documents of the domains concerned are refreshed in the same change set.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

from slicegen import manifest, naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.commands import Build, parse_trigger
from slicegen.scaffold.documents import documented
from slicegen.scaffold.stack import StackContext
from slicegen.workspace import Workspace


def remove_projection(
    ws: Workspace, domain: str, slice_name: str, read_model: str, force: bool
) -> Build:
    """``slicegen remove-projection``: the reverse of ``add-projection``."""
    naming.validate_name(domain, "domain name")
    naming.validate_name(slice_name, "slice name")
    naming.validate_name(read_model, "read model name")
    args = {"domain": domain, "slice_name": slice_name, "read_model": read_model, "force": force}
    return manifest.logged(
        "remove-projection",
        args,
        _build(
            ws,
            [domain],
            lambda m, cs, ctx: m.remove_projection(cs, ctx, domain, slice_name, read_model, force),
            "remove-projection",
        ),
    )


def remove_policy(ws: Workspace, domain: str, command: str, trigger: str, force: bool) -> Build:
    """``slicegen remove-policy``: the reverse of ``add-policy`` (its fact stays)."""
    naming.validate_name(domain, "domain name")
    naming.validate_name(command, "command name")
    source, event = parse_trigger(trigger)
    args = {"domain": domain, "command": command, "trigger": trigger, "force": force}
    return manifest.logged(
        "remove-policy",
        args,
        _build(
            ws,
            [domain, source],
            lambda m, cs, ctx: m.remove_policy(cs, ctx, domain, command, event, force),
            "remove-policy",
        ),
    )


def remove_fact(ws: Workspace, domain: str, event: str, force: bool) -> Build:
    """``slicegen remove-fact``: the reverse of ``add-fact``."""
    naming.validate_name(domain, "domain name")
    naming.validate_name(event, "event name")
    args = {"domain": domain, "event": event, "force": force}
    return manifest.logged(
        "remove-fact",
        args,
        _build(
            ws,
            [domain],
            lambda m, cs, ctx: m.remove_fact(cs, ctx, domain, event, force),
            "remove-fact",
        ),
    )


#: The remove commands each stack implements.
SUPPORTED = {
    "python": {"remove-projection", "remove-policy", "remove-fact"},
    "elixir": {"remove-projection", "remove-policy", "remove-fact"},
}


def _build(
    ws: Workspace,
    domains: list[str],
    plan: Callable[[ModuleType, ChangeSet, StackContext], None],
    command: str,
) -> Build:
    stack, _ = ws.config.require_scaffold()
    if command not in SUPPORTED.get(stack, set()):
        raise SlicegenError(
            f"{command} is not supported on the {stack} stack yet: delete the files and "
            "registrations by hand (slicegen lint then shows what is left)"
        )
    ctx = StackContext(ws.root, ws.config)

    def build(cs: ChangeSet) -> None:
        plan(importlib.import_module(f"slicegen.stacks.{stack}.remove_parts"), cs, ctx)

    return documented(ws, domains, build)
