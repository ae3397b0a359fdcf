"""A line-based three-way merge (diff3), with git's conflict markers.

The two sides are each compared with the base by a shortest edit script (Myers' algorithm, as
git and diff3 do; :mod:`difflib`'s longest-block-first matching, which misaligns repeated lines,
only past :data:`MAX_EDITS`); where the base is matched on both sides the text
is stable, and between stable regions a side that left the base alone takes the other's change.
Where both sides changed the same base lines differently, the result holds both between
``<<<<<<<``, ``=======`` and ``>>>>>>>`` lines. (merge3 on PyPI does this too, but it is GPL-2.0,
which an MIT tool should not import.)
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Merged:
    """The merged text and how many conflicts it marks."""

    text: str
    conflicts: int


#: Beyond this many inserted and deleted lines, the sides are compared with :mod:`difflib`.
MAX_EDITS = 2000


@dataclass(frozen=True)
class _Block:
    a: int
    b: int
    size: int


def _matching_blocks(old: list[str], new: list[str]) -> list[_Block]:
    """Runs of equal lines of a shortest edit script from ``old`` to ``new``, then an empty end."""
    n, m = len(old), len(new)
    v = {1: 0}
    trace: list[dict[int, int]] = []
    for d in range(min(n + m, MAX_EDITS) + 1):
        trace.append(dict(v))
        for k in range(-d, d + 1, 2):
            x = v[k + 1] if k == -d or (k != d and v[k - 1] < v[k + 1]) else v[k - 1] + 1
            y = x - k
            while x < n and y < m and old[x] == new[y]:
                x, y = x + 1, y + 1
            v[k] = x
            if x >= n and y >= m:
                return _backtrack(trace, n, m)
    blocks = SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()
    return [_Block(*block) for block in blocks]


def _backtrack(trace: list[dict[int, int]], n: int, m: int) -> list[_Block]:
    """The equal lines along the path the edit script took to (``n``, ``m``), as blocks."""
    x, y = n, m
    pairs: list[tuple[int, int]] = []
    for d in range(len(trace) - 1, -1, -1):
        v, k = trace[d], x - y
        prev_k = k + 1 if k == -d or (k != d and v[k - 1] < v[k + 1]) else k - 1
        prev_x = v[prev_k]
        prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            x, y = x - 1, y - 1
            pairs.append((x, y))
        x, y = prev_x, prev_y
    blocks: list[_Block] = []
    for a, b in reversed(pairs):
        last = blocks[-1] if blocks else None
        if last and last.a + last.size == a and last.b + last.size == b:
            blocks[-1] = _Block(last.a, last.b, last.size + 1)
        else:
            blocks.append(_Block(a, b, 1))
    return [*blocks, _Block(n, m, 0)]


def _sync_regions(base: list[str], ours: list[str], theirs: list[str]) -> list[tuple[int, ...]]:
    """Runs of base lines matched on both sides: (base, ours, theirs start, length), then an end."""
    a = _matching_blocks(base, ours)
    b = _matching_blocks(base, theirs)
    regions: list[tuple[int, ...]] = []
    i = j = 0
    while i < len(a) - 1 and j < len(b) - 1:
        start = max(a[i].a, b[j].a)
        end = min(a[i].a + a[i].size, b[j].a + b[j].size)
        if start < end:
            regions.append((start, a[i].b + start - a[i].a, b[j].b + start - b[j].a, end - start))
        if a[i].a + a[i].size < b[j].a + b[j].size:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(ours), len(theirs), 0))
    return regions


def _terminated(lines: list[str]) -> list[str]:
    """``lines`` with a newline after the last one, so a marker line after them stands alone."""
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines


def merge(base: str, ours: str, theirs: str, ours_label: str, theirs_label: str) -> Merged:
    """Merge the changes from ``base`` to ``theirs`` into ``ours``."""
    old, mine, new = (t.splitlines(keepends=True) for t in (base, ours, theirs))
    out: list[str] = []
    conflicts = 0
    at_base = at_mine = at_new = 0
    for start, mine_start, new_start, size in _sync_regions(old, mine, new):
        was = old[at_base:start]
        mine_part, new_part = mine[at_mine:mine_start], new[at_new:new_start]
        if mine_part in (was, new_part):
            out += new_part
        elif new_part == was:
            out += mine_part
        else:
            conflicts += 1
            out += [f"<<<<<<< {ours_label}\n", *_terminated(mine_part), "=======\n"]
            out += [*_terminated(new_part), f">>>>>>> {theirs_label}\n"]
        out += old[start : start + size]
        at_base, at_mine, at_new = start + size, mine_start + size, new_start + size
    return Merged("".join(out), conflicts)
