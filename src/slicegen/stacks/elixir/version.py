"""``add-version`` for the elixir stack: v<N+1> beside v<N> in the same slice, and an upcaster.

The new command and event copy the current version's fields as they are on disk (user edits
included) and add the new ones; ``Commanded.Event.Upcaster`` turns stored v<N> events into v<N+1>
as they are read, so only the latest evolver and projections need to know about old events.
"""

from __future__ import annotations

from dataclasses import dataclass

from slicegen.change_set import ChangeSet
from slicegen.errors import SlicegenError
from slicegen.scaffold.requests import VersionRequest
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.elixir import registrations
from slicegen.stacks.elixir.field_types import ElixirField, elixir_field
from slicegen.stacks.elixir.layout import LINE_LENGTH, render_ex
from slicegen.stacks.elixir.slice import (
    SliceVersion,
    api_function,
    existing_domain,
    latest_version,
    plan_version,
    read_version,
)


@dataclass(frozen=True)
class UpcasterModel:
    old: SliceVersion
    new: SliceVersion

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
        line = f"defimpl Commanded.Event.Upcaster, for: {self.old_mod} do"
        if len(line) <= LINE_LENGTH:
            return line
        return f"defimpl Commanded.Event.Upcaster,\n  for: {self.old_mod} do"

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
    old = read_version(cs, dom, req.command, version)
    added = [elixir_field(f) for f in req.fields]
    for f in added:
        if f.name in old.command_names or f.name in {e.name for e in old.event_fields}:
            raise SlicegenError(
                f"field '{f.name}' already exists in v{version} of '{req.command}': "
                "give only the fields that are new in the next version"
            )
    new = SliceVersion(
        dom,
        req.command,
        old.event,
        version + 1,
        [*old.command_fields, *added],
        [*old.event_fields, *added],
    )
    plan_version(cs, ctx, new)
    registrations.upgrade_api_function(
        cs, dom.names, req.command, api_function(old), api_function(new)
    )
    upcaster = UpcasterModel(old, new)
    names = dom.names
    cs.add(
        names.slice_file(req.command, upcaster.stem),
        render_ex("slice/upcaster.ex.j2", ctx.root, u=upcaster, d=names),
    )
    cs.add(
        names.slice_test(req.command, upcaster.stem),
        render_ex("slice/test/upcaster_test.exs.j2", ctx.root, u=upcaster, d=names),
    )
