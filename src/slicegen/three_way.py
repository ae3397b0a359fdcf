"""A line-based three-way merge (diff3) on :mod:`difflib`, with git's conflict markers.

The two sides are each compared with the base; where the base is matched on both sides the text
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


def _sync_regions(base: list[str], ours: list[str], theirs: list[str]) -> list[tuple[int, ...]]:
    """Runs of base lines matched on both sides: (base, ours, theirs start, length), then an end."""
    a = SequenceMatcher(None, base, ours, autojunk=False).get_matching_blocks()
    b = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
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
