"""Marked blocks in text files: regions slicegen owns, between ``begin``/``end`` comment markers.

Everything outside a block is the user's and is kept byte for byte.
"""

from __future__ import annotations

import re

from slicegen.errors import SlicegenError


def _markers(name: str, comment: tuple[str, str]) -> tuple[str, str]:
    start, end = comment
    return (
        f"{start} slicegen:begin {name} {end}".strip(),
        f"{start} slicegen:end {name} {end}".strip(),
    )


def find_block(text: str, name: str, comment: tuple[str, str] = ("<!--", "-->")) -> str | None:
    """The content between the markers of block ``name``, or None if the block is absent."""
    begin, end = _markers(name, comment)
    # what ``re.search(begin + r"\r?\n(.*?)" + end, text, re.DOTALL)`` finds, with ``str.find``
    # (a lazy match tries the end marker at every character of a long document): the first
    # begin marker that ends its line; the block, if the end marker follows it
    at = text.find(begin)
    while at >= 0:
        body = at + len(begin)
        if text.startswith("\n", body) or text.startswith("\r\n", body):
            body += 1 if text[body] == "\n" else 2
            stop = text.find(end, body)
            return text[body:stop] if stop >= 0 else None
        at = text.find(begin, at + 1)
    return None


def upsert_block(
    text: str, name: str, content: str, comment: tuple[str, str] = ("<!--", "-->")
) -> str:
    """Replace block ``name``'s content, or append the block at the end if it is absent.

    A begin marker without its end (or the reverse) is refused rather than guessed at: replacing
    up to some later end marker would delete the user's text in between.
    """
    begin, end = _markers(name, comment)
    pairs = text.count(begin)
    if pairs != text.count(end) or pairs > 1 or (pairs and text.index(end) < text.index(begin)):
        raise SlicegenError(
            f"block '{name}' has unpaired or misordered markers ({pairs} begin, "
            f"{text.count(end)} end): keep exactly one '{begin}' ... '{end}' pair (or none) "
            "and re-run"
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    body = content if content.endswith("\n") or not content else content + "\n"
    body = body.replace("\r\n", "\n").replace("\n", newline)
    block = f"{begin}{newline}{body}{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text, count=1)
    if not text:
        return block + newline
    separator = newline if text.endswith(newline) else newline * 2
    return f"{text}{separator}{block}{newline}"
