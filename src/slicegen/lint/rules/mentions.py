"""Where event and command names occur in the model: what the naming rules (SG1xx) judge.

Each mention is reported once per file and name, so a CRUD event's class and its type string in
the same file give one finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from slicegen import naming
from slicegen.lint.rule import RuleContext
from slicegen.lint.rules.evidence import Evidence, gather
from slicegen.lint.rules.mappers import mapped
from slicegen.lint.rules.parts import STORE, Part, each_part, parts_of
from slicegen.model.build import django_model
from slicegen.model.discovery import is_test, split_file_version
from slicegen.model.workspace import Artifact, Domain, FileInfo, WorkspaceModel
from slicegen.stacks.artifacts import is_retired

_VERSION_END = re.compile(r"_v\d+$")
#: What a Python event class's name may end with besides the event (``SeatBookedDomainEvent``).
_EVENT_SUFFIX = re.compile(r"(?<=[a-z0-9])(?:Domain|Integration)?Event$")
TOPIC = re.compile(r"(?P<domain>[a-z][a-z0-9_]*):facts:(?P<event>[a-z][a-z0-9_]*)")


class Mention(NamedTuple):
    path: str
    line: int
    col: int
    name: str  # snake_case, no version
    shown: str  # as written (class, module, string, folder)
    what: str  # "event", "fact", "type string", "topic", "file", "slice", "command"


_PLACE = itemgetter(0, 1, 2)  # a mention's path, line and column


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[str, str]] = set()
    out = []
    for m in sorted(mentions, key=_PLACE):
        if m.name and (m.path, m.name) not in seen:
            seen.add((m.path, m.name))
            out.append(m)
    return out


def event_mentions(
    model: WorkspaceModel, with_strings: bool = True, evidence: Evidence | None = None
) -> list[Mention]:
    """Event names: event and fact artifacts, emitted type strings, topics, evolver file names.

    An event artifact is named only when the code shows it is an event (:mod:`evidence`)."""
    evidence = evidence or gather(model.files)
    return _event_mentions(model, model.files, model.artifacts, with_strings, evidence)


#: What an aggregate defines: a struct that does is the aggregate, not an event it applies.
_APPLIES = frozenset({"apply", "apply_event", "execute"})


def _event_mentions(
    model: WorkspaceModel,
    files: dict[str, FileInfo],
    artifacts: list[Artifact],
    with_strings: bool,
    evidence: Evidence,
) -> list[Mention]:
    """:func:`event_mentions` in ``files`` (whose artifacts are ``artifacts``)."""
    out: list[Mention] = []
    for a in artifacts:
        if (a.kind == "event" and not evidence.established(model, a, files)) or is_retired(a.path):
            continue
        if a.kind in ("event", "fact") and a.business_name:
            out.append(Mention(a.path, a.line, a.col, a.business_name, a.name, a.kind))
        elif with_strings and a.kind in ("evolver", "projection") and "_to_" in a.file_stem:
            event = split_file_version(a.file_stem)[0].split("_to_", 1)[0]
            out.append(Mention(a.path, 1, 1, event, a.file_stem, "file"))
    artifact_files = {a.path for a in artifacts}
    for path, info in files.items():  # events an aggregate class declares (Python)
        if info.language == "python" and not is_test(path) and not is_retired(path):
            in_domain = path not in artifact_files and model.domain_of(path) is not None
            for d in info.definitions:
                if evidence.declared_event(d) or (
                    in_domain and evidence.event_class(d) and not django_model(d, info)
                ):
                    name = naming.to_snake(_EVENT_SUFFIX.sub("", naming.split_version(d.name)[0]))
                    out.append(Mention(path, d.line, d.col, name, d.qualname, "event"))
    # Elixir events beside their aggregate (``account.ex`` holding several) or elsewhere in a
    # tree with domains (an umbrella's shared app); a library's (no domains) are its own API
    inline = [
        (path, info)
        for path, info in files.items()
        if info.language == "elixir" and path not in artifact_files and not is_test(path)
        if not is_retired(path) and (model.domains or model.domain_of(path) is not None)
    ]
    applied = evidence.elixir_events(model) if inline else set()
    for path, info in inline:
        for d in info.definitions:
            if (
                d.name in applied
                and "__struct__" in d.functions
                and not _APPLIES & set(d.functions)
            ):
                name = naming.to_snake(_EVENT_SUFFIX.sub("", naming.split_version(d.name)[0]))
                out.append(Mention(path, d.line, d.col, name, d.qualname, "event"))
    if with_strings:
        for path, info in files.items():
            if is_retired(path):
                continue
            for s in info.strings:
                if s.role == "emit" and ":" in s.value:
                    name = s.value.split(":", 1)[0]
                    out.append(Mention(path, s.line, s.col, name, s.value, "type string"))
                elif s.role == "topic" and (m := TOPIC.fullmatch(s.value)):
                    out.append(Mention(path, s.line, s.col, m.group("event"), s.value, "topic"))
    return _dedupe(out)


def command_mentions(model: WorkspaceModel, evidence: Evidence | None = None) -> list[Mention]:
    """Command names: slice folders (reported at their command file when there is one) and
    command artifacts outside slices or named otherwise than their slice.

    A command is named only when the code shows it is one (:mod:`evidence`), a slice only when
    it holds such a command, or is under a domain's ``domain/`` folder and holds an artifact."""
    evidence = evidence or gather(model.files)
    return _command_mentions(model, model.files, model.domains, model.artifacts, evidence)


