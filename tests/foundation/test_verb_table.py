"""``is_past_participle`` and ``is_base_verb`` read from the tables agree with lemminflect for
every word form lemminflect knows, and for words and inputs it does not."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import lemminflect
import pytest

from slicegen import inflection_table, naming
from slicegen.inflection_table import (
    table_is_base_verb,
    table_is_past_participle,
    table_noun_lemma,
)

RESOURCES = Path(lemminflect.__file__).parent / "resources"

#: Words outside the tables, capitalised words and inputs no table line could hold.
ODD = [
    "",
    "zorblify",
    "zorblified",
    "Registered",
    "CAST",
    "Dared",
    "ok'd",
    "okayed",
    "AMERICANIZED",
    " cast",
    "cast ",
    "ca,st",
    "cast\nverb",
    "cast/cost",
    "puréed",
    "formulæ",
    "İnvested",
    "\u03d2",
    "\ud800",
    "é",
    "ǅ",
    "ß",
    "'d",
    "'s",
    "-",
    ",",
    "\n",
    "zzzzzz",
    "aaaa",
    "a",
]


def _reference_is_past_participle(word: str) -> bool:
    """The implementation before the table, asking lemminflect."""
    word = word.lower()
    for lemma in lemminflect.getAllLemmas(word, upos="VERB").get("VERB", ()):
        forms = set(lemminflect.getInflection(lemma, tag="VBN"))
        forms.update(lemminflect.getAllInflections(lemma, upos="VERB").get("VBD", ()))
        if word in forms:
            return True
    return False


def _reference_is_base_verb(word: str) -> bool:
    """The implementation before the table, asking lemminflect."""
    word = word.lower()
    return word in lemminflect.getAllLemmas(word, upos="VERB").get("VERB", ())


@cache
def _every_word() -> list[str]:
    """Every word and form in lemminflect's tables and overrides, some in other cases too."""
    found: set[str] = set()
    for name in ("lemma_lu.csv.gz", "infl_lu.csv.gz"):
        with gzip.open(RESOURCES / name, "rt", encoding="utf-8") as table:
            for line in table:
                word, _, *forms = line.strip().split(",")
                found.add(word)
                found.update(spelling for column in forms for spelling in column.split("/"))
    for name in ("lemma_overrides.csv", "infl_overrides.csv"):
        for line in (RESOURCES / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                word, _, form = line.strip().split(",")
                found.update((word, form))
    ordered = sorted(found)
    return ordered + [w.capitalize() for w in ordered[::97]] + [w.upper() for w in ordered[::89]]


def _check(
    new: Callable[[str], bool],
    table: Callable[[str], bool | None],
    reference: Callable[[str], bool],
) -> list[str]:
    """Assert ``new`` equals ``reference`` for every word; return the words the table left open."""
    words = _every_word() + ODD
    wrong = [w for w in words if new(w) != reference(w)]
    assert not wrong, wrong[:20]
    return [w for w in words if table(w.lower()) is None]


def test_is_base_verb_matches_lemminflect_for_every_word() -> None:
    left = _check(naming.is_base_verb.__wrapped__, table_is_base_verb, _reference_is_base_verb)
    assert len(_every_word()) > 60_000
    assert set(left) <= {w.lower() for w in ODD}  # the whole vocabulary is answered by the table


def test_is_past_participle_matches_lemminflect_for_every_word() -> None:
    left = _check(
        naming.is_past_participle.__wrapped__,
        table_is_past_participle,
        _reference_is_past_participle,
    )
    vocabulary = [w for w in left if w not in {o.lower() for o in ODD}]
    assert len(vocabulary) < 50, vocabulary  # only words of out-of-vocabulary lemmas defer


@pytest.mark.parametrize(
    ("word", "participle", "base"),
    [
        ("cast", True, True),
        ("registered", True, False),
        ("register", False, True),
        ("been", True, False),
        ("could", True, False),  # the hard-coded simple past of "can"
        ("gotten", True, False),  # an override
        ("account", False, True),
        ("accounts", False, False),
    ],
)
def test_table_answers_without_lemminflect(word: str, participle: bool, base: bool) -> None:
    assert table_is_past_participle(word) is participle
    assert table_is_base_verb(word) is base


def test_inputs_the_tables_cannot_hold_are_left_to_lemminflect() -> None:
    for word in (" cast", "ca,st", "cast\nverb", "\ud800", "\u03d2"):
        assert table_is_base_verb(word) is None
        assert table_is_past_participle(word) is None


def test_noun_lemma_matches_lemminflect_for_every_word() -> None:
    answered = 0
    for word in _every_word() + ODD:
        word = word.lower()
        fast = table_noun_lemma(word)
        known = lemminflect.getAllLemmas(word, upos="NOUN").get("NOUN")
        if fast is not None:
            answered += 1
            assert fast == lemminflect.getLemma(word, upos="NOUN")[0], word
        elif known and word.strip() == word and "," not in word and "\n" not in word:
            assert word.isupper() or word[:1].isupper(), word  # only odd case styles defer
    assert answered > 30_000


def test_a_table_not_known_to_be_sorted_is_checked_before_use(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(inflection_table, "_KNOWN_SORTED", frozenset())
    inflection_table._table.cache_clear()
    try:
        assert table_is_past_participle("registered") is True  # checked, sorted, used
        shuffled = tmp_path / "resources"
        shuffled.mkdir()
        for name in ("lemma_lu.csv.gz", "infl_lu.csv.gz"):
            lines = gzip.decompress((RESOURCES / name).read_bytes()).splitlines(keepends=True)
            (shuffled / name).write_bytes(gzip.compress(b"".join(reversed(lines))))
        monkeypatch.setattr(inflection_table, "_resources", lambda: shuffled)
        inflection_table._table.cache_clear()
        assert table_is_past_participle("registered") is None  # unsorted: left to lemminflect
        assert naming.is_past_participle.__wrapped__("registered") is True
    finally:
        inflection_table._table.cache_clear()


@pytest.mark.parametrize(
    "phrase",
    [
        "accounts",
        "loyalty_cards",
        "billing",
        "shipping",
        "inventories",
        "people",
        "refunds",
        "analyses",
        "data",
        "news",
        "order_lines",
        "zorblifies",
        "widgets",
        "gizmo_boxes",
        "kubernetes_clusters",
    ],
)
def test_singular_equals_lemminflect(phrase: str) -> None:
    parts = naming.words(phrase)
    parts[-1] = str(lemminflect.getLemma(parts[-1], upos="NOUN")[0])
    assert naming.singular(phrase) == "_".join(parts)


def test_singular_of_a_word_outside_the_table_leaves_the_table_unloaded() -> None:
    """``widgets`` is guessed by lemminflect's model without parsing its whole lemma table."""
    code = (
        "from lemminflect import Lemmatizer\n"
        "from slicegen import naming\n"
        "print(naming.singular('blue_widgets'), hasattr(Lemmatizer(), 'lemma_dict'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["blue_widget", "False"]
