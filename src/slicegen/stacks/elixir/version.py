"""``add-version`` for the elixir stack: v<N+1> beside v<N> in the same slice, and an upcaster.

The new command and event copy the current version's fields as they are on disk (user edits
included) and add the new ones; ``Commanded.Event.Upcaster`` turns stored v<N> events into v<N+1>
as they are read, so only the latest evolver and projections need to know about old events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from slicegen import naming
from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import VersionRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.elixir import reading, registrations
from slicegen.stacks.elixir.field_types import ElixirField, elixir_field
from slicegen.stacks.elixir.integration import (
    FactModel,
    PolicyModel,
    fact_model,
    plan_fact_publisher,
    plan_local_policy,
)
from slicegen.stacks.elixir.layout import LAYOUT, render_ex
from slicegen.stacks.elixir.restore import carried, locked_fields, restore_event
from slicegen.stacks.elixir.slice import (
    NOT_COMPARED,
    DomainContext,
    ProjectionModel,
    SliceVersion,
    api_function,
    attrs_var,
    existing_domain,
    fixture_function,
    latest_version,
    plan_projection,
    plan_version,
    read_version,
    with_uuid_fields,
)


@dataclass(frozen=True)
class UpcasterModel:
    old: SliceVersion
    new: SliceVersion
    projections: list[ProjectionModel] = field(default_factory=list)
    fact: FactModel | None = None
    policies: list[PolicyModel] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # locked name -> edited name

    @property
    def consumed(self) -> bool:
        return bool(self.projections or self.fact or self.mapped_policies)

    @property
    def mapped_policies(self) -> list[PolicyModel]:
        """The policies whose command a test can expect (no field left for the user to map)."""
        return [p for p in self.policies if not p.unmapped]

    @property
    def old_attrs_var(self) -> str:
        return attrs_var(self.old.event_fields, self.old.id_field)

    @property
    def later_attrs_var(self) -> str:
        return LAYOUT.assign(4, "later", f"{self.new.slice}_attrs()")

    @property
    def test_aliases(self) -> list[tuple[str, str | None]]:
        found: list[tuple[str, str | None]] = [(self.old_mod, None), (self.new_mod, None)]
        found += [(p.read_model_module, None) for p in self.projections]
        if self.fact is not None:
            found.append((self.fact.module, None))
        found += [(p.target.event_mod, self.target_alias(p)) for p in self.mapped_policies]
        if not self.consumed:
            found = [(self.old_mod, None), (self.new_mod, None)]
        return found

    def compared_for(self, projection: ProjectionModel) -> list[str]:
        """The projection's fields a test reads back as the stored v<N> event had them."""
        old = {f.name for f in self.old.event_fields}
        kept = {n for n, value in self.values.items() if value == f"event.{n}"}
        return [
            f.name
            for f in projection.fields
            if f.name in old & kept and f.ecto_type not in NOT_COMPARED
        ]

    @property
    def values(self) -> dict[str, str]:
        """Each v<N+1> field the upcaster fills from a stored v<N> event -> its value."""
        old = {f.name: f for f in self.old.event_fields}
        found = {f.name: carried(f, old, self.renamed) for f in self.fields}
        return {n: v for n, v in found.items() if v is not None}

    @property
    def checks(self) -> list[str]:
        """The upcaster test's assertions when v<N+1> is not v<N> plus new fields (an edited
        locked event); [] otherwise, the test then compares every v<N> field."""
        if self.values == {f.name: f"event.{f.name}" for f in self.old.event_fields}:
            return []
        attrs = {f"event.{f.name}": f"@attrs[:{f.name}]" for f in self.old.event_fields}
        found = []
        for name, value in self.values.items():
            right = re.sub(r"event\.\w+", lambda m: attrs[m[0]], value)
            found.append(
                LAYOUT.assert_eq(4, f"new.{name}", f"({right})" if " " in right else right)
            )
        return found

    @staticmethod
    def target_alias(policy: PolicyModel) -> str:
        return naming.to_pascal(policy.target.slice) + policy.target.event_alias

    @property
    def old_mod(self) -> str:
        return self.old.event_mod

    @property
    def new_mod(self) -> str:
        return self.new.event_mod

    @property
    def old_alias(self) -> str:
        return self.old.event_alias

    @property
    def new_alias(self) -> str:
        return self.new.event_alias

    @property
    def old_type(self) -> str:
        return self.old.type_string

    @property
    def new_type(self) -> str:
        return self.new.type_string

    @property
    def old_version(self) -> int:
        return self.old.version

    @property
    def new_version(self) -> int:
        return self.new.version

    @property
    def fields(self) -> list[ElixirField]:
        return self.new.event_fields

    @property
    def old_names(self) -> list[str]:
        return [f.name for f in self.old.event_fields]

    @property
    def header(self) -> str:
        return LAYOUT.defimpl_head("Commanded.Event.Upcaster", self.old_mod)

    @property
    def stem(self) -> str:
        return f"upcast_event_v{self.old.version}_to_v{self.new.version}"

    @property
    def test_module(self) -> str:
        return self.old.dom.names.slice_member(self.old.slice, self.stem) + "Test"

    @property
    def attrs_block(self) -> str:
        return self.old.event_attrs_block


