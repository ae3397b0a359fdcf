"""``slicegen lsp``: a language server (stdio, on pygls) for the edit loop.

- diagnostics: the workspace is linted on open, change and save, with the editor's unsaved
  buffers (source files, storming documents) read instead of the files on disk, by every
  rule; every file with findings gets them; a change re-lints from the workspace's last run
  only what it can affect (:mod:`slicegen.lint.delta`);
- disk changes: when the client can watch files (``workspace/didChangeWatchedFiles`` with
  dynamic registration), the server asks it to report source files, storming documents, the
  lock, config and ``.gitignore`` files, and every created or deleted path; a re-lint then looks
  at the reported paths only (:mod:`slicegen.lint.watched`). A client that cannot watch
  (or refuses) gets the server's own watcher, on ``watchfiles`` as ``lint --watch`` uses it: the
  same reports, the same re-lints. Only where neither can watch (no file notifications on the
  platform, the watch limit reached) is the tree stat'ed to learn what changed: once per lint,
  while the server waits for typing to settle, so that the answer does not wait for it;
- hover: on a finding, the rule's explanation (as ``slicegen rule CODE`` prints it);
- code actions: fixes that run slicegen's own commands in the workspace (``add-version`` for a
  changed event, ``add-slice`` for a slice missing its evolver or handler, ``rename-event`` for
  a CRUD event, ``add-projection`` for a projection the storming document has and the code lost,
  ``storm`` for a missing or stale storming document), through the same change sets as on the
  command line.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from slicegen import __version__
from slicegen.child_process import tied_to_us
from slicegen.constants import VCS_MARKERS
from slicegen.errors import SlicegenError
from slicegen.lint.command import rule_text
from slicegen.lint.delta import LintState, poll, with_boundary_records
from slicegen.lint.engine import LintOptions, locate, run_lint
from slicegen.lint.finding import Finding
from slicegen.safe_files import read_regular

SOURCE = "slicegen"
RUN = "slicegen.run"  # workspace/executeCommand: run a slicegen command in a workspace
ADD_MISSING = "slicegen.addMissing"  # re-run add-slice with the slice's own fields
RENAME_EVENT = "slicegen.renameEvent"  # rename-event in the domain whose slice emits the event
#: The commands a code action may run (the client sends them back; nothing else is run).
RUNNABLE = ("add-version", "add-slice", "add-projection", "rename-event", "storm")
_SUFFIXES = (".py", ".ex", ".exs")
#: Seconds a workspace waits, after a change, an open or a watcher report, for the next one
#: before it is linted (a burst of any of them is one lint, of the last state).
SETTLE = 0.15
#: Milliseconds the server's own file watcher waits for changes before it looks up again.
WATCH_TIMEOUT_MS = 500
#: What the client's file watcher reports (``**/*``: creations and deletions of any path, a
#: folder's included, so that a new or removed folder shows even without a matching name).
_ANY = types.WatchKind.Create | types.WatchKind.Change | types.WatchKind.Delete
WATCHED = [
    *((f"**/*{suffix}", _ANY) for suffix in (*_SUFFIXES, ".md", ".toml")),
    ("**/.gitignore", _ANY),
    ("**/*", types.WatchKind.Create | types.WatchKind.Delete),
]


PublishedDiagnostics = dict[str, list[types.Diagnostic]]  # by file URI


class SlicegenServer(LanguageServer):
    """Remembers what it published, by workspace root and file, so that fixed files are
    cleared and hover answers without linting again."""

    def __init__(self) -> None:
        super().__init__("slicegen", __version__)
        #: each workspace's published diagnostics by file (the :data:`MAX_PUBLISHED` last)
        self.published: dict[Path, PublishedDiagnostics] = {}
        #: each workspace's last lint: a change re-lints only what it can affect from there
        self.states: dict[Path, LintState] = {}
        #: when the client's file watcher was registered (None: the tree is stat'ed instead)
        self.watching_since: int | None = None
        #: the client cannot watch files: the server watches the editor's workspace folders
        #: (and any workspace linted outside them) itself
        self.own_watch = False
        #: each folder the server watches: when its watcher was ready (None: starting, or it
        #: failed and the trees in it are stat'ed)
        self.watched: dict[Path, int | None] = {}
        #: each workspace's paths the watcher reported since its last lint
        self.pending: dict[Path, set[str]] = {}
        #: where nothing watches: each workspace's state, and the files a poll of the disk
        #: found changed since it was made (None: a folder or document changed: stat at the lint)
        self.polled: dict[Path, tuple[LintState, frozenset[str] | None]] = {}
        self.waits: dict[Path, int] = {}  # workspace -> the number of its last event
        self.told: dict[Path, str] = {}  # workspace -> the error last shown for it


server = SlicegenServer()


def _place(uri: str) -> tuple[Path, str] | None:
    """The workspace holding the file ``uri`` names, and the file's path in it; None when the
    name goes through a symlink that sits in a workspace (a stranger's tree may link a file or
    folder anywhere: the server lints, reads and writes nothing through one, as lint walks
    none), or when the file is in no project: outside the editor's folders, a folder with
    no config and no repository (``/etc/passwd``, ``/proc/self/status``, ``/tmp/x.py`` opened
    alone) is not linted, nor given a cache. A link outside every workspace
    (``~/proj -> /data/proj``) is the user's own."""
    path = to_fs_path(uri)
    if not path or "\0" in path:  # a percent-encoded NUL names no file
        return None
    named = Path(os.path.abspath(path))
    link = next((p for p in (named, *named.parents) if p.is_symlink()), None)
    if link is not None and _project(*locate(link.parent)):
        return None
    root, config = locate(named)
    if not _project(root, config) and not any(root.is_relative_to(f) for f in _folders()):
        return None
    real = Path(os.path.realpath(named))
    return (root, real.relative_to(root).as_posix()) if real.is_relative_to(root) else None


