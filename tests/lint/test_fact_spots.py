"""The byte test that lets the loader skip parsing a Python file a trigger word sent to it
(``readers.python.may_hold_facts``) is a necessary condition: whenever the reader finds a fact
in a file (a class, a recorded string, a call, a fact-like name, an import of a retired module),
the test fires. Files are built from the reader's patterns and near misses."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slicegen.model.byte_search import linear
from slicegen.model.load import (
    PARSE,
    SIFTED,
    TRIGGERED,
    _domain_part,
    _either_pattern,
    load_model,
    mentions,
    python_mentions,
    read_file,
)
from slicegen.model.readers.python import (
    _FACT_PATTERN,
    EMIT_NAMES,
    TOPIC_CALLS,
    may_hold_facts,
    read_python,
)
from slicegen.model.reads import ALL, needles_of
from slicegen.model.workspace import FileInfo

#: Statements the reader records something from (``|`` starts a line one level deeper).
FACTS = [
    'event_type = "order_placed:v1"',
    "EVENT_TYPE: ClassVar[str] = 'a:v2'",
    'self.event_type = f"x{y}"',
    '(event_type\n) = "x"',
    "( event_type ) = ('x')",
    'event_type[0] = "k"',
    'a = type_string = "s"',
    '__event_type__ = \\\n    "z"',
    'obj.event_type = obj.other = "q"',
    'event_type = (\n    "multi"\n)',
    'def event_type():\n|return "a:v1"',
    "async def type_string(self):\n|return 'b'",
    'bus.publish("orders:facts:placed")',
    'subscribe("t")',
    'publish_fact(topic="a:b")',
    'unsubscribe(\n    "t",\n)',
    'send(order_topic="a:b")',
    'MAPPER_TOPIC = "orders:facts:x"',
    "app.dispatch(cmd)",
    "dispatch[0](cmd)",
    "(dispatch)(cmd)",
    'x = "a:v1"',
    'x = "a:" "v1"',
    'x = "a:v" "1"',
    "x = 'a' ':v1'",
    'x = "a\\x3av1"',
    'x = "a\\072v1"',
    'x = "\\x61:v1"',
    'x = "a:\\\nv1"',
    "class A(Base):\n|pass",
    "class OrderPlaced(Aggregate.Event):\n|pass",
    "class\\\n  B: pass",
    "def OrderFact():\n|pass",
    "from shop.retired.x import y",
    "import shop.retired",
    "\uff44ispatch(cmd)",  # identifiers are NFKC-normalised: a fullwidth d
]
#: Statements with the same words that the reader records nothing from.
NEAR = [
    "f(\n    event_type=Kind.X,\n)",
    "f(event_type=Kind.X, b=1)",
    "if event_type == Kind.X:\n|pass",
    "for event_type in kinds:\n|pass",
    "is_published = True",
    "dispatcher = make()",
    "event_types = [1]",
    "event_type_name = 2",
    "webhook.event_type",
    "x.publisher.run()",
    "subclass_of = 3",
    "def f(x):\n|return x",
    "def order_fact():\n|pass",
    "import os",
    "from shop.accounts import x",
    "value = compute(1, 2)",
    'x = "plain"',
    "y = 'a:b'",
    "z = {'k': 1}",
    "# a comment",
    "pass",
    '"""A docstring."""',
]


def _indent(statement: str, depth: int) -> str:
    pad = "    " * depth
    lines = statement.split("\n")
    # continuation lines keep their own indentation (inside brackets, strings or after a '\\')
    out = [pad + lines[0]]
    for line in lines[1:]:
        out.append(pad + "    " + line[1:] if line.startswith("|") else line)
    return "\n".join(out)


@st.composite
def modules(draw: st.DrawFn) -> str:
    """A module of statements from both lists, some in a function or an ``if`` block."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        statement = draw(st.sampled_from(FACTS + NEAR + NEAR))
        block = draw(st.sampled_from(["", "def f():", "if x:", "class C:"]))
        if block and "\\\nv1" not in statement:  # a string continued over lines stays at the top
            parts.append(block + "\n" + _indent(statement, 1))
        else:
            parts.append(_indent(statement, 0))
    return "\n".join(parts) + "\n"


