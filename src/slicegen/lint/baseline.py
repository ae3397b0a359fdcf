"""The baseline: findings recorded to be tolerated, keyed by rule, path and names, never lines.

The file is JSON, sorted, one entry per key with a count, so it diffs cleanly and shrinks as
findings are fixed. As ArchTest's freeze does, rewriting an existing baseline only drops what was
fixed (:func:`shrunk`); new findings are added only when asked (``--grow``). Entries that no
longer match a finding are stale (:func:`stale`): the run says how many, and rewriting drops them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from slicegen.errors import SlicegenError
from slicegen.lint.finding import Finding
from slicegen.safe_files import linked_below, read_regular, write_atomic

VERSION = 1
Key = tuple[str, str, tuple[str, ...]]
Judged = Callable[[Key], bool]  # whether a run judged an entry's rule and path


def key(f: Finding) -> Key:
    return (f.code, f.path, f.names or (f.message,))


def check_place(path: Path, root: Path) -> None:
    """Refuse a baseline inside the workspace ``root`` behind a symlinked folder: the file
    itself is never followed, and neither is a folder a tree's author planted above it."""
    where = Path(os.path.abspath(path))
    if where.is_relative_to(root) and linked_below(root, where.parent):
        raise SlicegenError(
            f"baseline {path} is in a symlinked folder: slicegen reads and writes no file "
            "through a symlink; name a path without one"
        )


def read(path: Path) -> Counter[Key]:
    try:
        data = json.loads(read_regular(path)[0].decode("utf-8"))  # regular file, capped
        entries = data["findings"]
        counts: Counter[Key] = Counter()
        for e in entries:
            counts[(str(e["code"]), str(e["path"]), tuple(str(n) for n in e["names"]))] += int(
                e.get("count", 1)
            )
        return counts
    except FileNotFoundError:
        raise SlicegenError(
            f"baseline {path} does not exist: create it with --write-baseline {path}"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise SlicegenError(
            f"baseline {path} is not a slicegen baseline ({why}); remove it or name another file"
        ) from None


def new_findings(findings: list[Finding], baseline: Counter[Key]) -> list[Finding]:
    """Findings beyond what the baseline tolerates (in order; extra occurrences are new)."""
    left = Counter(baseline)
    out = []
    for f in sorted(findings):
        k = key(f)
        if left[k] > 0:
            left[k] -= 1
        else:
            out.append(f)
    return out


def stale(findings: list[Finding], baseline: Counter[Key], judged: Judged) -> Counter[Key]:
    """Baseline entries (and counts) that no finding matches any more, among those this run
    judged (its rules, its folder): entries of other rules or folders are not stale."""
    left = Counter({k: n for k, n in baseline.items() if judged(k)})
    left.subtract(Counter(key(f) for f in findings))
    return +left


def shrunk(findings: list[Finding], baseline: Counter[Key], judged: Judged) -> Counter[Key]:
    """The baseline without what was fixed: its entries this run did not judge, and of the
    judged ones only as many as the findings still match. Never grows."""
    current = Counter(key(f) for f in findings)
    return (
        Counter({k: n if not judged(k) else min(n, current[k]) for k, n in baseline.items()})
        + Counter()
    )


def counts(findings: list[Finding]) -> Counter[Key]:
    return Counter(key(f) for f in findings)


def render(counts: Counter[Key]) -> str:
    entries = [
        {"code": code, "path": path, "names": list(names), "count": n}
        for (code, path, names), n in sorted(counts.items())
    ]
    return json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n"


def write(path: Path, entries: Counter[Key]) -> None:
    """Replace ``path`` through a fresh temporary file (never a fixed name, which a planted
    symlink or FIFO could take: the write would go outside the tree, or block)."""
    try:
        write_atomic(path, render(entries).encode("utf-8"))
    except OSError as exc:
        raise SlicegenError(
            f"baseline {path} cannot be written ({exc.strerror or exc}); name another file"
        ) from None