def _project(root: Path, config: object) -> bool:
    """Whether :func:`locate` found a project at ``root``: a config, or a repository's root."""
    return config is not None or any((root / m).exists() for m in VCS_MARKERS)


def _folders() -> list[Path]:
    """The editor's workspace folders (its root folder without any), but the filesystem's root
    and the home folder: a file in one of those is no project's for being there."""
    try:
        workspace = server.workspace
    except RuntimeError:  # not initialized yet
        return []
    uris = [f.uri for f in workspace.folders.values()] or [workspace.root_uri]
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no home folder known
        home = None
    found = []
    for uri in uris:
        path = to_fs_path(uri) if uri else None
        if path and "\0" not in path:
            folder = Path(os.path.realpath(path))  # as locate resolves the workspace's root
            if folder != Path(folder.anchor) and folder != home:
                found.append(folder)
    return found


def _root_of(uri: str) -> Path | None:
    place = _place(uri)
    return place[0] if place is not None else None


def _overlay(ls: SlicegenServer, root: Path) -> dict[str, str]:
    """The open buffers under ``root`` (source files, storming documents) whose text is not
    the file's, by relative path: with every buffer saved, a run is the command line's."""
    found = {}
    for uri, doc in ls.workspace.text_documents.items():
        if not uri.endswith((*_SUFFIXES, ".md")):
            continue
        place = _place(uri)
        if place is None or place[0] != root or place[1] == ".":
            continue
        try:
            saved = read_regular(str(root / place[1]))[0]
        except OSError:  # not a regular file on disk: not part of the tree
            continue
        if saved != doc.source.encode("utf-8"):
            found[place[1]] = doc.source
    return found


def diagnostic(f: Finding) -> types.Diagnostic:
    start = types.Position(line=f.line - 1, character=f.column - 1)
    return types.Diagnostic(
        range=types.Range(start=start, end=types.Position(line=f.line, character=0)),
        message=f.message,
        severity=types.DiagnosticSeverity.Warning,
        code=f.code,
        source=SOURCE,
        data={"names": list(f.names)},
    )


