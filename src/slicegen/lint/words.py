"""English-word verdicts for the naming rules, remembered between runs.

Most verdicts come from lemminflect's tables (:mod:`slicegen.inflection_table`) in microseconds,
but a word outside them loads the library and its model; a project uses a few hundred words, so
the verdicts are kept in the lint cache and the library is asked only for a word not seen before.
"""

from __future__ import annotations

from slicegen import naming

Verdicts = dict[tuple[str, str], object]


class Words:
    """Cached ``naming`` answers; ``changed`` tells whether the cache needs writing."""

    def __init__(self, known: Verdicts | None = None) -> None:
        self.known: Verdicts = dict(known or {})
        self.changed = False

    def _ask(self, question: str, word: str) -> object:
        key = (question, word)
        if key not in self.known:
            if question == "participle":
                self.known[key] = naming.past_participle(word)
            elif question == "is_participle":
                self.known[key] = naming.is_past_participle(word)
            else:
                self.known[key] = naming.is_base_verb(word)
            self.changed = True
        return self.known[key]

    def participle(self, verb: str) -> str:
        return str(self._ask("participle", verb.lower()))

    def is_past_participle(self, word: str) -> bool:
        return bool(self._ask("is_participle", word.lower()))

    def is_base_verb(self, word: str) -> bool:
        return bool(self._ask("is_base", word.lower()))

    def singulars(self) -> dict[str, str]:
        """The singulars of noun phrases seen before (see ``design.extract.KNOWN_SINGULARS``)."""
        return {w: str(v) for (q, w), v in self.known.items() if q == "singular"}

    def learn_singulars(self, found: dict[str, str]) -> None:
        for word, value in found.items():
            if self.known.get(("singular", word)) != value:
                self.known[("singular", word)] = value
                self.changed = True

    def crud_verb_in_event(self, event: str, verbs: tuple[str, ...]) -> str | None:
        """As :func:`slicegen.naming.crud_verb_in_event`, with cached participles."""
        parts = naming.words(naming.split_version(event)[0])
        if not parts:
            return None
        last = parts[-1]
        for verb in verbs:
            if last == verb or last == self.participle(verb):
                return verb
        return None
