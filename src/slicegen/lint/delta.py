"""Re-linting after an edit: the cost follows the edited files, the output stays a full run's.

A full lint run leaves a :class:`LintState` (the walk, the layout, every file's record, the
model, each rule's findings before suppressions). :func:`relint` answers a later run of the same
workspace and settings from it when that is safe, else returns None and the full run happens:

- safe: no folder changed (each kept folder's inode, mtime and ctime are as the walk took them, so
  the same paths would be walked), no ``.gitignore``, storming document or event lock changed,
  the config and the enabled rules are the same, and every source file that changed (its stats
  on disk, or its editor buffer) lies in one domain that no other domain nests in or around;
  a caller that keeps a file watcher (the language server) gives the paths it reported
  instead, and only those are looked at (:mod:`slicegen.lint.watched`);
- the changed files are read again; when no rule can see the change (:func:`_unseen`: the same
  record, no artifact, no text a rule reads) the findings stand, else the domain's part of the
  model is built from its files alone and put in place of its old part (artifacts keep the
  tree's path order);
- rules declaring ``SCOPE = Scope.DOMAIN`` (:class:`slicegen.lint.rule.Scope`) run on that
  domain's model only, and their findings on its files replace the old ones; every other rule
  runs again on the whole (patched) model; the SG5xx boundary check, which reads the files
  itself (an editor's buffers instead of theirs), keeps its per-file records: the changed
  files' are made again, and its findings stand while they are the same, else the kept records
  are checked again with the new ones (:func:`_boundaries`); a changed storming document's
  buffer means a full run;
- suppressions, per-file ignores and sorting are applied to the merged findings exactly as in a
  full run (:func:`finish`).

Stats taken within :data:`slicegen.lint.fast.RACY_NS` of the run that recorded them are not
trusted: such a file is read again, such a folder means a full run.
"""

from __future__ import annotations

import os
import time
from bisect import bisect_left
from collections.abc import Collection, Container, Iterable
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slicegen.lint import suppressions
from slicegen.lint.boundary_rules import RECORDS, violations_for
from slicegen.lint.fast import RACY_NS, stat_of
from slicegen.lint.finding import Finding
from slicegen.lint.rule import Rule, RuleContext, Scope, scope_of
from slicegen.lint.rules.parts import (
    EDITED,
    STORE,
    SealedFiles,
    root_of,
    sealed_parts,
    standalone_roots,
)
from slicegen.lint.selection import ignored_for
from slicegen.lint.watched import disk_changes
from slicegen.lint.words import Words
from slicegen.model.build import build_model
from slicegen.model.discovery import Layout, Tree
from slicegen.model.load import PARSE, Entry, Triggers, read_buffer, read_file, read_mode
from slicegen.model.reads import Reads
from slicegen.model.workspace import FileInfo, WorkspaceModel

if TYPE_CHECKING:
    from collections.abc import Mapping

    from slicegen.boundaries.collect import Records
    from slicegen.config import Config, LintConfig


@dataclass
class LintState:
    """What one run leaves for :func:`relint` (kept in memory by the language server)."""

    root: Path
    key: str  # the settings: config, enabled rules, options (not the tree)
    config: Config | None
    lint: LintConfig
    rules: list[Rule]
    enabled: set[str]
    reads: frozenset[Reads]
    parse_all: bool
    tree: Tree  # the full run's walk (its folder stats are the ones re-checked)
    layout: Layout
    docs: list[tuple[str, int, int]]  # storming documents' and the lock's stats
    disk: dict[str, tuple[int, int]]  # each source file's stats as last read or checked
    taken_ns: int  # when ``disk`` was last checked (for the racy window)
    overlay: dict[str, str]  # the editor buffers the records were read from
    model: WorkspaceModel
    raw: dict[str, list[Finding]]  # per rule code, before suppressions
    findings: list[Finding]  # the finished findings of the whole workspace
    memo: dict[str, Any] = field(default_factory=dict)  # what the rule context starts with
    words: Words = field(default_factory=Words)
    boundaries: list[Any] | None = None  # the SG5xx check's violations
    boundary_records: Records | None = None  # the per-file records they were judged from
    #: domain roots an edit may be re-linted in alone (see :func:`delta_roots`)
    roots: frozenset[str] = frozenset()
    #: files whose boundary record the run took from the run before (a replay's hand-on), with
    #: the stats the boundary check's cache holds it under (:data:`slicegen.lint.fast.Stamps`)
    boundary_stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: the records of the files holding suppression comments (all :func:`finish` reads)
    suppressed: dict[str, FileInfo] = field(default_factory=dict)


