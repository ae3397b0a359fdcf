"""A cheap text test for whether a Python or Elixir file can matter to the boundary rules at all.

A file can only yield a finding or a dependency edge if its text names another domain's module
(``shop.accounts...``, or a package above the domains as in ``from shop import accounts``), has a
relative import that climbs out of its own domain, or mentions data (a database variable, an
Alembic ``op.`` call). With layers declared, or whenever files outside domain folders
count (see :func:`slicegen.boundaries.collect.reads_everything`), every file matters. The
test is conservative: names in strings or comments count too. Files that fail it are not
parsed by :func:`run`.

Every module an Elixir file uses starts with a segment written in it (aliases, ``as:`` names,
``__MODULE__`` and nesting only rearrange segments of the text), so it can name another domain
only if its text holds that domain's first segment (``ReckonBilling``); a table can be
another domain's only if a table call names it (``execute``, ``table``, ``index``,
``references``, ``constraint``, ``schema``) and the lowercased text holds another domain's name (or,
with a ``schema``, its own: the schemas mapping a table decide who owns it), or ``tables`` globs
are configured.
"""

from __future__ import annotations

import hashlib
import re

from slicegen.model.domains import Domain, DomainMap

_RELATIVE = re.compile(r"from[ \t]+(\.+)")
#: ``"from ." in text or "from\t." in text`` in one search (``re`` skips to each ``from``)
_RELATIVE_HERE = re.compile(r"from[ \t]\.")
#: Calls whose first argument the Elixir extractor reads as a table name or SQL.
_TABLE_CALLS = ("execute", "table", "index", "references", "constraint", "schema")
_OP_CALL = re.compile(r"op\.\w+\(")  # its word boundary before: see _op_call


class Relevance:
    """Decides, per file, whether extraction can change the result."""

    def __init__(self, domains: DomainMap, *, layers: bool) -> None:
        self.domains = domains
        self.everything = layers
        python = [d for d in domains.domains if d.stack == "python"]
        heads = sorted({d.module.split(".", 1)[0] for d in python})
        if any(d.path.startswith("src/") for d in python):
            heads.append("src")  # ``from src.contexts.users import x`` (see DomainMap.of_module)
        self.roots = [d.module for d in python]
        self.names = (
            re.compile(r"(?:" + "|".join(re.escape(h) for h in heads) + r")(?:\.\w+)*")
            if heads
            else None
        )
        self.verdicts: dict[tuple[str, str], bool] = {}
        #: What every verdict depends on besides the file: cached verdicts hold only under it.
        self.key = hashlib.blake2b(
            repr(
                (
                    domains.domains,
                    domains.shared,
                    sorted(domains.tables.items()),
                    domains.app,
                    layers,
                )
            ).encode(),
            digest_size=8,
        ).hexdigest()
        self.foreign_words: dict[str, tuple[re.Pattern[str] | None, tuple[str, ...]]] = {}

    def matters(
        self, rel: str, text: str, module: str, is_package: bool, own: Domain | None
    ) -> bool:
        """Whether the file at ``rel`` can yield a finding or an edge, by its language."""
        if rel.endswith(".py"):
            return self.python(text, module, is_package, own)
        return self.elixir(text, own)

    def python(self, text: str, module: str, is_package: bool, own: Domain | None) -> bool:
        if self.everything:
            return True
        if own is None:
            return False  # code outside every domain is never judged
        if "_DATABASE_URL" in text:
            return True
        if "op." in text and _op_call(text):
            return True
        if _RELATIVE_HERE.search(text):
            package_parts = module.count(".") + (1 if is_package else 0)
            climb = package_parts - own.module.count(".")
            if any(len(m.group(1)) > climb for m in _RELATIVE.finditer(text)):
                return True
        if self.names is None:
            return False
        for match in self.names.finditer(text):
            start = match.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "._"):
                continue
            if self.foreign(match.group(0), own):
                return True
        return False

    def elixir(self, text: str, own: Domain | None) -> bool:
        """Whether an Elixir file's record can yield a finding or an edge (see the module doc)."""
        if self.everything:
            return True
        if own is None:
            return False
        if "_DATABASE_URL" in text:
            return True
        heads, names = self._foreign_words(own)
        if heads is not None and heads.search(text) is not None:
            return True
        if not any(call in text for call in _TABLE_CALLS):
            return False
        if any(self.domains.tables.values()):
            return True
        lowered = text.lower()
        if "schema" in text and own.name.lower() in lowered:
            return True  # a schema mapping its own table decides who owns the table
        return any(name in lowered for name in names)

    def _foreign_words(self, own: Domain) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
        """A pattern for the first module segments of the domains other than ``own`` (one
        shared with ``own`` counts) and their lowercased names (memoised). Any occurrence
        counts, even inside a longer word: the test stays conservative."""
        words = self.foreign_words.get(own.name)
        if words is None:
            others = [d for d in self.domains.domains if d != own]
            heads = sorted({d.module.split(".", 1)[0] for d in others})
            pattern = re.compile("|".join(re.escape(h) for h in heads)) if heads else None
            names = tuple(sorted({d.name.lower() for d in others}))
            words = self.foreign_words[own.name] = (pattern, names)
        return words

    def foreign(self, name: str, own: Domain) -> bool:
        """Whether ``name`` may denote another domain (memoised)."""
        key = (name, own.name)
        verdict = self.verdicts.get(key)
        if verdict is None:
            found = self.domains.of_module(name)
            if found is None:
                verdict = any(root.startswith(name + ".") for root in self.roots)
            else:
                verdict = found != own and not self.domains.is_shared(name)
            self.verdicts[key] = verdict
        return verdict


def _op_call(text: str) -> bool:
    """``\\bop\\.\\w+\\(`` searched fast: the search skips to each ``op.`` by its literal
    prefix and matches the call whole (``shop.accounts`` has none: one search settles most
    texts); the word boundary before a match is checked by hand (``\\w`` is ``isalnum()`` or
    ``_``)."""
    match = _OP_CALL.search(text)
    while match is not None:
        at = match.start()
        before = text[at - 1] if at else ""
        if not (before.isalnum() or before == "_"):
            return True
        match = _OP_CALL.search(text, at + 1)
    return False
