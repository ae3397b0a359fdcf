"""``slicegen apply MODEL --check``: every difference between a design model and the code.

Both ways: what the model has and the code lacks (``apply`` would add it), what the code has and
the model lacks (``apply --prune`` would remove it), and what both have but differently (an
aggregate, an event name, a released version's fields). Each difference names the model key.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from slicegen.design.model import DesignModel, DomainDesign, SliceDesign
from slicegen.errors import SlicegenError
from slicegen.workspace import Workspace

Kind = Literal["missing", "extra", "differs"]

#: What each kind means, for people.
MEANING = {
    "missing": "in the model, not in the code",
    "extra": "in the code, not in the model",
    "differs": "in both, differently",
}


@dataclass(frozen=True)
class Difference:
    """One difference: the model key, its kind, and a sentence."""

    key: str
    kind: Kind
    detail: str


def differences(model: DesignModel, code: DesignModel) -> list[Difference]:
    """Every difference between ``model`` and the design of ``code``, in model order."""
    found: list[Difference] = []
    for name in _union(model.domains, code.domains):
        key = f"domains.{name}"
        want, have = model.domains.get(name), code.domains.get(name)
        if want is None or have is None:
            found.append(_presence(key, want is not None, f"domain '{name}'"))
            continue
        found += _domain(key, want, have)
    return found


def _union(first: Mapping[str, object], second: Mapping[str, object]) -> list[str]:
    return [*first, *(k for k in second if k not in first)]


def _presence(key: str, in_model: bool, what: str) -> Difference:
    kind: Kind = "missing" if in_model else "extra"
    return Difference(key, kind, f"{what} is {MEANING[kind]}")


def _domain(key: str, want: DomainDesign, have: DomainDesign) -> list[Difference]:
    found: list[Difference] = []
    if want.aggregate != have.aggregate:
        found.append(
            Difference(
                f"{key}.aggregate",
                "differs",
                f"aggregate is '{want.aggregate}' in the model, '{have.aggregate}' in the code",
            )
        )
    for command in _union(want.slices, have.slices):
        slice_key = f"{key}.slices.{command}"
        a, b = want.slices.get(command), have.slices.get(command)
        if a is None or b is None:
            found.append(_presence(slice_key, a is not None, f"slice '{command}'"))
            continue
        found += _slice(slice_key, a, b, key.split(".", 1)[1])
    for fact in _union(dict.fromkeys(want.facts), dict.fromkeys(have.facts)):
        if (fact in want.facts) != (fact in have.facts):
            found.append(_presence(f"{key}.facts", fact in want.facts, f"fact '{fact}'"))
    return found


def _slice(key: str, want: SliceDesign, have: SliceDesign, domain: str) -> list[Difference]:
    found: list[Difference] = []
    if want.event != have.event:
        found.append(
            Difference(
                f"{key}.event",
                "differs",
                f"event is '{want.event}' in the model, '{have.event}' in the code",
            )
        )
    for index in range(max(len(want.versions), len(have.versions))):
        version_key = f"{key}.versions.{index}"
        a = want.versions[index] if index < len(want.versions) else None
        b = have.versions[index] if index < len(have.versions) else None
        if a is None or b is None:
            found.append(_presence(version_key, a is not None, f"version v{index + 1}"))
        elif a.fields != b.fields:
            found.append(
                Difference(
                    f"{version_key}.fields",
                    "differs",
                    f"v{index + 1} fields are {a.fields} in the model, {b.fields} in the code",
                )
            )
    wanted = {p.read_model for p in want.projections}
    have_ = {p.read_model for p in have.projections}
    for read_model in sorted(wanted ^ have_):
        what = f"projection into '{read_model}'"
        found.append(_presence(f"{key}.projections", read_model in wanted, what))
    triggers = {p.trigger(domain) for p in want.policies}
    existing = {p.trigger(domain) for p in have.policies}
    for source, event in sorted(triggers ^ existing):
        what = f"policy on '{source}:{event}'"
        found.append(_presence(f"{key}.policies", (source, event) in triggers, what))
    return found


def as_text(source: str, found: list[Difference]) -> str:
    if not found:
        return f"{source}: the code matches the model\n"
    lines = [f"{source}: {d.key}: {d.detail}" for d in found]
    return "\n".join([*lines, f"Found {len(found)} difference(s)."]) + "\n"


def as_json(source: str, found: list[Difference]) -> str:
    data = {"model": source, "differences": [asdict(d) for d in found]}
    return json.dumps(data, indent=2) + "\n"


def as_sarif(source: str, found: list[Difference]) -> str:
    """SARIF 2.1.0: one rule per kind, one result per difference, located in the model file."""
    rules = [
        {"id": f"apply-check/{kind}", "shortDescription": {"text": text}}
        for kind, text in MEANING.items()
    ]
    results = [
        {
            "ruleId": f"apply-check/{d.kind}",
            "level": "error",
            "message": {"text": f"{d.key}: {d.detail}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": source}}}],
        }
        for d in found
    ]
    run = {"tool": {"driver": {"name": "slicegen", "rules": rules}}, "results": results}
    doc = {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [run],
    }
    return json.dumps(doc, indent=2) + "\n"


FORMATS = {"text": as_text, "json": as_json, "sarif": as_sarif}


def run_check(ws: Workspace, model_path: str, output: str) -> int:
    """Print the differences between the model at ``model_path`` and the code; 1 if any."""
    from slicegen.design.model import load_design
    from slicegen.storm.command import workspace_design

    if output not in FORMATS:
        raise SlicegenError(f"--format {output!r} is not supported: use {', '.join(FORMATS)}")
    target = load_design(Path(model_path))
    current, _ = workspace_design(ws)
    found = differences(target, current)
    sys.stdout.write(FORMATS[output](model_path, found))
    return 1 if found else 0
