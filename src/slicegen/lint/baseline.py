"""The baseline: findings recorded to be tolerated, keyed by rule, path and names, never lines.

The file is JSON, sorted, one entry per key with a count, so it diffs cleanly and shrinks as
findings are fixed (rewriting it drops the fixed ones).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from slicegen.errors import SlicegenError
from slicegen.lint.finding import Finding
from slicegen.safe_files import read_regular

VERSION = 1
Key = tuple[str, str, tuple[str, ...]]


def key(f: Finding) -> Key:
    return (f.code, f.path, f.names or (f.message,))


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
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SlicegenError(
            f"baseline {path} is not a slicegen baseline ({exc}); rewrite it with --write-baseline"
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


def render(findings: list[Finding]) -> str:
    counts = Counter(key(f) for f in findings)
    entries = [
        {"code": code, "path": path, "names": list(names), "count": n}
        for (code, path, names), n in sorted(counts.items())
    ]
    return json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n"


def write(path: Path, findings: list[Finding]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(findings), encoding="utf-8")
    tmp.replace(path)
