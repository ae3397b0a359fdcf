"""``events.lock.toml``: the committed record of every event type's stored shape.

One table per domain and event type, at the workspace root (not in the cache folder: teams
commit it, and review its diff like any lock file)::

    [events.accounts."account_opened:v1"]
    path = "src/shop/accounts/domain/open_account/event_v1.py"
    fields = { owner = "str", limit = "int|None" }
    required = ["owner"]

Slicegen writes it (scaffolding commands, ``slicegen storm``) without ever giving up a locked
shape the code now breaks: lint rule SG205 keeps reporting that until the change is undone and
made a new version, or the entry is deleted by hand (an event type never released).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache

from slicegen.constants import LOCK_FILE as LOCK_FILE
from slicegen.contracts.compare import breaks
from slicegen.errors import SlicegenError
from slicegen.model.readers.fields import EventShape, FieldShape

#: domain -> identity -> shape
Locked = dict[str, dict[str, EventShape]]

_HEADER = """\
# The stored shape of every event type, kept by slicegen (lint rule SG205). Commit this file.
# Stored events keep their shape forever: change one by adding a version with an upcaster
# (slicegen add-version), not by editing a locked event.
"""


#: The largest lock read with tomllib, when it is not as :func:`render` writes it (which is read
#: without it): tomllib takes ~1 s and ~23 MB a MB of a lock; a lock a tree may hold (256 MB)
#: would take minutes and GBs. 8 MB is some 75,000 event types.
MAX_TOML_CHARS = 8 * 2**20


def parse(text: str, where: str = LOCK_FILE) -> Locked:
    """The lock's contents; a clear error for a damaged file."""
    written = _as_written(text)
    if written is not None:
        return written
    if len(text) > MAX_TOML_CHARS:
        raise SlicegenError(
            f"{where} is over {MAX_TOML_CHARS // 2**20} MiB and not as slicegen writes it, too "
            "large to read as TOML: restore it from git, or delete it and run 'slicegen storm' "
            "to lock the current shapes"
        )
    try:
        data = tomllib.loads(text)
        locked: Locked = {}
        for domain, events in data.get("events", {}).items():
            for identity, entry in events.items():
                required = set(entry.get("required", []))
                fields = {
                    str(n): FieldShape(str(t), n in required)
                    for n, t in entry.get("fields", {}).items()
                }
                shape = EventShape(identity, str(entry["path"]), 1, fields)
                locked.setdefault(domain, {})[identity] = shape
        return locked
    except (tomllib.TOMLDecodeError, AttributeError, KeyError, TypeError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise SlicegenError(
            f"{where} cannot be read ({why}): restore it from git, or delete it and run "
            "'slicegen storm' to lock the current shapes"
        ) from None


_STRING = r'"(?:[^"\\\n]|\\.)*"'
_KEY = rf"[A-Za-z0-9_-]+|{_STRING}"
#: One table as :func:`render` writes it.
_TABLE = re.compile(
    rf"\n\[events\.({_KEY})\.({_KEY})\]\npath = ({_STRING})\n"
    rf"fields = \{{(?: ((?:{_KEY}) = {_STRING}(?:, (?:{_KEY}) = {_STRING})*) )?\}}\n"
    rf"required = \[((?:{_STRING}(?:, {_STRING})*)?)\]\n"
)
_PAIR = re.compile(rf"({_KEY}) = ({_STRING})")
_STRINGS = re.compile(_STRING)
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_PLAIN = re.compile(r'[^\x00-\x1f"\\]*')  # what json.dumps leaves as it is


def _as_written(text: str) -> Locked | None:
    """The contents of a lock exactly as :func:`render` writes it, read without a TOML parser
    (a large lock takes tomllib a while); None for any other text, which tomllib reads. The
    result is checked by rendering it again: only a text that comes back unchanged is taken."""
    if not text.startswith(_HEADER) or "\x7f" in text:  # DEL: TOML refuses it in a string
        return None
    try:
        locked = _tables(text)
    except ValueError:  # an escape JSON does not know
        return None
    return locked if locked is not None and render(locked) == text else None


def _tables(text: str) -> Locked | None:
    locked: Locked = {}
    at = len(_HEADER)
    for match in _TABLE.finditer(text, at):
        if match.start() != at:
            return None
        at = match.end()
        domain, identity, path, pairs, required = match.groups()
        wanted = {_unquoted(r) for r in _STRINGS.findall(required)}
        fields = {}
        for n, t in _PAIR.findall(pairs or ""):
            name = _unquoted(n)
            fields[name] = FieldShape(_unquoted(t), name in wanted)
        shape = EventShape(_unquoted(identity), _unquoted(path), 1, fields)
        locked.setdefault(_unquoted(domain), {})[shape.identity] = shape
    return locked if at == len(text) else None


@lru_cache(maxsize=4096)
def _unquoted(key: str) -> str:
    if not key.startswith('"'):
        return key
    return key[1:-1] if "\\" not in key else str(json.loads(key))


def render(locked: Locked) -> str:
    """The lock file's text: domains and event types sorted, so that its diffs stay small."""
    out = [_HEADER]
    for domain in sorted(locked):
        for identity, shape in sorted(locked[domain].items()):
            fields = ", ".join(f"{_key(n)} = {_q(f.type)}" for n, f in shape.fields.items())
            required = ", ".join(_q(n) for n, f in shape.fields.items() if f.required)
            out.append(
                f"\n[events.{_key(domain)}.{_key(identity)}]\npath = {_q(shape.path)}\n"
                f"fields = {{{f' {fields} ' if fields else ''}}}\nrequired = [{required}]\n"
            )
    return "".join(out)


# a lock repeats its field names and types thousands of times: each is (un)quoted once
@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return text if _BARE.fullmatch(text) else _q(text)


@lru_cache(maxsize=4096)
def _q(text: str) -> str:
    if _PLAIN.fullmatch(text):
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def merge(
    locked: Locked, current: Iterable[tuple[str, EventShape]], gone: Iterable[str] = ()
) -> Locked:
    """``locked`` with the ``(domain, shape)`` pairs of the code: new types are added and
    compatible changes taken; a breaking change keeps the locked shape. ``gone`` are domains
    and slices (``domain/slice-folder``) that no longer exist: their entries are dropped."""
    merged = {d: dict(events) for d, events in locked.items()}
    for domain, shape in current:
        events = merged.setdefault(domain, {})
        old = events.get(shape.identity)
        if old is None or not breaks(old.fields, shape.fields):
            events[shape.identity] = shape._replace(line=1)
    dropped = set(gone)
    for domain, events in merged.items():
        for identity, shape in list(events.items()):
            if domain in dropped or f"{domain}/{slice_of(shape.path)}" in dropped:
                del events[identity]
    return {d: events for d, events in merged.items() if events}


def slice_of(path: str) -> str:
    """The folder an event file is in (its slice)."""
    parts = path.rsplit("/", 2)
    return parts[-2] if len(parts) > 1 else ""
