"""English-word verdicts for the naming rules, remembered between runs.

Most verdicts come from lemminflect's tables (:mod:`slicegen.inflection_table`) in microseconds,
but a word outside them loads the library and its model; a project uses a few hundred words, so
the verdicts are kept in the lint cache and the library is asked only for a word not seen before.
"""

from __future__ import annotations

from slicegen import naming

Verdicts = dict[tuple[str, str], object]

#: The questions asked, as the cache keys them; a new name when an answer's meaning changes, so
#: that verdicts cached before are not reused.
_PARTICIPLE, _IS_PARTICIPLE, _IS_BASE = "participle", "is_participle/2", "is_base/2"
#: Words that may follow an event's participle when the name has no subject before it.
PREPOSITIONS = frozenset(
    [
        "about",
        "across",
        "after",
        "against",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "off",
        "on",
        "onto",
        "out",
        "over",
        "through",
        "to",
        "toward",
        "towards",
        "under",
        "up",
        "via",
        "with",
        "within",
        "without",
    ]
)


class Words:
    """Cached ``naming`` answers; ``changed`` tells whether the cache needs writing."""

    def __init__(self, known: Verdicts | None = None) -> None:
        self.known: Verdicts = dict(known or {})
        self.changed = False

    def _ask(self, question: str, word: str) -> object:
        key = (question, word)
        if key not in self.known:
            if question == _PARTICIPLE:
                self.known[key] = naming.past_participle(word)
            elif question == _IS_PARTICIPLE:
                self.known[key] = naming.names_a_past(word)
            else:
                self.known[key] = naming.names_an_act(word)
            self.changed = True
        return self.known[key]

    def participle(self, verb: str) -> str:
        return str(self._ask(_PARTICIPLE, verb.lower()))

    def is_past_participle(self, word: str) -> bool:
        """:func:`slicegen.naming.names_a_past`: a participle an event may be built on."""
        return bool(self._ask(_IS_PARTICIPLE, word.lower()))

    def is_base_verb(self, word: str) -> bool:
        """:func:`slicegen.naming.names_an_act`: a verb a command may start with."""
        return bool(self._ask(_IS_BASE, word.lower()))

    def singulars(self) -> dict[str, str]:
        """The singulars of noun phrases seen before (see ``design.extract.KNOWN_SINGULARS``)."""
        return {w: str(v) for (q, w), v in self.known.items() if q == "singular"}

    def learn_singulars(self, found: dict[str, str]) -> None:
        for word, value in found.items():
            if self.known.get(("singular", word)) != value:
                self.known[("singular", word)] = value
                self.changed = True

    def event_verb(self, event: str) -> str | None:
        """The past participle an event name is built on: its last word, else the first one
        after the subject (``MembersJoinedClub`` -> ``joined``) or before a preposition
        (``DepositedIntoAccount`` -> ``deposited``; ``ScheduledReport`` names a thing, not
        what happened); None when there is none."""
        parts = naming.words(naming.split_version(event)[0])
        if parts and self.is_past_participle(parts[-1]):
            return parts[-1]
        if parts[1:2] and parts[1] in PREPOSITIONS and self.is_past_participle(parts[0]):
            return parts[0]
        return next((w for w in parts[1:] if self.is_past_participle(w)), None)

    def crud_verb_in_event(self, event: str, verbs: tuple[str, ...]) -> str | None:
        """As :func:`slicegen.naming.crud_verb_in_event`, with cached participles; a participle
        inside the name (``ListingCreatedInCatalog``) counts as the event's verb too."""
        parts = naming.words(naming.split_version(event)[0])
        if not parts:
            return None
        candidates = {parts[-1], self.event_verb(event)}
        for verb in verbs:
            if verb in candidates or self.participle(verb) in candidates:
                return verb
        return None
