"""``--format github``: GitHub Actions workflow commands (annotations on the diff)."""

from __future__ import annotations

from slicegen.lint.output.context import Report
from slicegen.lint.output.printable import printable


def _data(text: str) -> str:
    """GitHub's escapes for a line break, then the other control characters shown escaped."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = [
        f"::error file={_prop(f.path)},line={f.line},col={f.column},"
        f"title={_prop(f'{f.code} {f.name}'.strip())}::{_data(f'{f.code} {f.message}')}"
        for f in report.findings
    ]
    return "".join(line + "\n" for line in lines)
