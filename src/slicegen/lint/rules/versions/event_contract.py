"""SG205 event-contract."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from slicegen.contracts.compare import breaks
from slicegen.contracts.history import shapes_at
from slicegen.contracts.lock import LOCK_FILE, Locked, parse, slice_of
from slicegen.contracts.workspace import event_files, shapes_of
from slicegen.errors import SlicegenError
from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.parts import Part, each_part
from slicegen.model.readers.fields import EventShape
from slicegen.model.reads import ALL
from slicegen.safe_files import TooBig, UnsafePath, limit_for, read_regular, too_big_fix

CODE = "SG205"
NAME = "event-contract"
MESSAGE = "event '{type}' changed its stored shape ({change}): add a version with an upcaster"
READS = ALL  # the event artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.WORKSPACE  # the lock's shapes, against events found in the whole tree
EXPLANATION = f"""\
## What it does
Compares every event type's stored shape (its fields and their types) with the one locked in
`{LOCK_FILE}` (or, with `slicegen lint --since REF`, with the code at that git revision), and
flags a type whose shape changed so that events already stored can no longer load: a field
removed, renamed or retyped, a new required field, or the type itself gone while its slice
lives on. A new optional field (one with a default) is compatible and not flagged.

## Why is this bad?
Events are stored forever and read back with the current code. An `account_opened:v1` event
stored last year has last year's fields: if `AccountOpenedV1` now lacks one, names it
differently or wants one it never had, replaying the stream fails, or silently loads wrong.

## Example
```python
class AccountOpenedV1(Event):
    event_type: ClassVar[str] = "account_opened:v1"
    owner_name: str  # was `owner: str`
```

## Use instead
Leave v1 as it was and add v2 beside it with an upcaster (`slicegen add-version accounts
open_account`). The scaffolding commands and `slicegen storm` keep `{LOCK_FILE}` up to date;
commit it. An event type that was never released may be changed: delete its entry from the lock.
"""


def check(ctx: RuleContext) -> Iterator[Finding]:
    model = ctx.model
    since = ctx.memo.get("contracts_since")
    if since:
        domains = {d.root: d.name for d in model.domains}
        old = shapes_at(model.root, str(since), domains, event_files(model))
    else:
        text, problem = _lock_text(model.root / LOCK_FILE)
        if problem is not None:  # a lock slicegen will not read: say so, check nothing
            message = f"{LOCK_FILE} {problem}: no event contract is checked; {LOCK_FIX}"
            yield finding(CODE, message, LOCK_FILE, 1, 1, LOCK_FILE)
            return
        if text is None:
            return
        old = _parsed(ctx, text)
    files = event_files(model)
    _prune(ctx, files)
    # domain by domain (:mod:`parts`): a domain's findings stand while its files and the lock do
    for found in each_part(ctx, NAME, old, lambda p: list(_changes(old, _current(ctx, p)))):
        yield from found


def _changes(old: Locked, shapes: list[tuple[str, EventShape]]) -> Iterator[Finding]:
    """The findings of the domains that ``shapes`` (all of each one's events) are of."""
    by_slice: dict[tuple[str, str], str] = {}
    for domain, shape in shapes:
        by_slice.setdefault((domain, slice_of(shape.path)), shape.path)
    now = {(d, s.identity): s for d, s in shapes}
    for domain in sorted({d for d, _ in shapes} & old.keys()):
        for identity, locked in sorted(old[domain].items()):
            slice_name = slice_of(locked.path)
            found = now.get((domain, identity))
            if found is None:
                path = by_slice.get((domain, slice_name))
                if path is None:
                    continue  # the slice (or domain) is gone: not this rule's business
                yield finding(
                    CODE,
                    f"event '{identity}' is locked but no event defines it any more: stored "
                    f"'{identity}' events cannot load; restore it and add the new version "
                    f"beside it with an upcaster (slicegen add-version {domain} {slice_name})",
                    path,
                    1,
                    1,
                    domain,
                    identity,
                )
                continue
            shape = found
            changes = breaks(locked.fields, shape.fields)
            if changes:
                yield finding(
                    CODE,
                    f"event '{identity}' changed its stored shape ({'; '.join(changes)}): "
                    "stored events of it can no longer load; undo the change and add a new "
                    f"version with an upcaster (slicegen add-version {domain} {slice_name})",
                    shape.path,
                    shape.line,
                    1,
                    domain,
                    identity,
                )


def _prune(ctx: RuleContext, files: dict[str, str]) -> None:
    """Forget the shapes the lint cache keeps for files that are no event files any more."""
    store = ctx.memo.get("lint_cache")
    if store is not None:
        memo = store.rule_memo(NAME, by_path=True)
        for stale in set(memo) - set(files):
            del memo[stale]


def _current(ctx: RuleContext, part: Part) -> list[tuple[str, EventShape]]:
    """The shapes of the events in ``part``'s files (each domain's events all lie in one part);
    with the lint cache, a file whose content the cache has seen is not parsed again (its
    shapes are kept by content digest)."""
    model, read = ctx.model, ctx.memo.get("read_buffer")
    files = {a.path: a.domain for a in part.artifacts if a.kind == "event" and a.domain}
    paths = sorted(files)
    store = ctx.memo.get("lint_cache")
    if store is None:
        return [(files[p], shape) for p in paths for shape in shapes_of(model, p, read)]
    memo = store.rule_memo(NAME, by_path=True)
    found: list[tuple[str, EventShape]] = []
    for path, key in zip(paths, store.file_keys(paths), strict=True):
        digest = key[0] if key is not None and (read is None or read(path) is None) else ""
        hit = memo.get(path)
        if digest and hit is not None and hit[0] == digest:
            shapes = hit[1]
        else:
            shapes = shapes_of(model, path, read)
            if digest:
                memo[path] = (digest, shapes)
        found.extend((files[path], s) for s in shapes)
    return found


def _parsed(ctx: RuleContext, text: str) -> Locked:
    """The lock's contents; with the lint cache, parsed once per content of the file."""
    store = ctx.memo.get("lint_cache")
    if store is None:
        return parse(text, LOCK_FILE)
    memo = store.rule_memo(f"{NAME}-lock")
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    if memo.get("digest") != digest:
        memo.update(digest=digest, locked=parse(text, LOCK_FILE))
    locked: Locked = memo["locked"]
    return locked


#: What to do about a lock that cannot be read.
LOCK_FIX = "make it a regular file (slicegen storm writes it)"


def _lock_text(path: Path) -> tuple[str | None, str | None]:
    """The lock's text (None: there is none yet, nothing is locked), or why it is not read
    (a symlink, FIFO or device is never followed or opened to block; one that cannot be read).
    A regular file over the cap (``LOCK_MAX_BYTES``, in any form) is an error: the run cannot
    be trusted without it, and reading it would cost GBs."""
    try:
        data, _ = read_regular(path, limit_for(path))
    except FileNotFoundError:
        return None, None
    except UnsafePath as exc:
        if isinstance(exc, TooBig):
            raise SlicegenError(f"{LOCK_FILE} {exc.reason}: {too_big_fix(LOCK_FILE)}") from None
        return None, exc.reason
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    return data.decode("utf-8", "replace"), None
