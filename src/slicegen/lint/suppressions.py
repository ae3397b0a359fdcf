"""Applying ``# slicegen: ignore[...]`` comments, and finding the unused ones (SG002) and
those without a reason (SG003, unless ``[lint] suppression-reason = false``).

Line comments apply to findings on their line; ``ignore-file`` comments to the whole file; a
comment without codes to every code. A finding on a folder (SG308) cannot carry a comment: use
``per-file-ignores`` or the baseline.
"""

from __future__ import annotations

from slicegen.lint.finding import Finding, finding
from slicegen.model.workspace import FileInfo, Suppression

UNUSED = "SG002"
NO_REASON = "SG003"


def _covers(s: Suppression, code: str) -> bool:
    return not s.codes or any(code.startswith(c) for c in s.codes)


def _enabled_or_unknown(code: str, enabled: set[str], known: set[str]) -> bool:
    """Report a code that names an enabled rule or no rule at all (not a disabled one)."""
    if any(e.startswith(code) or code.startswith(e) for e in enabled):
        return True
    return not any(k.startswith(code) for k in known)


def apply(
    findings: list[Finding],
    files: dict[str, FileInfo],
    enabled: set[str],
    known: set[str],
    reason_required: bool = True,
) -> list[Finding]:
    """Findings not suppressed, plus SG002 for unused suppressions and SG003 for suppressions
    without a reason, each when enabled."""
    used: set[tuple[str, int, int, str]] = set()
    kept: list[Finding] = []
    for f in findings:
        info = files.get(f.path)
        hit = None
        if info is not None and info.suppressions:
            for s in info.suppressions:
                if (s.file_level or s.line == f.line) and _covers(s, f.code):
                    hit = s
                    break
        if hit is None:
            kept.append(f)
            continue
        matched = [c for c in hit.codes if f.code.startswith(c)] or ["*"]
        used.add((f.path, hit.line, hit.col, matched[0]))
    if NO_REASON in enabled and reason_required:  # an unused one is SG002's: "remove it"
        kept.extend(_without_reason(files, {(path, line, col) for path, line, col, _ in used}))
    if UNUSED not in enabled:
        return kept
    for path, info in files.items():
        for s in info.suppressions:
            codes = list(s.codes) or ["*"]
            unused = [
                c
                for c in codes
                if (path, s.line, s.col, c) not in used
                and (c == "*" or _enabled_or_unknown(c, enabled, known))
            ]
            if not unused:
                continue
            shown = ", ".join(unused) if s.codes else "every code"
            kept.append(
                finding(
                    UNUSED,
                    f"suppression of {shown} suppresses nothing: remove it (or the unused codes)",
                    path,
                    s.line,
                    s.col,
                    *unused,
                )
            )
    return kept


def _without_reason(files: dict[str, FileInfo], used: set[tuple[str, int, int]]) -> list[Finding]:
    out = []
    for path, info in files.items():
        for s in info.suppressions:
            if not s.reason and (path, s.line, s.col) in used:
                shown = ", ".join(s.codes) if s.codes else "every code"
                out.append(
                    finding(
                        NO_REASON,
                        f"suppression of {shown} gives no reason: say why after the codes "
                        "(# slicegen: ignore[CODE] -- why)",
                        path,
                        s.line,
                        s.col,
                        *(s.codes or ("*",)),
                    )
                )
    return out