def lint_root(ls: SlicegenServer, root: Path, stat: bool = False) -> None:
    """Lint the workspace ``root`` (from its last state, with the watcher's reports unless
    ``stat``: then the tree is stat'ed, e.g. after a command wrote files) and publish."""
    pending = frozenset(ls.pending.pop(root, ()))
    previous = ls.states.get(root)
    since = _since(ls, root)
    polled = ls.polled.pop(root, (None, None))
    reported = None
    # a state taken before the watcher was registered may have missed a change
    if not stat and since is not None and previous is not None and previous.taken_ns >= since:
        reported = pending
    elif not stat and since is None and previous is not None and polled[0] is previous:
        # a change after the poll is found by the next lint's
        reported = None if polled[1] is None else polled[1] | pending
    try:
        # workers=1: no process is forked from the server, whose stdio reader thread holds the
        # stdin lock a forked child's start takes (the first lint of a tree of 200 files or
        # more hung for ever with a free core)
        options = LintOptions(
            overlay=_overlay(ls, root), previous=previous, disk_changes=reported, workers=1
        )
        result = run_lint(root, options)
    except SlicegenError as exc:  # a bad config: say so once (not at each change), publish nothing
        ls.states.pop(root, None)  # the reports it was told are gone with it
        if ls.told.get(root) != exc.message:
            ls.told[root] = exc.message
            ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=exc.message)
            )
        return
    ls.told.pop(root, None)
    if result.state is not None:
        _keep_state(ls, root, result.state)
        if not result.relinted:
            _soon(_keep_boundary_records, ls, root, result.state)
        if ls.own_watch and not any(root.is_relative_to(folder) for folder in ls.watched):
            _start(_watch_disk(ls, root))
    open_files = [Path(p) for p in map(to_fs_path, ls.workspace.text_documents) if p]
    by_uri: dict[str, list[types.Diagnostic]] = {  # an open file without findings is told so
        uri: [] for uri in ls.workspace.text_documents if (_root_of(uri) or Path()) == root
    }
    for f in result.findings:
        for target in _files_of(result.root / f.path, open_files):
            uri = from_fs_path(str(target))
            if uri:
                by_uri.setdefault(uri, []).append(diagnostic(f))
    before = ls.published.get(root, {})
    for uri in set(before) - set(by_uri):
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )
    for uri, diagnostics in by_uri.items():
        if before.get(uri) != diagnostics or uri not in before:  # what changed, and new files
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
            )
    _keep_published(ls, root, by_uri)


#: Seconds a command a code action runs may take before it is stopped.
COMMAND_SECONDS = 300
#: The most workspaces whose last lint the server keeps (each holds a workspace's whole lint
#: state: tens of MB on a large tree): an editor moving through many folders would otherwise
#: make it keep one for every folder it ever opened a file in.
MAX_STATES = 4
#: The most workspaces whose published diagnostics the server keeps (to clear a fixed file's,
#: to answer hover): a workspace's can be thousands of files' worth.
MAX_PUBLISHED = 16


def _keep_state(ls: SlicegenServer, root: Path, state: LintState) -> None:
    """Keep ``state`` as ``root``'s last lint, dropping the least recently linted workspace's
    beyond :data:`MAX_STATES` (its next lint is a full run)."""
    ls.states.pop(root, None)
    ls.states[root] = state
    while len(ls.states) > MAX_STATES:
        oldest = next(iter(ls.states))
        del ls.states[oldest]
        ls.polled.pop(oldest, None)  # its poll holds that state too