class BufferStore:
    """The lint cache as rules see it when some records come from editor buffers: those files
    get no content key, so the rules' memos (SG205, SG602) neither answer nor learn from them
    (the cache's key is the file on disk's)."""

    def __init__(self, store: Any, buffers: Container[str]) -> None:
        self.store, self.buffers = store, buffers

    def file_keys(self, paths: list[str]) -> list[Any]:
        keys = self.store.file_keys(paths)
        return [None if p in self.buffers else k for p, k in zip(paths, keys, strict=True)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def rules_store(store: Any, overlay: dict[str, str]) -> Any:
    """What rules get as ``ctx.memo["lint_cache"]``: the cache, unkeyed for buffered files."""
    return BufferStore(store, set(overlay)) if store is not None and overlay else store


def delta_roots(layout: Layout) -> frozenset[str]:
    """Domains whose files can be modelled alone (see :func:`standalone_roots`)."""
    return standalone_roots(layout.domains, layout.facts_dir)


def sealed(state: LintState, root: str) -> LintState:
    """``state`` holding the records of the files of the domain at ``root`` (one of
    ``state.roots``) and of the files in no domain standing alone, and no other (see
    :class:`slicegen.lint.rules.parts.SealedFiles`): what a re-lint of an edit in that domain
    needs, and what a fresh process restores; a re-lint that reads another record raises
    :class:`slicegen.lint.rules.parts.WholeTreeRead`."""
    files, roots = state.model.files, state.roots
    held = {p: i for p, i in files.items() if root_of(p, roots) in (None, root)}
    sources = frozenset(files)
    model = replace(state.model, files=SealedFiles(held, sources))
    memo = {**state.memo, STORE: sealed_parts(state.memo.get(STORE, {}), root, sources)}
    return replace(state, model=model, memo=memo)


def suppressed_in(files: Iterable[FileInfo]) -> dict[str, FileInfo]:
    """The records of the files among ``files`` that hold suppression comments."""
    return {info.path: info for info in files if info.suppressions}


def finish(
    raw: dict[str, list[Finding]],
    files: dict[str, FileInfo],
    enabled: set[str],
    lint: LintConfig,
    names: dict[str, str],
) -> list[Finding]:
    """The findings a run reports, from each rule's: suppressions, per-file ignores, sorted
    (``files``: the records of the files holding suppressions, at least; see
    :func:`suppressed_in`)."""
    found = [f for code in raw for f in raw[code]]
    done = [
        f if f.name else f.named(names.get(f.code, ""))
        for f in suppressions.apply(found, files, enabled, set(names), lint.suppression_reason)
    ]
    if lint.per_file_ignores:
        done = [
            f
            for f in done
            if not any(f.code.startswith(c) for c in ignored_for(f.path, lint.per_file_ignores))
        ]
    return sorted(set(done))


def relint(
    state: LintState,
    root: Path,
    key: str,
    overlay: dict[str, str],
    names: dict[str, str],
    notified: Collection[str] | None = None,
) -> LintState | None:
    """The state after the edits since ``state`` was made; None when only a full run is safe.

    ``notified``: the paths a file watcher reported changed on disk since then (see
    :mod:`slicegen.lint.watched`), looked at instead of every file and folder of the tree."""
    if state.root != root or state.key != key:
        return None
    if notified is not None:  # nothing is stat'ed but the reported paths
        found = disk_changes(root, state, notified)
        taken = state.taken_ns  # the other files' stats were not checked
    else:
        taken = time.time_ns()
        found = _stat_changes(root, state)
    if found is None:
        return None
    disk, moved = found
    buffers = overlay  # source files and storming documents
    if _documents(buffers, state) != _documents(state.overlay, state):
        return None  # a storming document's buffer changed: the drift check reads it in full
    overlay, before = _sources(buffers, state), _sources(state.overlay, state)
    changed = {rel for rel in moved if rel not in overlay}
    typed = {r for r in overlay.keys() | before.keys() if overlay.get(r) != before.get(r)}
    changed |= typed
    prefix = ""
    if changed:
        owner = _owner(state, changed)
        if owner is None:
            return None
        prefix = owner + "/"
    files = _copy(state.model.files)
    store = state.memo.get("lint_cache")
    for rel in sorted(changed):
        if rel in overlay:
            files[rel] = read_buffer(rel, overlay[rel].encode("utf-8"))
            continue
        entry = _read(state, rel)
        files[rel] = entry.info
        disk[rel] = (entry.mtime_ns, entry.size)
        if store is not None and entry.size >= 0:  # as a full run's read: the memos key on it
            store.put(rel, entry)
    edited = moved | typed
    if all(_unseen(state, rel, files[rel]) for rel in changed):
        # the model and every text the rules read are as before
        changed, typed, files = set(), set(), state.model.files
    # the boundary check reads more of a file than its model record (a body's env variables,
    # tables): every edited file's records are compared, or checked in full when none are kept
    sg5 = _boundaries(state, edited, overlay)
    reused = sg5 is not None and sg5[0] is state.boundaries
    if not changed and (state.boundaries is None or reused):
        return replace(state, disk=disk, taken_ns=taken, overlay=buffers)
    model, sub = state.model, None
    if changed:
        sub = _domain_model(state, prefix, files)
        model = _patched(state.model, sub, prefix, files)
    memo = {
        **state.memo,
        "read_buffer": buffers.get,
        "buffers": overlay,  # the SG5xx check reads them too
        "lint_cache": rules_store(store, overlay),
    }
    whole = RuleContext(model, state.config, state.lint, state.words, dict(memo))
    if sub is not None:
        whole.memo[EDITED] = (prefix[:-1], sub)
    if sg5 is not None:
        whole.memo["boundaries"], whole.memo[RECORDS] = sg5
    raw = dict(state.raw)
    for rule in state.rules:
        if sub is not None and scope_of(rule) is Scope.DOMAIN:
            # a context of its own: what rules share in the memo is about the domain alone (and
            # the parts' answers, about the whole tree, are not theirs to change)
            alone = {k: v for k, v in memo.items() if k != STORE}
            ctx = RuleContext(sub, state.config, state.lint, state.words, alone)
            mine = [f.named(rule.NAME) for f in rule.check(ctx) if _under(f.path, prefix)]
            kept = [f for f in raw.get(rule.CODE, ()) if not _under(f.path, prefix)]
            raw[rule.CODE] = kept + mine
        elif changed or rule.CODE.startswith("SG5"):  # SG5xx: from the memo when kept
            raw[rule.CODE] = [f.named(rule.NAME) for f in rule.check(whole)]
    suppressed = dict(state.suppressed)
    for rel in changed:
        suppressed.pop(rel, None)
        suppressed.update(suppressed_in([files[rel]]))
    findings = finish(raw, suppressed, state.enabled, state.lint, names)
    return replace(
        state,
        suppressed=suppressed,
        disk=disk,
        taken_ns=taken,
        overlay=buffers,
        model=model,
        raw=raw,
        findings=findings,
        boundaries=whole.memo.get("boundaries", state.boundaries),
        boundary_records=whole.memo.get(RECORDS),
    )


def with_boundary_records(state: LintState) -> LintState:
    """``state`` with the SG5xx check's per-file records, when its run kept none (the check ran
    in a worker process: the first re-lint would check the whole tree again); as it was when
    the check finds otherwise than that run did (a file changed since)."""
    if state.boundaries is None or state.boundary_records is not None:
        return state
    memo = {k: v for k, v in state.memo.items() if k not in ("boundaries", RECORDS)}
    memo["buffers"] = state.overlay
    ctx = RuleContext(state.model, state.config, state.lint, state.words, memo)
    if violations_for(ctx) != state.boundaries:
        return state
    return replace(state, boundary_records=ctx.memo.get(RECORDS))


def _boundaries(
    state: LintState, seen: set[str], buffers: Mapping[str, str]
) -> tuple[list[Any], Records | None] | None:
    """The SG5xx findings and records after the edits of the files in ``seen``, with no full
    check: the stored ones while the records of those files (read again, from ``buffers`` or
    the disk, with the check's own code) are the ones they were judged from, else those files'
    findings judged again, or the kept records checked again (:meth:`Records.recheck`); None
    when only a full check will do."""
    records = state.boundary_records
    if state.boundaries is None or (seen and records is None):
        return None
    if not seen or records is None:
        return state.boundaries, records
    fresh = records.redo(seen, buffers)
    if all(records.files.get(rel) == record for rel, record in fresh.items()):
        return state.boundaries, records
    return records.recheck(state.boundaries, fresh)


def _copy(files: dict[str, FileInfo]) -> dict[str, FileInfo]:
    """A copy of the model's records, as sealed as they were."""
    if isinstance(files, SealedFiles):
        return SealedFiles(dict(dict.items(files)), files.sources)
    return dict(files)


def _sources(buffers: dict[str, str], state: LintState) -> dict[str, str]:
    """The buffers of source files the walk kept."""
    return {rel: text for rel, text in buffers.items() if rel in state.disk}


def _documents(buffers: dict[str, str], state: LintState) -> dict[str, str]:
    """The other buffers: storming documents, read by the drift check (SG602)."""
    return {rel: text for rel, text in buffers.items() if rel not in state.disk}


def _unseen(state: LintState, rel: str, info: FileInfo) -> bool:
    """Whether no rule can see the edit of ``rel`` (a comment, a function body, a line typed
    without moving any definition): its record is as before, so the model is, and no rule
    reads its text (:func:`unseen_place`, :func:`record_tells`). The SG5xx check compares the
    file's own records (see :func:`_boundaries`)."""
    if state.model.files.get(rel) != info or not unseen_place(rel, info, state.roots):
        return False
    return record_tells(info, {a.kind for a in state.model.artifacts if a.path == rel})


def record_tells(info: FileInfo, kinds: Collection[str]) -> bool:
    """Whether the rules read nothing of a Python file defining artifacts of ``kinds`` (none:
    a module) but its record ``info``, so that an edit keeping the record is unseen. Besides
    records, rules read the text of policies (SG406's map marks), of files with type-string
    references (mappers), of Elixir files (evidence), of a domain's top-level files (its API,
    router, state: the design model) and, when the record kept none, a command's docstring
    and fields (the design model, SG602) and an event's shapes (SG205)."""
    if not kinds:
        return True
    if "policy" in kinds or info.path.rsplit("/", 1)[-1] == "__init__.py":
        return False
    if "command" in kinds and (info.doc is None or info.class_fields is None):
        return False
    return "event" not in kinds or info.event_shapes is not None


def unseen_place(rel: str, info: FileInfo, roots: frozenset[str]) -> bool:
    """Whether an edit that leaves the record ``info`` of ``rel`` (no artifact) as it was can
    go unseen: a Python file with no type-string reference, inside a domain that stands alone
    (``roots``: see :func:`delta_roots`) but not in its root folder."""
    if not rel.endswith(".py"):
        return False
    for use in info.strings:  # a loop, not any(): called for every file of the tree
        if use.role == "ref":
            return False
    return rel.rpartition("/")[0] not in roots and root_of(rel, roots) is not None


def _under(path: str, prefix: str) -> bool:
    return path.startswith(prefix) or path == prefix[:-1]


def _stat_changes(
    root: Path, state: LintState
) -> tuple[dict[str, tuple[int, int]], set[str]] | None:
    """:func:`_disk_changes`, once the storming documents, the lock, the folders and the
    ``.gitignore`` files are found as they were (else None)."""
    if any(stat_of(path) != (path, mtime, size) for path, mtime, size in state.docs):
        return None
    if not _same_folders(root, state.tree):
        return None
    return _disk_changes(root, state)


def poll(root: Path, state: LintState) -> frozenset[str] | None:
    """What stat-ing the tree now finds changed since ``state`` was made, for a later
    :func:`relint` to take as ``notified`` (a poll where nothing watches the disk): the source
    files whose stats changed or are too recent to trust; None when a folder, ``.gitignore``,
    storming document or the lock changed (or cannot be told): then that re-lint stats the tree."""
    found = _stat_changes(root, state)
    return None if found is None else frozenset(found[1])


def _same_folders(root: Path, tree: Tree) -> bool:
    """Whether every folder and ``.gitignore`` the walk kept is as it was (same entries), and
    none was changed too close to the walk to tell."""
    limit = tree.started_ns - RACY_NS
    base = str(root)
    try:
        for rel, (ino, mtime, ctime) in tree.dir_stats.items():
            info = os.lstat(os.path.join(base, rel)) if rel else os.stat(base)
            if (info.st_ino, info.st_mtime_ns, info.st_ctime_ns) != (ino, mtime, ctime):
                return False
            if mtime > limit:
                return False
        for rel, (mtime, size) in tree.ignore_stats.items():
            info = os.lstat(os.path.join(base, rel))
            if (info.st_mtime_ns, info.st_size) != (mtime, size) or mtime > limit:
                return False
    except OSError:
        return False
    return True


def _disk_changes(
    root: Path, state: LintState
) -> tuple[dict[str, tuple[int, int]], set[str]] | None:
    """Each source file's stats now, and the files whose stats changed (or cannot be trusted:
    taken too close to the last check, or unreadable); None when one is gone."""
    limit = state.taken_ns - RACY_NS
    base = str(root) + os.sep
    disk = dict(state.disk)
    moved: set[str] = set()
    lstat = os.lstat
    try:
        for rel, old in state.disk.items():
            info = lstat(base + rel)
            now = (info.st_mtime_ns, info.st_size)
            if now != old or old[0] > limit or old[1] < 0:
                disk[rel] = now
                moved.add(rel)
    except OSError:
        return None
    return disk, moved


def _owner(state: LintState, changed: set[str]) -> str | None:
    """The root of the one domain holding every changed file, if it can be modelled alone
    (not after an edit of a domain's ``__init__.py`` when no app is configured: its API can be
    what makes the package a domain, see :func:`slicegen.model.domains.discover`)."""
    declared = state.config is not None and state.config.declares_domains
    inits = (rel for rel in changed if rel.endswith("/__init__.py"))
    if not declared and any(rel[: -len("/__init__.py")] in state.roots for rel in inits):
        return None
    found = {root_of(rel, state.roots) for rel in changed}
    return found.pop() if len(found) == 1 else None


def _read(state: LintState, rel: str) -> Entry:
    """A changed file's record as a full run reads it, with the stats and digest it was read at."""
    triggers = Triggers.of(state.reads, state.layout)
    mode, words = read_mode(rel, state.layout, triggers)
    if state.parse_all and state.reads:
        mode, words = PARSE, ()
    _, mtime, size, digest, info, _ = read_file(str(state.root), rel, mode, "", words)
    assert info is not None  # no digest was known, so it was read
    return Entry(mtime, size, digest, info, mode, words)


def _domain_model(state: LintState, prefix: str, files: dict[str, FileInfo]) -> WorkspaceModel:
    """The model of one domain's files (every domain is listed; only this one has parts)."""
    tree = state.tree
    root = prefix[:-1]
    at = bisect_left(tree.dirs, root)
    walked = at < len(tree.dirs) and tree.dirs[at] == root
    dirs = _within_prefix(tree.dirs, prefix)
    sub = Tree(
        root=tree.root,
        files=_within_prefix(tree.files, prefix),
        dirs=[root, *dirs] if walked else dirs,
    )
    mine = {p: files[p] for p in sub.files if p in files}
    return build_model(sub, state.layout, mine)


def _within_prefix(paths: list[str], prefix: str) -> list[str]:
    """The paths of the sorted list ``paths`` that start with ``prefix`` (which ends in '/'):
    they lie together, between ``prefix`` and the prefix with '/' raised to '0'."""
    return paths[bisect_left(paths, prefix) : bisect_left(paths, prefix[:-1] + "0")]


_PATH = attrgetter("path")


def _patched(
    model: WorkspaceModel, sub: WorkspaceModel, prefix: str, files: dict[str, FileInfo]
) -> WorkspaceModel:
    """``model`` with one domain's part (its slices, artifacts, technical folders) from ``sub``;
    the other domains' objects are shared, never changed."""
    domains = [
        fresh if fresh.root + "/" == prefix else old
        for old, fresh in zip(model.domains, sub.domains, strict=True)
    ]
    # the artifacts are in path order (see :func:`slicegen.model.build.build_model`)
    start = bisect_left(model.artifacts, prefix, key=_PATH)
    end = bisect_left(model.artifacts, prefix[:-1] + "0", key=_PATH)
    before, after = model.artifacts[:start], model.artifacts[end:]
    return WorkspaceModel(
        root=model.root,
        stack=model.stack,
        app=model.app,
        domains=domains,
        files=files,
        paths=model.paths,
        dirs=model.dirs,
        facts_dir=model.facts_dir,
        artifacts=before + sub.artifacts + after,
        storming_docs=model.storming_docs,
        python_modules=model.python_modules,
    )
