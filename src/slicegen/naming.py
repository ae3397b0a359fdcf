"""Names: validation, case conversion, past participles and CRUD detection.

Everything that turns a user's word into a file, module, class, event or topic name goes through
this module, so that the scaffolder and the linter agree on what a good name is.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from functools import cache, lru_cache

from slicegen.errors import SlicegenError

MAX_NAME_LENGTH = 64

#: Words Elixir reserves (they cannot be a bare atom-like identifier or function name).
ELIXIR_RESERVED = frozenset(
    {"true", "false", "nil", "when", "and", "or", "not", "in", "fn", "do", "end", "catch"}
    | {"rescue", "after", "else"}
)

#: Verbs that carry no business meaning; configurable lint settings may add more.
CRUD_VERBS = ("create", "update", "delete")

#: Extra CRUD-ish verbs users commonly add to the lint configuration.
EXTENDED_CRUD_VERBS = ("modify", "change", "save", "remove", "insert", "edit", "upsert")

#: Business verbs to suggest instead of a CRUD verb.
BUSINESS_VERBS: dict[str, tuple[str, ...]] = {
    "create": ("establish", "register", "initialize", "open", "enroll"),
    "update": ("revise", "adjust", "correct", "rename", "reschedule"),
    "delete": ("close", "archive", "cancel", "withdraw", "deactivate"),
    "modify": ("revise", "adjust", "correct"),
    "change": ("revise", "adjust", "relocate"),
    "save": ("record", "submit", "confirm"),
    "remove": ("withdraw", "revoke", "discontinue"),
    "insert": ("record", "register", "add"),
    "edit": ("revise", "correct", "amend"),
    "upsert": ("record", "register", "revise"),
}

#: Prefixes that make a verb of a verb (un+follow, re+open): a prefixed word is a verb form when
#: the rest is one.
VERB_PREFIXES = ("un", "re", "dis", "de", "pre", "mis", "over", "out", "co", "up")

#: Past participles the guideline itself uses that English dictionaries lack (``VoteCastedV1``).
GUIDELINE_PARTICIPLES = frozenset({"casted"})

_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_VERSION_SUFFIX = re.compile(r"_?v(\d+)$", re.IGNORECASE)


def quoted(text: str, limit: int = 40) -> str:
    """``text`` quoted for a one-line message (control characters escaped), at most ``limit``
    characters long: a long or hostile input is shortened with ``...``."""
    shown = repr(text)
    if len(shown) <= limit:
        return shown
    keep = min(len(text), limit)
    while keep and len(repr(text[:keep])) > limit - 3:
        keep -= 1
    return repr(text[:keep]) + "..."


def validate_name(name: str, what: str = "name") -> str:
    """Return ``name`` if it is a usable snake_case identifier; raise a clear error otherwise."""
    shown = quoted(name)
    if not name:
        raise SlicegenError(f"{what} is empty: give a snake_case name such as 'initialize_account'")
    if len(name) > MAX_NAME_LENGTH:
        raise SlicegenError(
            f"{what} {shown} is {len(name)} characters long: use at most {MAX_NAME_LENGTH}"
        )
    if "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise SlicegenError(
            f"{what} {shown} contains a path separator, '..' or NUL: give a bare snake_case name"
        )
    if not name.isascii():
        raise SlicegenError(
            f"{what} {shown} contains non-ASCII characters: use ASCII letters, digits and '_'"
        )
    if not _SNAKE.fullmatch(name):
        hint = to_snake(name) if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name) else ""
        fix = f": try '{hint}'" if hint and _SNAKE.fullmatch(hint) else ""
        raise SlicegenError(
            f"{what} {shown} is not snake_case (lower-case letters, digits, single '_' "
            f"between words, starting with a letter){fix}"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise SlicegenError(f"{what} '{name}' is a Python keyword: choose another word")
    if name in ELIXIR_RESERVED:
        raise SlicegenError(f"{what} '{name}' is an Elixir reserved word: choose another word")
    return name


#: How many names the pure string functions below remember (linting asks the same names often).
_REMEMBERED = 1 << 16


def words(name: str) -> list[str]:
    """Split snake_case, kebab-case, PascalCase or camelCase into lower-case words."""
    return list(_words(name))


@lru_cache(maxsize=_REMEMBERED)
def _words(name: str) -> tuple[str, ...]:
    parts = re.split(r"[_\-\s.]+", _CAMEL_BOUNDARY.sub("_", name))
    return tuple(p.lower() for p in parts if p)


@lru_cache(maxsize=_REMEMBERED)
def to_snake(name: str) -> str:
    """``InitializeAccountV1`` -> ``initialize_account_v1``."""
    return "_".join(words(name))


@lru_cache(maxsize=_REMEMBERED)
def to_pascal(name: str) -> str:
    """``initialize_account_v1`` -> ``InitializeAccountV1``."""
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def to_kebab(name: str) -> str:
    """``initialize_account`` -> ``initialize-account``."""
    return "-".join(words(name))


@lru_cache(maxsize=_REMEMBERED)
def split_version(name: str) -> tuple[str, int | None]:
    """``command_v2`` -> (``command``, 2); ``CastVoteV1`` -> (``CastVote``, 1); else None."""
    match = _VERSION_SUFFIX.search(name)
    if not match or match.start() == 0:
        return name, None
    return name[: match.start()], int(match.group(1))


@cache
def past_participle(verb: str) -> str:
    """The past participle of an English verb, from the inflection library (cast -> cast).

    A verb in lemminflect's table is looked up on its own line (:mod:`slicegen.inflection_table`,
    same answer, without loading numpy and the whole table); a word the table does not hold gets
    the regular form (:mod:`slicegen.inflection_rules`, what lemminflect's out-of-vocabulary
    model answers for regular verbs); any other word asks lemminflect.
    """
    from slicegen.inflection_table import table_lacks_verb, table_participles

    known = table_participles(verb.lower())
    if known is not None:
        return known[0]
    if table_lacks_verb(verb.lower()):
        from slicegen.inflection_rules import regular_participle

        return regular_participle(verb.lower())
    from lemminflect import getInflection

    forms = getInflection(verb.lower(), tag="VBN")
    if forms:
        return str(forms[0])
    return str(getInflection(verb.lower(), tag="VBN", inflect_oov=True)[0])


@cache
def is_past_participle(word: str) -> bool:
    """True if ``word`` is the past participle (or simple past) of a known English verb.

    Answered from lemminflect's tables (:mod:`slicegen.inflection_table`, same answer, without
    loading numpy and the whole tables); a word the tables cannot settle asks lemminflect.
    """
    from slicegen.inflection_table import table_is_past_participle

    word = word.lower()
    known = table_is_past_participle(word)
    if known is not None:
        return known
    from lemminflect import getAllInflections, getAllLemmas, getInflection

    for lemma in getAllLemmas(word, upos="VERB").get("VERB", ()):
        forms = set(getInflection(lemma, tag="VBN"))
        forms.update(getAllInflections(lemma, upos="VERB").get("VBD", ()))
        if word in forms:
            return True
    return False


@cache
def is_base_verb(word: str) -> bool:
    """True if ``word`` is the base form of an English verb (activate, cast, pay), answered
    from lemminflect's tables like :func:`is_past_participle`."""
    from slicegen.inflection_table import table_is_base_verb

    word = word.lower()
    known = table_is_base_verb(word)
    if known is not None:
        return known
    from lemminflect import getAllLemmas

    return word in getAllLemmas(word, upos="VERB").get("VERB", ())


