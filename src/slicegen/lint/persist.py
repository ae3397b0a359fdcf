"""A fresh ``slicegen lint`` after an edit no rule can see: read the edited files, not the tree.

The replay (:mod:`slicegen.lint.fast`) stores a run's output with each walked file's stats.
When a few files' stats changed (and no folder, config file, storming document or lock did),
:func:`answer` judges those files as :func:`slicegen.lint.delta.relint` does in the language
server, from what :func:`keep` left beside the output:

- which files an edit can go unseen in (:func:`slicegen.lint.delta.unseen_place`: Python
  files that are no artifact and not in a domain's root folder);
- the signature of each per-file cache shard (:mod:`slicegen.lint.cache`) as the run left it:
  an edited file's entry is read from its shard only while the shard is that very content, so
  its record is the one the run judged (a later run that rewrote the shard means a full run);
- with the boundary rules on, the domains they judge with and, in shards of their own (signed,
  named by their signatures in the stored output), each such file's boundary record.

Each edited file is read once with the read mode of its entry and parsed; when its record and
its boundary record are the ones the run judged, and it holds no type-string reference, no rule
can see the edit and the stored output is the one a full run prints. The edited files' new
stats are then kept (unless taken within :data:`slicegen.lint.fast.RACY_NS`), so the next run
replays without reading them. Anything else (a record changed, a file without an entry, a
damaged or foreign side file) returns False: the normal run happens.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slicegen import signed_pickle
from slicegen.constants import CACHE_DIR
from slicegen.lint.cache import SHARDS, LintCache, decode_shard, shard_of
from slicegen.lint.fast import RACY_NS, Record, Side, TreeProbe, load_record
from slicegen.model.load import read_one
from slicegen.safe_files import own_folder

if TYPE_CHECKING:
    from slicegen.boundaries.collect import Records
    from slicegen.boundaries.records import FileDependencies
    from slicegen.lint.delta import LintState
    from slicegen.model.domains import DomainMap


def boundary_shard(root: Path | str, name: str, index: int) -> Path:
    """A boundary shard's file (no selection's replay file has a dot inside its name)."""
    return Path(root) / CACHE_DIR / f"{name.removesuffix('.bin')}.sg5-{index:02d}.bin"


def keep(state: LintState, probe: TreeProbe, name: str) -> Side | None:
    """What :func:`answer` needs to judge later edits of the files ``probe`` lists against
    the run that left ``state``; None when nothing can be kept."""
    from slicegen.lint.delta import unseen_place

    cache = state.memo.get("lint_cache")
    if probe.key is None or state.overlay or not isinstance(cache, LintCache):
        return None
    files = probe.key[1]
    model_files = state.model.files
    judged = _judged(state)
    artifacts = {a.path for a in state.model.artifacts}
    flags = bytearray(len(files))
    records: dict[str, list[Any] | None] = {}
    for i, rel in enumerate(files):
        info = model_files.get(rel)
        entry = cache.get(rel)
        if info is None or entry is None or entry.info != info:
            continue
        if rel in artifacts or not unseen_place(rel, info, state.roots):
            continue
        if judged is not None:
            known, record = judged[1](rel)
            if not known:
                continue
            if record is not None:
                records[rel] = _encode(record)
        flags[i] = 1
    signatures = [signed_pickle.signature_of(cache.shard_path(i)) for i in range(SHARDS)]
    sg5 = None
    if judged is not None:
        domains, everywhere, layers = judged[0]
        sg5 = (
            pickle.dumps(domains, protocol=pickle.HIGHEST_PROTOCOL),
            everywhere,
            layers,
            _write_boundary_shards(state.root, name, records),
        )
    return probe.settings, bytes(flags), signatures, sg5


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


def _encode(record: FileDependencies) -> list[Any]:
    """A boundary record as plain lists (``marshal`` keeps no named tuple)."""
    from slicegen.boundaries.collect import encode

    path, stack, module, uses, data, error = encode(record)
    return [path, stack, module, [tuple(u) for u in uses], [tuple(d) for d in data], error]


def _judged(state: LintState) -> Any:
    """With the boundary rules on: ((domains, every file counts, layers), a function giving a
    file's (whether its record is known, its record or None when the check does not judge
    it)); None with them off."""
    if not any(code.startswith("SG5") for code in state.enabled):
        return None
    from dataclasses import replace

    from slicegen.boundaries.collect import in_domain, judging, known_records
    from slicegen.lint.engine import boundary_config

    records: Records | None = state.boundary_records
    if records is not None:
        domains, everywhere = records.domains, records.everywhere
        layers = records.relevance.everything
        by_path = records.files

        def lookup(rel: str) -> tuple[bool, Any]:
            if not in_domain(rel, domains, everywhere):
                return True, None
            record = by_path.get(rel)
            return record is not None, record
    else:  # the check ran in a worker: its per-file cache holds the records it judged
        settings, _ = boundary_config(state.root, state.config, state.tree)
        domains, everywhere, relevance = judging(state.root, settings)
        layers = relevance.everything
        stats, known = state.tree.stats, known_records(state.root, relevance)

        def lookup(rel: str) -> tuple[bool, Any]:
            if not in_domain(rel, domains, everywhere):
                return True, None
            record = known(rel, stats.get(rel))
            return record is not None, record

    return (replace(domains), everywhere, layers), lookup


def _write_boundary_shards(
    root: Path, name: str, records: dict[str, list[Any] | None]
) -> list[bytes | None]:
    members: list[dict[str, list[Any] | None]] = [{} for _ in range(SHARDS)]
    for rel, record in records.items():
        members[shard_of(rel)][rel] = record
    return [
        signed_pickle.dump_signed(boundary_shard(root, name, i), marshal.dumps(found))
        for i, found in enumerate(members)
    ]


def answer(root: str, stored: Record, moved: list[int], name: str) -> bool:
    """Whether the stored output answers the tree after the edits of the files at ``moved``
    (positions in the stored file list); keeps their new stats when it does."""
    side = stored[12]
    if side is None:
        return False
    files = stored[5]
    _, flags, signatures, sg5 = side
    if not all(flags[i] for i in moved):
        return False
    judge = _boundary_judge(root, name, sg5)
    started = time.time_ns()
    shards: dict[int, dict[str, Any] | None] = {}
    fresh: dict[int, tuple[int, int]] = {}
    for i in moved:
        rel = files[i]
        index = shard_of(rel)
        if index not in shards:
            path = LintCache(Path(root)).shard_path(index)
            payload = (
                signed_pickle.load_signed(path, signatures[index]) if signatures[index] else None
            )
            shards[index] = decode_shard(payload, index)
        entry = (shards[index] or {}).get(rel)
        if entry is None:
            return False
        _, mtime, size, _, info, _ = read_one(root, rel, entry.mode, entry.words)
        if size < 0 or info != entry.info:
            return False
        if judge is not None and not judge(rel, (size, mtime)):
            return False
        fresh[i] = (mtime, size)
    limit = started - RACY_NS
    kept = [v for i, (mtime, size) in fresh.items() if mtime <= limit for v in (i, mtime, size)]
    if kept:
        _restamp(root, stored, kept, name)
    return True


def _boundary_judge(root: str, name: str, sg5: Any) -> Any:
    """A function telling whether a file's boundary record is the one the run judged (read
    at the given (size, mtime)); None with the boundary rules off."""
    if sg5 is None:
        return None
    from slicegen.boundaries.collect import decode, redo_one
    from slicegen.boundaries.relevance import Relevance

    pickled, everywhere, layers, signatures = sg5
    domains: DomainMap = pickle.loads(pickled)  # signed with the stored output
    relevance = Relevance(domains, layers=layers)
    shards: dict[int, dict[str, Any]] = {}

    def same(rel: str, read_at: tuple[int, int]) -> bool:
        judged, record, stat = redo_one(Path(root), domains, everywhere, relevance, rel)
        if not judged:
            return True
        index = shard_of(rel)
        if index not in shards:
            signature = signatures[index]
            payload = signed_pickle.load_signed(boundary_shard(root, name, index), signature)
            shards[index] = marshal.loads(payload) if payload is not None and signature else {}
        old = shards[index].get(rel)
        if old is None or record is None or stat != read_at:
            return False
        return bool(decode(old) == record)

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
