"""The boundary rules SG501-SG506 over per-file dependency records: pure, no I/O.

Findings are reported once per file, rule and imported module (the first use; the message counts
the others), so an Elixir ``alias`` and the calls through it make one finding.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from slicegen.boundaries.records import FileDependencies, ModuleUse, Violation
from slicegen.model.domains import Domain, DomainMap, is_module_glob, module_matches

if TYPE_CHECKING:
    from slicegen.config import BoundariesConfig

FIX_PUBLIC = "use its public API '{module}' or subscribe to one of its facts"
FIX_ALLOW = (
    'declare it in [lint.boundaries] allow ({importer} = ["{imported}"]) '
    "or subscribe to one of its facts"
)
FIX_DATA = "each domain owns its data: call {module} or subscribe to one of its facts instead"


@dataclass(frozen=True, slots=True)
class _Site:
    path: str
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class Whole:
    """What judging one file reads of the others: the Python modules there are, and the domains
    mapping each table (their schemas own it)."""

    known: frozenset[str]
    mapped: dict[str, frozenset[str]]

    @classmethod
    def of(cls, files: Sequence[FileDependencies], domains: DomainMap) -> Whole:
        known = frozenset(f.module for f in files if f.stack == "python" and f.module)
        return cls(known, _mapped_tables(files, domains))

    def holds(
        self,
        before: Sequence[FileDependencies],
        after: Sequence[FileDependencies],
        domains: DomainMap,
    ) -> bool:
        """Whether it is the same after ``before``'s records are replaced by ``after``'s."""
        return _modules(before) == _modules(after) and _mapped_tables(
            before, domains
        ) == _mapped_tables(after, domains)


def _modules(files: Sequence[FileDependencies]) -> list[str]:
    return [f.module for f in files if f.stack == "python" and f.module]


def check(
    files: Sequence[FileDependencies],
    config: BoundariesConfig,
    domains: DomainMap,
    *,
    config_path: str = "slicegen.toml",
    whole: Whole | None = None,
) -> list[Violation]:
    """All boundary findings in ``files``, sorted by path, line, column and code (``whole``:
    :meth:`Whole.of` ``files``, when known)."""
    violations, edges = judge(files, config, domains, whole or Whole.of(files, domains))
    violations.extend(_cycles(edges, config, domains, config_path))
    violations.sort(key=_sort_key)
    return violations


def patched(
    old: list[Violation],
    before: Sequence[FileDependencies],
    after: Sequence[FileDependencies],
    config: BoundariesConfig,
    domains: DomainMap,
    whole: Whole,
) -> list[Violation] | None:
    """The findings :func:`check` gives once the records ``before`` (of some files) are
    replaced by ``after`` (of the same files), from ``old`` (the findings before) without
    judging the other files; None when the change can reach them: a module or a table's
    owners appear or go (``whole`` changes), or a domain edge, or its first site, changes
    (the cycles, SG503, are drawn from all edges)."""
    paths = [f.path for f in before]
    if paths != [f.path for f in after] or not whole.holds(before, after, domains):
        return None
    _, edges_before = judge(before, config, domains, whole)
    found, edges_after = judge(after, config, domains, whole)
    if edges_before != edges_after:
        return None
    mine = set(paths)
    kept = [v for v in old if v.code == "SG503" or v.path not in mine]
    return sorted(kept + found, key=_sort_key)


def _sort_key(violation: Violation) -> tuple[str, int, int, str, str]:
    v = violation
    return (v.path, v.line, v.column, v.code, v.message)


def judge(
    files: Sequence[FileDependencies], config: BoundariesConfig, domains: DomainMap, whole: Whole
) -> tuple[list[Violation], dict[tuple[str, str], _Site]]:
    """The findings of ``files`` but the cycles (each about one file), and the domain edges
    they draw (each with its first site), with the other files' ``whole``."""
    known, mapped = whole.known, whole.mapped
    edges: dict[tuple[str, str], _Site] = {}
    found: dict[tuple[str, str, str], tuple[Violation, int]] = {}

    def report(violation: Violation, target: str) -> None:
        slot = (violation.path, violation.code, target)
        if slot in found:
            first, count = found[slot]
            found[slot] = (first, count + 1)
        else:
            found[slot] = (violation, 1)

    module_layers = [layer for layer in config.layers if is_module_glob(layer)]
    for record in files:
        in_folder = domains.of_path(record.path)
        if config.covered and in_folder is None:
            uncovered = _uncovered(record, config.covered, domains)
            if uncovered is not None:
                report(uncovered, record.module)
        for use in record.uses:
            if use.type_checking and not config.type_checking_imports:
                continue
            target = _resolve(use, known)
            source = use.owner or record.module
            if module_layers:
                layered = _module_layer_violation(use, record, source, target, module_layers)
                if layered is not None:
                    report(layered, target)
            importer = in_folder or (domains.of_module(source) if source else None)
            if importer is None or domains.is_shared(target):
                continue
            imported = domains.of_module(target)
            if imported is None:
                continue
            if imported != importer and _same_namespace(record, source, imported, domains):
                continue
            site = _Site(record.path, use.line, use.column, use.text)
            if imported == importer:
                layered = _layer_violation(use, record, target, importer, domains, config)
                if layered is not None:
                    report(layered, target)
                continue
            edge = (importer.name, imported.name)
            if edge not in edges or _order(site) < _order(edges[edge]):
                edges[edge] = site
            for violation in _cross_domain(use, site, target, importer, imported, config, domains):
                report(violation, target)
        if in_folder is None:
            continue
        importer = in_folder
        for data in record.data:
            owner = (
                domains.owner_of_env(data.name)
                if data.kind == "env"
                else domains.owner_of_table(data.name, mapped.get(data.name.lower(), frozenset()))
            )
            if owner is None or owner == importer:
                continue
            site = _Site(record.path, data.line, data.column, data.text)
            what = (
                f"the database variable {data.name}"
                if data.kind == "env"
                else f"the table '{data.name}'"
            )
            report(_foreign_data(site, what, data.name, importer, owner), data.name)

    return [_with_count(v, n) for v, n in found.values()], edges