@cache
def names_a_past(word: str) -> bool:
    """Whether an event may be built on ``word``: a past participle (:func:`is_past_participle`),
    one of the guideline's own forms (``casted``), a verb prefix before one (``unfollowed``), or
    an ``-ed`` word that lemminflect does not know but inflects back from its own guess at the
    verb (``favorited``: a verb made of a noun)."""
    word = word.lower()
    if is_past_participle(word) or word in GUIDELINE_PARTICIPLES:
        return True
    if _prefixed(word, names_a_past):
        return True
    if len(word) < 5 or not word.endswith("ed"):
        return False
    from lemminflect import getAllLemmas, getInflection, getLemma

    if getAllLemmas(word):
        return False  # a known word keeps the dictionary's verdict
    guesses = getLemma(word, upos="VERB", lemmatize_oov=True)
    return any(word in getInflection(g, tag="VBN", inflect_oov=True) for g in guesses)


@cache
def names_an_act(word: str) -> bool:
    """Whether a command may start with ``word``: a verb in base form (:func:`is_base_verb`), or
    a verb prefix before one (``unfollow``)."""
    word = word.lower()
    return is_base_verb(word) or _prefixed(word, names_an_act)


def _prefixed(word: str, test: Callable[[str], bool]) -> bool:
    """Whether ``word`` is a verb prefix before a word of three letters or more that passes."""
    return any(
        word.startswith(p) and len(word) - len(p) >= 3 and test(word[len(p) :])
        for p in VERB_PREFIXES
    )


