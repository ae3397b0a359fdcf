"""The regular inflection rules agree with lemminflect's out-of-vocabulary model, which they stand
in for: on every noun and verb of lemminflect's own tables (asked as if the tables lacked them),
and on invented words, where slicegen now answers without loading lemminflect or numpy."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import lemminflect
import pytest

from slicegen import naming
from slicegen.inflection_rules import regular_participle, regular_singular

RESOURCES = Path(lemminflect.__file__).parent / "resources"
INVENTED = ["florbs", "widgets", "zorbs", "glimmerboxes", "quibbities", "snarfles", "plonks"]


def _table() -> list[list[str]]:
    with gzip.open(RESOURCES / "infl_lu.csv.gz", "rt", encoding="utf-8") as table:
        return [line.strip().split(",") for line in table]


def _plain(word: str) -> bool:
    return word.isascii() and word.isalpha()


def _agreement(pairs: dict[str, tuple[str, str]]) -> tuple[float, list[str]]:
    differ = sorted(w for w, (ours, theirs) in pairs.items() if ours != theirs)
    return 1 - len(differ) / len(pairs), differ


def test_plurals_agree_with_the_out_of_vocabulary_model() -> None:
    words = {
        form.lower()
        for columns in _table()
        if columns[1] == "noun"
        for form in [columns[0], *columns[2].split("/")]
        if _plain(form)
    }
    assert len(words) > 30_000
    pairs = {}
    for word in words:
        theirs = lemminflect.getAllLemmasOOV(word, "NOUN").get("NOUN")
        if theirs:
            pairs[word] = (regular_singular(word), theirs[0])
    rate, differ = _agreement(pairs)
    assert rate > 0.97, differ[:50]
    # where they differ, the model knows an irregular form no suffix rule can tell
    for word in ("analyses", "automata", "formulae"):
        assert word in differ


def test_participles_agree_with_the_out_of_vocabulary_model() -> None:
    verbs = {c[0].lower() for c in _table() if c[1] == "verb" and _plain(c[0])}
    assert len(verbs) > 6_000
    pairs = {}
    for verb in verbs:
        theirs = lemminflect.getAllInflectionsOOV(verb, "VERB").get("VBN")
        if theirs:
            pairs[verb] = (regular_participle(verb), theirs[0])
    rate, differ = _agreement(pairs)
    assert rate > 0.985, differ[:50]
    # the model doubles after a stressed last syllable whose spelling it learned (``abet``);
    # the rules know the commonest such endings (``admit``)
    assert "abet" in differ and "admit" not in differ


@pytest.mark.parametrize("word", INVENTED)
def test_invented_plurals_match_lemminflect(word: str) -> None:
    assert naming.singular(word) == lemminflect.getLemma(word, upos="NOUN")[0]


@pytest.mark.parametrize("verb", ["zorblify", "florb", "snarf", "glim", "blorp"])
def test_invented_verbs_match_lemminflect(verb: str) -> None:
    assert naming.past_participle(verb) == lemminflect.getInflection(verb, tag="VBN")[0]


def test_an_invented_word_loads_neither_lemminflect_nor_numpy() -> None:
    script = (
        "import sys\nfrom slicegen import naming\n"
        "print(naming.singular('loyalty_florbs'), naming.past_participle('zorblify'))\n"
        "assert 'lemminflect' not in sys.modules and 'numpy' not in sys.modules, 'loaded'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["loyalty_florb", "zorblified"]
