"""``load.mentions`` (whether a file is worth parsing) equals the plain scan it replaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.model.load import _TRIGGERS, _TYPE_STRING_BYTES, mentions

DOMAIN_WORDS = [
    n
    for name in ("accounts", "billing", "orders", "order_items", "shipping", "my-domain", "Ab1")
    for n in (name.encode(), name.upper().encode())
]
PIECES = [b" ", b"\n", b".", b":", b"_", b"(", b"#", b"\xc3\xa9", b":v1", b":facts:", b"v2"]
PIECES += [w[: len(w) // 2] for w in DOMAIN_WORDS] + [w[len(w) // 2 :] for w in DOMAIN_WORDS]
PIECES += list(_TRIGGERS) + [t[:3] for t in _TRIGGERS] + [b"Dispatch", b"TOPIC", b"Orders"]


def plain(data: bytes, words: tuple[bytes, ...]) -> bool:
    return (
        any(t in data for t in _TRIGGERS)
        or any(w in data for w in words)
        or bool(_TYPE_STRING_BYTES.search(data))
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join),
    st.lists(st.sampled_from(DOMAIN_WORDS), max_size=len(DOMAIN_WORDS), unique=True),
)
def test_mentions_is_the_plain_scan(data: bytes, words: list[bytes]) -> None:
    assert mentions(data, tuple(words)) == plain(data, tuple(words))


def test_mentions_with_many_words_finds_each_case_exactly() -> None:
    words = tuple(DOMAIN_WORDS)
    assert mentions(b"x = SHIPPING_URL", words)
    assert not mentions(b"x = Shipping", words)  # another case is not the word
    assert mentions(b"from shop.order_items import y", words)
    assert mentions(b"my-domain", words)
    assert not mentions(b"import os\n", words)
    assert mentions(b"'accounts:v1'", ())
