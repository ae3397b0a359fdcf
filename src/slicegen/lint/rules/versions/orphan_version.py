"""SG204 orphan-version."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.model.reads import ALL

CODE = "SG204"
NAME = "orphan-version"
MESSAGE = "{kind} version {n} of slice '{slice}' has no {partner}: add '{expected}'"
READS = ALL  # what a file is comes from its code: any file a rule parses
SCOPE = Scope.DOMAIN  # findings on a domain's files come from that domain's files alone
EXPLANATION = """\
## What it does
In each slice, flags an event version that no evolver of that version handles (and no upcaster
lifts), and a command version that no handler of that version takes.

## Why is this bad?
Stored events of every version are replayed for as long as the stream lives. An event version
without an evolver (or an upcaster to a newer one) breaks rebuilding state; a command version
without a handler cannot be dispatched.

## Example
```
cast_vote/event_v1.py  cast_vote/event_v2.py  cast_vote/cast_to_state_v1.py
```

## Use instead
```
cast_vote/event_v1.py  cast_vote/event_v2.py  cast_vote/cast_to_state_v1.py
cast_vote/cast_to_state_v2.py   (or an upcaster from v1 to v2)
```
"""

_VERSION_WORD = re.compile(r"v(\d+)")


def check(ctx: RuleContext) -> Iterator[Finding]:
    for dom in ctx.model.domains:
        for s in dom.slices:
            by_kind: dict[str, dict[int, str]] = {}
            upcast: set[int] = set()
            for a in s.artifacts:
                if a.version is not None:
                    by_kind.setdefault(a.kind, {}).setdefault(a.version, a.path)
                if a.kind == "upcaster":
                    upcast.update(int(n) for n in _VERSION_WORD.findall(a.file_stem))
            for kind, partner, prefix in (
                ("event", "evolver", "<event>_to_state"),
                ("command", "handler", f"maybe_{s.name}"),
            ):
                partners = by_kind.get(partner, {})
                if not partners:
                    continue  # SG302 reports a slice without any
                for n, path in sorted(by_kind.get(kind, {}).items()):
                    if n in partners or (kind == "event" and n in upcast):
                        continue
                    yield finding(
                        CODE,
                        f"{kind} version {n} of slice '{s.name}' has no {partner}: add "
                        f"'{prefix}_v{n}'" + (" or an upcaster" if kind == "event" else ""),
                        path,
                        1,
                        1,
                        s.name,
                        f"{kind}_v{n}",
                    )