def facts(info: FileInfo) -> list[object]:
    """What the reader found beyond the names of top-level functions none of which looks like
    a fact (the skip's premise)."""
    return [
        *info.strings,
        *info.calls,
        *(d for d in info.definitions if d.kind != "function" or "Fact" in d.name),
        *(i for i in info.imports if "retired" in i.module or "retired" in "".join(i.names)),
        *(info.class_fields or ()),
        *(info.event_shapes or ()),
    ]


@settings(max_examples=600, deadline=None)
@given(modules())
def test_a_module_with_facts_is_sifted_in(source: str) -> None:
    data = source.encode()
    info = read_python("pkg/mod.py", data)
    if facts(info):
        assert may_hold_facts(data), source


PIECES = [
    b" ",
    b"\n",
    b"    ",
    b"=",
    b"==",
    b'"',
    b"'",
    b"(",
    b")",
    b"[",
    b"]",
    b":",
    b",",
    b"#",
    b"\\",
    b".",
    b"x",
    b"v1",
    b"1",
    b"a",
    b"def ",
    b"class ",
    b"event_type",
    b"EVENT_TYPE",
    b"type_string",
    b"dispatch",
    b"publish",
    b"broadcast",
    b"Topic",
    b"return ",
    b"import ",
    b"from ",
    b"_",
    b"f",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map(b"".join))
def test_any_parsable_soup_with_facts_is_sifted_in(data: bytes) -> None:
    info = read_python("pkg/mod.py", data)
    if facts(info):
        assert may_hold_facts(data), data


def test_each_fact_alone_is_found_and_sifted_in() -> None:
    for statement in FACTS:
        # with a near miss that makes the reader walk the expressions (a type string split over
        # adjacent literals is found only then)
        data = (_indent(statement, 0) + "\nis_published = True\n").encode()
        assert facts(read_python("pkg/mod.py", data)), statement
        assert may_hold_facts(data), statement


def test_near_misses_alone_are_skipped() -> None:
    """The narrowing is real: the near misses alone do not fire (so a file mentioning a
    trigger word only in such places is not parsed)."""
    for statement in NEAR:
        data = (_indent(statement, 0) + "\n").encode()
        assert not facts(read_python("pkg/mod.py", data)), statement
        assert not may_hold_facts(data), statement


def plain_may_hold_facts(data: bytes) -> bool:
    """The byte test as a scan per spot (what the one pattern replaced): the reference."""
    if not data.isascii():
        return True
    if (
        any(s in data for s in (b":v", b':"', b":'", b"Fact", b"retired"))
        or b"topic" in data.lower()
    ):
        return True
    if re.search(rb"\\[^ntr'\"\\]", data):
        return True
    after = rb"(?![A-Za-z0-9_])"
    emits = sorted(w.encode() for w in EMIT_NAMES)
    targets = [(w.encode(), after) for w in ["class", "dispatch", *TOPIC_CALLS]]
    targets += [
        (w, after + rb"(?:[\s\\)]|#[^\n]*)*(?:[\[:]|=(?!=)[^\n]*[\"'(\[{\\])") for w in emits
    ]
    for word, rest in targets:  # the word where no word character precedes it, then the rest
        at = data.find(word)
        while at >= 0:
            if (at == 0 or not _word(data[at - 1])) and re.match(rest, data[at + len(word) :]):
                return True
            at = data.find(word, at + 1)
    return any(re.search(rb"def[\s\\]+" + re.escape(w) + after, data) for w in emits)


def _word(byte: int) -> bool:
    return chr(byte).isascii() and (chr(byte).isalnum() or byte == ord("_"))


SPOT_PIECES = [
    *PIECES,
    *(b"\t", b"\x0b", b"\x0c", b"\r", b"{", b"\\x", b"\\n", b"\\0", b"\xc3\xa9", b"9"),
    *(b"retired", b"Fact", b"topic", b"TOPIC", b"subscribe", b"unsubscribe", b"publish_fact"),
    *(b"__event_type__", b"event_typ", b"e", b"A", b"v", b"async "),
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(SPOT_PIECES), max_size=30).map(b"".join))
def test_the_one_pattern_is_the_scan_per_spot(data: bytes) -> None:
    assert may_hold_facts(data) == plain_may_hold_facts(data), data


