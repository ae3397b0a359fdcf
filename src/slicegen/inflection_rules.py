"""Regular English inflection, for words lemminflect's tables do not hold.

For such a word lemminflect asks its out-of-vocabulary model: a small neural network that picks
one suffix rule (remove some letters, add some, maybe double the last consonant), run with numpy
after its tables are loaded (``new-domain`` of such a name: 13 MiB more peak memory, ~60 ms more
CPU). For the regular plurals and past participles of English the rules below give the same
answers without it; measured against the model's own answers for every noun and verb of its
tables (``tests/foundation/test_inflection_rules.py``): 97.3% of 38,533 nouns and 98.6% of 6,473
verbs agree. The model differs on words whose form is not regular (Latin and Greek plurals:
``analyses`` -> ``analysis``, ``automata`` -> ``automaton``; proper names ending in ``-s``;
``-ses`` words, which it splits by spelling) and on verbs stressed on the last syllable (``abet``
-> ``abetted``, ``format`` -> ``formatted``; the rules know the commonest such endings, ``admit``
-> ``admitted``), which no suffix rule can tell apart. Words like those are in lemminflect's
tables, and the tables answer them; a name that is not (an invented word) gets the regular
form, the same on every machine.
"""

from __future__ import annotations

import re

_DOUBLED = re.compile(r"(?:^|[^aeiou])[aeiou][^aeiouwxy]$")  # one vowel, then one consonant
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
#: endings of verbs stressed on the last syllable, whose final consonant doubles (``permit``)
_STRESSED = ("mit", "fit", "pel", "cur")
#: plural endings that add ``-es`` (``boxes``, ``branches``, ``buses``)
_ES = ("sses", "shes", "ches", "xes", "zzes", "tzes", "uses")


def regular_singular(noun: str) -> str:
    """The singular of a lower-case regular plural (``widgets`` -> ``widget``, ``parties`` ->
    ``party``, ``boxes`` -> ``box``); a word that is no plural as it is (``status``)."""
    if len(noun) < 3 or not noun.endswith("s") or noun.endswith(("ss", "us", "is")):
        return noun
    if noun.endswith("ies"):
        return noun[:-3] + "y" if len(noun) > 4 else noun[:-1]
    if noun.endswith(_ES):
        return noun[:-2]
    return noun[:-1]


def regular_participle(verb: str) -> str:
    """The past participle of a lower-case regular verb (``zorblify`` -> ``zorblified``,
    ``florb`` -> ``florbed``, ``stab`` -> ``stabbed``, ``sync`` -> ``synced``)."""
    if verb.endswith("e"):
        return verb + "d"
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    single = len(_VOWEL_GROUPS.findall(verb[:-1])) == 1
    if _DOUBLED.search(verb) and (single or verb.endswith(_STRESSED)):
        return verb + verb[-1] + "ed"
    return verb + "ed"