def _command_mentions(
    model: WorkspaceModel,
    files: dict[str, FileInfo],
    domains: list[Domain],
    artifacts: list[Artifact],
    evidence: Evidence,
) -> list[Mention]:
    """:func:`command_mentions` of ``domains`` and ``artifacts`` (whose records are ``files``)."""
    out: list[Mention] = []
    for dom in domains:
        for s in dom.slices:
            commands = [a for a in s.artifacts if a.kind == "command"]
            command = next((a for a in commands if evidence.established(model, a, files)), None)
            if command is None and not (s.under_domain_dir and s.artifacts):
                continue  # a folder with no command, event, handler or evolver is no slice
            base = naming.split_version(s.name)[0] if s.name[-1:].isdigit() else s.name
            base = _VERSION_END.sub("", base)
            if command is not None:
                out.append(Mention(command.path, command.line, command.col, base, s.name, "slice"))
            else:
                out.append(Mention(s.path, 1, 1, base, s.name, "slice"))
    for a in artifacts:
        if a.kind != "command" or not evidence.established(model, a, files):
            continue
        if a.business_name and a.business_name != a.slice:
            out.append(Mention(a.path, a.line, a.col, a.business_name, a.name, "command"))
    return _dedupe(out)


def events_of(ctx: RuleContext) -> list[Mention]:
    """:func:`event_mentions`, computed once per run, domain by domain (:mod:`parts`): an
    earlier run's mentions of a domain stand while its files and the tree's evidence do."""
    if "events" not in ctx.memo:
        evidence = evidence_of(ctx)
        model = ctx.model
        found = sorted(
            chain.from_iterable(
                each_part(
                    ctx,
                    "event mentions",
                    evidence_key(ctx),
                    lambda p: _event_mentions(model, p.files, p.artifacts, True, evidence),
                    evidence_stands(ctx),
                )
            ),
            key=_PLACE,
        )  # each part's are deduplicated, and a file's mentions are all in its part
        declared = [  # type strings an event type mapper gives an event
            Mention(m.path, m.line, m.col, m.value.split(":", 1)[0], m.value, "type string")
            for m in mapped(ctx)
        ]
        ctx.memo["events"] = _dedupe(found + declared) if declared else found
    result: list[Mention] = ctx.memo["events"]
    return result


def commands_of(ctx: RuleContext) -> list[Mention]:
    """:func:`command_mentions`, computed once per run, domain by domain (as :func:`events_of`)."""
    if "commands" not in ctx.memo:
        evidence, model = evidence_of(ctx), ctx.model
        found = each_part(
            ctx,
            "command mentions",
            evidence_key(ctx),
            lambda p: _command_mentions(model, p.files, p.domains, p.artifacts, evidence),
            evidence_stands(ctx),
        )  # each part's are deduplicated, and a file's mentions are all in its part
        ctx.memo["commands"] = sorted(chain.from_iterable(found), key=_PLACE)
    result: list[Mention] = ctx.memo["commands"]
    return result


def evidence_of(ctx: RuleContext) -> Evidence:
    """:func:`evidence.gather`, computed once per run from each domain's part (its Elixir
    files read with it: after an edit only the edited domain's are read again)."""
    if "evidence" not in ctx.memo:
        buffers = ctx.memo.get("buffers") or {}
        found = Evidence(buffers=buffers)
        parts = parts_of(ctx)
        gathered = each_part(ctx, "evidence", (), lambda p: gather(p.files, p.artifacts))
        for part in gathered:
            part.read(ctx.model.root, buffers)  # kept read: a part's files are never read again
            found.bases |= part.bases
            found.events |= part.events
            found.commands |= part.commands
        ctx.memo["evidence"] = found
        ctx.memo["evidence by part"] = {p.name: e for p, e in zip(parts, gathered, strict=True)}
        # what an answer that asks it depends on beyond its own part: the tree's evidence
        key = (frozenset(found.bases), frozenset(found.events), frozenset(found.commands))
        store = ctx.memo.setdefault(STORE, {})
        ctx.memo["evidence before"] = store.get("evidence")
        ctx.memo["evidence key"] = store["evidence"] = key
    result: Evidence = ctx.memo["evidence"]
    return result


def evidence_stands(ctx: RuleContext) -> Callable[[Part, object], bool]:
    """For :func:`slicegen.lint.rules.parts.each_part` with :func:`evidence_key`: whether a
    part's answer made with the run before's evidence stands, since the evidence changed only
    in names that no definition or artifact of the part has (what the answer could ask)."""
    evidence_of(ctx)
    if "evidence changed" not in ctx.memo:
        before, now = ctx.memo["evidence before"], ctx.memo["evidence key"]
        ctx.memo["evidence changed"] = (
            None
            if before is None
            else set().union(*(a ^ b for a, b in zip(before, now, strict=True)))
        )
    changed: set[str] | None = ctx.memo["evidence changed"]
    by_part: dict[str, Evidence] = ctx.memo["evidence by part"]

    def stands(part: Part, _answer: object) -> bool:
        return changed is not None and by_part[part.name].asked.isdisjoint(changed)

    return stands


def evidence_key(ctx: RuleContext) -> tuple[frozenset[str], ...]:
    """What an answer that asks :func:`evidence_of` depends on beyond its own part (see
    there): the key :func:`slicegen.lint.rules.parts.each_part` reuses it by."""
    evidence_of(ctx)
    key: tuple[frozenset[str], ...] = ctx.memo["evidence key"]
    return key