EDGES = [
    b"event_type\x0b= 'x'",
    b"event_type\x0c:",
    b"EVENT_TYPE\\\n)[",
    b"type_string # c\n= {",
    b"event_type == 'x'",
    b"event_type =\n'x'",
    b"def\x0b__event_type__",
    b"defevent_type(",
    b"xclass A: pass",
    b"class",
    b"subscribe\n",
    b"publish_facts(",
    b"a\\\\b",
    b"a\\'b",
    b"\xc3\xa9",
]


def test_the_pattern_at_the_edges() -> None:
    for data in EDGES:
        assert may_hold_facts(data) == plain_may_hold_facts(data), data


def test_the_pattern_without_re2_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "re2", None)  # google-re2 missing: Python's re instead
    spots = linear(_FACT_PATTERN)
    for data in [_indent(statement, 0).encode() for statement in FACTS + NEAR] + EDGES:
        if data.isascii():
            assert (spots.search(data) is not None) == plain_may_hold_facts(data), data


#: The rules' trigger words the Python reader narrows (``TRIGGER_SPOTS``), and a spelling of
#: each that no pattern of the reader's knows (same length: lines and columns stay put).
RENAMED = {
    b"event_type": b"evxnt_type",
    b"dispatch": b"dixpatch",
    b"publish": b"puxlish",
    b"subscribe": b"suxscribe",
    b"broadcast": b"brxadcast",
}


def _through_words(data: bytes) -> set[object]:
    """Where the reader records an emitted string, a topic or a call (not what they say; a
    referenced type string is the type-string pattern's, whatever words the file holds). The
    comment makes the reader walk the expressions whatever the words (it walks them only when
    one of its words is in the text), so that renaming a word changes no more than the word."""
    info = read_python("pkg/mod.py", data + b"\n# topic\n")
    strings = {(s.role, s.line, s.col) for s in info.strings if s.role != "ref"}
    return strings | {(c.line, c.col) for c in info.calls}


def _check_narrowed_words(data: bytes) -> None:
    """A word whose renaming changes what the reader records is one ``python_mentions`` sees;
    and it never sees more than ``mentions``."""
    found = _through_words(data)
    for word, other in RENAMED.items():
        if _through_words(data.replace(word, other)) != found:
            assert python_mentions(data, (word,)), (word, data)
        assert not python_mentions(data, (word,)) or mentions(data, (word,)), (word, data)


@settings(max_examples=600, deadline=None)
@given(modules())
def test_a_word_the_reader_records_through_is_mentioned(source: str) -> None:
    _check_narrowed_words(source.encode())


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(SPOT_PIECES), max_size=30).map(b"".join))
def test_a_word_any_soup_records_through_is_mentioned(data: bytes) -> None:
    _check_narrowed_words(data)