#: How a line that maps a table to a model starts: an Ecto ``schema "t"``, an Ash resource's
#: ``table "t"`` (in ``postgres do``; a migration names ``table(:t)``), SQLAlchemy's
#: ``__tablename__ = "t"``.
_MAPS_TABLE = ("schema ", "schema(", 'table "', "__tablename__")


def _same_namespace(
    record: FileDependencies, source: str, imported: Domain, domains: DomainMap
) -> bool:
    """Whether an Elixir module uses a module of its own namespace's domain, wherever its file
    lies: ArchTest's slices are namespaces (farm-sim's ``agrex_edge`` app defines
    ``Agrex.Born2Died.Aggregate``, which uses ``Agrex.Schema.Fact``: one namespace, no
    boundary crossed)."""
    return record.stack == "elixir" and bool(source) and domains.of_module(source) == imported


def _mapped_tables(
    files: Sequence[FileDependencies], domains: DomainMap
) -> dict[str, frozenset[str]]:
    """Per table, the domains whose code maps it to a schema (those own it)."""
    found: dict[str, set[str]] = {}
    for record in files:
        owner = domains.of_path(record.path)
        if owner is None:
            continue
        for data in record.data:
            if data.kind == "table" and data.text.startswith(_MAPS_TABLE):
                found.setdefault(data.name.lower(), set()).add(owner.name)
    return {table: frozenset(names) for table, names in found.items()}


def _order(site: _Site) -> tuple[str, int, int]:
    return (site.path, site.line, site.column)


def _resolve(use: ModuleUse, known: frozenset[str]) -> str:
    if use.member:
        candidate = f"{use.target}.{use.member}"
        if candidate in known:
            return candidate
    return use.target


def _with_count(violation: Violation, count: int) -> Violation:
    if count == 1:
        return violation
    message = f"{violation.message} ({count - 1} more use(s) in this file)"
    return Violation(
        violation.code, violation.path, violation.line, violation.column, message, violation.key
    )


def _violation(code: str, site: _Site, message: str, key: Iterable[str]) -> Violation:
    return Violation(code, site.path, site.line, site.column, message, (code, *key))


def _cross_domain(
    use: ModuleUse,
    site: _Site,
    target: str,
    importer: Domain,
    imported: Domain,
    config: BoundariesConfig,
    domains: DomainMap,
) -> list[Violation]:
    key = (importer.name, use.owner, imported.name, target)
    public = target == imported.module or domains.is_exported(imported, target)
    allowed = {*config.allow.get(importer.name, ()), *domains.declared.get(importer.name, ())}
    said = f"'{use.text}' in domain '{importer.name}' uses {target} of domain '{imported.name}'"
    out: list[Violation] = []
    if config.strict:
        out.append(
            _violation(
                "SG504",
                site,
                f"{said}, but [lint.boundaries] strict forbids any cross-domain use; "
                "publish a fact and subscribe to it instead",
                key,
            )
        )
    elif not public:
        fix = FIX_PUBLIC.format(module=imported.module)
        out.append(
            _violation("SG501", site, f"{said}, which is internal to '{imported.name}'; {fix}", key)
        )
    elif imported.name not in allowed:
        fix = FIX_ALLOW.format(importer=importer.name, imported=imported.name)
        out.append(_violation("SG502", site, f"{said}, an undeclared dependency; {fix}", key))
    if _is_repo(target):
        fix = FIX_DATA.format(module=imported.module)
        out.append(
            _violation(
                "SG506",
                site,
                f"'{use.text}' in domain '{importer.name}' uses the repo {target} of domain "
                f"'{imported.name}'; {fix}",
                key,
            )
        )
    return out


def _is_repo(module: str) -> bool:
    last = module.rsplit(".", 1)[-1].lower()
    return last.endswith("repo") or last in ("repository", "repositories")


