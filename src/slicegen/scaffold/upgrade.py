"""``slicegen upgrade``: every generated file rendered anew from the current templates, merged.

The manifest lists the scaffolding commands that made the workspace, with their arguments and
times (:func:`slicegen.manifest.logged`). Upgrade replays them, in order and at their recorded
times, into an empty temporary workspace holding the same config and template overrides; a
command that read a generated file the user had changed (``add-version`` carries the v1 handler's
rules into v2) reads that text again, recorded with it. What the replay generates is the new
render. Each file is then merged three ways: the manifest's text
(what slicegen generated before) is the base, the file on disk is the user's side, the new render
the other. A user's edit survives; where it and the template change touch the same lines the file
gets conflict markers and is listed. A file the user deleted stays deleted. The manifest then
records the new render, so the next upgrade merges from it, and the storming documents' derived
sections are refreshed from the merged code.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slicegen import __version__, clock, manifest
from slicegen.change_set import ChangeSet, read_text, safe_relative
from slicegen.constants import CONFIG_FILE
from slicegen.errors import ConflictError, PolicyLoop, SlicegenError
from slicegen.manifest import Generated, Recorded
from slicegen.scaffold import commands, remove, remove_parts, rename
from slicegen.scaffold.commands import Build
from slicegen.scaffold.documents import documented
from slicegen.templates import OVERRIDES_DIR
from slicegen.three_way import merge
from slicegen.transaction import write_atomically
from slicegen.workspace import Workspace, find_workspace

#: How each recorded command is made again, from a workspace and its recorded arguments.
REPLAY: dict[str, Callable[..., Build]] = {
    "new-domain": commands.new_domain,
    "add-slice": commands.add_slice,
    "add-projection": commands.add_projection,
    "add-policy": commands.add_policy,
    "add-fact": commands.add_fact,
    "add-version": commands.add_version,
    "remove-slice": remove.remove_slice,
    "remove-domain": remove.remove_domain,
    "remove-projection": remove_parts.remove_projection,
    "remove-policy": remove_parts.remove_policy,
    "remove-fact": remove_parts.remove_fact,
    "rename-event": rename.rename_event,
    "rename-command": rename.rename_command,
}

THEIRS = f"slicegen {__version__} (new render)"
OURS = "yours"


@dataclass
class Outcome:
    """What an upgrade could not merge cleanly, told once it is written."""

    conflicts: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def upgrade(ws: Workspace, domain: str | None, outcome: Outcome) -> Build:
    """The build of ``slicegen upgrade [DOMAIN]``."""

    def build(cs: ChangeSet) -> None:
        runs = manifest.history(cs)
        if not any(run.command == "init" for run in runs):
            raise SlicegenError(
                f"{manifest.PATH} records no 'slicegen init' to replay (the workspace was made "
                "before slicegen recorded its commands, or without init), so there is nothing "
                "to re-render from; regenerate it with this version to upgrade it later"
            )
        mine = [i for i, run in enumerate(runs) if domain in (None, run.args.get("domain"))]
        if domain is not None and not mine:
            raise SlicegenError(
                f"no recorded command generated domain '{domain}': name a domain of this "
                "workspace, or run 'slicegen upgrade' for all of them"
            )
        with tempfile.TemporaryDirectory(prefix="slicegen-upgrade-") as tmp:
            new, touched = _replay(ws, runs, Path(tmp))
        old = manifest.read(cs)
        scope = set(old) | set(new)
        if domain is not None:
            scope = set().union(*(touched[i] for i in mine))
        entries = dict(old)
        for path in sorted(scope):
            _upgrade_file(cs, path, old.get(path), new.get(path), entries, outcome)
        manifest.write(cs, entries)

    # The documents' derived sections describe the merged code, not the replay's.
    runs = manifest.history(ChangeSet(ws.root))
    domains = [str(run.args["domain"]) for run in runs if "domain" in run.args]
    return documented(ws, [d for d in domains if domain in (None, d)], build)


def _replay(
    ws: Workspace, runs: list[Recorded], tmp: Path
) -> tuple[dict[str, Generated], list[set[str]]]:
    """Replay ``runs`` into ``tmp``: the files they generate now, and the paths each touched."""
    overrides = ws.root / OVERRIDES_DIR
    if overrides.is_dir() and not overrides.is_symlink():
        shutil.copytree(overrides, tmp / OVERRIDES_DIR, symlinks=True)
    touched: list[set[str]] = []
    undone: set[int] = set()
    for i, run in enumerate(runs):
        cs = ChangeSet(tmp)
        if i in undone:
            touched.append(set())
            continue
        try:
            saved = _lay_inputs(tmp, run.inputs)
            with clock.frozen(run.at):
                _build_of(run, tmp)(cs)
            manifest.record(cs)
            write_atomically(tmp, cs.plan(force=True))
            _restore(tmp, {p: t for p, t in saved.items() if p not in cs.planned()})
        except PolicyLoop as exc:
            # made before add-policy refused loops: replayable only if removed later on
            undone.add(_removal_of(runs, i, exc))
            _restore(tmp, saved)
            touched.append(set())
            continue
        except SlicegenError as exc:
            raise SlicegenError(
                f"cannot re-render '{run.shown()}' with the current templates: {exc.message}"
            ) from None
        touched.append({p for p in cs.paths() if not p.startswith(".slicegen/")})
        if run.command == "init" and ws.config_path.name == CONFIG_FILE:
            # later commands read the workspace's own settings (e.g. its extra CRUD verbs)
            (tmp / CONFIG_FILE).write_bytes(ws.config_path.read_bytes())
    return manifest.read(ChangeSet(tmp)), touched


def _removal_of(runs: list[Recorded], i: int, loop: PolicyLoop) -> int:
    """The index of the recorded ``remove-policy`` that undoes the looping policy ``runs[i]``
    added; without one, the error to remove it before upgrading."""
    added = runs[i].args
    for j in range(i + 1, len(runs)):
        args = runs[j].args
        if runs[j].command == "remove-policy" and all(
            args.get(k) == added.get(k) for k in ("domain", "command", "trigger")
        ):
            return j
    raise SlicegenError(
        f"cannot re-render '{runs[i].shown()}': {loop.message.split(';')[0]}, and this slicegen "
        f"no longer makes such a policy: remove it first (slicegen remove-policy "
        f"{added.get('domain')} {added.get('command')} --on {added.get('trigger')}), then run "
        "upgrade again"
    ) from None


def _lay_inputs(tmp: Path, inputs: dict[str, str]) -> dict[str, str | None]:
    """Put the user's text of the files a command read in place; return what was there."""
    saved = {}
    for path, text in inputs.items():
        rel = safe_relative(tmp, path)
        saved[rel] = read_text(tmp / rel)
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(text, encoding="utf-8", newline="")
    return saved


