"""A workspace rule's work split by domain, so that a re-lint redoes only the edited domain's part.

A re-lint (:mod:`slicegen.lint.delta`) rebuilds the edited domain's objects and shares every
other domain's (its :class:`~slicegen.model.workspace.Domain` and its files' records) with the
run before. A :class:`Part` is the files and artifacts of one domain that stands alone, or of the
rest of the tree; :func:`each_part` gives ``compute(part)`` for every part, reusing an earlier
run's answer for a part made from the same objects and computed with an equal ``key`` (what else
the answer read, e.g. the tree's evidence). The rules combine the parts' answers (cheaply: there
are as many as domains).

Both memos live in ``ctx.memo[STORE]``, a dict the engine hands from a run to its re-lints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from slicegen.lint.rule import RuleContext
from slicegen.model.workspace import Artifact, Domain, FileInfo, WorkspaceModel

#: Where the memos are kept in the rule context's memo.
STORE = "parts"
#: Where a re-lint puts the domain it rebuilt: (its root, the model of its files alone).
EDITED = "edited domain"
T = TypeVar("T")


@dataclass(eq=False)
class Part:
    """One domain's files and artifacts (``name`` is its root), or the rest of the tree ("")."""

    name: str
    made_from: object  # the Domain (or, for the rest, the walk's list of paths)
    files: dict[str, FileInfo]
    artifacts: list[Artifact]
    domains: list[Domain]  # the domain, or the domains in the rest (in the model's order)


def standalone_roots(domains: Iterable[Any], facts_dir: str | None) -> frozenset[str]:
    """Roots of the domains whose files can be modelled alone: their root and name are no
    other domain's, no other domain's root lies in or around theirs, and the facts folder is
    outside them (``domains``: anything with a ``name`` and a ``root``)."""
    listed = list(domains)
    roots: dict[str, int] = {}
    names: dict[str, int] = {}
    for d in listed:
        roots[d.root] = roots.get(d.root, 0) + 1
        names[d.name] = names.get(d.name, 0) + 1
    around = {a for r in roots for a in _folders_above(r)}
    return frozenset(
        d.root
        for d in listed
        if d.root
        and roots[d.root] == 1
        and names[d.name] == 1
        and d.root not in around  # no other domain inside it
        and not any(a in roots for a in _folders_above(d.root))  # nor around it
        and not (facts_dir is not None and _overlaps(facts_dir, d.root))
    )


def _folders_above(rel: str) -> list[str]:
    return [rel.rsplit("/", n)[0] for n in range(1, rel.count("/") + 1)]


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/") or not a or not b


def root_of(rel: str, roots: frozenset[str]) -> str | None:
    """The root in ``roots`` holding the file ``rel``, if any."""
    end = rel.rfind("/")
    while end > 0:
        if rel[:end] in roots:
            return rel[:end]
        end = rel.rfind("/", 0, end)
    return None


def _folder_roots(roots: frozenset[str]) -> Callable[[str], str]:
    """``root_of(rel, roots) or ""``, found once per folder: it depends on the folders above
    ``rel`` alone, which a file shares with every file beside it."""
    found: dict[str, str] = {}

    def part_of(rel: str) -> str:
        folder = rel.rpartition("/")[0]
        root = found.get(folder)
        if root is None:
            root = found[folder] = root_of(rel, roots) or ""
        return root

    return part_of


def parts_of(ctx: RuleContext) -> list[Part]:
    """The model's parts (the domains that stand alone, by root, then the rest), kept from the
    run before where the domain (or the walk) is the same object."""
    if "parts now" in ctx.memo:
        now: list[Part] = ctx.memo["parts now"]
        return now
    model = ctx.model
    kept: dict[str, Part] = ctx.memo.setdefault(STORE, {}).setdefault("parts", {})
    owners = {d.root: d for d in model.domains}
    roots = standalone_roots(model.domains, model.facts_dir)
    wanted: dict[str, object] = {r: owners[r] for r in sorted(roots)}
    wanted[""] = model.paths
    stale = [r for r, src in wanted.items() if r not in kept or kept[r].made_from is not src]
    if "" in stale:  # a new tree: one pass over every file
        part_of = _folder_roots(roots)
        groups: dict[str, dict[str, FileInfo]] = {r: {} for r in wanted}
        for path, info in model.files.items():
            groups[part_of(path)][path] = info
        arts: dict[str, list[Artifact]] = {r: [] for r in wanted}
        for a in model.artifacts:
            arts[part_of(a.path)].append(a)
        kept.clear()
        rest = [d for d in model.domains if d.root not in roots]
        kept.update(
            (r, Part(r, src, groups[r], arts[r], [owners[r]] if r else rest))
            for r, src in wanted.items()
        )
    else:
        edited: tuple[str, WorkspaceModel] | None = ctx.memo.get(EDITED)
        for r in stale:
            if edited is not None and edited[0] == r:  # its files and artifacts, as rebuilt
                files, mine = edited[1].files, edited[1].artifacts
            else:
                prefix = r + "/"
                files = {p: i for p, i in model.files.items() if p.startswith(prefix)}
                mine = [a for a in model.artifacts if a.path.startswith(prefix)]
            kept[r] = Part(r, wanted[r], files, mine, [owners[r]])
        for r in [r for r in kept if r not in wanted]:
            del kept[r]
    now = ctx.memo["parts now"] = [kept[r] for r in wanted]
    return now