def _foreign_data(site: _Site, what: str, name: str, importer: Domain, owner: Domain) -> Violation:
    fix = FIX_DATA.format(module=owner.module)
    message = (
        f"'{site.text}' in domain '{importer.name}' uses {what} of domain '{owner.name}'; {fix}"
    )
    return _violation("SG506", site, message, (importer.name, "", owner.name, name))


def _layer_violation(
    use: ModuleUse,
    record: FileDependencies,
    target: str,
    domain: Domain,
    domains: DomainMap,
    config: BoundariesConfig,
) -> Violation | None:
    if not config.layers:
        return None
    owner = use.owner or record.module
    lower = domains.layer(domain, owner)
    upper = domains.layer(domain, target)
    if lower not in config.layers or upper not in config.layers:
        return None
    if config.layers.index(lower) <= config.layers.index(upper):
        return None
    order = ", ".join(config.layers)
    message = (
        f"'{use.text}' in layer '{lower}' of domain '{domain.name}' uses {target} in layer "
        f"'{upper}' above it (layers, top first: {order}); move the code down or invert the "
        "dependency (pass a function or publish an event)"
    )
    site = _Site(record.path, use.line, use.column, use.text)
    return _violation("SG505", site, message, (domain.name, owner, domain.name, target))


def _uncovered(
    record: FileDependencies, covered: list[str], domains: DomainMap
) -> Violation | None:
    """SG507 for a file whose module a ``covered`` glob names but that no domain holds."""
    module = record.module
    if record.path.endswith(".exs"):  # scripts (mix.exs, config, migrations) are no modules
        return None
    if not module or domains.of_module(module) is not None or domains.is_shared(module):
        return None
    if not any(module_matches(module, glob) for glob in covered):
        return None
    globs = ", ".join(covered)
    message = (
        f"module {module} is in no domain, but [lint.boundaries] covered ({globs}) says every "
        "such module must be; move it into a domain, or declare its domain in "
        "[lint.boundaries] domains or namespaces"
    )
    return _violation("SG507", _Site(record.path, 1, 1, module), message, ("", module, "", ""))


def _module_layer(module: str, layers: list[str]) -> str | None:
    """The layer glob that matches ``module`` most closely (the longest one that matches)."""
    matching = [glob for glob in layers if module_matches(module, glob)]
    return max(matching, key=lambda g: len(g.replace("*", "")), default=None)


def _module_layer_violation(
    use: ModuleUse, record: FileDependencies, owner: str, target: str, layers: list[str]
) -> Violation | None:
    """SG505 for a use from a layer (a module glob) of one that is above it."""
    lower = _module_layer(owner, layers)
    upper = _module_layer(target, layers)
    if lower is None or upper is None or layers.index(lower) <= layers.index(upper):
        return None
    order = ", ".join(layers)
    message = (
        f"'{use.text}' in layer '{lower}' ({owner}) uses {target} in layer '{upper}' above it "
        f"(layers, top first: {order}); move the code down or invert the dependency (pass a "
        "function or publish an event)"
    )
    site = _Site(record.path, use.line, use.column, use.text)
    return _violation("SG505", site, message, (lower, owner, upper, target))


def _cycles(
    edges: dict[tuple[str, str], _Site],
    config: BoundariesConfig,
    domains: DomainMap,
    config_path: str,
) -> list[Violation]:
    names = {d.name for d in domains.domains}
    graph: dict[str, set[str]] = {name: set() for name in names}
    for a, b in edges:
        graph[a].add(b)
    allowed: set[tuple[str, str]] = set()
    for a, targets in [*config.allow.items(), *domains.declared.items()]:
        for b in targets:
            if a in names and b in names and a != b:
                graph[a].add(b)
                allowed.add((a, b))
    out: list[Violation] = []
    for component in _strong_components(graph):
        if len(component) < 2:
            continue
        chain = _shortest_cycle(min(component), graph, component)
        steps = list(pairwise(chain))
        evidence = []
        for a, b in steps:
            site = edges.get((a, b))
            if site is not None:
                evidence.append(f"{a} -> {b}: '{site.text}' at {site.path}:{site.line}")
            else:
                evidence.append(f"{a} -> {b}: allowed in [lint.boundaries] allow")
        located = [edges[s] for s in steps if s in edges]
        where = min(located, key=_order) if located else _Site(config_path, 1, 1, "")
        others = sorted(component - set(chain))
        also = f"; the cycle also involves {', '.join(others)}" if others else ""
        message = (
            f"domains form a cycle {' -> '.join(chain)} ({'; '.join(evidence)}){also}; break it "
            "by publishing a fact on one side and subscribing to it on the other, or merge them"
        )
        out.append(_violation("SG503", where, message, chain[:-1]))
    return out


def _strong_components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative, visiting nodes and neighbours in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
    return components


def _shortest_cycle(start: str, graph: dict[str, set[str]], within: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside ``within`` (breadth first, sorted)."""
    parents: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node] & within):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return [*reversed(path), start]
            if nxt not in seen:
                seen.add(nxt)
                parents[nxt] = node
                queue.append(nxt)
    return [start, start]  # pragma: no cover - a strong component always has a cycle
