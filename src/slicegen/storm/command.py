"""``slicegen storm``: regenerate, check or export the storming documents of a workspace."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from slicegen.change_set import ChangeSet
from slicegen.contracts.lock import LOCK_FILE, parse
from slicegen.contracts.workspace import lock_changes, refreshed
from slicegen.contracts.write import update_lock
from slicegen.design.from_workspace import design_of, layout_of, load_workspace
from slicegen.design.layout import Layout
from slicegen.design.model import DesignModel, dump_design
from slicegen.errors import SlicegenError
from slicegen.model.workspace import WorkspaceModel
from slicegen.safe_files import (
    TooBig,
    UnsafePath,
    limit_for,
    read_regular,
    through_link,
    too_big_fix,
)
from slicegen.storm.document import regenerate
from slicegen.storm.drift import find_drift, not_described
from slicegen.storm.render import consumers_indexed
from slicegen.storm.skeleton import render_skeleton
from slicegen.workspace import Workspace


def workspace_design(ws: Workspace) -> tuple[DesignModel, Layout]:
    """The design of the workspace's code, and the layout its documents draw."""
    ws.config.require_scaffold()
    model = load_workspace(ws.root, ws.config)
    return design_of(model), layout_of(model, ws.config)


def _domains(design: DesignModel, domain: str | None) -> list[str]:
    if domain is None:
        if not design.domains:
            raise SlicegenError(
                "the workspace has no domains yet: add one with 'slicegen new-domain NAME'"
            )
        return list(design.domains)
    if domain not in design.domains:
        known = ", ".join(design.domains) or "none"
        raise SlicegenError(f"no domain '{domain}' in the workspace (domains: {known})")
    return [domain]


def storm(
    ws: Workspace, domain: str | None, mermaid: bool | None = None, now: datetime | None = None
) -> Callable[[ChangeSet], None]:
    """A build that brings each (or one) domain's document up to date, and the event lock."""
    ws.config.require_scaffold()
    model = load_workspace(ws.root, ws.config)
    design, layout = design_of(model), layout_of(model, ws.config)
    names = _domains(design, domain)

    def build(cs: ChangeSet) -> None:
        storm_into(cs, ws, design, layout, names, mermaid=mermaid, now=now)
        update_lock(cs, lambda locked: refreshed(locked, model))

    return build


def storm_into(
    cs: ChangeSet,
    ws: Workspace,
    design: DesignModel,
    layout: Layout,
    names: list[str],
    *,
    mermaid: bool | None = None,
    now: datetime | None = None,
) -> None:
    """Plan the regeneration of the documents of ``names`` (created if missing)."""
    with consumers_indexed(design):  # the renders only read it
        _storm_into(cs, ws, design, layout, names, mermaid, now)


def _storm_into(
    cs: ChangeSet,
    ws: Workspace,
    design: DesignModel,
    layout: Layout,
    names: list[str],
    mermaid: bool | None,
    now: datetime | None,
) -> None:
    for name in names:
        path = ws.config.storming_doc(name)

        def update(text: str, name: str = name) -> str:
            return regenerate(text, design, name, layout, mermaid=mermaid, now=now)

        if cs.exists(path):
            cs.edit(path, update)
        else:
            stack, app = ws.config.require_scaffold()
            aggregate = design.domains[name].aggregate
            cs.add(path, update(render_skeleton(app, name, stack, aggregate, now, ws.root)))


def check(ws: Workspace, domain: str | None) -> list[str]:
    """``path: message`` for every document that is missing or out of date, for every domain
    of the code that cannot be described (so it has no document to check), and for each
    change ``slicegen storm`` would make to the event lock."""
    ws.config.require_scaffold()
    model = load_workspace(ws.root, ws.config)
    design, layout = design_of(model), layout_of(model, ws.config)
    problems = [
        f"{ws.config.storming_doc(d.name)}: {not_described(model, d.name)}"
        for d in model.domains
        if d.name not in design.domains and domain in (None, d.name)
    ]
    if problems and (domain is not None or not design.domains):
        return problems
    for name in _domains(design, domain):
        path = ws.config.storming_doc(name)
        full = ws.root / path
        if not os.path.lexists(full):  # a FIFO or a link is there, and reported below
            problems.append(f"{path}: missing; run 'slicegen storm {name}' to write it")
            continue
        if through_link(ws.root, path):  # O_NOFOLLOW guards the file, not its folders
            problems.append(f"{path}: is in a symlinked folder; replace the link with a folder")
            continue
        try:
            text = read_regular(full)[0].decode("utf-8")
        except UnsafePath as exc:  # a symlink, FIFO or device: never followed, never read
            problems.append(f"{path}: {exc.reason}; replace it with a regular file")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot be read ({exc})")
            continue
        fix = f"run 'slicegen storm {name}'"
        with consumers_indexed(design):
            drift = find_drift(design, name, text, layout)
        problems += [f"{path}: {m}; {fix}" for m in drift]
    return problems + _lock_problems(ws, model, domain)


def _lock_problems(ws: Workspace, model: WorkspaceModel, domain: str | None) -> list[str]:
    """``events.lock.toml: ...`` when ``slicegen storm`` would change the event lock."""
    full = ws.root / LOCK_FILE
    exists = os.path.lexists(full)  # whatever is there: a FIFO or a link is reported
    try:
        locked = parse(read_regular(full, limit_for(full))[0].decode("utf-8")) if exists else {}
    except TooBig as exc:
        return [f"{LOCK_FILE}: {exc.reason}; {too_big_fix(LOCK_FILE)}"]
    except UnsafePath as exc:
        return [f"{LOCK_FILE}: {exc.reason}; replace it with a regular file"]
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{LOCK_FILE}: cannot be read ({exc})"]
    changes = lock_changes(locked, model, domain)
    if not changes:
        return []
    command = f"slicegen storm {domain}" if domain else "slicegen storm"
    fix = f"run '{command}' to {'update' if exists else 'write'} it"
    if not exists:
        return [f"{LOCK_FILE}: missing ({len(changes)} event type(s) to lock); {fix}"]
    return [f"{LOCK_FILE}: {change}; {fix}" for change in changes]


def export(ws: Workspace, domain: str | None) -> str:
    """The design model of the code (one domain or all) as YAML."""
    design, _ = workspace_design(ws)
    names = _domains(design, domain) if domain is not None else list(design.domains)
    chosen = design.model_copy(update={"domains": {n: design.domains[n] for n in names}})
    return dump_design(chosen)
