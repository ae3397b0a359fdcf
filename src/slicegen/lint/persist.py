"""A fresh ``slicegen lint`` after an edit no rule can see: read the edited files, not the tree.

The replay (:mod:`slicegen.lint.fast`) stores a run's output with each walked file's stats.
When a few files' stats changed (and no folder, config file, storming document or lock did),
:func:`answer` judges those files as :func:`slicegen.lint.delta.relint` does in the language
server, from what :func:`keep` left beside the output (in the same signed record):

- the files whose per-file cache entry holds no record the run judged, and per file the kinds
  of artifacts it defines; with the domains standing alone, they tell whether an edit of the
  file can go unseen (:func:`can_go_unseen`: :func:`slicegen.lint.delta.unseen_place`, a Python
  file in a domain standing alone, not in the domain's root folder, and
  :func:`slicegen.lint.delta.record_tells`, no artifact the rules read more of than its
  record, e.g. an event whose shapes the record keeps, no policy), judged for the edited
  files only;
- the signature of each per-file cache shard (:mod:`slicegen.lint.cache`) as the run left it:
  an edited file's entry is read from its shard only while the shard is that very content (a
  later run that rewrote the shard means a full run);
- with the boundary rules on, the domains they judge with; a file's boundary record as the run
  judged it is the boundary check's own cache entry for the stats the run read it at
  (:func:`slicegen.boundaries.collect.known_record`, only that entry decoded).

A changed file whose bytes still have the entry's digest (touched, saved back as it was) is no
edit. Any other is read with the read mode of its entry and parsed; when its record and its
boundary record are the ones the run judged (and it holds no type-string reference), no rule
can see the edit and the stored output is the one a full run prints. The changed files' new
stats are then kept (unless taken within :data:`slicegen.lint.fast.RACY_NS`), so the next run
replays without reading them. Anything else (a record changed, a file without an entry, a
damaged or foreign cache file) means the normal run; when every edited file's boundary record
is still the one the run judged (an event's field edited), :func:`answer` also
gives the SG5xx violations that run found (kept by :func:`keep`), which the normal run takes
instead of checking every file's imports again (:func:`slicegen.lint.fast.walked`).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slicegen import signed_pickle
from slicegen.constants import CACHE_DIR
from slicegen.lint.cache import SHARDS, LintCache, decode_shard, shard_of
from slicegen.lint.fast import RACY_NS, Record, Side, Stamps, TreeProbe, load_record
from slicegen.model.load import Entry, read_one
from slicegen.model.workspace import FileInfo
from slicegen.safe_files import own_folder, read_regular

if TYPE_CHECKING:
    from slicegen.boundaries.collect import Records
    from slicegen.lint.delta import LintState
    from slicegen.model.domains import DomainMap


#: The kinds of artifacts a file defines, as the bits :func:`keep` keeps of each file: what
#: :func:`slicegen.lint.delta.record_tells` tells apart (any other kind: :data:`OTHER`).
KIND_BITS = {"policy": 1, "command": 2, "event": 4}
OTHER = 8


def keep(state: LintState, probe: TreeProbe, name: str) -> Side | None:
    """What :func:`answer` needs to judge later edits of the files ``probe`` lists against
    the run that left ``state``; None when nothing can be kept. A file is judged only when
    it is edited (:func:`can_go_unseen`): here each file costs two lookups, not a judgement."""
    cache = state.memo.get("lint_cache")
    if probe.key is None or state.overlay or not isinstance(cache, LintCache):
        return None
    paths, entries = probe.key[1], cache.entries()
    bits: dict[str, int] = {}
    for a in state.model.artifacts:
        bits[a.path] = bits.get(a.path, 0) | KIND_BITS.get(a.kind, OTHER)
    kinds = bytes([bits.get(rel, 0) for rel in paths])
    found = zip(map(state.model.files.get, paths), map(entries.get, paths), strict=True)
    unjudged = [  # no entry holding the record the rules judged
        i
        for i, (info, entry) in enumerate(found)
        if entry is None or (entry.info is not info and (info is None or entry.info != info))
    ]
    signatures = [signed_pickle.signature_of(cache.shard_path(i)) for i in range(SHARDS)]
    judging = (kinds, unjudged, sorted(state.roots))
    return probe.settings, judging, signatures, _boundary_settings(state)


def can_go_unseen(rel: str, info: FileInfo, kinds: int, roots: frozenset[str]) -> bool:
    """Whether an edit of ``rel`` (defining artifacts of the ``kinds`` bits) that leaves its
    record ``info`` as the run judged it goes unseen (:func:`slicegen.lint.delta.unseen_place`,
    :func:`slicegen.lint.delta.record_tells`)."""
    from slicegen.lint.delta import record_tells, unseen_place

    names = {kind for kind, bit in KIND_BITS.items() if kinds & bit}
    if kinds & OTHER:
        names.add("")
    return unseen_place(rel, info, roots) and record_tells(info, names)


def kept(probe: TreeProbe, name: str) -> Side | None:
    """The side of the output stored for the same files with the same stats and settings (a
    run answered from the last findings keeps no model to make one from)."""
    with contextlib.suppress(OSError, ValueError, TypeError, EOFError):
        stored, key = load_record(probe.root, name), probe.key
        if stored is None or key is None or stored[5] != key[1] or stored[8] != key[4]:
            return None
        side = stored[12]
        return side if side is not None and side[0] == probe.settings else None
    return None


def _boundary_settings(state: LintState) -> tuple[bytes, bool, bool, bytes, Stamps] | None:
    """With the boundary rules on, what they judge with: the domains (pickled), whether every
    source file counts, whether every file is relevant (layers), what they found (the
    violations, pickled; b"" when the run kept none) and the files whose records it took from
    the run before (:data:`slicegen.lint.fast.Stamps`); None with them off."""
    if not any(code.startswith("SG5") for code in state.enabled):
        return None
    from dataclasses import replace

    records: Records | None = state.boundary_records
    if records is not None:
        domains, everywhere = records.domains, records.everywhere
        layers = records.relevance.everything
    else:  # the check ran in a worker: the same settings, worked out again
        from slicegen.boundaries.collect import judging
        from slicegen.lint.engine import boundary_config

        settings, _ = boundary_config(state.root, state.config, state.tree)
        domains, everywhere, relevance = judging(state.root, settings)
        layers = relevance.everything
    pickled = pickle.dumps(replace(domains), protocol=pickle.HIGHEST_PROTOCOL)
    found = state.boundaries
    violations = b"" if found is None else pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
    return pickled, everywhere, layers, violations, dict(state.boundary_stamps)


def answer(
    root: str, stored: Record, moved: list[int], name: str
) -> tuple[bool, tuple[bytes, Stamps] | None]:
    """Whether the stored output answers the tree after the edits of the files at ``moved``
    (positions in the stored file list; their new stats are kept when it does), and when it
    does not but every edited file's boundary record is the one the run judged, the SG5xx
    violations the run found (pickled) with the :data:`slicegen.lint.fast.Stamps` of the
    records the normal run then takes from it (:func:`slicegen.lint.fast.walked`) instead of
    checking the tree again."""
    side = stored[12]
    if side is None:
        return False, None
    files = stored[5]
    _, (kinds, unjudged, standing), signatures, sg5 = side
    if not set(moved).isdisjoint(unjudged):
        return False, None
    roots = frozenset(standing)
    stamps = dict(sg5[4]) if sg5 is not None else {}
    judge = _boundary_judge(root, sg5)
    started = time.time_ns()
    shards: dict[int, dict[str, Entry] | None] = {}
    fresh: dict[int, tuple[int, int]] = {}
    seen = False  # a rule may see an edit
    for i in moved:
        rel = files[i]
        index = shard_of(rel)
        if index not in shards:
            signature = signatures[index]
            path = LintCache(Path(root)).shard_path(index)
            payload = signed_pickle.load_signed(path, signature) if signature else None
            shards[index] = decode_shard(payload, index)
        entry = (shards[index] or {}).get(rel)
        if entry is None or not entry.digest:  # no content digest: it cannot tell an edit
            return False, None
        # the stats the boundary check's cache holds the record the run judged under
        judged_at = stamps[rel] = stamps.get(rel, (entry.size, entry.mtime_ns))
        same = _same_bytes(root, rel, entry.digest)  # touched, or saved back as it was
        if same is not None:
            fresh[i] = same
            continue
        read_at: tuple[int, int] | None = None  # (size, mtime) of a read the rules cannot see
        if can_go_unseen(rel, entry.info, kinds[i], roots):
            _, mtime, size, _, info, _ = read_one(root, rel, entry.mode, entry.words)
            if size >= 0 and info == entry.info:
                read_at = (size, mtime)
        if judge is not None and not judge(rel, judged_at, read_at):
            return False, None
        if read_at is None:
            seen = True
        else:
            fresh[i] = (read_at[1], read_at[0])
    if seen:
        settled = sg5 is not None and sg5[3] and all(_domains_stand(files[i]) for i in moved)
        return False, (sg5[3], stamps) if sg5 is not None and settled else None
    limit = started - RACY_NS
    kept = [v for i, (mtime, size) in fresh.items() if mtime <= limit for v in (i, mtime, size)]
    if kept:
        _restamp(root, stored, kept, name)
    return True, None


def _domains_stand(rel: str) -> bool:
    """Whether an edit of ``rel`` leaves the boundary check's domains as they were: a Python
    module, not a package's ``__init__.py`` (whose API can make its package a domain); the
    text of an Elixir root file (``use Boundary``) or ``mix.exs`` can change them too."""
    return rel.endswith(".py") and rel.rsplit("/", 1)[-1] != "__init__.py"


def _same_bytes(root: str, rel: str, digest: str) -> tuple[int, int] | None:
    """The (mtime, size) the file ``rel`` was read at if its bytes have ``digest``, else None."""
    try:
        data, info = read_regular(os.path.join(root, rel))
    except OSError:
        return None
    if hashlib.blake2b(data, digest_size=16).hexdigest() != digest:
        return None
    return info.st_mtime_ns, info.st_size


def _boundary_judge(root: str, sg5: tuple[bytes, bool, bool, bytes, Stamps] | None) -> Any:
    """A function telling whether a file's boundary record now (read at the given size and
    mtime, when given) is the one the run judged (the boundary cache's entry for the stats the
    run read it at); None with the boundary rules off."""
    if sg5 is None:
        return None
    from slicegen.boundaries.collect import known_record, redo_one
    from slicegen.boundaries.relevance import Relevance

    pickled, everywhere, layers, _, _ = sg5
    domains: DomainMap = pickle.loads(pickled)  # signed with the stored output
    relevance = Relevance(domains, layers=layers)
    base = Path(root)

    def same(rel: str, judged_at: tuple[int, int], read_at: tuple[int, int] | None) -> bool:
        judged, record, stat = redo_one(base, domains, everywhere, relevance, rel)
        if not judged:
            return True
        if record is None or (read_at is not None and stat != read_at):
            return False
        return known_record(base, rel, judged_at, domains, relevance) == record

    return same


def _restamp(root: str, stored: Record, kept: list[int], name: str) -> None:
    """Store the output again with the new stats of the edited files (position, mtime, size
    in turn); never fails the run."""
    stats = list(stored[8])
    for at in range(0, len(kept), 3):
        i, mtime, size = kept[at : at + 3]
        stats[2 * i : 2 * i + 2] = [mtime, size]
    record = (*stored[:8], stats, *stored[9:])
    folder = os.path.join(root, CACHE_DIR)
    with contextlib.suppress(OSError, ValueError):
        if own_folder(folder, create=False):
            signed_pickle.dump_signed(os.path.join(folder, name), marshal.dumps(record))
