"""The manifest of generated files: what slicegen last wrote to each, and its hash.

``.slicegen/manifest.json`` maps each file slicegen generated (or edited while the file was still
as generated) to the SHA-256 of that text and the text itself. The remove commands use the hash
to tell a user's edit from slicegen's own text; the text is the base a later three-way merge
(``slicegen upgrade``) needs. It also lists each scaffolding command that ran, with its arguments
and time, in order: ``slicegen upgrade`` replays them to render the files anew. The manifest is
written in the change set of the command that generated the files, so it is as atomic as they
are; it belongs in version control.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slicegen import clock
from slicegen.change_set import ChangeSet
from slicegen.constants import MANIFEST_FILE
from slicegen.errors import SlicegenError

Build = Callable[[ChangeSet], None]

PATH = MANIFEST_FILE  # under transaction.STATE_DIR
FORMAT = 1


@dataclass(frozen=True)
class Generated:
    """What slicegen last wrote to one file."""

    sha256: str
    text: str


@dataclass(frozen=True)
class Recorded:
    """One scaffolding command as it ran: its name, arguments and time (``YYYYMMDDHHMMSS``),
    and the generated files it read after the user had changed them (path -> that text: e.g. the
    handler ``add-version`` carried into v2, the event ``remove-slice`` retired)."""

    command: str
    args: dict[str, Any]
    at: str
    inputs: dict[str, str] = field(default_factory=dict)

    def shown(self) -> str:
        """The command as a user would recognise it, e.g. ``add-slice accounts open_account``."""
        words = [str(v) for k, v in self.args.items() if k in ("domain", "command", "slice_name")]
        return " ".join([self.command, *words])


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load(cs: ChangeSet) -> tuple[dict[str, Generated], list[Recorded]]:
    return _parse(cs.read(PATH))


def _parse(raw: str | None) -> tuple[dict[str, Generated], list[Recorded]]:
    if raw is None:
        return {}, []
    try:
        data: Any = json.loads(raw)
        files = {path: Generated(e["sha256"], e["text"]) for path, e in data["files"].items()}
        runs = [
            Recorded(r["command"], dict(r["args"]), r["at"], dict(r.get("inputs", {})))
            for r in data.get("commands", [])
        ]
        return files, runs
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise SlicegenError(
            f"{PATH} is not a slicegen manifest; restore it from version control "
            "or delete it (slicegen then treats every file as the user's)"
        ) from None


def read(cs: ChangeSet) -> dict[str, Generated]:
    """The manifest's files as planned in ``cs`` (or on disk); empty if there is none."""
    return _load(cs)[0]


def history(cs: ChangeSet) -> list[Recorded]:
    """The scaffolding commands recorded in the manifest, oldest first."""
    return _load(cs)[1]


def _dump(entries: dict[str, Generated], runs: list[Recorded]) -> str:
    files = {p: {"sha256": g.sha256, "text": g.text} for p, g in sorted(entries.items())}
    commands = [
        {
            "command": r.command,
            "args": r.args,
            "at": r.at,
            **({"inputs": r.inputs} if r.inputs else {}),
        }
        for r in runs
    ]
    data = {"format": FORMAT, "commands": commands, "files": files}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def write(cs: ChangeSet, entries: dict[str, Generated], runs: list[Recorded] | None = None) -> None:
    """Plan the manifest with these files and commands (by default the recorded ones kept)."""
    text = _dump(entries, history(cs) if runs is None else runs)
    if cs.exists(PATH):
        cs.edit(PATH, lambda _: text)
    else:
        cs.add(PATH, text)


def record(cs: ChangeSet) -> None:
    """Plan the manifest entries of what ``cs`` generates.

    A file the change set writes whole is recorded; a structured edit of a file is recorded only
    if the file was still as slicegen generated it (else it is the user's file, edited). A command
    that removes generated files without recording itself (:func:`logged`) is recorded as
    ``unrecorded``: ``slicegen upgrade`` cannot replay it, and says so.
    """
    entries, runs = _load(cs)
    before = dict(entries)
    removed = []
    for path, (content, structured) in cs.planned().items():
        if path.startswith(".slicegen/"):
            continue
        if content is None:
            if entries.pop(path, None) is not None:
                removed.append(path)
            continue
        if structured:
            known = entries.get(path)
            on_disk = cs.on_disk(path)
            if known is None or on_disk is None or digest(on_disk) != known.sha256:
                continue
        entries[path] = Generated(digest(content), content)
    if removed and len(runs) == len(_parse(cs.on_disk(PATH))[1]):
        runs.append(Recorded("unrecorded", {"removed": sorted(removed)[:3]}, clock.stamp()))
        write(cs, entries, runs)
    elif entries != before:
        write(cs, entries)


def logged(command: str, args: dict[str, Any], build: Build) -> Build:
    """``build``, run at a recorded time and recorded in the manifest with its arguments.

    ``args`` are JSON values: the keyword arguments that make the command again.
    """

    def run(cs: ChangeSet) -> None:
        at = clock.stamp()
        with clock.frozen(at):
            build(cs)
        files, runs = _load(cs)
        if _ran_already(runs, command, args):
            return
        text = _dump(files, [*runs, Recorded(command, args, at, _inputs(cs))])
        if cs.exists(PATH):
            cs.edit(PATH, lambda _: text)
        else:
            cs.add(PATH, text)

    return run


def _ran_already(runs: list[Recorded], command: str, args: dict[str, Any]) -> bool:
    """Whether the same command ran since the last removal: a re-run (``init --force``, an
    ``add-slice`` run twice) makes what it made before, so replaying it once is enough."""
    for run in reversed(runs):
        if run.command.startswith("remove-") or run.command == "unrecorded":
            return False
        if (run.command, run.args) == (command, args):
            return True
    return False


def _inputs(cs: ChangeSet) -> dict[str, str]:
    """The generated files ``cs`` read but does not write, as the user has changed them."""
    generated = _parse(cs.on_disk(PATH))[0]
    planned = cs.planned()
    inputs = {}
    for path in sorted(cs.read_from_disk):
        text = cs.on_disk(path)
        if (path in planned and planned[path][0] is not None) or text is None:
            continue
        if path in generated and user_changed(generated, path, text):
            inputs[path] = text
    return inputs


def user_changed(entries: dict[str, Generated], path: str, text: str) -> bool:
    """Whether ``text`` at ``path`` is not what slicegen last generated there."""
    known = entries.get(path)
    return known is None or known.sha256 != digest(text)


def note_kept(cs: ChangeSet, path: str) -> None:
    """Say that a remove command keeps ``path``: the user changed it (see :func:`user_changed`)."""
    cs.note(f"kept {path}: changed since slicegen generated it (--force removes it)")


def remove_generated(cs: ChangeSet, files: list[str], force: bool) -> list[str]:
    """Plan removing ``files``; one the user changed since generation is kept unless ``force``.
    Returns the files kept."""
    generated = read(cs)
    kept = []
    for rel in files:
        text = cs.read(rel)
        if text is None:
            continue
        if user_changed(generated, rel, text) and not force:
            note_kept(cs, rel)
            kept.append(rel)
            continue
        cs.remove(rel)
    return kept