def _restore(tmp: Path, saved: dict[str, str | None]) -> None:
    """Put back the replay's own text of the files :func:`_lay_inputs` replaced."""
    for rel, text in saved.items():
        if text is None:
            (tmp / rel).unlink(missing_ok=True)
        else:
            (tmp / rel).write_text(text, encoding="utf-8", newline="")


def _build_of(run: Recorded, tmp: Path) -> Build:
    args: dict[str, Any] = run.args
    if run.command == "init":
        return commands.init_workspace(tmp, args["stack"], args["app"], True, args["event_store"])
    if run.command == "unrecorded":
        raise SlicegenError(
            f"a command that upgrade cannot replay removed {', '.join(args['removed'])} at "
            f"{run.at}; upgrade re-renders only workspaces changed by init, new-domain, add-* "
            "and remove-slice/remove-domain"
        )
    if run.command not in REPLAY:
        raise SlicegenError(
            f"'{run.command}' is not a command this slicegen knows; upgrade slicegen itself"
        )
    return REPLAY[run.command](find_workspace(tmp), **args)


def _upgrade_file(
    cs: ChangeSet,
    path: str,
    base: Generated | None,
    theirs: Generated | None,
    entries: dict[str, Generated],
    outcome: Outcome,
) -> None:
    """Plan one file's upgrade and its manifest entry."""
    ours = cs.read(path)
    if theirs is None:  # no longer generated: removed unless the user changed it
        entries.pop(path, None)
        if ours is not None and base is not None and ours == base.text:
            cs.remove(path)
        elif ours is not None and base is not None:
            cs.note(f"kept {path}: slicegen no longer generates it, and you changed it")
        return
    if ours is None:
        if base is None:
            cs.add(path, theirs.text)
        else:
            outcome.deleted.append(path)
            cs.note(f"left {path} deleted: you deleted it since slicegen generated it")
        entries[path] = theirs
        return
    if base is None:  # the user's own file where slicegen would now write one: theirs alone
        if ours == theirs.text:
            entries[path] = theirs
        return
    entries[path] = theirs
    if ours == theirs.text:
        return
    merged = merge(base.text, ours, theirs.text, OURS, THEIRS)
    if merged.conflicts:
        outcome.conflicts.append(path)
    cs.edit(path, lambda _: merged.text)


def finish(outcome: Outcome, dry_run: bool) -> None:
    """Exit 1 (a :class:`ConflictError`) naming the files merged with conflicts, if any."""
    if outcome.conflicts:
        verb = "would get" if dry_run else "got"
        raise ConflictError(
            f"{len(outcome.conflicts)} file(s) {verb} conflict markers where your edits and the "
            f"new templates change the same lines: {', '.join(outcome.conflicts)}; edit each to "
            "keep what you want and delete the <<<<<<< ======= >>>>>>> lines"
        )