def _keep_published(ls: SlicegenServer, root: Path, by_uri: PublishedDiagnostics) -> None:
    """Keep what was published for ``root``; beyond :data:`MAX_PUBLISHED` workspaces, the least
    recently linted one's diagnostics are cleared in the editor and forgotten (its next lint
    publishes them again)."""
    ls.published.pop(root, None)
    ls.published[root] = by_uri
    while len(ls.published) > MAX_PUBLISHED:
        oldest = next(iter(ls.published))
        for uri in ls.published.pop(oldest):
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )
        ls.told.pop(oldest, None)


def _soon(call: Callable[..., None], *args: Any) -> None:
    """Call ``call(*args)`` once the server is idle for :data:`SETTLE` seconds (never, outside
    the server's event loop)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    loop.call_later(SETTLE, call, *args)


def _keep_boundary_records(ls: SlicegenServer, root: Path, state: LintState) -> None:
    """After a full run, while no lint came since: make the boundary check's per-file records
    it did not keep, so that the first change is re-linted as fast as the next ones."""
    if ls.states.get(root) is state:
        ls.states[root] = with_boundary_records(state)


def _files_of(path: Path, open_files: list[Path]) -> list[Path]:
    """Where a finding is shown: its file; for a folder's (a slice, a domain), the open files
    in it, else its first source file."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    inside = [p for p in open_files if p.is_relative_to(path)]
    if inside:
        return inside
    first = sorted(p for p in path.iterdir() if p.suffix in _SUFFIXES and p.is_file())
    return first[:1]


