"""``--format json``: an array of findings."""

from __future__ import annotations

import json

from slicegen.lint.output.context import Report


def render(report: Report) -> str:
    items = [
        {
            "code": f.code,
            "name": f.name,
            "message": f.message,
            "path": f.path,
            "line": f.line,
            "column": f.column,
            "names": list(f.names),
        }
        for f in report.findings
    ]
    return json.dumps(items, indent=2) + "\n"