@cache
def singular(name: str) -> str:
    """The singular of a snake_case noun phrase: ``loyalty_cards`` -> ``loyalty_card``.

    lemminflect's table answers without loading lemminflect (and numpy) when it can
    (:func:`slicegen.inflection_table.table_noun_lemmas`); a word the table does not hold as a
    noun gets the regular singular (:mod:`slicegen.inflection_rules`, what lemminflect's
    out-of-vocabulary model answers for regular plurals); lemminflect itself otherwise.
    """
    from slicegen.inflection_table import table_noun_lemmas

    parts = words(name)
    lemmas = table_noun_lemmas(parts[-1])
    if lemmas == ():
        from slicegen.inflection_rules import regular_singular

        lemmas = (regular_singular(parts[-1]),)
    elif lemmas is None:
        from lemminflect import getLemma

        lemmas = getLemma(parts[-1], upos="NOUN")
    parts[-1] = str(lemmas[0])
    return "_".join(parts)


def default_event(command: str) -> str:
    """The event a command emits by default: ``cast_vote`` -> ``vote_cast``.

    The first word is the verb, the rest is the noun it acts on.
    """
    parts = words(command)
    if len(parts) < 2:
        raise SlicegenError(
            f"command '{command}' has no object to name its event after: "
            "name it verb_noun (e.g. 'activate_account') or pass --event"
        )
    return "_".join([*parts[1:], past_participle(parts[0])])


def event_verb(event: str) -> str:
    """The last word of an event name: ``vote_cast`` -> ``cast``."""
    base, _ = split_version(event)
    return words(base)[-1]


def event_short_name(event: str) -> str:
    """The evolver/projection prefix of an event: ``account_initialized`` -> ``initialized``."""
    return event_verb(event)


def crud_verb_in_event(event: str, verbs: tuple[str, ...] = CRUD_VERBS) -> str | None:
    """The CRUD verb an event ends with (``ProfileCreated`` -> ``create``), or None."""
    base, _ = split_version(event)
    parts = words(base)
    if not parts:
        return None
    last = parts[-1]
    for verb in verbs:
        if last in {verb, past_participle(verb)}:
            return verb
    return None


def crud_verb_in_command(command: str, verbs: tuple[str, ...] = CRUD_VERBS) -> str | None:
    """The CRUD verb a command starts with (``create_profile`` -> ``create``), or None."""
    parts = words(split_version(command)[0])
    return parts[0] if parts and parts[0] in verbs else None


def suggest_event_names(event: str, verbs: tuple[str, ...] = CRUD_VERBS) -> list[str]:
    """Business-meaningful replacements for a CRUD event, in the caller's case style."""
    verb = crud_verb_in_event(event, verbs)
    if verb is None:
        return []
    base, version = split_version(event)
    noun = words(base)[:-1]
    out = []
    for business in BUSINESS_VERBS.get(verb, BUSINESS_VERBS["update"]):
        snake = "_".join([*noun, past_participle(business)])
        out.append(_same_style(event, snake, version))
    return out


def suggest_command_names(command: str, verbs: tuple[str, ...] = CRUD_VERBS) -> list[str]:
    """Business-meaningful replacements for a CRUD command, in the caller's case style."""
    verb = crud_verb_in_command(command, verbs)
    if verb is None:
        return []
    base, version = split_version(command)
    rest = words(base)[1:]
    return [
        _same_style(command, "_".join([business, *rest]), version)
        for business in BUSINESS_VERBS.get(verb, BUSINESS_VERBS["update"])
    ]


def _same_style(original: str, snake: str, version: int | None) -> str:
    if version is not None:
        snake = f"{snake}_v{version}"
    return to_pascal(snake) if original[:1].isupper() else snake


def event_type_string(event: str, version: int) -> str:
    """``account_initialized``, 1 -> ``account_initialized:v1``."""
    return f"{to_snake(event)}:v{version}"


def fact_topic(source_domain: str, event: str) -> str:
    """``accounts``, ``account_activated`` -> ``accounts:facts:account_activated``."""
    return f"{source_domain}:facts:{to_snake(event)}"


def fact_type_string(source_domain: str, event: str, version: int = 1) -> str:
    """``accounts``, ``account_activated`` -> ``accounts:facts:account_activated:v1``: the
    stored type string of a fact, its topic versioned like an event's."""
    return f"{fact_topic(source_domain, event)}:v{version}"