def each_part(
    ctx: RuleContext,
    name: str,
    key: object,
    compute: Callable[[Part], T],
    stands: Callable[[Part, T], bool] | None = None,
) -> list[T]:
    """``compute(part)`` for each of :func:`parts_of`, in order; an answer an earlier run gave
    for the same part and an equal ``key`` (by ``==``) is reused (``key`` None: never reused),
    and so is one the last run gave when ``stands(part, answer)`` says the change of key
    since cannot change it (what it read of the key did not change)."""
    store = ctx.memo.setdefault(STORE, {})
    answers: dict[tuple[str, str], tuple[Part, Any, Any]] = store.setdefault("answers", {})
    keys: dict[str, object] = store.setdefault("keys", {})
    last = keys.get(name)
    if key is not None and last is not None and last is not key and last == key:
        key = last  # compared once: each part's answer is then checked by identity
    keys[name] = key
    out: list[T] = []
    for part in parts_of(ctx):
        hit = answers.get((name, part.name))
        if key is not None and hit is not None and hit[0] is part:
            if hit[1] == key:
                out.append(hit[2])
                continue
            if stands is not None and last is not None and hit[1] is last and stands(part, hit[2]):
                answers[(name, part.name)] = (part, key, hit[2])
                out.append(hit[2])
                continue
        value = compute(part)
        answers[(name, part.name)] = (part, key, value)
        out.append(value)
    return out


def sealed_parts(store: dict[str, Any], root: str, sources: frozenset[str]) -> dict[str, Any]:
    """A copy of the memos ``store`` (:data:`STORE`) whose parts hold the records of the part
    at ``root`` and of the rest only (the others' files are :class:`SealedFiles` holding none);
    each part's answers are kept (see :func:`slicegen.lint.delta.sealed`)."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in store.items()}
    kept: dict[str, Part] = out.get("parts", {})
    now = {
        r: p if r in ("", root) else replace(p, files=SealedFiles({}, sources))
        for r, p in kept.items()
    }
    out["parts"] = now
    answers: dict[tuple[str, str], tuple[Part, Any, Any]] = out.get("answers", {})
    for (name, r), (part, key, value) in answers.items():
        if part is kept.get(r):  # an answer for the part as it is: for its sealed copy now
            answers[name, r] = (now[r], key, value)
    return out


class WholeTreeRead(Exception):
    """A rule read the record of a file outside the parts a re-lint has (:class:`SealedFiles`):
    the re-lint cannot answer, a full run must."""


class SealedFiles(dict[str, FileInfo]):
    """The model's ``files`` in a re-lint that holds the records of some files only (the edited
    domain's, the rest of the tree's): those are looked up as in a dict; asking for the record
    of another of the tree's source files (``sources``), or going over all of them, raises
    :class:`WholeTreeRead`. A rule reads other domains' records through :func:`each_part`,
    whose answers for them were kept. Membership and size are the tree's, not the records'."""

    def __init__(self, records: dict[str, FileInfo], sources: frozenset[str]) -> None:
        super().__init__(records)
        self.sources = sources

    def __missing__(self, path: str) -> FileInfo:
        if path in self.sources:
            raise WholeTreeRead(path)
        raise KeyError(path)

    def get(self, path: str, default: Any = None) -> Any:
        if dict.__contains__(self, path):
            return dict.__getitem__(self, path)
        if path in self.sources:
            raise WholeTreeRead(path)
        return default

    def __contains__(self, path: object) -> bool:
        return path in self.sources or dict.__contains__(self, path)

    def __len__(self) -> int:
        return len(self.sources)

    def __iter__(self) -> Any:
        raise WholeTreeRead("every file")

    def keys(self) -> Any:
        raise WholeTreeRead("every file")

    def values(self) -> Any:
        raise WholeTreeRead("every file")

    def items(self) -> Any:
        raise WholeTreeRead("every file")

    def copy(self) -> Any:
        raise WholeTreeRead("every file")
