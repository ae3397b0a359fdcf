"""``--format text``: ``path:line:col: CODE message`` and a summary line."""

from __future__ import annotations

from collections import Counter

from slicegen.lint.finding import Finding
from slicegen.lint.output.context import Report
from slicegen.lint.output.printable import printable

_BOLD, _RED, _CYAN, _DIM, _RESET = "\033[1m", "\033[31m", "\033[36m", "\033[2m", "\033[0m"


def render(report: Report) -> str:
    lines = [finding_line(f, report.color) for f in report.findings]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def finding_line(f: Finding, color: bool = False) -> str:
    """``path:line:col: CODE message``, the path and message shown :func:`printable`."""
    where = f"{printable(f.path)}:{f.line}:{f.column}:"
    code = f.code
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{_BOLD}{_RED}{code}{_RESET}"
    return f"{where} {code} {printable(f.message)}"


def summary(report: Report) -> str:
    n = len(report.findings)
    if n == 0:
        return f"All checks passed ({report.files_checked} files)."
    files = len({f.path for f in report.findings})
    return (
        f"Found {n} finding{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''} "
        f"({report.files_checked} files checked)."
    )


def statistics(report: Report) -> str:
    """Counts per rule, most frequent first."""
    counts = Counter((f.code, f.name) for f in report.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    lines = [f"{n:>{width}}  {code}  {name}" for (code, name), n in rows]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
