"""The compact summary of a domain's design kept in its document, and what changed between two.

The summary is a sorted list of one-line atoms (``slice initialize_account event=...``,
``version initialize_account 2 type=... fields=...``, ``projection ...``, ``policy ...``,
``fact ...``). ``slicegen storm`` stores it in a hidden ``model`` block of the document; comparing
the stored atoms with the current ones tells whether the design changed since the last session,
and :func:`describe_changes` turns the difference into that session's bullet points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slicegen import naming

if TYPE_CHECKING:  # the design model (pydantic): new-domain's skeleton renders without it
    from slicegen.design.model import DesignModel

BLOCK = "model"


def summarize(design: DesignModel, domain: str) -> list[str]:
    """The atoms of ``domain``'s design, sorted."""
    dom = design.domains[domain]
    atoms = [f"aggregate {dom.aggregate}"]
    for command, s in dom.slices.items():
        atoms.append(f"slice {command} event={s.event}")
        for v in s.versions:
            fields = ",".join(v.fields) or "-"
            atoms.append(f"version {command} {v.version} type={s.event_type(v)} fields={fields}")
        for p in s.projections:
            atoms += [f"projection {command} {p.read_model} {n}" for n in p.versions]
        for policy in s.policies:
            source, event = policy.trigger(domain)
            atoms.append(f"policy {command} {source}:{event} {policy.version}")
    atoms += [f"fact {event}" for event in dom.facts]
    return sorted(set(atoms))


def block_content(atoms: list[str]) -> str:
    """The hidden block's content: the atoms inside one HTML comment."""
    return "<!--\n" + "".join(f"{a}\n" for a in atoms) + "-->\n"


def parse_block(content: str | None) -> list[str] | None:
    """The atoms stored in a block's content, or None if there is no block."""
    if content is None:
        return None
    lines = [line.strip() for line in content.splitlines()]
    return sorted({line for line in lines if line and line not in ("<!--", "-->")})


def _split(atoms: list[str]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for atom in atoms:
        kind, *rest = atom.split(" ")
        out.setdefault(kind, []).append(rest)
    return out


def _kv(parts: list[str]) -> dict[str, str]:
    return dict(p.split("=", 1) for p in parts if "=" in p)


def _fields(spec: str) -> str:
    if spec == "-":
        return "no fields"
    return "fields " + ", ".join(f"`{f}`" for f in spec.split(","))


def describe_changes(old: list[str], new: list[str], domain: str) -> list[str]:
    """Markdown bullets saying what was added, versioned, changed or removed from old to new."""
    gone, came = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    if not gone and not came:
        return []
    before, after = _split(gone), _split(came)
    notes: list[str] = []
    old_slices = {p[0]: _kv(p[1:])["event"] for p in _split(old).get("slice", [])}
    new_slices = {p[0]: _kv(p[1:])["event"] for p in _split(new).get("slice", [])}
    for parts in after.get("aggregate", []):
        notes.append(f"- Aggregate is now `{parts[0]}`.")
    added = {p[0]: _kv(p[2:]) for p in after.get("version", []) if p[1] == "1"}
    for command in sorted(set(new_slices) - set(old_slices)):
        info = added.get(command, {"type": "?", "fields": "-"})
        notes.append(
            f"- Added slice `{command}`: `{naming.to_pascal(command + '_v1')}` -> "
            f"`{naming.to_pascal(new_slices[command] + '_v1')}` (`{info['type']}`), "
            f"{_fields(info['fields'])}."
        )
    for command in sorted(set(old_slices) - set(new_slices)):
        notes.append(f"- Removed slice `{command}`.")
    for command in sorted(set(old_slices) & set(new_slices)):
        if old_slices[command] != new_slices[command]:
            notes.append(
                f"- Slice `{command}` now emits `{new_slices[command]}` "
                f"(was `{old_slices[command]}`)."
            )
    old_versions = {(p[0], p[1]): _kv(p[2:]) for p in before.get("version", [])}
    for parts in after.get("version", []):
        command, number, info = parts[0], parts[1], _kv(parts[2:])
        fields = _fields(info["fields"])
        name = naming.to_pascal(f"{command}_v{number}")
        if (command, number) in old_versions:
            notes.append(f"- Changed `{name}`: emits `{info['type']}`, {fields}.")
        elif command in old_slices or number != "1":
            notes.append(f"- Versioned `{command}`: `{name}` emits `{info['type']}`, {fields}.")
    new_version_keys = {(p[0], p[1]) for p in after.get("version", [])}
    for key in sorted(old_versions):
        if key not in new_version_keys and key[0] in new_slices:
            notes.append(f"- Removed version v{key[1]} of `{key[0]}`.")
    for verb, group in (("Added", after), ("Removed", before)):
        for command, read_model, number in group.get("projection", []):
            if verb == "Removed" and command not in new_slices:
                continue
            notes.append(f"- {verb} projection `{read_model}` (v{number}) in `{command}`.")
        for command, trigger, number in group.get("policy", []):
            if verb == "Removed" and command not in new_slices:
                continue
            source, _, event = trigger.partition(":")
            what = (
                f"`{event}`" if source == domain else f"fact `{naming.fact_topic(source, event)}`"
            )
            module = f"when_{event}_then_{command}_v{number}"
            notes.append(f"- {verb} policy `{module}` (on {what}).")
        for (event,) in group.get("fact", []):
            notes.append(f"- {verb} fact `{naming.fact_topic(domain, event)}`.")
    return notes