def _start(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` in the server's event loop (never, outside it)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        work.close()
        return
    _tasks.add(task := loop.create_task(work))
    task.add_done_callback(_tasks.discard)


_tasks: set[asyncio.Task[None]] = set()  # running tasks (the loop keeps only weak references)


def _since(ls: SlicegenServer, root: Path) -> int | None:
    """When the watcher reporting ``root``'s changes (the client's or the server's) was ready
    (None: nothing watches it yet)."""
    return _own_since(ls, root) if ls.own_watch else ls.watching_since


def _poll(ls: SlicegenServer, root: Path) -> None:
    """Where nothing watches ``root``: stat its tree against its last state, once per state,
    for the next lint (the wait for a burst to settle is idle time, the answer then isn't)."""
    state = ls.states.get(root)
    if state is None or _since(ls, root) is not None or ls.polled.get(root, (None,))[0] is state:
        return
    ls.polled[root] = (state, poll(root, state))


def _own_since(ls: SlicegenServer, root: Path) -> int | None:
    """When the server's own watcher of a folder holding ``root`` was ready (None: none is)."""
    ready = [ls.watched[folder] for folder in ls.watched if root.is_relative_to(folder)]
    return min((t for t in ready if t is not None), default=None)


async def _watch_disk(ls: SlicegenServer, root: Path) -> None:
    """Watch the folder ``root`` as a client's file watcher would, reporting changes as it
    does; when the platform cannot (no notifications, the watch limit reached) or the folder
    holds a symlink to a folder outside it, the trees in it are stat'ed."""
    from watchfiles import awatch

    from slicegen.lint.watch import outward_link, relevant

    ls.watched[root] = None
    if await asyncio.to_thread(outward_link, root):  # the watcher would follow it: stat instead
        return
    try:
        async for batch in awatch(
            root,
            watch_filter=lambda _change, path: relevant(path),
            debounce=50,
            rust_timeout=WATCH_TIMEOUT_MS,
            yield_on_timeout=True,  # the first (empty) batch says the watcher is ready
        ):
            if ls.watched.get(root) is None:
                ls.watched[root] = time.time_ns()  # states taken from now on miss no change
            if batch:
                _start(_changed(ls, [path for _, path in batch]))
    except Exception:  # no watcher here: each re-lint stats the tree
        ls.watched[root] = None


@server.feature(types.INITIALIZED)
async def initialized(ls: SlicegenServer, params: types.InitializedParams) -> None:
    """Ask the client to report file changes, when it can (else the server watches)."""
    workspace = ls.client_capabilities.workspace
    watch = workspace.did_change_watched_files if workspace is not None else None
    if watch is None or not watch.dynamic_registration:
        _watch_folders(ls)
        return
    watchers = [types.FileSystemWatcher(glob_pattern=glob, kind=kind) for glob, kind in WATCHED]
    registration = types.Registration(
        id="slicegen-watched-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
    )
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception:  # refused: the server watches
        _watch_folders(ls)
        return
    ls.watching_since = time.time_ns()


def _watch_folders(ls: SlicegenServer) -> None:
    """The client cannot watch files: watch its workspace folders from now on, as early as a
    client's watcher would be (a lint begun before the watcher was ready is followed by one
    that stats the tree)."""
    ls.own_watch = True
    workspace = ls.workspace
    paths = [to_fs_path(f.uri) for f in workspace.folders.values()] or [workspace.root_path]
    for path in paths:
        if path and Path(path).is_dir():
            _start(_watch_disk(ls, Path(path).resolve()))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def did_change_watched_files(
    ls: SlicegenServer, params: types.DidChangeWatchedFilesParams
) -> None:
    """Note the reported paths in each linted workspace holding them; lint those once the
    reports stop coming (as for typing)."""
    await _changed(ls, [path for change in params.changes if (path := to_fs_path(change.uri))])


async def _changed(ls: SlicegenServer, paths: list[str]) -> None:
    """Note the changed ``paths`` in each linted workspace holding them; lint those once the
    reports stop coming."""
    touched: set[Path] = set()
    folders: dict[str, Path] = {}  # each folder resolved once: a checkout reports thousands
    for path in paths:
        if "\0" in path:  # a percent-encoded NUL names no file
            continue
        parent, _, name = path.rpartition(os.sep)
        folder = folders.get(parent)
        if folder is None:
            folder = folders[parent] = Path(parent or os.sep).resolve()
        full = folder / name  # a symlink named is not followed
        for root in ls.states:
            if full.is_relative_to(root) and full != root:
                ls.pending.setdefault(root, set()).add(full.relative_to(root).as_posix())
                touched.add(root)
    await _settled(ls, touched)


async def _settled(ls: SlicegenServer, roots: set[Path]) -> None:
    """Lint each of ``roots`` once no newer event for it came in :data:`SETTLE` seconds: typing
    sends a change per key, an editor restoring a session opens hundreds of files, a checkout
    reports thousands; each burst is one lint of each workspace, of its last state (a lint per
    event took time in the square of the open files)."""
    marks = {root: ls.waits.get(root, 0) + 1 for root in roots}
    ls.waits.update(marks)
    start = time.monotonic()
    for root in roots:
        _poll(ls, root)
    await asyncio.sleep(max(0.0, SETTLE - (time.monotonic() - start)))
    for root, mine in marks.items():
        if ls.waits.get(root) == mine:
            lint_root(ls, root)


async def _lint_soon(ls: SlicegenServer, uri: str) -> None:
    root = _root_of(uri)
    if root is not None:
        await _settled(ls, {root})


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: SlicegenServer, params: types.DidOpenTextDocumentParams) -> None:
    await _lint_soon(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: SlicegenServer, params: types.DidChangeTextDocumentParams) -> None:
    await _lint_soon(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: SlicegenServer, params: types.DidSaveTextDocumentParams) -> None:
    """A saved source file is read again, whether or not a watcher has reported it yet; after
    another file is saved (a storming document, the config), no earlier poll is trusted."""
    place = _place(params.text_document.uri)
    if place is not None:
        if place[1].endswith(_SUFFIXES):
            ls.pending.setdefault(place[0], set()).add(place[1])
        else:
            ls.polled.pop(place[0], None)
        lint_root(ls, place[0])


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: SlicegenServer, params: types.DidCloseTextDocumentParams) -> None:
    """The closed buffer's unsaved text no longer counts: lint what is on disk."""
    await _lint_soon(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: SlicegenServer, params: types.HoverParams) -> types.Hover | None:
    """The explanation of each rule with a finding on the hovered line."""
    line = params.position.line
    root = _root_of(params.text_document.uri)
    published = ls.published.get(root, {}) if root is not None else {}
    codes = sorted(
        {
            str(d.code)
            for d in published.get(params.text_document.uri, [])
            if d.range.start.line <= line < d.range.end.line
        }
    )
    if not codes:
        return None
    text = "\n\n---\n\n".join(rule_text(code) for code in codes)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: SlicegenServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    root = _root_of(params.text_document.uri)
    if root is None:
        return []
    actions = []
    for d in params.context.diagnostics:
        if d.source != SOURCE:
            continue
        for title, command, args in fixes_for(str(d.code), d.message, _names(d)):
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[d],
                    command=types.Command(
                        title=title, command=command, arguments=[str(root), *args]
                    ),
                )
            )
    return actions


def _names(d: types.Diagnostic) -> list[str]:
    data = d.data if isinstance(d.data, dict) else {}
    return [str(n) for n in data.get("names", [])]


#: A projection the storming document's last session recorded and the code no longer has, as
#: SG602 lists it (:func:`slicegen.storm.summary.describe_changes`).
_REMOVED_PROJECTION = re.compile(r"Removed projection `(\w+)` \(v\d+\) in `(\w+)`")
#: SG101's suggested business names ("... e.g. 'account_closed', 'account_archived'").
_SUGGESTED = re.compile(r"'([a-z][a-z0-9_]*)'")


def fixes_for(code: str, message: str, names: list[str]) -> list[tuple[str, str, list[str]]]:
    """(title, command, arguments) of each fix for a finding (none for most rules)."""
    if code == "SG205" and len(names) == 2:
        marker = "(slicegen add-version "
        if marker in message:
            domain, slice_name = message.split(marker, 1)[1].rstrip(")").split()[:2]
            return [
                (
                    f"Move the change into a new version of '{slice_name}' with an upcaster, "
                    f"restoring the stored one (slicegen add-version {domain} {slice_name})"
                    if "changed its stored shape" in message
                    else f"Add a new version of '{slice_name}' with an upcaster "
                    f"(slicegen add-version {domain} {slice_name})",
                    RUN,
                    ["add-version", domain, slice_name],
                )
            ]
    if code == "SG302" and names:
        return [
            (
                f"Add the missing parts of slice '{names[0]}' (slicegen add-slice)",
                ADD_MISSING,
                names[:1],
            )
        ]
    if code == "SG101" and names and message.startswith("event '") and "e.g. " in message:
        ideas = _SUGGESTED.findall(message.rsplit("e.g. ", 1)[1])
        return [
            (
                f"Rename event '{names[0]}' to '{new}' (slicegen rename-event)",
                RENAME_EVENT,
                [names[0], new],
            )
            for new in ideas
        ]
    if code in ("SG601", "SG602") and names:
        fixes = [
            (
                f"Add projection '{slice_name}' -> '{read_model}' again "
                f"(slicegen add-projection {names[0]} {slice_name} {read_model})",
                RUN,
                ["add-projection", names[0], slice_name, read_model],
            )
            for read_model, slice_name in dict.fromkeys(_REMOVED_PROJECTION.findall(message))
        ]
        return [
            *fixes,
            (
                f"Write the storming document of '{names[0]}' (slicegen storm)",
                RUN,
                ["storm", names[0]],
            ),
        ]
    return []


@server.command(RUN)
def run_command(ls: SlicegenServer, root: str, *args: str) -> dict[str, Any]:
    """Run one of the :data:`RUNNABLE` slicegen commands in the workspace ``root``; the
    arguments after the command are names (``--`` before them)."""
    return _run(ls, root, *args[:1], "--", *args[1:])


def _run(ls: SlicegenServer, root: str, *args: str) -> dict[str, Any]:
    """``slicegen -q ARGS`` in ``root``: ARGS is a :data:`RUNNABLE` command, its options, then
    ``--`` and its names, which come from the tree (a folder named ``-C..`` is a name, not an
    option that would run the command in another folder)."""
    if not args or args[0] not in RUNNABLE or "--" not in args:
        return _tell(ls, False, f"slicegen lsp runs only {', '.join(RUNNABLE)}, not {args[:1]}")
    if not Path(root).is_dir():
        return _tell(ls, False, f"{root} is not a folder: give the workspace root")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "slicegen", "-q", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=COMMAND_SECONDS,
            preexec_fn=tied_to_us(),  # a server ended (or killed) leaves no command running
        )
        ok = done.returncode == 0
        text = (done.stdout + done.stderr).strip() or f"slicegen {' '.join(args)}: done"
    except subprocess.TimeoutExpired:  # killed: the next command recovers its change set
        ok = False
        text = (
            f"slicegen {' '.join(args)} took over {COMMAND_SECONDS} s and was stopped: "
            "run it in a terminal to see what it waits for"
        )
    lint_root(ls, Path(root), stat=True)  # the watcher's reports of its writes come later
    return _tell(ls, ok, text)


@server.command(ADD_MISSING)
def add_missing(ls: SlicegenServer, root: str, slice_name: str) -> dict[str, Any]:
    """``add-slice`` again for a slice, with its event and the fields its code has: only the
    missing files are written (an edited file is a conflict, and then nothing is)."""
    try:
        args = add_slice_args(Path(root), slice_name)
    except SlicegenError as exc:
        return _tell(ls, False, exc.message)
    if args is None:
        return _tell(ls, False, f"slice '{slice_name}' is not in the design of the code")
    return _run(ls, root, *args)


def add_slice_args(root: Path, slice_name: str) -> list[str] | None:
    """The ``add-slice`` arguments that regenerate ``slice_name`` as its code describes it."""
    from slicegen.storm.command import workspace_design
    from slicegen.workspace import find_workspace

    design, _ = workspace_design(find_workspace(root))
    for domain, d in design.domains.items():
        s = d.slices.get(slice_name)
        if s is not None:
            fields = [arg for spec in s.versions[0].fields for arg in ("-f", spec)]
            read_models = [arg for p in s.projections for arg in ("-p", p.read_model)]
            event = ["--event", s.event] if s.event else []
            return ["add-slice", *event, *fields, *read_models, "--", domain, slice_name]
    return None


@server.command(RENAME_EVENT)
def rename_event(ls: SlicegenServer, root: str, event: str, new: str) -> dict[str, Any]:
    """``rename-event`` in the domain one of whose slices emits ``event``."""
    try:
        domain = _domain_emitting(Path(root), event)
    except SlicegenError as exc:
        return _tell(ls, False, exc.message)
    if domain is None:
        return _tell(
            ls,
            False,
            f"no slice emits event '{event}' in the design of the code: rename it by hand",
        )
    return run_command(ls, root, "rename-event", domain, event, new)


def _domain_emitting(root: Path, event: str) -> str | None:
    from slicegen.storm.command import workspace_design
    from slicegen.workspace import find_workspace

    design, _ = workspace_design(find_workspace(root))
    for domain, d in design.domains.items():
        if any(s.event == event for s in d.slices.values()):
            return domain
    return None


def _tell(ls: SlicegenServer, ok: bool, text: str) -> dict[str, Any]:
    kind = types.MessageType.Info if ok else types.MessageType.Error
    ls.window_show_message(types.ShowMessageParams(type=kind, message=text))
    return {"ok": ok, "output": text}


def main() -> None:
    """Serve over stdin/stdout until the client exits (or soon after ``exit``, however busy)."""
    from typing import BinaryIO, cast

    from slicegen.lsp_input import ReadAhead

    server.start_io(stdin=cast(BinaryIO, ReadAhead(sys.stdin.fileno())))
