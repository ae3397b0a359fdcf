"""The elixir stack (Commanded umbrella): plans each scaffolding command into a change set.

Layout: ``CONVENTIONS.md``, "Elixir stack". The work is split by capability:
:mod:`.domain` (umbrella, shared facts app, domain apps), :mod:`.slice` (slices, projections),
:mod:`.version` (v2 and upcasters), :mod:`.integration` (facts and policies). Registrations in
existing modules are tree-sitter located edits (:mod:`.registrations`, :mod:`.source_edits`).
"""

from __future__ import annotations

from slicegen.change_set import ChangeSet
from slicegen.scaffold.requests import (
    DomainRequest,
    FactRequest,
    PolicyRequest,
    ProjectionRequest,
    SliceRequest,
    VersionRequest,
)
from slicegen.scaffold.stack import StackContext
from slicegen.stacks.elixir import domain, integration, slice, version


class ElixirStack:
    """Implements :class:`slicegen.scaffold.stack.Stack` for Elixir/Commanded."""

    def init_workspace(self, cs: ChangeSet, ctx: StackContext) -> None:
        domain.init_workspace(cs, ctx)

    def new_domain(self, cs: ChangeSet, ctx: StackContext, req: DomainRequest) -> None:
        domain.new_domain(cs, ctx, req)

    def add_slice(self, cs: ChangeSet, ctx: StackContext, req: SliceRequest) -> None:
        slice.add_slice(cs, ctx, req)

    def add_projection(self, cs: ChangeSet, ctx: StackContext, req: ProjectionRequest) -> None:
        slice.add_projection(cs, ctx, req)

    def add_policy(self, cs: ChangeSet, ctx: StackContext, req: PolicyRequest) -> None:
        integration.add_policy(cs, ctx, req)

    def add_fact(self, cs: ChangeSet, ctx: StackContext, req: FactRequest) -> None:
        integration.add_fact(cs, ctx, req)

    def add_version(self, cs: ChangeSet, ctx: StackContext, req: VersionRequest) -> None:
        version.add_version(cs, ctx, req)


SCAFFOLDER = ElixirStack()
