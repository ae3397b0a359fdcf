"""The one-line table lookup gives exactly lemminflect's past participles."""

from __future__ import annotations

import gzip
from pathlib import Path

import lemminflect
import pytest

from slicegen import naming
from slicegen.inflection_table import table_participles

RESOURCES = Path(lemminflect.__file__).parent / "resources"


def _table_verbs() -> list[str]:
    """Every word with a verb line in lemminflect's table or an entry in its overrides."""
    with gzip.open(RESOURCES / "infl_lu.csv.gz", "rt", encoding="utf-8") as table:
        words = {line.split(",", 1)[0] for line in table if line.split(",")[1] == "verb"}
    overrides = (RESOURCES / "infl_overrides.csv").read_text(encoding="utf-8").splitlines()
    words.update(line.split(",", 1)[0] for line in overrides if line.strip())
    return sorted(words)


def test_every_word_of_the_table_matches_lemminflect() -> None:
    answered = 0
    for word in _table_verbs():
        fast = table_participles(word)
        if fast is not None:
            answered += 1
            assert fast == lemminflect.getInflection(word, tag="VBN"), word
    assert answered > 6000  # every verb of the table is answered without lemminflect


@pytest.mark.parametrize("verb", ["be", "can", "zorblify", "create", "Register", "fit", "get"])
def test_past_participle_agrees_with_lemminflect(verb: str) -> None:
    expected = lemminflect.getInflection(verb.lower(), tag="VBN", inflect_oov=True)
    assert naming.past_participle(verb) == expected[0]


def test_words_outside_the_table_are_left_to_lemminflect() -> None:
    assert table_participles("zorblify") is None
    assert table_participles("abdomen") is None  # a noun: lemminflect's out-of-vocabulary rules
    assert table_participles("be") is None  # hard-coded by lemminflect, not in its table
    assert table_participles("cast") == ("cast",)
    assert table_participles("register") == ("registered",)  # the simple past, as lemminflect
