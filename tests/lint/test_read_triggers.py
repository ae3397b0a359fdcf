"""``load.mentions`` (whether a file is worth parsing) equals the plain scan it replaces, and the
loader parses what the selected rules declare they read (``READS``)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.lint.engine import LintOptions, run_lint
from slicegen.lint.registry import RULES
from slicegen.lint.rule import reads_of
from slicegen.model import load
from slicegen.model.load import load_model, mentions
from slicegen.model.reads import ALL, TYPE_STRING_MARK, Reads, needles_of

TRIGGERS = needles_of(ALL)
NAMES = ["accounts", "billing", "orders", "order_items", "shipping", "my-domain", "Ab1"]
NAMES += ["caf\u00e9", "a.b|c*"]  # non-ASCII, and bytes a pattern would read as operators
DOMAIN_WORDS = [n for name in NAMES for n in (name.encode(), name.upper().encode())]
PIECES = [b" ", b"\n", b".", b":", b"_", b"(", b"#", b"\xc3\xa9", b":v1", b":facts:", b"v2"]
PIECES += [w[: len(w) // 2] for w in DOMAIN_WORDS] + [w[len(w) // 2 :] for w in DOMAIN_WORDS]
PIECES += [t for t in TRIGGERS if t != TYPE_STRING_MARK] + [t[:3] for t in TRIGGERS]
PIECES += [b"Dispatch", b"TOPIC", b"Orders"]


def plain(data: bytes, words: tuple[bytes, ...]) -> bool:
    return any(w in data for w in words if w != TYPE_STRING_MARK) or (
        TYPE_STRING_MARK in words and bool(re.search(TYPE_STRING_MARK, data))
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join),
    st.lists(st.sampled_from([*DOMAIN_WORDS, *TRIGGERS]), max_size=30, unique=True),
)
def test_mentions_is_the_plain_scan(data: bytes, words: list[bytes]) -> None:
    assert mentions(data, tuple(words)) == plain(data, tuple(words))


def test_mentions_without_re2_is_the_plain_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "re2", None)  # google-re2 missing: Python's re instead
    monkeypatch.setattr(load, "_needle_pattern", load._needle_pattern.__wrapped__)  # uncached
    words = (*TRIGGERS, *DOMAIN_WORDS)
    for data in (b"x = SHIPPING_URL", b"'a:v1'", b"caf\xc3\xa9", b"a.b|c*", b"a.bxc", b"import os"):
        assert mentions(data, words) == plain(data, words)


def test_mentions_with_many_words_finds_each_case_exactly() -> None:
    words = (*TRIGGERS, *DOMAIN_WORDS)
    assert mentions(b"x = SHIPPING_URL", words)
    assert not mentions(b"x = Shipping", words)  # another case is not the word
    assert mentions(b"from shop.order_items import y", words)
    assert mentions(b"my-domain", words)
    assert not mentions(b"import os\n", words)
    assert mentions(b"'accounts:v1'", needles_of({Reads.TYPE_STRINGS}))
    assert not mentions(b"'accounts:v1'", needles_of({Reads.CALLS}))


def test_the_default_rules_read_everything() -> None:
    assert reads_of(RULES) == ALL


def test_a_rule_that_declares_nothing_reads_everything() -> None:
    from types import SimpleNamespace

    calls = SimpleNamespace(READS=frozenset({Reads.CALLS}))
    assert reads_of([calls]) == {Reads.CALLS}  # type: ignore[list-item]
    assert reads_of([calls, SimpleNamespace()]) == ALL  # type: ignore[list-item]


HELPER = "src/shop/accounts/helpers/notify.py"  # in a domain, outside every slice


def _tree(root: Path) -> Path:
    files = {
        "src/shop/accounts/__init__.py": "",
        "src/shop/accounts/open_account/command_v1.py": "class OpenAccount:\n    pass\n",
        "src/shop/billing/__init__.py": "",
        "src/shop/billing/pay/event_v1.py": "class Paid:\n    pass\n",
        HELPER: "def go(router, cmd):\n    router.dispatch(cmd)\n",
        "src/shop/accounts/helpers/topics.py": "TOPIC = 'x'\nsubscribe('accounts:facts:made')\n",
        "src/shop/accounts/helpers/leak.py": "from shop.billing.events import Paid\n",
        "src/shop/accounts/helpers/plain.py": "def f(:\n",  # a syntax error nothing reads
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _parsed(root: Path, reads: frozenset[Reads]) -> set[str]:
    files = load_model(root, None, reads=reads, workers=1).model.files
    return {p.rsplit("/", 1)[-1] for p, info in files.items() if info.parsed}


def test_the_loader_parses_what_is_declared(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    assert _parsed(root, frozenset()) == set()
    assert _parsed(root, frozenset({Reads.CALLS})) == {"notify.py"}
    assert _parsed(root, frozenset({Reads.TOPICS})) == {"topics.py"}
    assert _parsed(root, frozenset({Reads.IMPORTS})) == {"leak.py"}
    assert "plain.py" not in _parsed(root, ALL)
    assert _parsed(root, frozenset({Reads.DEFINITIONS})) == {
        "__init__.py",
        "command_v1.py",
        "event_v1.py",
    }


def test_a_selected_rule_gets_its_files_parsed_and_no_more(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    only = run_lint(root, LintOptions(select=["SG401"], use_cache=False))
    assert [(f.code, f.path) for f in only.findings] == [("SG401", HELPER)]
    everything = run_lint(root, LintOptions(select=["SG401"], use_cache=False, parse_all=True))
    assert [f.path for f in everything.findings] == [HELPER]
