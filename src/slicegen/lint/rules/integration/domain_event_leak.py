"""SG404 domain-event-leak."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from operator import attrgetter
from typing import Any

from slicegen.lint.finding import Finding, finding
from slicegen.lint.rule import RuleContext, Scope
from slicegen.lint.rules.mentions import evidence_key, evidence_of, evidence_stands
from slicegen.lint.rules.parts import STORE, Part, each_part
from slicegen.model.discovery import is_test
from slicegen.model.imports import elixir_targets, python_targets
from slicegen.model.reads import ALL
from slicegen.model.workspace import Artifact, Definition, WorkspaceModel

CODE = "SG404"
NAME = "domain-event-leak"
MESSAGE = "domain '{domain}' uses '{event}', a domain event of '{owner}': consume its fact"
READS = ALL  # the artifacts it judges: their kind may come from any parsed file
SCOPE = Scope.WORKSPACE  # which domain owns an event comes from every domain
EXPLANATION = """\
## What it does
Flags code in one domain that imports, aliases or calls another domain's event module or class,
or a Commanded event handler in one domain that subscribes to another domain's application
(`use Commanded.Event.Handler, application: OtherDomain.CommandedApp`). An Elixir module of the
event's domain namespace (`TrainSwarmProc.Aggregate` using `TrainSwarmProc.Activate.EvtV1`) is of
that domain wherever its file lies, as in the boundary checks: it leaks nothing.

## Why is this bad?
Domain events are a domain's private history: their shape changes with its internals. Other
domains consume facts, the published integration events, so that a domain can evolve its events
without breaking its neighbours.

## Example
```python
from shop.accounts.domain.activate_account.event_v1 import AccountActivatedV1
```

## Use instead
```python
from shop.shared.facts.accounts.account_activated_fact_v1 import AccountActivatedFactV1
```
"""


def _domain_events(ctx: RuleContext) -> list[Artifact]:
    """The events the code shows to be events of a domain (a base class in an events module,
    such as ``DomainEvent``, is none), in the model's (path) order; found domain by domain."""
    model, evidence = ctx.model, evidence_of(ctx)

    def events(part: Part) -> list[Artifact]:
        return [
            a
            for a in part.artifacts
            if a.kind == "event"
            and a.domain is not None
            and evidence.established(model, a, part.files)
        ]

    found = each_part(ctx, "domain events", evidence_key(ctx), events, evidence_stands(ctx))
    return sorted(chain.from_iterable(found), key=attrgetter("path"))


def _event_owners(stack: str, events: list[Artifact]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for a in events:
        assert a.domain is not None
        owners[a.qualname] = a.domain
        if stack == "python":
            owners[a.qualname.rpartition(".")[0]] = a.domain
    return owners


def _reach(owners: dict[str, str]) -> dict[str, str | None]:
    """Per module M: the domain owning every event that ``import M`` or ``from M import N``
    can name (M itself, or M.N), or None when they belong to several domains."""
    reach: dict[str, str | None] = {}
    for key, domain in owners.items():
        for module in (key, key.rpartition(".")[0]):
            if reach.setdefault(module, domain) != domain:
                reach[module] = None
    return reach


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Domain by domain (:mod:`parts`): a domain's findings stand while its files do, and the
    owning domain (or application) of each name its imports name (after an edit that changed
    which domain owns an event, only the domains importing that name are judged again)."""
    model = ctx.model
    owners = _event_owners(model.stack, _domain_events(ctx))
    apps = {f"{d.public_module}.CommandedApp": d.name for d in model.domains}
    reach = _reach(owners)
    store = ctx.memo.setdefault(STORE, {})
    before = store.get(CODE)  # the run before's owners, applications and reach
    store[CODE] = (owners, apps, reach)
    changed: set[str] | None = None

    def leaks(part: Part) -> tuple[list[Finding], set[str]]:
        looked: set[str] = set()
        return list(_leaks(model, part, owners, apps, reach, looked)), looked

    def stands(_part: Part, answer: tuple[list[Finding], set[str]]) -> bool:
        nonlocal changed
        if changed is None:
            changed = set() if before is None else _changed(before, (owners, apps, reach))
        return before is not None and answer[1].isdisjoint(changed)

    for found, _ in each_part(ctx, CODE, (owners, apps), leaks, stands):
        yield from found


def _changed(before: tuple[dict[str, Any], ...], now: tuple[dict[str, Any], ...]) -> set[str]:
    """The names whose entry differs between the dicts ``before`` and ``now``, pairwise."""
    return {
        name for old, new in zip(before, now, strict=True) for name, _ in old.items() ^ new.items()
    }


def _leaks(
    model: WorkspaceModel,
    part: Part,
    owners: dict[str, str],
    apps: dict[str, str],
    reach: dict[str, str | None],
    looked: set[str],
) -> Iterator[Finding]:
    """The findings on ``part``'s files; the names looked up in ``owners``, ``apps`` and
    ``reach`` are added to ``looked``."""
    for path, info in part.files.items():
        if not info.imports:
            continue
        dom = model.domain_of(path)
        if dom is None or is_test(path):
            continue
        own = dom.name
        reported: set[tuple[int, str]] = set()
        python = info.language == "python"
        spoken = set() if python else _namespace_domains(model, info.definitions)
        for ref in info.imports:
            looked.add(ref.module)
            if python:
                if (
                    reach.get(ref.module, own) == own
                    and not ref.level
                    and ref.kind != "use_option"
                    and "." not in "".join(ref.names)
                ):
                    continue  # an absolute import naming no event of another domain
                targets = python_targets(model, path, ref)
            else:
                if owners.get(ref.module, own) == own and (
                    ref.kind != "use_option" or ref.module not in apps
                ):
                    continue  # names no event of another domain, subscribes to no other app
                targets = elixir_targets(ref)
            looked.update(targets)
            for target in targets:
                owner = owners.get(target)
                subscribed = ref.kind == "use_option" and apps.get(target)
                if subscribed and subscribed != dom.name:
                    owner = subscribed
                if owner is None or owner == dom.name or (ref.line, owner) in reported:
                    continue
                if owner in spoken:
                    continue  # a module of the owner's namespace, wherever its file lies
                reported.add((ref.line, owner))
                if subscribed:
                    what = f"subscribes to the domain events of '{owner}' via '{target}'"
                else:
                    what = f"uses '{target}', a domain event of '{owner}'"
                yield finding(
                    CODE,
                    f"domain '{dom.name}' {what}: consume a fact of '{owner}' instead",
                    path,
                    ref.line,
                    ref.col,
                    dom.name,
                    target,
                )


def _namespace_domains(model: WorkspaceModel, definitions: tuple[Definition, ...]) -> set[str]:
    """The domains whose module namespace (the deepest) holds a module the Elixir file defines:
    swai's ``swai_train_swarm`` app defines ``TrainSwarmProc.ActivateLicense.Evaluator``,
    which uses ``TrainSwarmProc``'s events: one namespace, as the boundary check judges it."""
    by_module = {d.public_module: d.name for d in model.domains if d.public_module}
    found: set[str] = set()
    for definition in definitions:
        name = definition.qualname
        while name and name not in by_module:
            name = name.rpartition(".")[0]
        if name:
            found.add(by_module[name])
    return found
