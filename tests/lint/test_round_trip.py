"""Round trip, for each stack: every artifact kind generated through the real CLI is read back
(``model.load`` + ``build``) as the model that was requested."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from slicegen import naming
from slicegen.config import find_config
from slicegen.model.load import load_model
from slicegen.model.workspace import WorkspaceModel
from tests.conftest import RunCli


@dataclass(frozen=True)
class SliceRequest:
    command: str
    event: str
    projections: tuple[str, ...] = ()  # the first by ``add-slice -p``, the rest by add-projection
    versions: int = 1  # the later ones by ``add-version -f``
    policy_on: tuple[str, str] | None = None  # (domain, event) of a fact: ``add-policy --on``


@dataclass(frozen=True)
class DomainRequest:
    name: str
    slices: tuple[SliceRequest, ...]
    facts: tuple[str, ...] = ()  # events published by ``add-fact``


REQUEST = (
    DomainRequest(
        "accounts",
        (
            SliceRequest("initialize_account", "account_initialized", ("summary", "audit"), 3),
            SliceRequest("activate_account", "account_activated", ("status",)),
            SliceRequest("close_account", "account_closure_recorded"),  # a non-derived event
        ),
        facts=("account_activated", "account_initialized"),
    ),
    DomainRequest(
        "profiles",
        (
            SliceRequest("establish_profile", "profile_established"),
            SliceRequest(
                "retire_profile", "profile_retired", policy_on=("accounts", "account_initialized")
            ),
        ),
    ),
)


def steps(request: tuple[DomainRequest, ...]) -> list[tuple[str, ...]]:
    """The CLI calls that make ``request``: domains and slices first, then facts and policies."""
    out: list[tuple[str, ...]] = []
    for dom in request:
        out.append(("new-domain", dom.name))
        for s in dom.slices:
            first = ("-p", s.projections[0]) if s.projections else ()
            out.append(("add-slice", dom.name, s.command, "--event", s.event, *first))
            out += [("add-projection", dom.name, s.command, p) for p in s.projections[1:]]
            # each later version adds a field (a repeated add-version without one is a no-op)
            out += [
                ("add-version", dom.name, s.command, "-f", f"note_{n}:str")
                for n in range(2, s.versions + 1)
            ]
    for dom in request:
        out += [("add-fact", dom.name, event) for event in dom.facts]
    for dom in request:
        for s in dom.slices:
            if s.policy_on is not None:
                on = ":".join(s.policy_on)
                out.append(("add-policy", dom.name, s.command, "--on", on))
    return out


def expected(request: tuple[DomainRequest, ...]) -> dict[str, Any]:
    """The model ``request`` asks for, in the shape :func:`read_back` gives."""
    published = {(d.name, e) for d in request for e in d.facts}
    out: dict[str, Any] = {}
    for dom in request:
        slices: dict[str, Any] = {}
        for s in dom.slices:
            every = tuple(range(1, s.versions + 1))
            versions = {kind: every for kind in ("command", "event", "handler", "evolver")}
            if s.versions > 1:
                versions["upcaster"] = every[1:]
            slices[s.command] = {
                "event": s.event,
                "versions": versions,
                "projections": {p: every for p in s.projections},
                "publishes fact": (dom.name, s.event) in published,
                "policy on": s.policy_on,
            }
        out[dom.name] = {"slices": slices, "facts": sorted(dom.facts)}
    return out


def read_back(model: WorkspaceModel) -> dict[str, Any]:
    """Domains, slices, their commands, events and versions, projections, policies and facts,
    as the model read from the tree holds them."""
    fact_domain = {a.business_name: a.domain for a in model.artifacts if a.kind == "fact"}
    out: dict[str, Any] = {}
    for dom in model.domains:
        slices: dict[str, Any] = {}
        for s in dom.slices:
            versions: dict[str, list[int]] = {}
            projections: dict[str, list[int]] = {}
            events, policy_on, publishes = set(), None, False
            for a in s.artifacts:
                stem = naming.split_version(a.file_stem)[0]
                if a.kind == "event":
                    events.add(a.business_name)
                if a.kind == "projection":
                    read_model = stem.split("_to_", 1)[1]
                    if read_model == "fact":
                        publishes = True
                        continue
                    projections.setdefault(read_model, []).append(a.version or 0)
                elif a.kind == "policy":
                    event = stem.removeprefix("when_").split("_then_", 1)[0]
                    policy_on = (fact_domain.get(event), event)
                else:
                    versions.setdefault(a.kind, []).append(a.version or 0)
            slices[s.name] = {
                "event": events.pop() if len(events) == 1 else sorted(events),
                "versions": {k: tuple(sorted(v)) for k, v in versions.items()},
                "projections": {k: tuple(sorted(v)) for k, v in projections.items()},
                "publishes fact": publishes,
                "policy on": policy_on,
            }
        facts = [
            a.business_name for a in model.artifacts if (a.kind, a.domain) == ("fact", dom.name)
        ]
        out[dom.name] = {"slices": slices, "facts": sorted(facts)}
    return out


@pytest.mark.parametrize(("stack", "app"), [("python", "shop"), ("elixir", "reckon")])
def test_every_artifact_kind_reads_back_as_requested(
    cli: RunCli, tmp_path: Path, stack: str, app: str
) -> None:
    root = tmp_path / "ws"
    result = cli("init", str(root), "--stack", stack, "--app", app, cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    for step in steps(REQUEST):
        result = cli(*step, cwd=root)
        assert result.exit_code == 0, (step, result.stderr)
    found = find_config(root)
    assert found is not None
    model = load_model(found[0].parent, found[1], workers=1).model
    got, want = read_back(model), expected(REQUEST)
    for name in want:  # slice by slice first, for a readable difference
        for slice_name, wanted in want[name]["slices"].items():
            assert got[name]["slices"].get(slice_name) == wanted, (name, slice_name)
    assert got == want