def test_words_the_reader_records_nothing_through_are_not_mentioned() -> None:
    for data in (
        b"send(event_type=Kind.X)",
        b"if hook.event_type == 'x': pass",
        b"is_published = True",
        b"dispatcher.run()",
        b"subscribers = []",
    ):
        assert mentions(data, tuple(RENAMED)) and not python_mentions(data, tuple(RENAMED)), data
    for data in (
        b"event_type = 'x'",
        b"bus.unsubscribe(t)",
        b"publish_fact(f)",
        b"app.dispatch(c)",
    ):
        assert python_mentions(data, tuple(RENAMED)), data


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "slicegen.toml").write_text('stack = "python"\napp = "shop"\n')
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_loader_parses_a_triggered_file_only_when_it_can_hold_a_fact(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "src/shop/accounts/__init__.py": "",
            "src/shop/accounts/open_account/command_v1.py": "class OpenAccount:\n    pass\n",
            "src/shop/billing/__init__.py": "",
            "src/shop/billing/pay/event_v1.py": "class Paid:\n    pass\n",
            # a trigger word, no fact: read, not parsed
            "src/shop/accounts/tools/flags.py": "def f(p):\n    return p.is_published\n",
            # a trigger word and a topic: parsed
            "src/shop/accounts/tools/bus.py": 'def f(b):\n    b.publish("accounts:facts:x")\n',
            # another domain's name: parsed (its imports)
            "src/shop/accounts/tools/link.py": "from shop.billing import api\n",
            # in a test, no rule reads imports of another domain: not parsed
            "src/shop/accounts/tests/test_link.py": "from shop.billing import api\n",
            # ... but a test's type strings are read (SG405): parsed
            "src/shop/accounts/tests/test_refs.py": "from shop.billing import api\nX = 'a:v1'\n",
            # a class, and a trigger word only as a keyword: not parsed (what a file mentioning
            # no trigger word holds, which no rule reads)
            "src/shop/accounts/tools/hooks.py": "class Hook(Base):\n    x = f(event_type=K.X)\n",
            # an emit target: parsed
            "src/shop/accounts/tools/emits.py": "class Hook(Base):\n    event_type = 'hooked'\n",
        },
    )
    files = load_model(root, None, workers=1).model.files
    assert not files["src/shop/accounts/tools/flags.py"].parsed
    assert [s.value for s in files["src/shop/accounts/tools/bus.py"].strings] == [
        "accounts:facts:x"
    ]
    assert files["src/shop/accounts/tools/link.py"].imports
    assert not files["src/shop/accounts/tests/test_link.py"].parsed
    assert files["src/shop/accounts/tests/test_refs.py"].strings
    assert not files["src/shop/accounts/tools/hooks.py"].parsed
    assert [s.value for s in files["src/shop/accounts/tools/emits.py"].strings] == ["hooked"]


def test_a_file_of_nested_domains_keeps_the_word_test(tmp_path: Path) -> None:
    """In a domain nested in another, ``from . import x`` may reach the other domain without
    naming it: such a file is parsed whenever it mentions a trigger word."""
    source = "def f(p):\n    return p.is_published\n"
    path = tmp_path / "m.py"
    path.write_text(source)
    words = (b"publish",)
    assert read_file(str(tmp_path), "m.py", TRIGGERED, "", words)[4].parsed  # type: ignore[union-attr]
    assert not read_file(str(tmp_path), "m.py", SIFTED, "", words)[4].parsed  # type: ignore[union-attr]
    assert read_file(str(tmp_path), "m.py", PARSE, "", words)[4].parsed  # type: ignore[union-attr]


def test_a_file_in_two_domain_roots_is_told_apart() -> None:
    """What makes the loader keep the word test: the file lies in more than one domain root."""
    from types import SimpleNamespace

    from slicegen.model.load import _domain_of

    outer, inner = SimpleNamespace(root="src/a"), SimpleNamespace(root="src/a/b")
    layout: Any = SimpleNamespace(domains=[outer, inner])
    roots = {"src/a": 0, "src/a/b": 1}
    assert _domain_of("src/a/b/x.py", layout, roots) == (outer, True)
    assert _domain_of("src/a/x.py", layout, roots) == (outer, False)
    assert _domain_of("src/c/x.py", layout, roots) == (None, False)


#: Trigger words as the loader passes them: the rules' needles, then other domains' names
#: (each with its upper case, as ``_domain_words`` spells them).
WORD_SETS = st.lists(
    st.sampled_from(
        [*needles_of(ALL), b"orders", b"ORDERS", b"shop_billing", b"SHOP_BILLING", b"event"]
    ),
    unique=True,
    max_size=8,
).map(tuple)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from([*SPOT_PIECES, b"orders", b"ORDERS", b"shop_billing", b":v1", b"@event"]),
        max_size=30,
    ).map(b"".join),
    WORD_SETS,
)
def test_the_one_pass_sift_finds_what_either_search_finds(
    data: bytes, words: tuple[bytes, ...]
) -> None:
    """``sifted`` settles most files by one pattern: it matches exactly where the domain-name
    search or the rules' word search does."""
    either = mentions(data, _domain_part(words)) or python_mentions(data, words)
    assert (_either_pattern(words).search(data) is not None) == either, (data, words)
