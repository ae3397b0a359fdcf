"""Which rules run: ``select``/``extend-select`` minus ``ignore``, the most specific prefix wins."""

from __future__ import annotations

import re

from slicegen.errors import SlicegenError
from slicegen.lint.rule import Rule

_CODE_SHAPE = re.compile(r"SG\d{1,3}")

#: Rules whose premise is that the tree is laid out as slices: off with ``slice-layout = false``.
SLICE_RULES = frozenset({"SG202", "SG204", "SG301", "SG302", "SG305"})


def _check_known(prefixes: list[str], codes: list[str], where: str) -> None:
    for prefix in prefixes:
        if not any(code.startswith(prefix) for code in codes):
            raise SlicegenError(
                f"{where}: unknown rule code or prefix '{prefix}'; run 'slicegen rules' for the "
                "list"
            )


def enabled_codes(
    rules: list[Rule],
    select: list[str],
    extend_select: list[str],
    ignore: list[str],
    where: str = "lint settings",
) -> set[str]:
    """Codes switched on; an unknown code or prefix is a usage error. An opt-in rule (``OPT_IN``,
    such as SG102, which the guideline's own examples break) is on only when its full code is
    selected, never through a prefix."""
    codes = [r.CODE for r in rules]
    chosen = [p.strip().upper() for p in [*select, *extend_select] if p.strip()]
    dropped = [p.strip().upper() for p in ignore if p.strip()]
    _check_known(chosen, codes, where)
    # ignoring a code of a family that is not installed is harmless (SG5 without boundaries)
    _check_known([p for p in dropped if not _CODE_SHAPE.fullmatch(p)], codes, where)
    out = set()
    for code in codes:
        best_in = max((len(p) for p in chosen if code.startswith(p)), default=-1)
        best_out = max((len(p) for p in dropped if code.startswith(p)), default=-1)
        if best_in >= 0 and best_in > best_out:
            out.add(code)
    for rule in rules:
        if getattr(rule, "OPT_IN", False) and rule.CODE not in chosen:
            out.discard(rule.CODE)
    return out


def ignored_for(path: str, per_file: dict[str, list[str]]) -> tuple[str, ...]:
    """Codes and prefixes ignored for ``path`` by ``per-file-ignores``."""
    from slicegen.model.discovery import matches_any

    out: list[str] = []
    for pattern, codes in per_file.items():
        if matches_any([pattern], path):
            out.extend(c.strip().upper() for c in codes)
    return tuple(out)