def add_version(cs: ChangeSet, ctx: StackContext, req: VersionRequest) -> None:
    """The next version of a slice beside the current one, with an upcaster between events."""
    dom = existing_domain(cs, ctx, req.domain)
    version = latest_version(cs, ctx, dom, req.command)
    old = with_uuid_fields(cs, dom, read_version(cs, dom, req.command, version))
    added = [elixir_field(f) for f in req.fields]
    for f in added:
        if f.name in old.command_names or f.name in {e.name for e in old.event_fields}:
            raise SlicegenError(
                f"field '{f.name}' already exists in v{version} of '{req.command}': "
                "give only the fields that are new in the next version"
            )
    restore = req.restore
    if restore is not None and restore.path == dom.names.slice_file(req.command, old.event_stem):
        # an edited locked event (SG205): v<N+1> takes the edit, v<N> its locked fields back
        edited = old
        locked = locked_fields(restore, edited.event_fields)
        restore_event(cs, ctx, edited, locked)
        old = replace(edited, event_fields=locked)
        commands = _edited_command(edited, locked)
    else:
        restore, edited, commands = None, old, old.command_fields
    new = SliceVersion(
        dom,
        req.command,
        old.event,
        version + 1,
        [*commands, *added],
        [*edited.event_fields, *added],
        old.starts,
    )
    plan_version(cs, ctx, new)
    registrations.upgrade_api_function(
        cs, dom.names, req.command, api_function(old), api_function(new)
    )
    registrations.upgrade_function(
        cs,
        dom.names.fixtures,
        f"{dom.names.module}.Fixtures",
        f"{req.command}_attrs",
        fixture_function(old),
        fixture_function(new),
    )
    names = dom.names
    renamed = dict(restore.renamed) if restore else {}
    upcaster = UpcasterModel(old, new, *_version_consumers(cs, ctx, dom, old, new), renamed)
    cs.add(
        names.slice_file(req.command, upcaster.stem),
        render_ex("slice/upcaster.ex.j2", ctx.root, u=upcaster, d=names),
    )
    cs.add(
        names.slice_test(req.command, upcaster.stem),
        render_ex("slice/test/upcaster_test.exs.j2", ctx.root, u=upcaster, d=names),
    )
    was = {f.name: f.ecto_type for f in old.event_fields}
    retyped = {f.name for f in new.event_fields if was.get(f.name, f.ecto_type) != f.ecto_type}
    for p in upcaster.projections:
        if columns := sorted(retyped & {f.name for f in p.fields}):
            cs.note(
                f"{names.read_model_file(p.read_model)}: {', '.join(columns)} changed type in "
                f"v{new.version}, and the read model's columns keep the old one: migrate them"
            )


def _version_consumers(
    cs: ChangeSet, ctx: StackContext, dom: DomainContext, old: SliceVersion, new: SliceVersion
) -> tuple[list[ProjectionModel], FactModel | None, list[PolicyModel]]:
    """v<N+1> of every consumer of the v<N> event: each projection, the fact publisher and each
    policy of the domain, started in place of v<N> under the same handler name (so each resumes
    where v<N> stopped; stored v<N> events reach it upcast)."""
    names = dom.names
    short = naming.event_short_name(old.event)
    suffix = f"_v{old.version}"
    projections: list[ProjectionModel] = []
    fact: FactModel | None = None
    for stem in reading.slice_stems(cs, names, old.slice):
        match = re.fullmatch(rf"{re.escape(short)}_to_(\w+){suffix}", stem)
        if match is None or match.group(1) == "state":
            continue
        old_mod = names.slice_member(old.slice, stem)
        new_mod = names.slice_member(old.slice, f"{short}_to_{match.group(1)}_v{new.version}")
        registrations.replace_child(cs, names, old_mod, new_mod)  # before any registration
        if match.group(1) == "fact":
            fact = fact_model(cs, ctx, new)
            plan_fact_publisher(cs, ctx, fact)
        else:
            projections.append(
                plan_projection(cs, ctx, dom, old.slice, match.group(1), version=new.version)
            )
    policies: list[PolicyModel] = []
    for slice_name in reading.slice_names(cs, names):
        for stem in reading.slice_stems(cs, names, slice_name):
            if stem != f"when_{old.event}_then_{slice_name}{suffix}":
                continue
            target = read_version(cs, dom, slice_name, latest_version(cs, ctx, dom, slice_name))
            new_stem = f"when_{old.event}_then_{slice_name}_v{new.version}"
            registrations.replace_child(
                cs,
                names,
                names.slice_member(slice_name, stem),
                names.slice_member(slice_name, new_stem),
            )
            policies.append(plan_local_policy(cs, ctx, target, new))
    return projections, fact, policies


def _edited_command(edited: SliceVersion, locked: list[ElixirField]) -> list[ElixirField]:
    """The v<N+1> command of an edited locked event: the event's edited fields, then the fields
    only v<N>'s command has (those the edit dropped or renamed away left out)."""
    taken = {f.name for f in edited.event_fields} | {f.name for f in locked}
    return [*edited.event_fields, *(f for f in edited.command_fields if f.name not in taken)]
